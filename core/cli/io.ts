/** The CLI talks to the world only through this, so tests run it in-process and read exactly what a user sees. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl+C; long commands stop gracefully. */
  signal?: AbortSignal;
}

export const EXIT = {
  ok: 0,
  recordsFailed: 1,
  invalidInput: 2,
  connectionFailure: 3,
  /** A bug in Ferry (sysexits EX_SOFTWARE). */
  internal: 70,
  cancelled: 130,
} as const;

/** An error the user caused and can fix: printed as its message alone, never as a stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalidInput,
  ) {
    super(message);
  }
}
