// Signed-in API sessions. Acumatica counts every open session — a cookie session from POST /entity/auth/login or
// the session an OAuth access token opens on first use — against the licence's "Maximum Number of Web Services API
// Users" (License Monitoring Console, SM604000); a session ends at sign-out or after an idle timeout (ASP.NET session
// state), after which its cookies (or the token's next call, which opens a new session) no longer carry it.
import { randomBytes } from 'node:crypto';
import { sameText } from '../../emulator-kit/same-text.js';
import { apiLoginLimit, badRequest, invalidCredentials, unknownTenant } from './errors.js';

export interface AcuUser {
  name: string;
  password: string;
}

export interface Session {
  /** ASP.NET_SessionId */
  id: string;
  /** .ASPXAUTH: the forms-authentication ticket that must come with the session id. */
  ticket: string;
  user: string;
  tenant: string;
  branch: string;
  locale: string;
  /** 'cookie' from auth/login; 'token' opened by an OAuth access token. */
  kind: 'cookie' | 'token';
  lastSeen: number;
}

export interface SessionStats {
  /** Sessions open now (each holds one API-user slot). */
  openSessions: number;
  logins: number;
  logouts: number;
  /** Sign-ins refused: bad credentials, unknown tenant or the API login limit. */
  loginFailures: number;
  /** Sessions ended by the idle timeout. */
  expiredSessions: number;
}

export interface SessionOptions {
  users: AcuUser[];
  tenants: string[];
  branches: string[];
  apiUsers: number;
  idleTimeoutMs: number;
  now: () => number;
}

export interface LoginRequest {
  name?: unknown;
  password?: unknown;
  tenant?: unknown;
  /** Older examples and clients send the tenant as `company`. */
  company?: unknown;
  branch?: unknown;
  locale?: unknown;
}

const token = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

/** Cookie header → name → value. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

export class SessionTable {
  readonly stats: SessionStats = { openSessions: 0, logins: 0, logouts: 0, loginFailures: 0, expiredSessions: 0 };
  private readonly sessions = new Map<string, Session>();
  /** OAuth access token → the session it opened. */
  private readonly byToken = new Map<string, Session>();

  constructor(private readonly options: SessionOptions) {}

  /** Ends sessions idle longer than the timeout (checked whenever a session is looked up or opened). */
  sweep(): void {
    const now = this.options.now();
    for (const session of this.sessions.values()) {
      if (now - session.lastSeen >= this.options.idleTimeoutMs) {
        this.remove(session);
        this.stats.expiredSessions++;
      }
    }
  }

  private remove(session: Session): void {
    if (!this.sessions.delete(session.id)) return;
    for (const [key, value] of this.byToken) if (value === session) this.byToken.delete(key);
    this.stats.openSessions = this.sessions.size;
  }

  private open(user: string, tenant: string, branch: string, locale: string, kind: Session['kind']): Session {
    this.sweep();
    if (this.sessions.size >= this.options.apiUsers) {
      this.stats.loginFailures++;
      throw apiLoginLimit(this.options.apiUsers);
    }
    const session: Session = { id: token(12).toLowerCase(), ticket: token(64), user, tenant, branch, locale, kind, lastSeen: this.options.now() }; // prettier-ignore
    this.sessions.set(session.id, session);
    this.stats.openSessions = this.sessions.size;
    this.stats.logins++;
    return session;
  }

  /** Checks a user's password (also the OAuth password grant's check). */
  verify(name: string, password: string): AcuUser | undefined {
    const user = this.options.users.find((u) => u.name.toLowerCase() === name.toLowerCase());
    return user && sameText(password, user.password) ? user : undefined;
  }

  /** The tenant a sign-in names: required when the instance has several, else the only one. */
  tenantOf(requested: unknown): string {
    const { tenants } = this.options;
    if (requested === undefined || requested === null || requested === '') {
      if (tenants.length === 1) return tenants[0]!;
      throw unknownTenant('');
    }
    const found = tenants.find((t) => t.toLowerCase() === String(requested).toLowerCase());
    if (!found) throw unknownTenant(String(requested));
    return found;
  }

  /** POST /entity/auth/login. */
  login(request: LoginRequest): Session {
    if (typeof request.name !== 'string' || typeof request.password !== 'string') {
      throw badRequest('The request is invalid.', { credentials: ['The name and password fields are required.'] });
    }
    let tenant: string;
    try {
      tenant = this.tenantOf(request.tenant ?? request.company);
    } catch (error) {
      this.stats.loginFailures++;
      throw error;
    }
    const user = this.verify(request.name, request.password);
    if (!user) {
      this.stats.loginFailures++;
      throw invalidCredentials();
    }
    const branch = typeof request.branch === 'string' && request.branch ? request.branch : this.options.branches[0]!;
    if (!this.options.branches.some((b) => b.toLowerCase() === branch.toLowerCase())) {
      this.stats.loginFailures++;
      throw invalidCredentials();
    }
    const locale = typeof request.locale === 'string' && request.locale ? request.locale : 'en-US';
    return this.open(user.name, tenant, branch.toUpperCase(), locale, 'cookie');
  }

  /** The session an OAuth access token works in: opened on first use and again after it expired. */
  forToken(accessToken: string, user: string, tenant: string): Session {
    this.sweep();
    const existing = this.byToken.get(accessToken);
    if (existing) {
      existing.lastSeen = this.options.now();
      return existing;
    }
    const session = this.open(user, tenant, this.options.branches[0]!, 'en-US', 'token');
    this.byToken.set(accessToken, session);
    return session;
  }

  /** The session both cookies name, refreshed; undefined when there is none (signed out, expired, forged). */
  fromCookies(header: string | undefined): Session | undefined {
    this.sweep();
    const cookies = parseCookies(header);
    const session = this.sessions.get(cookies.get('ASP.NET_SessionId') ?? '');
    if (!session || !sameText(cookies.get('.ASPXAUTH') ?? '', session.ticket)) return undefined;
    session.lastSeen = this.options.now();
    return session;
  }

  /** POST /entity/auth/logout (never throttled; nothing to end is fine too). */
  logout(session: Session | undefined): void {
    if (!session || !this.sessions.has(session.id)) return;
    this.remove(session);
    this.stats.logouts++;
  }

  /** Set-Cookie values of a new session (names and attributes as an IIS-hosted Acumatica sends them). */
  static cookies(session: Session): string[] {
    return [
      `ASP.NET_SessionId=${session.id}; path=/; HttpOnly; SameSite=Lax`,
      `.ASPXAUTH=${session.ticket}; path=/; HttpOnly`,
      `CompanyID=${encodeURIComponent(session.tenant)}; path=/`,
      `UserBranch=${encodeURIComponent(session.branch)}; path=/`,
      `Locale=Culture=${session.locale}&TimeZone=GMTE0000U; path=/`,
    ];
  }

  /** Set-Cookie values that make a client drop the session's cookies (sign-out). */
  static expiredCookies(): string[] {
    const gone = 'expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/';
    return [`ASP.NET_SessionId=; ${gone}; HttpOnly`, `.ASPXAUTH=; ${gone}; HttpOnly`];
  }
}
