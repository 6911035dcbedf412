import { defaultRegistry } from '../connectors/registry.js';
import { validateFlow } from '../engine/validate-flow.js';
import { type ValidationProblem, formatProblem, problemsFromZod } from '../model/validation-error.js';
import { connectionFile, flowFile } from '../store/workspace-store.js';
import { EXIT, type CliIO } from './io.js';
import { openWorkspaceArg } from './workspace-arg.js';

export async function validateCommand(workspaceArg: string, io: CliIO): Promise<number> {
  const ws = await openWorkspaceArg(workspaceArg, io.cwd);
  const registry = defaultRegistry();
  const problems: ValidationProblem[] = [...ws.problems];
  for (const connection of ws.connections.values()) {
    const connector = registry.get(connection.connector);
    const file = connectionFile(connection.id);
    if (!connector) {
      problems.push({ file, path: 'connector', message: `expected one of ${registry.ids().join(', ')}` });
      continue;
    }
    const parsed = connector.connectionSettings?.safeParse(connection.settings, { reportInput: true });
    if (parsed && !parsed.success) problems.push(...problemsFromZod(parsed.error, file, ['settings']));
  }
  for (const flow of ws.flows.values()) {
    problems.push(
      ...validateFlow(flow, {
        registry,
        connections: ws.connections,
        valueMaps: ws.valueMaps,
        file: flowFile(flow.id),
      }),
    );
  }
  const total = ws.flows.size + ws.connections.size;
  if (problems.length === 0) {
    io.stdout.write(
      `✓ ${ws.workspace.name}: ${ws.flows.size} flow(s) and ${ws.connections.size} connection(s) are valid\n`,
    );
    return EXIT.ok;
  }
  io.stderr.write(`${problems.map(formatProblem).join('\n')}\n`);
  io.stderr.write(`✗ ${problems.length} problem(s) in ${ws.workspace.name} (${total} file(s) checked)\n`);
  return EXIT.invalidInput;
}
