// Password hashing with scrypt (node:crypto): a random salt per password, and the cost
// parameters written into the stored string, so raising the cost later leaves old hashes
// checkable. Format: scrypt$ln=15,r=8,p=1$<salt, base64url>$<key, base64url>.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptParams {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * N = 2^15, r = 8, p = 3: one of the settings OWASP's Password Storage Cheat Sheet lists as
 * equivalent (32 MiB per check), slow enough to make guessing expensive, fast enough for a login.
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 3 };
/** For tests only: the same algorithm at a cost that keeps a suite fast. */
export const TEST_SCRYPT: ScryptParams = { ln: 10, r: 8, p: 1 };

const ALGORITHM = "scrypt";
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// A stored string is trusted, but a corrupted or hand-edited one must not make a login allocate
// gigabytes: parameters beyond these are refused as a wrong password.
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;
// scrypt needs 128·N·r bytes; give it room over Node's 32 MiB default for N = 2^15, r = 8.
const MEMORY_HEADROOM = 2;
const SCRYPT_BLOCK_BYTES = 128;

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: MEMORY_HEADROOM * SCRYPT_BLOCK_BYTES * N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `${ALGORITHM}$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const [algorithm, paramText, saltText, keyText, ...rest] = stored.split("$");
  if (algorithm !== ALGORITHM || paramText === undefined || saltText === undefined || keyText === undefined || rest.length > 0) return undefined;
  const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(paramText);
  if (!match) return undefined;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) return undefined;
  const salt = Buffer.from(saltText, "base64url");
  const key = Buffer.from(keyText, "base64url");
  if (salt.length === 0 || key.length === 0) return undefined;
  return { params, salt, key };
}

/** True when `password` matches `stored`; a malformed stored string never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/**
 * A hash to check against when the login does not exist, so that an unknown login costs the same
 * time as a wrong password and response times do not tell which logins exist.
 */
export function decoyHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  return hashPassword(randomBytes(SALT_BYTES).toString("base64url"), params);
}
