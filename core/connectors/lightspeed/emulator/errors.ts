// Error answers of the emulated X-Series API. The one body the documentation spells out is the 429's
// (`{"error":"Too Many Requests","message":"Rate limiting enforced"}`, docs/rate_limiting); every other error of
// API 2.0/2.1 is answered in the same `{error, message}` shape, the message naming the field at fault. API 0.9
// (register_sales) answers `{error, details}` as that API did.

export class LsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.details ?? body.error));
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
};

export function apiError(status: number, message: string, headers: Record<string, string> = {}): LsHttpError {
  return new LsHttpError(status, { error: TITLES[status] ?? 'Error', message }, headers);
}

export const badRequest = (message: string) => apiError(400, message);
export const notFound = (what: string) => apiError(404, `${what} was not found`);

/** API 0.9's error shape. */
export function legacyError(status: number, details: string): LsHttpError {
  return new LsHttpError(status, { error: TITLES[status] ?? 'Error', details });
}
