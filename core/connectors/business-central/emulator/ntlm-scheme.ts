// Windows authentication (NTLMv2) for the emulator's on-premises endpoint, as BC14 with credential type Windows
// asks for it: the handshake runs on one keep-alive connection, whose user then stays authenticated (state per
// socket in NtlmGate, core/connectors/net/ntlm-server.ts). Users with a `domain` must name it; users without one
// (the demo user) are accepted with any domain.
import { NtlmGate } from '../../net/ntlm-server.js';
import { type AuthScheme, type BcUser, basicAuthScheme } from './auth.js';
import { BC_DEMO } from './seed.js';

export function ntlmAuthScheme(
  users: BcUser[],
  target = { domain: 'CRONUS', computer: 'BC14' },
): AuthScheme & { gate: NtlmGate } {
  const gate = new NtlmGate(
    () => users.map((u) => ({ user: u.userName, domain: u.domain, password: u.password })),
    target,
  );
  return {
    gate,
    challenges: () => ['NTLM'],
    authenticate(request) {
      const header = request.headers.authorization;
      // Another scheme's credentials (Basic) are not ours; a request without any may ride an authenticated socket.
      if (header !== undefined && !/^NTLM\s/i.test(header)) return { kind: 'not-mine' };
      const result = gate.check(request);
      switch (result.kind) {
        case 'ok':
          return { kind: 'authenticated', user: result.user.slice(result.user.indexOf('\\') + 1) };
        case 'challenge':
          return { kind: 'challenge', header: result.header };
        case 'refused':
          return { kind: 'rejected', reason: result.reason };
        case 'none':
          return { kind: 'not-mine' };
      }
    },
  };
}

/** The demo user by Basic (password or web service access key) and by Windows/NTLM: `ferry emulate`, `--demo`. */
export function demoOnPremAuth(): AuthScheme[] {
  const users: BcUser[] = [
    { userName: BC_DEMO.userName, password: BC_DEMO.password, webServiceAccessKey: BC_DEMO.webServiceAccessKey },
  ];
  return [basicAuthScheme(users), ntlmAuthScheme(users)];
}
