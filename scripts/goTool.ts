/**
 * Tools this project builds from Go modules (the Pulumi CLI in engine/, actionlint in tools/actionlint/):
 * one way to find them on PATH, key their per-user cache by the pinned go.mod + go.sum, and build them
 * through the Go module proxy into that cache (staged, then renamed, so a failed build leaves nothing).
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The real path of an executable on PATH, or undefined. */
export function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    try { fs.accessSync(candidate, fs.constants.X_OK); return fs.realpathSync(candidate); } catch { /* next */ }
  }
  return undefined;
}

/**
 * `<base>/v<version>-<hash of go.mod+go.sum>`, where base is `$<overrideEnv>` or
 * `${XDG_CACHE_HOME:-~/.cache}/sspr-as-code/<tool>`: outside the clone, so every fresh clone (every CI run)
 * on the machine reuses it, and a change of pins gets a new folder.
 */
export function toolCacheDir(tool: string, overrideEnv: string, moduleDir: string, version: string): string {
  const base = process.env[overrideEnv] ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "sspr-as-code", tool);
  const pins = crypto.createHash("sha256")
    .update(fs.readFileSync(path.join(moduleDir, "go.mod")))
    .update(fs.readFileSync(path.join(moduleDir, "go.sum")))
    .digest("hex").slice(0, 12);
  return path.join(base, `v${version}-${pins}`);
}

export interface GoBuild {
  /** Folder of the wrapper module whose go.mod/go.sum pin everything. */
  moduleDir: string;
  packages: string[];
  ldflags: string;
  tags?: string;
  /** Extra environment, e.g. GONOSUMDB for a module the checksum database does not list. */
  env?: NodeJS.ProcessEnv;
  /** Said on stderr before a build that may take minutes. */
  announce: string;
  /** Said when Go is missing: how to install the tool instead. */
  noGoHelp: string;
  /**
   * Checked on the staged build before it replaces `finalDir`: `versionOf(<staging>/<binary>)` must be `version`
   * (so a build that reports the wrong version leaves nothing behind either).
   */
  verify?: { binary: string; version: string; versionOf: (binaryPath: string) => string | undefined };
}

/**
 * Builds the packages into `finalDir` (replacing it); GOFLAGS=-mod=readonly so go.sum verifies every module.
 * With `verify`, the staged binary must report the expected version first.
 */
export function goBuildInto(finalDir: string, b: GoBuild): void {
  const go = onPath(process.platform === "win32" ? "go.exe" : "go");
  if (!go) throw new Error(b.noGoHelp);
  const staging = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  process.stderr.write(`${b.announce}\n`);
  const args = ["build", "-trimpath", ...(b.tags ? ["-tags", b.tags] : []), "-ldflags", b.ldflags, "-o", staging + path.sep, ...b.packages];
  try {
    execFileSync(go, args, { cwd: b.moduleDir, env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly", ...b.env }, stdio: ["ignore", "inherit", "inherit"] });
    if (b.verify) {
      const built = b.verify.versionOf(path.join(staging, b.verify.binary));
      if (built !== b.verify.version) {
        throw new Error(`Built ${path.parse(b.verify.binary).name} reports version "${built ?? ""}", expected ${b.verify.version}.`);
      }
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(staging, finalDir);
}
