/**
 * `npm run engine`: makes a working Pulumi CLI and Node.js language host available and prints their folder.
 *
 * Order of preference (DESIGN.md decision 1):
 *   1. a `pulumi` of a supported version already on PATH (a user's machine) is used as is;
 *   2. the per-user cache (~/.cache/sspr-as-code/engine/<version>-<pins hash>/bin) from an earlier build;
 *   3. a build from the Go module proxy through the wrapper module in engine/ (go.mod + go.sum pinned).
 * The CLI version is the @pulumi/pulumi version in package-lock.json; engine/go.mod must pin the same.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { goBuildInto, onPath, toolCacheDir } from "./goTool";

const repoRoot = path.resolve(__dirname, "..");
const engineModuleDir = path.join(repoRoot, "engine");
/** Untagged upstream module: the checksum database does not list it, so go.sum (committed) is what verifies it. */
const languageHostModule = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
const cliPackage = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
/** Scripts that ship inside the @pulumi/pulumi npm package and must sit next to the CLI. */
const npmShippedPlugins = ["pulumi-resource-pulumi-nodejs", "pulumi-analyzer-policy"];

export interface Engine {
  /** Folder holding pulumi, pulumi-language-nodejs and the npm-shipped plugin scripts. */
  binDir: string;
  version: string;
  source: "path" | "cache" | "built";
}

/** The @pulumi/pulumi version the lockfile pins: the CLI must be the same release. */
export function pinnedVersion(): string {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
  const version: string | undefined = lock.packages?.["node_modules/@pulumi/pulumi"]?.version;
  if (!version) throw new Error("package-lock.json does not pin @pulumi/pulumi; run `npm ci` first.");
  const goMod = fs.readFileSync(path.join(engineModuleDir, "go.mod"), "utf8");
  for (const mod of ["pkg", "sdk"]) {
    const m = goMod.match(new RegExp(`github\\.com/pulumi/pulumi/${mod}/v3 v(\\S+)`));
    if (m?.[1] !== version) {
      throw new Error(`engine/go.mod pins ${mod}/v3 at ${m?.[1] ?? "nothing"} but package-lock.json has @pulumi/pulumi ${version}; keep them equal.`);
    }
  }
  return version;
}

export function cacheDir(version: string): string {
  return path.join(toolCacheDir("engine", "SSPR_ENGINE_CACHE", engineModuleDir, version), "bin");
}

function versionOf(pulumi: string): string | undefined {
  const r = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30000 });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, "") || undefined : undefined;
}

function semverAtLeast(found: string, wanted: string): boolean {
  const a = found.split(/[.-]/).map(Number), b = wanted.split(/[.-]/).map(Number);
  if (a[0] !== b[0]) return false;
  for (let i = 1; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

function isComplete(binDir: string): boolean {
  return ["pulumi", "pulumi-language-nodejs", ...npmShippedPlugins].every((f) => fs.existsSync(path.join(binDir, f)));
}

/** The engine found or built by this process: looking it up again would re-read the pins and spawn `pulumi version`. */
let memo: Engine | undefined;

/** Returns the engine without building; undefined when `npm run engine` has not been run. Remembered per process. */
export function findEngine(): Engine | undefined {
  if (memo) return memo;
  const version = pinnedVersion();
  const dir = cacheDir(version);
  const ambient = onPath("pulumi");
  if (ambient && !ambient.startsWith(path.dirname(dir))) {
    const found = versionOf(ambient);
    const ambientDir = path.dirname(ambient);
    if (found && semverAtLeast(found, version) && fs.existsSync(path.join(ambientDir, "pulumi-language-nodejs"))) {
      return (memo = { binDir: ambientDir, version: found, source: "path" });
    }
  }
  if (isComplete(dir) && versionOf(path.join(dir, "pulumi")) === version) return (memo = { binDir: dir, version, source: "cache" });
  return undefined;
}

function buildEngine(version: string): Engine {
  const finalDir = cacheDir(version);
  goBuildInto(finalDir, {
    moduleDir: engineModuleDir,
    packages: [cliPackage, languageHostModule],
    tags: "osusergo,grpcnotrace",
    ldflags: `-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
    env: { GONOSUMDB: [process.env.GONOSUMDB, languageHostModule].filter(Boolean).join(",") },
    verify: { binary: "pulumi", version, versionOf },
    announce: `Building pulumi v${version} and pulumi-language-nodejs from the Go module proxy (first run only; a few minutes)...`,
    noGoHelp: `No Pulumi CLI >= v${version} on PATH and no Go toolchain to build one.\n` +
      `Install either:\n` +
      `  - the Pulumi CLI: https://www.pulumi.com/docs/iac/download-install/ (then re-run \`npm run engine\`), or\n` +
      `  - Go >= 1.24 (https://go.dev/dl/): \`npm run engine\` then builds pulumi v${version} from the Go module proxy.`,
  });
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }));
  for (const script of npmShippedPlugins) {
    fs.copyFileSync(path.join(sdkDir, script), path.join(finalDir, script));
    fs.chmodSync(path.join(finalDir, script), 0o755);
  }
  return { binDir: finalDir, version, source: "built" };
}

export function ensureEngine(): Engine {
  return findEngine() ?? (memo = buildEngine(pinnedVersion()));
}

if (require.main === module) {
  try {
    const engine = ensureEngine();
    if (engine.source === "built") process.stderr.write(`Built pulumi v${engine.version} into:\n`);
    process.stdout.write(engine.binDir + "\n");
  } catch (e) {
    process.stderr.write(`npm run engine: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
