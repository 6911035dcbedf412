import type { JsonValue } from '../../model/json-value.js';
import { recordColumns } from '../../model/record-columns.js';

/**
 * A demo system: an emulator started with seeded data for trainers (`ferry demo`, "Start demo systems"), with the
 * workspace connection that reaches it and a read-only view of its records for the data browser. Each emulator
 * folder defines its own (`emulator/demo.ts`); core/host/demo-systems.ts lists them.
 */
export interface DemoSystemDefinition {
  /** `business-central`, `acumatica`, `shop`: what the data browser and `FERRY_DEMO_PORTS` call it. */
  id: string;
  name: string;
  /** The fixed demo port, so the demo workspace's connections work from one start to the next. */
  port: number;
  /** Starts it on `port` (0: a port the OS picks) on 127.0.0.1. */
  start(port: number): Promise<StartedDemoSystem>;
}

export interface StartedDemoSystem {
  url: string;
  /** Where it listens and how to sign in by hand, for the console and the UI. */
  message: string;
  /** The connection a workspace uses to reach it (settings point at `url`). */
  connection: DemoConnection;
  data: DemoDataSource;
  /**
   * Template settings only this system can answer (an outlet's id): used for the flows a demo makes from templates
   * that declare a setting of that name.
   */
  templateSettings?: Record<string, unknown>;
  close(): Promise<void>;
}

export interface DemoConnection {
  id: string;
  name: string;
  connector: string;
  settings: Record<string, unknown>;
  /** Secret field → value: handed to the host's secret store as variables, never written to a file. */
  secrets: Record<string, string>;
  /** Settings fields holding the system's address: a connection whose values there are loopback URLs is the demo's. */
  urlFields: string[];
}

export interface DemoEntity {
  name: string;
  count: number;
}

export interface DemoDataPage {
  columns: string[];
  rows: Record<string, JsonValue>[];
  total: number;
}

/** The emulator's store as tables, read-only: no HTTP endpoint the real system lacks is added for it. */
export interface DemoDataSource {
  entities(): DemoEntity[];
  /** Records of one entity, newest first (so records a run just wrote are on the first page). */
  page(entity: string, range: { limit: number; offset: number }): DemoDataPage | undefined;
}

/**
 * One page of `all`; its columns are the union of the page's keys in first-seen order, except `trailing` ones
 * (technical ids an audience does not read) which go last.
 */
export function tabulate(
  all: readonly Record<string, JsonValue>[],
  range: { limit: number; offset: number },
  trailing: readonly string[] = ['id'],
): DemoDataPage {
  const rows = all.slice(range.offset, range.offset + range.limit);
  const columns = recordColumns(rows);
  const last = trailing.filter((c) => columns.includes(c));
  return { columns: [...columns.filter((c) => !last.includes(c)), ...last], rows, total: all.length };
}
