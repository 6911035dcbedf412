import { describe, expect, it } from 'vitest';
import { ApiError, type FerryApi } from '../../core/model/contract.js';
import { createHttpApi, wrapPreloadApi } from './client.js';

describe('renderer API client', () => {
  it('posts each contract call as JSON and turns error bodies into ApiError with problems', async () => {
    const seen: { url: string; body: string }[] = [];
    const api = createHttpApi('', async (url, init) => {
      seen.push({ url: String(url), body: String(init?.body) });
      if (String(url).endsWith('/cancelRun')) {
        return new Response(
          JSON.stringify({
            code: 'invalid-input',
            message: 'runId: expected string',
            problems: [{ path: 'runId', message: 'expected string' }],
          }),
          { status: 400 },
        );
      }
      return new Response(JSON.stringify([{ dir: '/w', name: 'W', openedAt: 'x' }]), { status: 200 });
    });
    expect(await api.recentWorkspaces({})).toEqual([{ dir: '/w', name: 'W', openedAt: 'x' }]);
    expect(seen[0]).toEqual({ url: '/api/recentWorkspaces', body: '{}' });
    const error = await api.cancelRun({ runId: 'r' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'invalid-input', problems: [{ path: 'runId' }] });
  });

  it('says so when the server is gone', async () => {
    const api = createHttpApi('', async () => {
      throw new TypeError('fetch failed');
    });
    await expect(api.currentWorkspace({})).rejects.toMatchObject({ code: 'connection' });
  });

  it("rebuilds ApiError from the preload's plain rejection objects", async () => {
    const bridge = {
      subscribe: () => () => undefined,
      loadFlow: () => Promise.reject({ name: 'ApiError', code: 'not-found', message: 'no flow "x"' }),
    } as unknown as FerryApi;
    const error = await wrapPreloadApi(bridge)
      .loadFlow({ flowId: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not-found', message: 'no flow "x"' });
  });
});
