import type { NodeStats, RunSummary } from '../model/run.js';

export const n = (v: number) => v.toLocaleString('en-US');

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** One line per refresh: what each node has seen and the source's rate. Fits the terminal width. */
export function progressLine(nodes: Record<string, NodeStats>, elapsedMs: number, width = 100): string {
  const parts = Object.entries(nodes).map(([id, s]) => `${id} ${n(s.in)}${s.failed ? ` (${n(s.failed)} failed)` : ''}`);
  const fastest = Math.max(0, ...Object.values(nodes).map((s) => s.rate));
  const line = `${spinner(elapsedMs)} ${parts.join(' → ')} · ${n(fastest)} rec/s · ${duration(elapsedMs)}`;
  return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}

function spinner(elapsedMs: number): string {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  return frames[Math.floor(elapsedMs / 100) % frames.length]!;
}

export function summaryText(flowName: string, summary: RunSummary): string {
  const c = summary.counts;
  const lines: string[] = [];
  const mode = summary.dryRun ? 'dry run ' : '';
  lines.push(`Flow "${flowName}" (${summary.flowId}) ${mode}${summary.status} in ${duration(summary.durationMs)}`);
  const verb = summary.dryRun ? 'would be ' : '';
  lines.push(
    `  ${verb}created ${n(c.created)} · ${verb}updated ${n(c.updated)} · unchanged ${n(c.unchanged)} · skipped ${n(c.skipped)} · filtered ${n(c.filtered)} · failed ${n(c.failed)}`,
  );
  const nodes = Object.entries(summary.nodes)
    .map(([id, s]) => `${id} ${n(s.in)} in/${n(s.out)} out${s.failed ? `/${n(s.failed)} failed` : ''}`)
    .join(' · ');
  if (nodes) lines.push(`  nodes: ${nodes}`);
  if (summary.error) lines.push(`  error: ${summary.error}`);
  if (summary.failures.length) {
    lines.push(
      `Failed records${c.failed > summary.failures.length ? ` (first ${summary.failures.length} of ${n(c.failed)})` : ''}:`,
    );
    for (const f of summary.failures.slice(0, 20)) lines.push(`  ${f.node} ← ${f.sourceNode} ${f.key}: ${f.error}`);
    if (summary.failures.length > 20)
      lines.push(`  … ${summary.failures.length - 20} more in the run history (run ${summary.runId})`);
  }
  const marks = Object.entries(summary.watermarks);
  if (marks.length && !summary.dryRun)
    lines.push(`Watermarks: ${marks.map(([node, v]) => `${node} → ${v}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
