/**
 * Business Central's error answers put into words. BC answers `{"error":{"code","message"}}` with the correlation
 * id at the end of the message ("…  CorrelationId:  <guid>."); support needs that id, the user needs the code and
 * the sentence. Connection-level failures get the usual on-premises causes named.
 */

export interface BcError {
  /** BC's code (`Internal_CompanyNotFound`, `Request_EntityChanged`, …); 'HTTP <status>' when the body had none. */
  code: string;
  message: string;
  correlationId?: string;
  status: number;
}

const CORRELATION = /\s*CorrelationId:\s*([0-9a-f-]{36})\.?\s*$/i;

/** The error of an answer (whole response or one `$batch` operation): code, message, correlation id. */
export function parseBcError(status: number, body: unknown, text = ''): BcError {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    const raw = typeof e.message === 'string' ? e.message : '';
    const match = CORRELATION.exec(raw);
    return {
      code: typeof e.code === 'string' && e.code !== '' ? e.code : `HTTP ${status}`,
      message: (match ? raw.slice(0, match.index) : raw).trim() || `HTTP ${status}`,
      correlationId: match?.[1],
      status,
    };
  }
  const plain = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { code: `HTTP ${status}`, message: plain.length > 300 ? `${plain.slice(0, 300)}…` : plain, status };
}

/** "Internal_CompanyNotFound: The company … does not exist. (HTTP 400, correlation id …)" */
export function formatBcError(error: BcError): string {
  const code = error.code.startsWith('HTTP ') ? '' : `${error.code}: `;
  const extra = [`HTTP ${error.status}`, error.correlationId ? `correlation id ${error.correlationId}` : undefined]
    .filter(Boolean)
    .join(', ');
  return `${code}${error.message || 'no error text'} (${extra})`;
}

export type BcAuthKind = 'oauth' | 'basic' | 'windows';

/**
 * The connection-level message for an answer that says the connection itself is wrong, or undefined when the
 * answer is about one request. `where` is "GET https://…"; `auth` picks the credential hint.
 */
export function connectionProblem(error: BcError, where: string, auth: BcAuthKind, user?: string): string | undefined {
  const detail = formatBcError(error);
  if (error.status === 401) {
    const hint =
      auth === 'oauth'
        ? 'the token was refused: register the Entra app in Business Central (page "Microsoft Entra Applications", ' +
          'state Enabled) and give it permission sets such as D365 BUS FULL ACCESS'
        : auth === 'windows'
          ? `Windows authentication (NTLM) failed for ${user ?? 'the user'}: check the user name, domain and ` +
            'password, and that the server instance uses the Windows credential type'
          : `the server refused ${user ? `user "${user}"` : 'the user'}: check the user name and the password or ` +
            'web service access key, and that the server instance uses NavUserPassword credentials';
    return `bad credentials (${where}): ${hint} — ${detail}`;
  }
  if (error.status === 403) return `missing permission (${where}): the user may not do this — ${detail}`;
  if (error.code === 'Internal_CompanyNotFound') {
    return `company not found (${where}): check the company setting (Test connection lists the companies) — ${detail}`;
  }
  return undefined;
}

/** Why the API root answered 404: on premises the usual causes; online a wrong tenant or environment. */
export function notFoundProblem(where: string, online: boolean, odataRootFound?: boolean): string {
  if (online) {
    return (
      `not found (HTTP 404 ${where}): check the tenant and the environment name (e.g. Production, Sandbox) ` +
      'and that the environment exists'
    );
  }
  if (odataRootFound === true) {
    return (
      `the API is not enabled (HTTP 404 ${where}) while OData web services answer: enable API services on the ` +
      'server instance (ApiServicesEnabled = true) and run "API Setup" → Integrate APIs once'
    );
  }
  return (
    `not found (HTTP 404 ${where}): check the server instance in the base URL (e.g. https://server:7048/BC140) ` +
    'and that OData and API services are enabled on it (ODataServicesEnabled, ApiServicesEnabled)'
  );
}

/** Entra ID's token errors: `{error, error_description: "AADSTS…: …\r\nTrace ID: …"}`, with the fix for the usual ones. */
export function tokenProblem(status: number, body: unknown, text: string): string {
  const b = body && typeof body === 'object' ? (body as { error?: unknown; error_description?: unknown }) : {};
  const description = typeof b.error_description === 'string' ? b.error_description : '';
  // Entra appends "Trace ID: … Correlation ID: … Timestamp: …" (on new lines, or not): the sentence ends before.
  const first = description.split(/\r?\n|\s+Trace ID:/)[0]?.trim() || text.trim().slice(0, 300) || `HTTP ${status}`;
  const code = /AADSTS(\d+)/.exec(first)?.[1];
  const hints: Record<string, string> = {
    '7000215': 'check the client secret: use the secret\'s "Value", not its "Secret ID"',
    '7000222': 'the client secret has expired: create a new one in the app registration',
    '700016': 'check the client (application) id and that the app exists in this tenant',
    '90002': 'check the tenant id or domain',
    '900023': 'check the tenant id or domain',
    '500011': 'the tenant does not know the Business Central API: is Business Central set up in this tenant?',
    '7000112': 'the application is disabled in this tenant',
  };
  const hint = code ? hints[code] : undefined;
  const kind = typeof b.error === 'string' ? ` (${b.error})` : '';
  return `Microsoft Entra ID refused the token request${kind}: ${first}${hint ? ` — ${hint}` : ''}`;
}
