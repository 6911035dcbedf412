import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

/** Files under `dirs` (workspace, output, app data: run history, settings, vault) whose bytes contain `secret`. */
export async function filesContaining(dirs: readonly string[], secret: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      if ((await readFile(path)).includes(Buffer.from(secret))) found.push(path);
    }
  }
  return found;
}

/**
 * Keeps every contract answer the page receives (`text()` joins them), to check that none carries a secret. The
 * event stream never ends: its events are scanned by the unit tests.
 */
export function recordApiAnswers(page: Page): { text(): Promise<string> } {
  const answers: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/') && !response.url().endsWith('/api/events')) {
      answers.push(response.text().catch(() => ''));
    }
  });
  return { text: async () => (await Promise.all(answers)).join('\n') };
}
