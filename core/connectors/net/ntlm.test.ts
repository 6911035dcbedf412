import { describe, expect, it } from 'vitest';
import {
  authenticateMessage,
  challengeMessage,
  messageType,
  negotiateMessage,
  ntlmToken,
  ntlmv2Response,
  ntowfv2,
  offersNtlm,
  parseAuthenticate,
  parseChallenge,
  verifyAuthenticate,
} from './ntlm.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// MS-NLMP 4.2.1 common values and 4.2.4 (NTLMv2 authentication) examples.
const USER = 'User';
const DOMAIN = 'Domain';
const PASSWORD = 'Password';
const SERVER_CHALLENGE = hex('01 23 45 67 89 ab cd ef');
const CLIENT_CHALLENGE = hex('aa aa aa aa aa aa aa aa');
const TIME = Buffer.alloc(8);
// 4.2.4.3: the CHALLENGE_MESSAGE of the example (target "Server", AV pairs NbDomainName "Domain", NbComputerName
// "Server").
const CHALLENGE = hex(`
  4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00 38 00 00 00 33 82 8a e2 01 23 45 67 89 ab cd ef
  00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00 06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00
  65 00 72 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
  65 00 72 00 00 00 00 00`);

describe('NTLMv2 against MS-NLMP 4.2.4', () => {
  it('NTOWFv2 (4.2.4.1.1)', () => {
    expect(ntowfv2(PASSWORD, USER, DOMAIN).toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('parses the CHALLENGE_MESSAGE (4.2.4.3)', () => {
    const challenge = parseChallenge(CHALLENGE);
    expect(challenge.serverChallenge).toEqual(SERVER_CHALLENGE);
    expect(challenge.targetName).toBe('Server');
    expect(challenge.flags >>> 0).toBe(0xe28a8233);
    expect(challenge.targetInfo.length).toBe(0x24);
    expect(challenge.timestamp).toBeUndefined();
  });

  it('LMv2 response, NTProofStr and session base key (4.2.4.1.2, 4.2.4.2.1, 4.2.4.2.2)', () => {
    const { targetInfo } = parseChallenge(CHALLENGE);
    const key = ntowfv2(PASSWORD, USER, DOMAIN);
    const response = ntlmv2Response(key, SERVER_CHALLENGE, CLIENT_CHALLENGE, TIME, targetInfo);
    expect(response.lmResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(response.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(response.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('builds an AUTHENTICATE_MESSAGE carrying those responses and the names', () => {
    const message = authenticateMessage(
      parseChallenge(CHALLENGE),
      { user: USER, domain: DOMAIN, password: PASSWORD, workstation: 'COMPUTER' },
      { clientChallenge: CLIENT_CHALLENGE, time: TIME },
    );
    expect(messageType(message)).toBe(3);
    const parsed = parseAuthenticate(message);
    expect(parsed).toMatchObject({ user: USER, domain: DOMAIN, workstation: 'COMPUTER' });
    expect(parsed.ntResponse.subarray(0, 16).toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(parsed.lmResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    // The server side of the same example accepts it.
    expect(verifyAuthenticate(parsed, SERVER_CHALLENGE, { user: USER, domain: DOMAIN, password: PASSWORD })).toEqual({
      ok: true,
      user: USER,
      domain: DOMAIN,
    });
  });
});

describe('NTLM handshake, client and server of this module', () => {
  const account = { user: 'svc-ferry', domain: 'CORP', password: 'S3cret!pass' };

  it('negotiate → challenge → authenticate verifies; user and domain case-insensitive', () => {
    expect(messageType(negotiateMessage())).toBe(1);
    const issued = challengeMessage({ domain: 'CORP', computer: 'BC14' });
    const challenge = parseChallenge(issued.message);
    expect(challenge.timestamp).toBeDefined();
    const type3 = authenticateMessage(challenge, { ...account, user: 'SVC-Ferry', domain: 'corp' });
    const parsed = parseAuthenticate(type3);
    // With a server timestamp the LMv2 response is zeros (MS-NLMP 3.1.5.1.2).
    expect(parsed.lmResponse).toEqual(Buffer.alloc(24));
    expect(verifyAuthenticate(parsed, issued.serverChallenge, account).ok).toBe(true);
  });

  it('refuses a wrong password, another user, a replay against a new challenge, and NTLMv1', () => {
    const issued = challengeMessage({ domain: 'CORP', computer: 'BC14' });
    const challenge = parseChallenge(issued.message);
    const wrong = parseAuthenticate(authenticateMessage(challenge, { ...account, password: 'nope' }));
    expect(verifyAuthenticate(wrong, issued.serverChallenge, account)).toEqual({
      ok: false,
      reason: 'wrong password for CORP\\svc-ferry',
    });
    const other = parseAuthenticate(authenticateMessage(challenge, { ...account, user: 'mallory' }));
    expect(verifyAuthenticate(other, issued.serverChallenge, account)).toEqual({
      ok: false,
      reason: 'unknown user CORP\\mallory',
    });
    const good = parseAuthenticate(authenticateMessage(challenge, account));
    const next = challengeMessage({ domain: 'CORP', computer: 'BC14' });
    expect(verifyAuthenticate(good, next.serverChallenge, account).ok).toBe(false);
    expect(verifyAuthenticate({ ...good, ntResponse: Buffer.alloc(24) }, issued.serverChallenge, account)).toEqual({
      ok: false,
      reason: 'CORP\\svc-ferry: NTLMv1 is not accepted',
    });
  });

  it('reads tokens out of WWW-Authenticate headers', () => {
    const token = negotiateMessage();
    expect(ntlmToken(`Negotiate, NTLM ${token.toString('base64')}`)).toEqual(token);
    expect(ntlmToken('Basic realm="x"')).toBeUndefined();
    expect(offersNtlm('Negotiate')).toBe(true);
    expect(offersNtlm('NTLM')).toBe(true);
    expect(offersNtlm('Basic realm="BC"')).toBe(false);
  });

  it('rejects what is not an NTLM message of the expected type', () => {
    expect(() => parseChallenge(Buffer.from('hello world, not ntlm at all......................'))).toThrow(
      'not an NTLM message',
    );
    expect(() => parseChallenge(Buffer.concat([negotiateMessage(), Buffer.alloc(32)]))).toThrow(
      'expected an NTLM type 2 message, got type 1',
    );
  });
});
