/**
 * NTLMv2 authentication over HTTP (MS-NLMP), as Business Central on-premises asks for with Windows credentials.
 * Client side: NEGOTIATE (type 1), parse CHALLENGE (type 2), AUTHENTICATE (type 3) with an NTLMv2 response. Server
 * side (for emulators): issue a CHALLENGE and verify an AUTHENTICATE against the user, domain and password.
 *
 * Only authentication: no signing or sealing (HTTP does not use them), so no key exchange (RC4, which OpenSSL 3 no
 * longer offers by default either) and no MIC. NTLM authenticates the TCP connection, not a request: the handshake
 * and the requests after it must travel on one keep-alive socket (see `HttpTransport.socket()`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { md4 } from './md4.js';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** NegotiateFlags bits (MS-NLMP 2.2.2.5) that this implementation uses. */
export const NtlmFlags = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NTLM: 0x00000200,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  N128: 0x20000000,
  N56: 0x80000000,
} as const;

// The usual client offer: Unicode, NTLM with extended session security, 128/56-bit (what Windows and curl send).
const NEGOTIATE_FLAGS =
  NtlmFlags.UNICODE |
  NtlmFlags.OEM |
  NtlmFlags.REQUEST_TARGET |
  NtlmFlags.NTLM |
  NtlmFlags.ALWAYS_SIGN |
  NtlmFlags.EXTENDED_SESSIONSECURITY |
  NtlmFlags.N128 |
  NtlmFlags.N56;

/** AV_PAIR ids (MS-NLMP 2.2.2.1) this code reads or writes. */
const AV = { EOL: 0, NB_COMPUTER: 1, NB_DOMAIN: 2, DNS_COMPUTER: 3, DNS_DOMAIN: 4, TIMESTAMP: 7 } as const;

export class NtlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NtlmError';
  }
}

export interface NtlmCredentials {
  user: string;
  domain: string;
  password: string;
  workstation?: string;
}

export interface NtlmChallenge {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  /** The raw AV pairs: they go into the NTLMv2 response unchanged. */
  targetInfo: Buffer;
  /** MsvAvTimestamp, when the server sent one (then the response uses it and the LMv2 response is zeros). */
  timestamp?: Buffer;
}

