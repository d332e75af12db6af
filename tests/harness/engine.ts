/**
 * Real-engine test harness: runs real `pulumi` commands for a program directory against a throw-away
 * file:// backend in a temp folder, with the offline-safe environment, and cleans up.
 *
 *   const stack = await TestStack.create(programDir, { config: { "sspr:tenant": "..." } });
 *   const up = await stack.pulumi(["up", "--yes"]);
 *   await stack.cleanup();
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findEngine } from "../../scripts/engine";
import { PulumiResult, pulumiEnv, runPulumi } from "../../scripts/pulumiCli";

export interface TestStackOptions {
  stackName?: string;
  /** Plain stack config, `key: value` (namespaced keys like "sspr:cloud"). */
  config?: Record<string, string>;
  /** Secret stack config, stored encrypted by the passphrase provider. */
  secretConfig?: Record<string, string>;
  /** Read the config keys as paths (`config set --path`): "sspr:methods.required" sets `required` inside sspr:methods. */
  configPath?: boolean;
  /** Extra environment for every command (e.g. emulator URLs, credentials). */
  env?: NodeJS.ProcessEnv;
}

/** The engine's folder (scripts/engine.ts remembers it, so this looks it up once per process). */
export function engineBinDir(): string {
  const engine = findEngine();
  if (!engine) throw new Error("No Pulumi engine: run `npm run engine` first (npm test does it for you).");
  return engine.binDir;
}

export class TestStack {
  private constructor(
    readonly programDir: string,
    readonly stackName: string,
    readonly workDir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Config lives outside the program directory, so tests never write into the repo. */
  get configFile(): string { return path.join(this.workDir, `Pulumi.${this.stackName}.yaml`); }
  get backendDir(): string { return path.join(this.workDir, "state"); }

  static async create(programDir: string, o: TestStackOptions = {}): Promise<TestStack> {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sspr-stack-"));
    const stackName = o.stackName ?? "test";
    fs.mkdirSync(path.join(workDir, "state"));
    fs.mkdirSync(path.join(workDir, "home"));
    const env = pulumiEnv({ binDir: engineBinDir(), backendDir: path.join(workDir, "state"), homeDir: path.join(workDir, "home") }, o.env);
    const stack = new TestStack(path.resolve(programDir), stackName, workDir, env);
    // `stack init` writes the secrets salt to Pulumi.<stack>.yaml in the program folder and takes no
    // --config-file: move that file to the temp folder so tests never write into the repo.
    const written = path.join(stack.programDir, `Pulumi.${stackName}.yaml`);
    if (fs.existsSync(written)) throw new Error(`${written} exists; pick another stackName for the test`);
    await stack.check(["stack", "init", stackName]);
    if (fs.existsSync(written)) fs.renameSync(written, stack.configFile);
    // All keys in one `config set-all`: one pulumi process instead of one per key.
    const pairs = [
      ...Object.entries(o.config ?? {}).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
      ...Object.entries(o.secretConfig ?? {}).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ];
    if (pairs.length > 0) await stack.check(["config", "set-all", ...(o.configPath ? ["--path"] : []), ...pairs]);
    return stack;
  }

  /**
   * Runs `pulumi <args>` on this stack (adding --stack, and --config-file where the command takes it);
   * never throws on a non-zero exit.
   */
  pulumi(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<PulumiResult> {
    const stackArgs = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", this.stackName];
    const configArgs = ["up", "preview", "refresh", "destroy", "config"].includes(args[0]) ? ["--config-file", this.configFile] : [];
    return runPulumi([...args, ...stackArgs, ...configArgs], {
      cwd: this.programDir,
      env: { ...this.env, ...extraEnv },
    });
  }

  /** Like pulumi(), but throws with the command's output when it fails. */
  async check(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<PulumiResult> {
    const r = await this.pulumi(args, extraEnv);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** The raw checkpoint file the file backend wrote for this stack (what `pulumi stack export` reads). */
  stateFileText(): string {
    const stacksRoot = path.join(this.backendDir, ".pulumi", "stacks");
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p); else if (e.name === `${this.stackName}.json`) files.push(p);
      }
    };
    if (fs.existsSync(stacksRoot)) walk(stacksRoot);
    if (files.length !== 1) throw new Error(`expected one state file for stack ${this.stackName}, found ${files.length}`);
    return fs.readFileSync(files[0], "utf8");
  }

  /** `npm run drift` as CI runs it: scripts/drift.ts on this stack's backend and config, in a child process. */
  drift(): Promise<{ code: number; out: string }> {
    const { spawn } = require("child_process") as typeof import("child_process");
    const repoRoot = path.resolve(__dirname, "../..");
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "scripts/drift.ts"),
        "--stack", this.stackName, "--cwd", this.programDir, "--config-file", this.configFile], { env: this.env, cwd: repoRoot });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (out += d));
      child.on("close", (code: number | null) => resolve({ code: code ?? -1, out }));
    });
  }

  async cleanup(): Promise<void> {
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}
