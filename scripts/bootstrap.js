// Installs what `npm test` and `npm run demo` need on a fresh clone: npm packages of the project and of the
// policy pack (from their lockfiles), the Pulumi CLI (scripts/engine.ts) and the emulator's local CA; then
// runs the given command (e.g. `jest`) with NODE_EXTRA_CA_CERTS set, because Node reads that variable only
// at start-up and the emulator speaks HTTPS (MSAL refuses http:// authorities).
// Plain JavaScript on purpose: it runs before TypeScript and ts-node are installed.
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function installed(dir) {
  // npm writes node_modules/.package-lock.json on install; older than the lockfile means stale.
  const marker = path.join(dir, "node_modules", ".package-lock.json");
  return fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(path.join(dir, "package-lock.json")).mtimeMs;
}

for (const dir of [root, path.join(root, "policy")]) {
  if (!installed(dir)) {
    process.stderr.write(`Installing npm packages in ${path.relative(root, dir) || "."} (npm ci)...\n`);
    execFileSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  }
}
const tsNode = (script) => execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, script)],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" }).trim();
const engineDir = tsNode("scripts/engine.ts");
const emulatorCa = tsNode("emulator/ca.ts");
// Keep any CA bundle the machine already adds (e.g. a proxy's): Node takes a single extra file.
const inherited = process.env.NODE_EXTRA_CA_CERTS;
let caFile = emulatorCa;
if (inherited && inherited !== emulatorCa && fs.existsSync(inherited)) {
  caFile = path.join(path.dirname(emulatorCa), "bundle-with-inherited.pem");
  fs.writeFileSync(caFile, fs.readFileSync(inherited, "utf8") + "\n" + fs.readFileSync(emulatorCa, "utf8"));
}

const [command, ...args] = process.argv.slice(2);
if (command) {
  const bin = path.join(root, "node_modules", ".bin");
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, PATH: [bin, engineDir, process.env.PATH].join(path.delimiter) };
  const r = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  process.exit(r.status === null ? 1 : r.status);
}
