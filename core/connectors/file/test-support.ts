/** Shared by this folder's tests only. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowRecord, RecordData } from '../../engine/record.js';
import type { ConnectorContext, DestinationWriter, SourcePage, SourceReader } from '../types.js';
import { fileConnector } from './index.js';

export interface TempDir {
  path: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export async function makeTempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-file-test-'));
  return { path, file: (name) => join(path, name), remove: () => rm(path, { recursive: true, force: true }) };
}

export interface TestContext extends ConnectorContext {
  warnings: string[];
}

export function makeContext(workspaceDir: string, signal = new AbortController().signal): TestContext {
  const warnings: string[] = [];
  return {
    workspaceDir,
    secret: async () => undefined,
    signal,
    log: { debug: () => undefined, info: () => undefined, warn: (m) => void warnings.push(m) },
    warnings,
  };
}

export function openSource(config: Record<string, unknown>, ctx: ConnectorContext): Promise<SourceReader> {
  const role = fileConnector.source!;
  return role.open(role.configSchema.parse(config), ctx);
}

export function openDestination(config: Record<string, unknown>, ctx: ConnectorContext): Promise<DestinationWriter> {
  const role = fileConnector.destination!;
  return role.open(role.configSchema.parse(config), ctx);
}

export async function readPages(
  config: Record<string, unknown>,
  ctx: ConnectorContext,
  options: { pageSize?: number; since?: string } = {},
): Promise<SourcePage[]> {
  const reader = await openSource(config, ctx);
  const pages: SourcePage[] = [];
  for await (const page of reader.pages({
    pageSize: options.pageSize ?? 1000,
    since: options.since,
    signal: ctx.signal,
  })) {
    pages.push(page);
  }
  return pages;
}

export async function readAll(config: Record<string, unknown>, ctx: ConnectorContext, since?: string) {
  const pages = await readPages(config, ctx, { since });
  return {
    records: pages.flatMap((p) => p.records),
    failures: pages.flatMap((p) => p.failures ?? []),
  };
}

export function flowRecords(rows: RecordData[], from = 1): FlowRecord[] {
  return rows.map((data, i) => ({ data, source: data, lineage: { node: 'src', key: String(from + i), page: 0 } }));
}

export async function writeAll(
  config: Record<string, unknown>,
  ctx: ConnectorContext,
  rows: RecordData[],
  options: { dryRun?: boolean; ok?: boolean; batchSize?: number } = {},
) {
  const writer = await openDestination(config, ctx);
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? writer.batchSize;
  const outcomes = [];
  for (let i = 0; i < rows.length; i += batchSize) {
    outcomes.push(
      ...(await writer.write(flowRecords(rows.slice(i, i + batchSize), i + 1), { dryRun, signal: ctx.signal })),
    );
  }
  await writer.close({ ok: options.ok ?? true, dryRun });
  return outcomes;
}
