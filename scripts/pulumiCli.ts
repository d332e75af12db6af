/**
 * Runs real `pulumi` commands with an offline-safe environment. Used by `npm run demo`, `npm run drift`
 * and the real-engine test harness, so all three run the engine the same way.
 */
import { spawn } from "child_process";
import * as path from "path";

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when the command was run with --json and printed JSON. */
  json?: unknown;
}

export interface PulumiEnvOptions {
  /** Folder with pulumi and its plugins (from `npm run engine`). */
  binDir: string;
  /** Absolute folder for the file:// state backend. */
  backendDir: string;
  /** PULUMI_HOME: credentials, plugin cache, workspace settings. */
  homeDir: string;
  /** Passphrase of the stack's secrets provider; the file backend needs one (empty is a valid passphrase). */
  passphrase?: string;
}

/** The environment every offline pulumi command gets: no update check, no plugin downloads, local state. */
export function pulumiEnv(o: PulumiEnvOptions, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${o.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: o.homeDir,
    PULUMI_BACKEND_URL: `file://${path.resolve(o.backendDir)}`,
    PULUMI_CONFIG_PASSPHRASE: o.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    // Plain, uncoloured output: it is read by tests and by people in CI logs.
    NO_COLOR: "1",
    ...extra,
  };
}

export function runPulumi(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; echo?: boolean }): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d; if (opts.echo) process.stdout.write(d); });
    child.stderr.on("data", (d: Buffer) => { stderr += d; if (opts.echo) process.stderr.write(d); });
    child.on("error", reject);
    child.on("close", (code) => {
      const result: PulumiResult = { code: code ?? -1, stdout, stderr };
      if (args.includes("--json")) {
        try { result.json = JSON.parse(stdout); } catch { /* not JSON (e.g. an error before output) */ }
      }
      resolve(result);
    });
  });
}
