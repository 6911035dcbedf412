import { z } from 'zod';

/**
 * The `redirectPort` connection setting the host's browser sign-in reads (core/host/oauth-sign-in.ts): providers that
 * accept only a redirect URI registered exactly (`http://127.0.0.1:<port>/callback`) need a fixed port rather than
 * one the OS picks. Unprivileged ports only, so the listener never needs elevated rights.
 */
export function redirectPortSetting(meta: {
  showWhen: Record<string, unknown>;
  placeholder: string;
  description: string;
}) {
  return z.number().int().min(1024).max(65535).optional().meta(meta);
}
