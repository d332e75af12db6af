/**
 * The emulator's local certificate authority.
 *
 * MSAL (inside @azure/identity) refuses `http://` authorities, so the emulator must speak HTTPS with a
 * certificate the client trusts. Node 20 reads NODE_EXTRA_CA_CERTS only at process start, so the CA has to
 * exist *before* the processes that talk to the emulator start, and stay the same across runs: it lives in a
 * per-user cache folder and is reused. The leaf certificate the server presents is signed by it.
 *
 * Run as a script it prints only the CA certificate's path, for `NODE_EXTRA_CA_CERTS=$(...)`.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "selfsigned";
import { writeAtomically } from "./files";

export interface EmulatorCa {
  /** PEM file with the CA certificate only (what NODE_EXTRA_CA_CERTS points to). */
  certFile: string;
  certPem: string;
  keyPem: string;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const BUNDLE = "ca-bundle.json";
const CERT = "ca.pem";
const LEAF = "server-leaf.json";
const CLIENT_LEAF = "app-credential-leaf.json";
const DAY_MS = 24 * 60 * 60 * 1000;

export function defaultCaDir(): string {
  if (process.env.SSPR_EMULATOR_CA_DIR) return process.env.SSPR_EMULATOR_CA_DIR;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "sspr-as-code", "emulator-ca");
}

/** The CA certificate file (what NODE_EXTRA_CA_CERTS points to) in the default CA folder. */
export function defaultCaCertFile(): string {
  return path.join(defaultCaDir(), CERT);
}

/** Loads the CA from `dir`, creating it on first use. Safe when several processes call it at once. */
export async function ensureEmulatorCa(dir: string = defaultCaDir()): Promise<EmulatorCa> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bundleFile = path.join(dir, BUNDLE);
  let bundle = readBundle(bundleFile);
  if (!bundle || expiresWithin(bundle.certPem, 30 * DAY_MS)) {
    const created = await createCa();
    // Publish with link(): it fails when another process won the race, and then we use its CA, so every
    // process ends up trusting and presenting the same one. An expired CA is replaced by rename instead.
    const tmp = `${bundleFile}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(created), { mode: 0o600 });
    try {
      if (bundle) fs.renameSync(tmp, bundleFile);
      else fs.linkSync(tmp, bundleFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    bundle = readBundle(bundleFile);
    if (!bundle) throw new Error(`emulator CA: could not read ${bundleFile} after creating it`);
  }
  const certFile = path.join(dir, CERT);
  if (!fs.existsSync(certFile) || fs.readFileSync(certFile, "utf8") !== bundle.certPem) {
    writeAtomically(certFile, bundle.certPem, 0o644);
  }
  return { certFile, certPem: bundle.certPem, keyPem: bundle.keyPem };
}

/**
 * A server certificate for localhost / 127.0.0.1 / ::1 signed by the CA. Cached next to the CA (keyed by
 * the CA's fingerprint) because generating an RSA key on every emulator start slows the tests down.
 */
export function ensureServerCertificate(ca: EmulatorCa): Promise<ServerCertificate> {
  return cachedLeaf(ca, LEAF, "localhost", [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
  ]);
}

/**
 * The certificate credential registered on every emulated tenant's main app registration (what an admin
 * uploads under "Certificates & secrets"), so ClientCertificateCredential / AZURE_CLIENT_CERTIFICATE_PATH
 * can be tested. Cached like the server certificate.
 */
export function ensureClientCertificate(ca: EmulatorCa): Promise<ServerCertificate> {
  return cachedLeaf(ca, CLIENT_LEAF, "sspr-as-code emulator app credential", [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", clientAuth: true },
  ]);
}

async function cachedLeaf(ca: EmulatorCa, fileName: string, commonName: string, extensions: unknown[]): Promise<ServerCertificate> {
  const leafFile = path.join(path.dirname(ca.certFile), fileName);
  const caFingerprint = new crypto.X509Certificate(ca.certPem).fingerprint256;
  try {
    const cached = JSON.parse(fs.readFileSync(leafFile, "utf8")) as ServerCertificate & { caFingerprint: string };
    if (cached.caFingerprint === caFingerprint && !expiresWithin(cached.certPem, 7 * DAY_MS)) {
      return { certPem: cached.certPem, keyPem: cached.keyPem };
    }
  } catch {
    // absent or unreadable: make a new one
  }
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: commonName }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 365 * DAY_MS),
    ca: { key: ca.keyPem, cert: ca.certPem },
    extensions: extensions as NonNullable<Parameters<typeof generate>[1]>["extensions"],
  });
  const leaf = { certPem: pems.cert, keyPem: pems.private };
  writeAtomically(leafFile, JSON.stringify({ ...leaf, caFingerprint }), 0o600);
  return leaf;
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const now = Date.now();
  const pems = await generate(
    [
      { name: "commonName", value: "sspr-as-code local emulator CA" },
      { name: "organizationName", value: "sspr-as-code offline test double - trusted on this machine only" },
    ],
    {
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate: new Date(now - DAY_MS),
      notAfterDate: new Date(now + 10 * 365 * DAY_MS),
      extensions: [
        { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  return { certPem: pems.cert, keyPem: pems.private };
}

function readBundle(file: string): { certPem: string; keyPem: string } | undefined {
  try {
    const b = JSON.parse(fs.readFileSync(file, "utf8")) as { certPem?: unknown; keyPem?: unknown };
    if (typeof b.certPem === "string" && typeof b.keyPem === "string") return { certPem: b.certPem, keyPem: b.keyPem };
  } catch {
    // absent or half-written by a crashed process: treated as absent
  }
  return undefined;
}

function expiresWithin(certPem: string, ms: number): boolean {
  return Date.parse(new crypto.X509Certificate(certPem).validTo) - Date.now() < ms;
}

if (require.main === module) {
  ensureEmulatorCa()
    .then((ca) => process.stdout.write(`${ca.certFile}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`emulator CA: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
