import Conf from 'conf';
import { z } from 'zod';
import { recentWorkspaceSchema, type RecentWorkspace, themeSchema } from '../model/contract.js';
import { appDataDir } from './app-data.js';

/**
 * App settings (recent workspaces, window bounds, secret store choice, theme) in `<app-data>/config.json`. The desktop app reads the same file
 * through electron-store with the same schema; outside Electron `conf` (electron-store's base) is used.
 */
export const windowBoundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().optional(),
});
export type WindowBounds = z.infer<typeof windowBoundsSchema>;

export const settingsSchema = z.object({
  recentWorkspaces: z.array(recentWorkspaceSchema).optional(),
  windowBounds: windowBoundsSchema.optional(),
  /** The secret store chosen in the UI; absent: the OS keychain. FERRY_SECRETS in the environment overrides it. */
  secretStore: z.enum(['keychain', 'vault']).optional(),
  theme: themeSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const SETTINGS_FILE_NAME = 'config';
export const MAX_RECENT_WORKSPACES = 10;

/** JSON Schema `properties` for conf / electron-store, generated from the zod schema. */
export function settingsJsonSchemaProperties(): Record<string, object> {
  const schema = z.toJSONSchema(settingsSchema) as { properties: Record<string, object> };
  return schema.properties;
}

/** The part of settings the API service needs; electron-store and conf both satisfy it. */
export interface SettingsPort {
  get<K extends keyof Settings>(key: K): Settings[K];
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
}

export function openSettings(dir: string = appDataDir()): SettingsPort {
  const conf = new Conf<Settings>({
    cwd: dir,
    configName: SETTINGS_FILE_NAME,
    projectSuffix: '',
    schema: settingsJsonSchemaProperties(),
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => (value === undefined ? conf.delete(key) : conf.set(key, value)),
  };
}

export function rememberWorkspace(settings: SettingsPort, entry: RecentWorkspace): RecentWorkspace[] {
  const others = (settings.get('recentWorkspaces') ?? []).filter((r) => r.dir !== entry.dir);
  const next = [entry, ...others].slice(0, MAX_RECENT_WORKSPACES);
  settings.set('recentWorkspaces', next);
  return next;
}

export class MemorySettings implements SettingsPort {
  private readonly values: Settings = {};
  get<K extends keyof Settings>(key: K): Settings[K] {
    return this.values[key];
  }
  set<K extends keyof Settings>(key: K, value: Settings[K]): void {
    this.values[key] = value;
  }
}
