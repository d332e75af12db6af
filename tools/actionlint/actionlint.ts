/**
 * actionlint for the workflow tests: makes the pinned actionlint available and returns its path.
 *
 * Order of preference (same as scripts/engine.ts for the Pulumi CLI):
 *   1. an `actionlint` on PATH reporting exactly the pinned version (findings differ between versions);
 *   2. the per-user cache (~/.cache/sspr-as-code/actionlint/<version>-<pins hash>/actionlint) from an earlier build;
 *   3. a build from the Go module proxy through the wrapper module in this folder (go.mod + go.sum pinned,
 *      GOFLAGS=-mod=readonly, so go.sum is what verifies every module).
 *
 *   node -r ts-node/register/transpile-only tools/actionlint/actionlint.ts   # prints the binary's path
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { goBuildInto, onPath, toolCacheDir } from "../../scripts/goTool";

const moduleDir = __dirname;
const mainPackage = "github.com/rhysd/actionlint/cmd/actionlint";
const exe = process.platform === "win32" ? "actionlint.exe" : "actionlint";

export interface Actionlint {
  /** Absolute path of the actionlint binary. */
  path: string;
  version: string;
  source: "path" | "cache" | "built";
}

/** The actionlint version tools/actionlint/go.mod pins, e.g. "1.7.12". */
export function pinnedVersion(): string {
  const goMod = fs.readFileSync(path.join(moduleDir, "go.mod"), "utf8");
  const m = goMod.match(/github\.com\/rhysd\/actionlint v(\S+)/);
  if (!m) throw new Error("tools/actionlint/go.mod does not require github.com/rhysd/actionlint.");
  return m[1];
}

export function cacheDir(version: string): string {
  return toolCacheDir("actionlint", "SSPR_ACTIONLINT_CACHE", moduleDir, version);
}

function versionOf(binary: string): string | undefined {
  const r = spawnSync(binary, ["-version"], { encoding: "utf8", timeout: 30000 });
  return r.status === 0 ? r.stdout.split("\n")[0].trim().replace(/^v/, "") || undefined : undefined;
}

/** The pinned actionlint without building; undefined when neither PATH nor the cache has it. */
export function findActionlint(): Actionlint | undefined {
  const version = pinnedVersion();
  const ambient = onPath(exe);
  if (ambient && versionOf(ambient) === version) return { path: ambient, version, source: "path" };
  const cached = path.join(cacheDir(version), exe);
  if (fs.existsSync(cached) && versionOf(cached) === version) return { path: cached, version, source: "cache" };
  return undefined;
}

function buildActionlint(version: string): Actionlint {
  const finalDir = cacheDir(version);
  goBuildInto(finalDir, {
    moduleDir,
    packages: [mainPackage],
    ldflags: "-s -w",
    announce: `Building actionlint v${version} from the Go module proxy (first run only)...`,
    noGoHelp: `No actionlint v${version} on PATH and no Go toolchain to build it.\n` +
      `Install either actionlint v${version} (https://github.com/rhysd/actionlint/releases/tag/v${version}) ` +
      "or Go >= 1.25 (https://go.dev/dl/); the workflow tests then build it from the Go module proxy.",
    verify: { binary: exe, version, versionOf },
  });
  return { path: path.join(finalDir, exe), version, source: "built" };
}

export function ensureActionlint(): Actionlint {
  return findActionlint() ?? buildActionlint(pinnedVersion());
}

if (require.main === module) {
  try {
    const a = ensureActionlint();
    process.stderr.write(`actionlint v${a.version} (${a.source})\n`);
    process.stdout.write(a.path + "\n");
  } catch (e) {
    process.stderr.write(`actionlint: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
