import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Ferry's app-data folder: the same folder Electron's `app.getPath('userData')` gives the desktop app, so the CLI,
 * `ferry serve` and the app share run state. `FERRY_DATA_DIR` overrides it (tests, portable installs).
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FERRY_DATA_DIR) return env.FERRY_DATA_DIR;
  const home = env.HOME || homedir();
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ferry');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Ferry');
}
