import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './ferry-serve.js';

async function dragFromPalette(page: Page, testId: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(testId).dragTo(canvas, { targetPosition: { x, y } });
}

/** Drags from one node's output port to another node's input port, as a user wires nodes. */
async function wire(page: Page, from: string, to: string): Promise<void> {
  const out = page.locator(`[data-testid="node-${from}"] .react-flow__handle.source`).first();
  const inp = page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`).first();
  const a = (await out.boundingBox())!;
  const b = (await inp.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('flow-list')).toBeVisible();
  // The token went into an HttpOnly cookie; it is no longer in the address bar.
  expect(page.url()).not.toContain('token=');
}

test('the server refuses requests without its token', async ({ served, request }) => {
  expect((await request.get(`${served.origin}/`)).status()).toBe(401);
  const api = await request.post(`${served.origin}/api/currentWorkspace`, { data: {} });
  expect(api.status()).toBe(401);
  const withToken = await request.post(`${served.origin}/api/currentWorkspace`, {
    data: {},
    headers: { Authorization: `Bearer ${served.token}` },
  });
  expect((await withToken.json()).name).toBe('Ferry examples');
});

test('build a flow by drag and drop, configure, save, run, dry run, undo/redo, reopen', async ({ page, served }) => {
  await openApp(page, served.url);
  await page.getByRole('button', { name: 'New flow', exact: true }).click();
  await page.getByLabel('New flow name').fill('E2E catalog');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByTestId('flow-title')).toHaveText('E2E catalog');

  await dragFromPalette(page, 'palette-source-file', 130, 100);
  await dragFromPalette(page, 'palette-map-map', 420, 100);
  await dragFromPalette(page, 'palette-filter-filter', 130, 300);
  await dragFromPalette(page, 'palette-destination-file', 420, 300);
  for (const id of ['file-source-1', 'map-1', 'filter-1', 'file-destination-1']) {
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  }
  await wire(page, 'file-source-1', 'map-1');
  await wire(page, 'map-1', 'filter-1');
  await wire(page, 'filter-1', 'file-destination-1');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  // Configure each node in the generated settings panel.
  await page.getByTestId('node-file-source-1').click();
  await page.locator('[data-field="path"] input').fill('data/products.csv');
  await page.locator('[data-field="key"] input').fill('id');
  await page.getByTestId('node-map-1').click();
  await page.getByRole('button', { name: 'Open mapper' }).click();
  // A file destination has no catalog: target fields are typed.
  const mapper = page.getByRole('dialog', { name: /^Mapper/ });
  await mapper.getByRole('button', { name: '+ Add target field' }).click();
  await mapper.getByLabel('Target 1').fill('sku');
  await mapper.getByLabel('Expression 1').fill('sku');
  await mapper.getByRole('button', { name: '+ Add target field' }).click();
  await mapper.getByLabel('Target 2').fill('label');
  await mapper.getByLabel('Expression 2').fill('sku & " " & $uppercase(name)');
  await mapper.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('node-filter-1').click();
  await page.getByRole('button', { name: 'JSONata' }).click();
  await page.getByLabel('Expression').fill('$source.status = "active"');
  await page.getByTestId('node-file-destination-1').click();
  await page.locator('[data-field="path"] input').fill('out/e2e.csv');
  await expect(page.locator('.ferry-node.invalid')).toHaveCount(0);

  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await expect(page.locator('.toolbar .unsaved')).toHaveCount(0);
  const saved = JSON.parse(await readFile(join(served.workspace, 'flows/e2e-catalog.flow.json'), 'utf8'));
  expect(saved.nodes.map((n: { id: string }) => n.id)).toEqual([
    'file-source-1',
    'map-1',
    'filter-1',
    'file-destination-1',
  ]);
  expect(saved.edges).toHaveLength(3);
  expect(saved.nodes[0].config).toEqual({ key: 'id', path: 'data/products.csv' });
  expect(saved.nodes[2].config).toEqual({ expression: '$source.status = "active"' });

  // Run: per-node counts on the canvas, then the preview of the map node.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-summary')).toContainText('succeeded');
  await expect(page.getByTestId('summary-created')).toContainText('16');
  await expect(page.getByTestId('summary-filtered')).toContainText('4');
  await expect(page.getByTestId('counts-file-source-1')).toContainText('out 20');
  await expect(page.getByTestId('counts-filter-1')).toContainText('out 16');
  const written = await readFile(join(served.workspace, 'out/e2e.csv'), 'utf8');
  expect(written.split('\n')[0]).toBe('sku,label');
  expect(written.split('\n')[1]).toBe('SKU-1001,SKU-1001 TRAIL BIKE');
  await page.getByTestId('node-map-1').click();
  await page.getByRole('tab', { name: 'Records' }).click();
  const runPanel = page.locator('.run-panel');
  await runPanel.getByRole('button', { name: /^Out/ }).click();
  const table = page.getByTestId('preview-table');
  await expect(table.locator('tbody tr')).toHaveCount(20);
  await expect(table.locator('tbody tr').first()).toContainText('SKU-1001 TRAIL BIKE');
  await runPanel.getByRole('button', { name: 'JSON' }).click();
  await expect(page.getByTestId('preview-json')).toContainText('"label": "SKU-1001 TRAIL BIKE"');

  // Dry run: the would-be summary, nothing written.
  await writeFile(join(served.workspace, 'out/e2e.csv'), 'untouched');
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.getByRole('tab', { name: 'Run' }).click();
  await expect(page.getByTestId('run-summary')).toContainText('Dry run');
  await expect(page.getByTestId('summary-created')).toContainText('would be created');
  await expect(page.getByTestId('summary-created')).toContainText('16');
  expect(await readFile(join(served.workspace, 'out/e2e.csv'), 'utf8')).toBe('untouched');

  // Undo / redo a deletion.
  await page.getByTestId('node-filter-1').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-filter-1')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-filter-1')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-filter-1')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.toolbar .unsaved')).toHaveCount(0);

  // Copy and paste a node (fresh id), then undo the paste.
  await page.getByTestId('node-map-1').click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-map-2')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-map-2')).toHaveCount(0);

  // Reopen: another flow, then this one again from disk.
  await page.getByTestId('flow-list').getByText('Products to catalog CSV').click();
  await expect(page.getByTestId('node-to-catalog')).toBeVisible();
  await page.getByTestId('flow-list').getByText('E2E catalog').click();
  await expect(page.getByTestId('node-filter-1')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  // The last run's counts come back with the flow.
  await expect(page.getByTestId('counts-filter-1')).toContainText('out 16');
  await page.screenshot({ path: test.info().outputPath('built-flow.png') });
});

test('an invalid flow shows its error on the right node', async ({ page, served }) => {
  const file = join(served.workspace, 'flows/products-to-catalog.flow.json');
  const flow = JSON.parse(await readFile(file, 'utf8'));
  flow.nodes.find((n: { id: string }) => n.id === 'active-only').config.expression = '$source.status = ';
  await writeFile(file, JSON.stringify(flow, null, 2));
  await openApp(page, served.url);
  const filter = page.getByTestId('node-active-only');
  await expect(filter).toHaveClass(/invalid/);
  await expect(filter.locator('.node-problem')).toContainText('expression');
  await expect(page.getByTestId('node-to-catalog')).not.toHaveClass(/invalid/);
  await page.screenshot({ path: test.info().outputPath('invalid-node.png') });
});

test('external edits to the open flow are picked up', async ({ page, served }) => {
  await openApp(page, served.url);
  await expect(page.getByTestId('node-to-catalog')).toBeVisible();
  const file = join(served.workspace, 'flows/products-to-catalog.flow.json');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('"Map to catalog item"', '"Edited outside Ferry"'));
  await expect(page.getByTestId('node-to-catalog')).toContainText('Edited outside Ferry');
});

test('a large flow opens as an overview; a click selects a node, zooming in shows full nodes', async ({
  page,
  served,
}) => {
  const nodes = Array.from({ length: 400 }, (_, i) => ({
    id: `n${i}`,
    kind: 'map',
    type: 'map',
    typeVersion: 1,
    name: `Step ${i}`,
    position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 120 },
    config: { fields: [] },
  }));
  const edges = nodes
    .slice(1)
    .map((n, i) => ({ from: { node: `n${i}`, port: 'out' }, to: { node: n.id, port: 'in' } }));
  const flow = { schemaVersion: 2, id: 'x-large', name: 'Large flow', nodes, edges };
  await writeFile(join(served.workspace, 'flows/x-large.flow.json'), JSON.stringify(flow, null, 2));
  await openApp(page, served.url);
  await page.getByTestId('flow-list').getByRole('button', { name: 'Large flow' }).click();
  const overview = page.getByTestId('overview-canvas');
  await expect(overview).toHaveAttribute('data-drawn', '400');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('large-flow-overview.png') });

  // A click on the first node's spot (top-left of the fitted flow) selects it: its settings open.
  const box = (await overview.boundingBox())!;
  const transform = await page.locator('.react-flow__viewport').getAttribute('style');
  const [, tx, ty, zoom] = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform!)!.map(Number);
  await page.mouse.click(box.x + tx! + 100 * zoom!, box.y + ty! + 30 * zoom!);
  await expect(page.locator('.node-settings h2')).toHaveText('Step 0');

  // Zoomed in, full nodes come back, only those in view; "fit view" goes back to the whole flow.
  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  for (let i = 0; i < 25 && (await overview.count()); i++) {
    await zoomIn.click();
    await page.waitForTimeout(100);
  }
  await expect(overview).toHaveCount(0);
  const mounted = await page.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(400);
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(overview).toHaveAttribute('data-drawn', '400');
});
