import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, ROOT_DIR, ensureBuilt, exampleWorkspace, ferry } from './testing/cli-harness.js';

let ws: string;
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const w = await exampleWorkspace();
  ws = w.ws;
  cleanup = w.cleanup;
  env = { FERRY_DATA_DIR: w.dataDir };
});
afterEach(async () => cleanup());

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('ferry --help and usage', () => {
  it('prints help with exit 0, and usage errors with exit 2', async () => {
    const help = await ferry(['--help'], { cwd: ws });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('ferry run <workspace> <flow>');
    expect(help.stdout).toContain('3  connection failure');
    expect((await ferry(['run', '--help'], { cwd: ws })).stdout).toContain('--since <value>');
    const unknown = await ferry(['frobnicate'], { cwd: ws });
    expect(unknown).toMatchObject({ code: 2, stderr: 'ferry: unknown command "frobnicate". See ferry --help.\n' });
    const badFlag = await ferry(['run', '.', 'x', '--fast'], { cwd: ws });
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/^ferry: Unknown option '--fast'/);
    expect((await ferry([], { cwd: ws })).code).toBe(2);
  });
});

describe('ferry validate', () => {
  it('accepts the examples', async () => {
    const result = await ferry(['validate', '.'], { cwd: ws, env });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: '✓ Ferry examples: 5 flow(s) and 2 connection(s) are valid\n' });
  });

  it('names file, JSON path and expectation of each problem', async () => {
    const file = join(ws, 'flows/products-to-catalog.flow.json');
    const flow = JSON.parse(await readFile(file, 'utf8'));
    flow.nodes[0].config.format = 'xlsx';
    flow.nodes[1].config.fields[8].expression = '$round(price - ';
    flow.edges[0].to.node = 'nowhere';
    await writeFile(file, JSON.stringify(flow));
    const result = await ferry(['validate', ws], { cwd: '/', env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'flows/products-to-catalog.flow.json: nodes[0].config.format: expected one of csv, jsonl',
    );
    expect(result.stderr).toMatch(
      /flows\/products-to-catalog\.flow\.json: nodes\[1\]\.config\.fields\[8\]\.expression: /,
    );
    expect(result.stderr).toContain('flows/products-to-catalog.flow.json: edges[0].to.node: unknown node "nowhere"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains a folder that is not a workspace', async () => {
    const result = await ferry(['validate', 'data'], { cwd: ws, env });
    expect(result).toMatchObject({ code: 2, stderr: 'ferry: not a workspace: data has no ferry.workspace.json\n' });
    expect((await ferry(['validate', 'nope'], { cwd: ws, env })).stderr).toMatch(
      /^ferry: workspace folder not found: nope/,
    );
  });
});

describe('ferry run', () => {
  it('runs the example flow, writes the file and exits 0', async () => {
    const result = await ferry(['run', '.', 'products-to-catalog'], { cwd: ws, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Flow "Products to catalog CSV" \(products-to-catalog\) succeeded in /);
    expect(result.stdout).toContain('created 16 · updated 0 · unchanged 0 · skipped 0 · filtered 4 · failed 0');
    const out = (await readFile(join(ws, 'out/catalog.csv'), 'utf8')).split('\n');
    expect(out[0]).toBe('number,sku,displayName,description,unitPrice,unitCost,inventory,category,margin,label');
    expect(out[1]).toBe(
      '1,SKU-1001,Trail bike,Trail bike for everyday riding,294.83,131.27,166,Bikes,163.56,SKU-1001 TRAIL BIKE',
    );
    expect(out[4]).toBe(
      '4,SKU-1004,Kids helmet,"Kids helmet, helmets range",53.09,25.07,141,Helmets,28.02,SKU-1004 KIDS HELMET',
    );
    expect(out).toHaveLength(18);
    // Incremental: nothing changed, nothing read; the output is rewritten with no rows.
    const again = await ferry(['run', '.', 'flows/products-to-catalog.flow.json'], { cwd: ws, env });
    expect(again.stdout).toContain('created 0 ·');
  });

  it('dry run writes nothing and says what would happen', async () => {
    const result = await ferry(['run', '.', 'products-to-catalog', '--dry-run'], { cwd: ws, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run succeeded');
    expect(result.stdout).toContain('would be created 16');
    expect(existsSync(join(ws, 'out'))).toBe(false);
  });

  it('exits 1 when records fail and lists them', async () => {
    const csv = await readFile(join(ws, 'data/products.csv'), 'utf8');
    await writeFile(join(ws, 'data/products.csv'), csv.replace('294.83', 'lots'));
    const result = await ferry(['run', '.', 'products-to-catalog'], { cwd: ws, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed 1');
    expect(result.stdout).toMatch(/products ← products 1: .*price.*expected a number/);
  });

  it('exits 2 on unknown flow or bad --since, naming what is wrong', async () => {
    const unknown = await ferry(['run', '.', 'nope'], { cwd: ws, env });
    expect(unknown).toMatchObject({
      code: 2,
      stderr:
        'ferry: no flow "nope" in Ferry examples (flows: products-to-catalog, products-to-shop, stock-from-business-central, web-customers-to-business-central, web-customers-update-or-create)\n',
    });
    const since = await ferry(['run', '.', 'products-to-catalog', '--since', 'yesterday'], { cwd: ws, env });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since: expected an ISO date or date-time');
  });

  it('exits 2 when a node config is wrong at run time (missing input file)', async () => {
    await rm(join(ws, 'data/products.csv'));
    const missing = await ferry(['run', '.', 'products-to-catalog'], { cwd: ws, env });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/error: file not found: data\/products\.csv/);
  });

  it('exits 3 when the remote cannot be reached', async () => {
    const port = await closedPort();
    const connFile = join(ws, 'connections/shop-api.connection.json');
    const conn = JSON.parse(await readFile(connFile, 'utf8'));
    conn.settings.baseUrl = `http://127.0.0.1:${port}/api`;
    conn.settings.retry = { maxAttempts: 1 };
    await writeFile(connFile, JSON.stringify(conn));
    const result = await ferry(['run', '.', 'products-to-shop'], {
      cwd: ws,
      env: { ...env, FERRY_SECRET_SHOP_API_TOKEN: 'secret-token' },
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/error: .*127\.0\.0\.1.*refused/);
    expect(result.stdout + result.stderr).not.toContain('secret-token');
  });

  it('--json prints events as JSON lines and --junit writes a report', async () => {
    const result = await ferry(['run', '.', 'products-to-catalog', '--json', '--junit', 'report.xml'], {
      cwd: ws,
      env,
    });
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0].type).toBe('run-started');
    expect(events.at(-1).type).toBe('run-finished');
    expect(events.at(-1).summary.counts.created).toBe(16);
    const xml = await readFile(join(ws, 'report.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="Products to catalog CSV" tests="5" failures="0"');
    expect(xml).toContain('name="node catalog (16 in, 16 out)"');
  });

  it('shows a progress line on a terminal', async () => {
    const result = await ferry(['run', '.', 'products-to-catalog'], { cwd: ws, env, tty: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/products 20 → to-catalog 20 → active-only 20 → catalog 16 · [\d,]+ rec\/s/);
  });
});

describe('bundled binary', () => {
  beforeAll(ensureBuilt);
  it('runs as a process with exit codes and no stack traces', async () => {
    const bin = join(ROOT_DIR, 'bin/ferry.mjs');
    const before = await readdir(EXAMPLES_DIR);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'validate', join(EXAMPLES_DIR, 'data')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ferry: not a workspace: ' + join(EXAMPLES_DIR, 'data') + ' has no ferry.workspace.json\n');
    expect(await readdir(EXAMPLES_DIR)).toEqual(before);
  });
});
