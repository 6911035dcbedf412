import { ConfigError, ConnectionError } from '../connectors/errors.js';
import {
  ApiError,
  type ApiErrorBody,
  type ApiMethodName,
  type ApiMethods,
  type ApiOutput,
  apiMethods,
} from '../model/contract.js';
import { ValidationError, problemsFromZod } from '../model/validation-error.js';
import type { z } from 'zod';

/** What a host implements: every contract method, receiving input already validated by the contract's schema. */
export type ApiHandlers = {
  [K in ApiMethodName]: (input: z.output<ApiMethods[K]['input']>) => Promise<ApiOutput<K>>;
};

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export function isApiMethodName(name: string): name is ApiMethodName {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}

/** Turns any failure into the contract's error body: a code to act on and a message for a person, never a stack. */
export function toApiError(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return error.toBody();
  if (error instanceof ValidationError)
    return { code: 'invalid-input', message: error.message, problems: error.problems };
  if (error instanceof ConnectionError) return { code: 'connection', message: error.message };
  if (error instanceof ConfigError) return { code: 'invalid-input', message: error.message };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { code: 'not-found', message: (error as Error).message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Internal error: ${message}` };
}

/** Parses a call's input with the contract; the error names each JSON path. Electron main checks with it too. */
export function checkInput(name: ApiMethodName, input: unknown): DispatchResult {
  const parsed = apiMethods[name].input.safeParse(input ?? {}, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = problemsFromZod(parsed.error, name);
  return {
    ok: false,
    error: { code: 'invalid-input', message: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems },
  };
}

/**
 * The one entry of both hosts (IPC and HTTP): validates the input with the contract, calls the handler, and checks
 * the output against the contract too, so a host can never send the UI something the contract does not promise.
 */
export async function dispatch(handlers: ApiHandlers, name: string, input: unknown): Promise<DispatchResult> {
  if (!isApiMethodName(name)) return { ok: false, error: { code: 'not-found', message: `no API method "${name}"` } };
  const spec = apiMethods[name];
  const parsed = checkInput(name, input);
  if (!parsed.ok) return parsed;
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.value);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      const detail = problemsFromZod(checked.error)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ');
      return { ok: false, error: { code: 'internal', message: `Internal error: ${name} returned ${detail}` } };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}
