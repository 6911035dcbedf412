import { runCli } from '../../cli/entry.js';

// `ferry` from source in its own process: the keychain library binds to the D-Bus session of the process that first
// uses it, so tests that need "no keychain" or "another process" run the CLI here instead of in-process.
process.exitCode = await runCli(process.argv.slice(2));