export interface NtlmAuthenticate {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

/** NTOWFv2 (MS-NLMP 3.3.2): HMAC-MD5 keyed with the NT hash over UPPER(user) + domain, both UTF-16LE. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

export interface Ntlmv2Response {
  ntResponse: Buffer;
  lmResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
}

/**
 * The NTLMv2 responses (MS-NLMP 3.3.2). `time` is FILETIME (100 ns since 1601, little endian), `clientChallenge` 8
 * random bytes; both are parameters so the specification's test vectors (4.2.4) can be reproduced.
 */
export function ntlmv2Response(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  time: Buffer,
  targetInfo: Buffer,
): Ntlmv2Response {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), // Responserversion, HiResponserversion, Z(6)
    time,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(responseKey, Buffer.concat([serverChallenge, temp]));
  return {
    ntProofStr,
    ntResponse: Buffer.concat([ntProofStr, temp]),
    lmResponse: Buffer.concat([
      hmacMd5(responseKey, Buffer.concat([serverChallenge, clientChallenge])),
      clientChallenge,
    ]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/** NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1) without domain or workstation: the server learns both from AUTHENTICATE. */
export function negotiateMessage(): Buffer {
  const message = Buffer.alloc(32);
  SIGNATURE.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(NEGOTIATE_FLAGS >>> 0, 12);
  // DomainNameFields and WorkstationFields (16–31) stay zero: not supplied.
  return message;
}

/** CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2). */
export function parseChallenge(message: Buffer): NtlmChallenge {
  checkHeader(message, 2, 48);
  const flags = message.readUInt32LE(20);
  const unicode = (flags & NtlmFlags.UNICODE) !== 0;
  const targetInfo = field(message, 40);
  let timestamp: Buffer | undefined;
  for (const pair of avPairs(targetInfo)) if (pair.id === AV.TIMESTAMP) timestamp = pair.value;
  return {
    flags,
    serverChallenge: Buffer.from(message.subarray(24, 32)),
    targetName: field(message, 12).toString(unicode ? 'utf16le' : 'latin1'),
    targetInfo,
    timestamp,
  };
}

/**
 * AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3) answering `challenge` with an NTLMv2 response. `clientChallenge` and
 * `time` are for tests; by default 8 random bytes and the server's timestamp (else the current time).
 */
export function authenticateMessage(
  challenge: NtlmChallenge,
  credentials: NtlmCredentials,
  options: { clientChallenge?: Buffer; time?: Buffer } = {},
): Buffer {
  const clientChallenge = options.clientChallenge ?? randomBytes(8);
  const time = options.time ?? challenge.timestamp ?? fileTime(Date.now());
  const key = ntowfv2(credentials.password, credentials.user, credentials.domain);
  const response = ntlmv2Response(key, challenge.serverChallenge, clientChallenge, time, challenge.targetInfo);
  // With a server timestamp the LMv2 response must be zeros (MS-NLMP 3.1.5.1.2).
  const lm = challenge.timestamp && !options.time ? Buffer.alloc(24) : response.lmResponse;
  const flags = (challenge.flags & NEGOTIATE_FLAGS & ~NtlmFlags.OEM) | NtlmFlags.UNICODE;
  const payload: Buffer[] = [
    lm,
    response.ntResponse,
    Buffer.from(credentials.domain, 'utf16le'),
    Buffer.from(credentials.user, 'utf16le'),
    Buffer.from(credentials.workstation ?? '', 'utf16le'),
    Buffer.alloc(0), // EncryptedRandomSessionKey: no key exchange
  ];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = header.length;
  payload.forEach((part, i) => {
    writeField(header, 12 + i * 8, part.length, offset);
    offset += part.length;
  });
  header.writeUInt32LE(flags >>> 0, 60);
  return Buffer.concat([header, ...payload]);
}

/** AUTHENTICATE_MESSAGE, as a server reads it. */
export function parseAuthenticate(message: Buffer): NtlmAuthenticate {
  checkHeader(message, 3, 64);
  const flags = message.readUInt32LE(60);
  const text = (at: number) => field(message, at).toString((flags & NtlmFlags.UNICODE) !== 0 ? 'utf16le' : 'latin1');
  return {
    flags,
    lmResponse: field(message, 12),
    ntResponse: field(message, 20),
    domain: text(28),
    user: text(36),
    workstation: text(44),
  };
}

/** Reads the type (1, 2 or 3) of an NTLM message, or throws. */
export function messageType(message: Buffer): number {
  if (message.length < 12 || !message.subarray(0, 8).equals(SIGNATURE)) throw new NtlmError('not an NTLM message');
  return message.readUInt32LE(8);
}

export interface IssuedChallenge {
  message: Buffer;
  serverChallenge: Buffer;
}

/** A CHALLENGE_MESSAGE for emulators: random server challenge, NetBIOS domain and computer names, a timestamp. */
export function challengeMessage(
  target: { domain: string; computer: string },
  serverChallenge: Buffer = randomBytes(8),
): IssuedChallenge {
  const info = Buffer.concat([
    avPair(AV.NB_DOMAIN, Buffer.from(target.domain, 'utf16le')),
    avPair(AV.NB_COMPUTER, Buffer.from(target.computer, 'utf16le')),
    avPair(AV.TIMESTAMP, fileTime(Date.now())),
    avPair(AV.EOL, Buffer.alloc(0)),
  ]);
  const name = Buffer.from(target.domain, 'utf16le');
  const header = Buffer.alloc(48);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  writeField(header, 12, name.length, 48);
  const flags = NEGOTIATE_FLAGS | NtlmFlags.TARGET_INFO | NtlmFlags.TARGET_TYPE_DOMAIN;
  header.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(header, 24);
  writeField(header, 40, info.length, 48 + name.length);
  return { message: Buffer.concat([header, name, info]), serverChallenge };
}

export type NtlmVerdict = { ok: true; user: string; domain: string } | { ok: false; reason: string };

/**
 * Server-side check of an AUTHENTICATE against the challenge that was sent on the same connection: the user and
 * domain must be the account's (case-insensitive, as Windows compares them) and the NTProofStr must be the one the
 * password gives. NTLMv1 and anonymous answers are refused.
 */
export function verifyAuthenticate(
  authenticate: NtlmAuthenticate,
  serverChallenge: Buffer,
  account: { user: string; domain: string; password: string },
): NtlmVerdict {
  const who = `${authenticate.domain}\\${authenticate.user}`;
  if (authenticate.user === '') return { ok: false, reason: 'anonymous logon refused' };
  if (authenticate.ntResponse.length <= 24) return { ok: false, reason: `${who}: NTLMv1 is not accepted` };
  if (
    authenticate.user.toUpperCase() !== account.user.toUpperCase() ||
    authenticate.domain.toUpperCase() !== account.domain.toUpperCase()
  ) {
    return { ok: false, reason: `unknown user ${who}` };
  }
  const key = ntowfv2(account.password, authenticate.user, authenticate.domain);
  const proof = authenticate.ntResponse.subarray(0, 16);
  const temp = authenticate.ntResponse.subarray(16);
  const expected = hmacMd5(key, Buffer.concat([serverChallenge, temp]));
  if (!timingSafeEqual(proof, expected)) return { ok: false, reason: `wrong password for ${who}` };
  return { ok: true, user: authenticate.user, domain: authenticate.domain };
}

/** `NTLM <base64>` out of a WWW-Authenticate header (several schemes may be listed, comma separated). */
export function ntlmToken(header: string | null | undefined): Buffer | undefined {
  if (!header) return undefined;
  const match = /(?:^|,)\s*NTLM\s+([A-Za-z0-9+/=]+)/i.exec(header);
  return match ? Buffer.from(match[1]!, 'base64') : undefined;
}

/** Whether a WWW-Authenticate header offers NTLM (alone or in Negotiate, which falls back to it). */
export function offersNtlm(header: string | null | undefined): boolean {
  return !!header && /(?:^|,)\s*(NTLM|Negotiate)\b/i.test(header);
}

/** FILETIME of an epoch-ms instant: 100-ns intervals since 1601-01-01, 64-bit little endian. */
export function fileTime(ms: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE((BigInt(ms) + 11_644_473_600_000n) * 10_000n);
  return out;
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac('md5', key).update(data).digest();
}

function checkHeader(message: Buffer, type: number, minLength: number): void {
  if (message.length < minLength) throw new NtlmError(`NTLM type ${type} message too short (${message.length} bytes)`);
  const actual = messageType(message);
  if (actual !== type) throw new NtlmError(`expected an NTLM type ${type} message, got type ${actual}`);
}

/** A security buffer (length, max length, offset) at `at`, and the bytes it points to. */
function field(message: Buffer, at: number): Buffer {
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (length === 0) return Buffer.alloc(0);
  if (offset + length > message.length) throw new NtlmError('NTLM message field points past its end');
  return Buffer.from(message.subarray(offset, offset + length));
}

function writeField(header: Buffer, at: number, length: number, offset: number): void {
  header.writeUInt16LE(length, at);
  header.writeUInt16LE(length, at + 2);
  header.writeUInt32LE(offset, at + 4);
}

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function* avPairs(info: Buffer): Generator<{ id: number; value: Buffer }> {
  let at = 0;
  while (at + 4 <= info.length) {
    const id = info.readUInt16LE(at);
    const length = info.readUInt16LE(at + 2);
    if (id === AV.EOL) return;
    yield { id, value: info.subarray(at + 4, at + 4 + length) };
    at += 4 + length;
  }
}
