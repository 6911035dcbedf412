/**
 * MD4 (RFC 1320), for the NT hash of NTLM (MS-NLMP 3.3.1: NTOWF = MD4(UTF-16LE(password))). Node 20 runs on
 * OpenSSL 3, which moved MD4 into the "legacy" provider: `createHash('md4')` throws "digital envelope routines::
 * unsupported" unless Node is started with --openssl-legacy-provider, which we cannot ask of every host (Electron's
 * utility process, `ferry run`). MD4 is broken as a hash, but NTLM's use of it is fixed by the protocol; this is a
 * straight transcription of the RFC, checked against its test suite (A.5) in md4.test.ts.
 */

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

// RFC 1320 3.4: the three auxiliary functions of the three rounds.
const F = (x: number, y: number, z: number): number => (x & y) | (~x & z);
const G = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
const H = (x: number, y: number, z: number): number => x ^ y ^ z;

// Word order of rounds 2 and 3, and the shift amounts of each step within a round (RFC 1320 3.4).
const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];

export function md4(input: Uint8Array): Buffer {
  // Padding (RFC 1320 3.1–3.2): a 1 bit, zeros to 56 mod 64 bytes, then the bit length as 64-bit little endian.
  const length = input.length;
  const padded = Buffer.alloc((((length + 8) >> 6) + 1) << 6);
  padded.set(input);
  padded[length] = 0x80;
  const bits = length * 8;
  padded.writeUInt32LE(bits >>> 0, padded.length - 8);
  padded.writeUInt32LE(Math.floor(bits / 0x1_0000_0000), padded.length - 4);

  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readUInt32LE(offset + i * 4);
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 16; i++) {
      const s = SHIFTS[0]![i % 4]!;
      const t = rotl((a + F(b, c, d) + x[i]!) | 0, s);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const s = SHIFTS[1]![i % 4]!;
      const t = rotl((a + G(b, c, d) + x[ROUND2_ORDER[i]!]! + 0x5a827999) | 0, s);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const s = SHIFTS[2]![i % 4]!;
      const t = rotl((a + H(b, c, d) + x[ROUND3_ORDER[i]!]! + 0x6ed9eba1) | 0, s);
      [a, b, c, d] = [d, t, b, c];
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
  }
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeInt32LE(word, i * 4));
  return out;
}
