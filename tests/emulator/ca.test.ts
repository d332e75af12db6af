/**
 * The emulator CA: created once per folder and reused (also when several processes race to create it),
 * printed by `node -r ts-node/register/transpile-only emulator/ca.ts`, and the server leaf it signs is
 * valid for localhost and 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureEmulatorCa, ensureServerCertificate } from "../../emulator/ca";
import { tempDir } from "./helpers";

const root = path.resolve(__dirname, "../..");

test("created once, reused; concurrent first calls agree on one CA", async () => {
  const dir = tempDir("emu-ca-");
  const [a, b, c] = await Promise.all([ensureEmulatorCa(dir), ensureEmulatorCa(dir), ensureEmulatorCa(dir)]);
  expect(new Set([a.certPem, b.certPem, c.certPem]).size).toBe(1);
  expect(fs.readFileSync(a.certFile, "utf8")).toBe(a.certPem);
  expect((await ensureEmulatorCa(dir)).certPem).toBe(a.certPem);
  const ca = new crypto.X509Certificate(a.certPem);
  expect(ca.ca).toBe(true);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("the server certificate is signed by the CA and names localhost and 127.0.0.1", async () => {
  const dir = tempDir("emu-ca-");
  const ca = await ensureEmulatorCa(dir);
  const leaf = await ensureServerCertificate(ca);
  const x = new crypto.X509Certificate(leaf.certPem);
  expect(x.verify(new crypto.X509Certificate(ca.certPem).publicKey)).toBe(true);
  expect(x.checkHost("localhost")).toBe("localhost");
  expect(x.checkIP("127.0.0.1")).toBe("127.0.0.1");
  expect((await ensureServerCertificate(ca)).certPem).toBe(leaf.certPem); // cached
});

test("as a script it prints only the certificate file's path", () => {
  const dir = tempDir("emu-ca-");
  const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/ca.ts"], {
    cwd: root, env: { ...process.env, SSPR_EMULATOR_CA_DIR: dir }, encoding: "utf8",
  });
  expect(out).toBe(`${path.join(dir, "ca.pem")}\n`);
});
