#!/usr/bin/env node
// `npm run test:unit [-- vitest args]`: vitest, with a real keychain for the keychain tests.
//
// The keychain tests run against a real Secret Service and fail (never skip) without one. A Linux desktop session
// has one; a CI box or SSH shell has no D-Bus session. There, when dbus-run-session and gnome-keyring-daemon are
// installed, vitest runs inside a private D-Bus session with a gnome-keyring unlocked by a random password, in a
// temporary HOME / XDG_DATA_HOME so the keyring file never touches the user's own, removed afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = [process.execPath, join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const needsSession =
  process.platform === 'linux' &&
  !process.env.DBUS_SESSION_BUS_ADDRESS &&
  onPath('dbus-run-session') &&
  onPath('gnome-keyring-daemon');

let command = vitest;
let env = process.env;
let home;
if (needsSession) {
  home = mkdtempSync(join(tmpdir(), 'ferry-keyring-'));
  // The keyring's password only unlocks this throw-away keyring; it is passed by environment, not argv.
  env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'share'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    FERRY_TEST_KEYRING_PASSWORD: randomBytes(16).toString('hex'),
  };
  const script =
    'printf %s "$FERRY_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ' +
    'unset FERRY_TEST_KEYRING_PASSWORD; exec "$@"';
  command = ['dbus-run-session', '--', 'sh', '-c', script, 'sh', ...vitest];
  console.log('test-unit: no D-Bus session here; running vitest in dbus-run-session with a temporary gnome-keyring');
}

const child = spawn(command[0], command.slice(1), { cwd: root, env, stdio: 'inherit' });
const cleanup = () => {
  if (home) rmSync(home, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  cleanup();
  console.error(`test-unit: cannot start ${command[0]}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  cleanup();
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
