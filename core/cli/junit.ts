import type { RunSummary } from '../model/run.js';

const escapeXml = (s: string) =>
  s
    .replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
    .replace(
      // XML 1.0 forbids most control characters even when escaped.
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g,
      '',
    );

/**
 * A JUnit report for CI pipelines: one test suite per run, one test case per node (failing when records failed
 * there) and one for the run itself (failing when it did not complete).
 */
export function junitReport(flowName: string, summary: RunSummary): string {
  const cases: string[] = [];
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const runFailed = summary.status !== 'succeeded';
  cases.push(
    `    <testcase classname="ferry.${escapeXml(summary.flowId)}" name="run" time="${seconds}">` +
      (runFailed
        ? `\n      <failure message="${escapeXml(`run ${summary.status}: ${summary.error ?? ''}`)}"/>\n    `
        : '') +
      '</testcase>',
  );
  let failures = runFailed ? 1 : 0;
  for (const [nodeId, stats] of Object.entries(summary.nodes)) {
    const nodeFailures = summary.failures.filter((f) => f.node === nodeId);
    let body = '';
    if (stats.failed > 0) {
      failures++;
      const details = nodeFailures.map((f) => `${f.sourceNode} ${f.key}: ${f.error}`).join('\n');
      body = `\n      <failure message="${stats.failed} record(s) failed at ${escapeXml(nodeId)}">${escapeXml(details)}</failure>\n    `;
    }
    cases.push(
      `    <testcase classname="ferry.${escapeXml(summary.flowId)}" name="node ${escapeXml(nodeId)} (${stats.in} in, ${stats.out} out)" time="0">${body}</testcase>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ferry" tests="${cases.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(flowName)}" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds}" timestamp="${summary.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
