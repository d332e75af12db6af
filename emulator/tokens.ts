/**
 * RS256 JSON Web Tokens with node:crypto only (no JWT library): the emulator signs access tokens, id tokens
 * and the federated (workload identity) assertion, and verifies them when they come back.
 */
import * as crypto from "node:crypto";

export type Claims = Record<string, unknown>;

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
}

export interface DecodedJwt {
  header: { alg?: string; kid?: string; typ?: string; [other: string]: unknown };
  claims: Claims;
  signingInput: string;
  signature: Buffer;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * Parsed key objects per signing key, so a key's PEM is parsed once rather than on every token signed or
 * checked. Kept beside the key (not on it): a SigningKey is saved to the state file as JSON.
 */
type KeyObjects = { priv: crypto.KeyObject; pub: crypto.KeyObject; jwk: crypto.JsonWebKey };
const KEY_OBJECTS = new WeakMap<SigningKey, KeyObjects>();

function keyObjects(key: SigningKey): KeyObjects {
  let objects = KEY_OBJECTS.get(key);
  if (!objects) {
    const priv = crypto.createPrivateKey(key.privateKeyPem);
    const pub = crypto.createPublicKey(priv);
    objects = { priv, pub, jwk: pub.export({ format: "jwk" }) };
    KEY_OBJECTS.set(key, objects);
  }
  return objects;
}

/** A fresh RSA key; its kid is the RFC 7638 thumbprint of the public key, as AAD's keys are identified by kid. */
export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const jwk = publicKey.export({ format: "jwk" });
  const key = { kid: thumbprint(jwk), privateKeyPem };
  KEY_OBJECTS.set(key, { priv: privateKey, pub: publicKey, jwk });
  return key;
}

function thumbprint(jwk: crypto.JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return base64url(crypto.createHash("sha256").update(canonical).digest());
}

/** The public half as a JWKS entry (what `/discovery/v2.0/keys` serves). */
export function publicJwk(key: SigningKey): Record<string, unknown> {
  const { jwk } = keyObjects(key);
  return { kty: jwk.kty, use: "sig", kid: key.kid, alg: "RS256", n: jwk.n, e: jwk.e };
}

export function signJwt(claims: Claims, key: SigningKey): string {
  const header = { typ: "JWT", alg: "RS256", kid: key.kid };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = crypto.sign("sha256", Buffer.from(signingInput), keyObjects(key).priv);
  return `${signingInput}.${base64url(signature)}`;
}

/** Parses without verifying; undefined when it is not a JWT at all. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as DecodedJwt["header"];
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Claims;
    if (!header || typeof header !== "object" || !claims || typeof claims !== "object") return undefined;
    return { header, claims, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], "base64url") };
  } catch {
    return undefined;
  }
}

/**
 * True when the signature was made by `key` with one of `algorithms`: the emulator's own tokens are RS256;
 * certificate client assertions may also be PS256 (MSAL signs them so when it sends x5t#S256).
 */
export function verifySignature(jwt: DecodedJwt, key: SigningKey | crypto.KeyObject, algorithms: readonly ("RS256" | "PS256")[] = ["RS256"]): boolean {
  const alg = jwt.header.alg as "RS256" | "PS256";
  if (!algorithms.includes(alg)) return false;
  const publicKey = key instanceof crypto.KeyObject ? key : keyObjects(key).pub;
  const verifyWith = alg === "PS256" ? { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : publicKey;
  try {
    return crypto.verify("sha256", Buffer.from(jwt.signingInput), verifyWith, jwt.signature);
  } catch {
    return false;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Random opaque secret material (client secrets, refresh tokens): never JWT-shaped. */
export function randomSecret(bytes = 30): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

/** A UUID derived from a seed, so ids of a tenant's objects are stable for the same tenant id. */
export function seededUuid(...parts: string[]): string {
  const h = crypto.createHash("sha256").update(parts.join("\u0000")).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5-like: name based
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
