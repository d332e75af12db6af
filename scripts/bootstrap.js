// Installs what `npm test` and `npm run demo` need on a fresh clone, then the engine: npm packages of the
// project and of the policy pack (from their lockfiles), and the Pulumi CLI (scripts/engine.ts).
// Plain JavaScript on purpose: it runs before TypeScript and ts-node are installed.
"use strict";
const { execFileSync } = require("child_process");
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
execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "scripts", "engine.ts")],
  { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
