// `npm start`: Ferry on the demo workspace with its demo systems. The desktop app when Electron's binary is
// installed; otherwise (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1) the same UI in a browser via
// `ferry serve --demo`, whose printed URL opens it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

async function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    const path = (await import('electron')).default;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const electron = await electronBinary();
const [command, args] = electron
  ? [electron, [root, '--demo']]
  : [process.execPath, [resolve(root, 'bin/ferry.mjs'), 'serve', '--demo', ...process.argv.slice(2)]];
if (!electron) {
  console.log(
    'Electron is not installed on this machine: opening Ferry in the browser instead (ferry serve --demo).\n',
  );
}
const child = spawn(command, args, { stdio: 'inherit' });
// Ctrl+C reaches the child through the terminal; wait for it to stop and pass its exit code on.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 0)));
