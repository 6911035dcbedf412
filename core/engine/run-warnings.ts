import type { Logger } from '../connectors/types.js';

/** A run's warnings go to the summary and the UI; a connector warning on every page must not flood either. */
export const MAX_RUN_WARNINGS = 20;

/**
 * Wraps the host's logger for one run: every message still reaches the host's log, and each distinct warning is
 * also kept (up to MAX_RUN_WARNINGS) and reported once, e.g. "connection X skips TLS certificate verification".
 */
export function collectWarnings(log: Logger, onWarning: (message: string) => void) {
  const kept = new Set<string>();
  const logger: Logger = {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => {
      log.warn(message);
      if (kept.has(message) || kept.size >= MAX_RUN_WARNINGS) return;
      kept.add(message);
      onWarning(message);
    },
  };
  return { logger, warnings: () => [...kept] };
}
