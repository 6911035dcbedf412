// `npm run bench:editor`: open-and-render time and frames per second while panning/zooming, for generated flows of
// 200, 500 and 1,000 nodes, in Chromium through the real `ferry serve`. Not part of `npm test` (timing, not truth).
import { spawn } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const SIZES = (process.env.FERRY_BENCH_NODES ?? '200,500,1000').split(',').map(Number);

/** Chains of source → map → filter → destination, laid out in rows: the shape of real integration flows. */
function generatedFlow(nodeCount) {
  const kinds = [
    ['source', 'file', { path: 'data/products.csv', key: 'id' }],
    ['map', 'map', { fields: [{ target: 'sku', expression: 'sku' }] }],
    ['filter', 'filter', { expression: '$source.status = "active"' }],
    ['destination', 'file', { path: 'out/x.csv' }],
  ];
  const nodes = [];
  const edges = [];
  for (let i = 0; i < nodeCount; i++) {
    const chain = Math.floor(i / 4);
    const step = i % 4;
    const [kind, type, config] = kinds[step];
    const id = `n${i}`;
    nodes.push({
      id,
      kind,
      type,
      typeVersion: 1,
      position: { x: step * 260 + (chain % 5) * 1100, y: Math.floor(chain / 5) * 120 },
      config,
    });
    if (step > 0) edges.push({ from: { node: `n${i - 1}`, port: 'out' }, to: { node: id, port: 'in' } });
  }
  // Ids sort after the examples' flows: the app opens the first flow at start, and that must not be the one measured.
  return { schemaVersion: 2, id: `x-bench-${nodeCount}`, name: `Bench ${nodeCount} nodes`, nodes, edges };
}

async function serve(workspace, dataDir) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/ferry.mjs'), 'serve', workspace, '--port', '0'], {
    env: { ...process.env, FERRY_DATA_DIR: dataDir },
  });
  let out = '';
  const url = await new Promise((ok, fail) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m) ok(m[0]);
    });
    child.on('exit', (code) => fail(new Error(`ferry serve exited ${code}: ${out}`)));
  });
  return { url, stop: () => child.kill('SIGINT') };
}

async function measureFps(page, action) {
  await page.evaluate(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => {
      if (!window.__counting) return;
      window.__frames++;
      requestAnimationFrame(tick);
    };
    window.__start = performance.now();
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    window.__counting = false;
    return (window.__frames * 1000) / (performance.now() - window.__start);
  });
}

const root = await mkdtemp(join(tmpdir(), 'ferry-bench-editor-'));
const workspace = join(root, 'ws');
await cp(join(ROOT, 'resources/examples'), workspace, { recursive: true, filter: (s) => !s.endsWith('/out') });
await mkdir(join(workspace, 'flows'), { recursive: true });
for (const n of SIZES)
  await writeFile(join(workspace, `flows/x-bench-${n}.flow.json`), JSON.stringify(generatedFlow(n), null, 2));
const server = await serve(workspace, join(root, 'data'));
const browser = await chromium.launch(chromiumLaunchOptions);
const results = [];
try {
  for (const n of SIZES) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    // Start from the flow the app opens first (the 4-node example), fully drawn.
    await page.getByTestId('node-to-catalog').waitFor();
    const started = Date.now();
    await page.getByTestId('flow-list').getByText(`Bench ${n} nodes`).click();
    await page.waitForFunction(
      // Attribute selectors only: the check itself must not force a style recalculation of 1,000 nodes per frame.
      // A large flow opens zoomed out as an overview canvas: rendered when it has drawn every node.
      (count) => {
        const overview = document.querySelector('[data-testid="overview-canvas"]');
        if (overview) return overview.dataset.drawn === String(count);
        return (
          document.querySelectorAll('.react-flow__node').length === count &&
          document.querySelectorAll('.react-flow__node[style*="visibility: hidden"]').length === 0 &&
          document.querySelectorAll('.react-flow__edge').length > 0
        );
      },
      n,
      { timeout: 60_000, polling: 'raf' },
    );
    // FERRY_BENCH_SCREENSHOTS=<dir>: what was measured, to look at (opened, then at 100 %).
    const shots = process.env.FERRY_BENCH_SCREENSHOTS;
    if (shots) await page.screenshot({ path: join(shots, `editor-${n}-open.png`) });
    const drawnAs = (await page.locator('[data-testid="overview-canvas"]').count()) ? 'overview' : 'DOM';
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const openMs = Date.now() - started;
    const pane = await page.locator('.react-flow__pane').boundingBox();
    const cx = pane.x + pane.width / 2;
    const cy = pane.y + pane.height / 2;
    const drag = async () => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 0; i < 120; i++) await page.mouse.move(cx + Math.sin(i / 10) * 300, cy + Math.cos(i / 10) * 150);
      await page.mouse.up();
    };
    const panFps = await measureFps(page, drag);
    const zoomFps = await measureFps(page, async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 60; i++) await page.mouse.wheel(0, i < 30 ? -60 : 60);
    });
    // Then at 100 % (full nodes; a large flow mounts only those in view) and pan again.
    const scale = () =>
      page.evaluate(() => {
        const m = /scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? '');
        return m ? Number(m[1]) : 1;
      });
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 80 && (await scale()) < 1; i++) await page.mouse.wheel(0, -60);
    await page.waitForTimeout(300);
    const domNodes = await page.locator('.react-flow__node').count();
    if (shots) await page.screenshot({ path: join(shots, `editor-${n}-100.png`) });
    const detailPanFps = await measureFps(page, drag);
    results.push({
      nodes: n,
      drawnAs,
      openMs,
      panFps: Math.round(panFps),
      zoomFps: Math.round(zoomFps),
      detailPanFps: Math.round(detailPanFps),
      domNodes,
    });
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
  await rm(root, { recursive: true, force: true });
}
console.log('\nEditor benchmark (Chromium, ferry serve, this machine)\n');
console.log('nodes  opens as   open+render   pan fps   zoom fps   at 100 %: pan fps (DOM nodes)');
for (const r of results) {
  console.log(
    `${String(r.nodes).padStart(5)}  ${r.drawnAs.padEnd(8)}  ${`${r.openMs} ms`.padStart(11)}  ${String(r.panFps).padStart(8)}` +
      `  ${String(r.zoomFps).padStart(9)}   ${String(r.detailPanFps).padStart(8)} (${r.domNodes})`,
  );
}
console.log('\nTargets: 1,000 nodes open in < 1 s; pan at >= 50 fps.');
