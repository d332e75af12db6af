/**
 * `npm run drift -- --stack NAME [--cwd DIR] [--config-file FILE]`: has the tenant drifted from the declared
 * SSPR settings?
 *
 * Runs `pulumi preview --refresh --expect-no-changes --diff` and prints a short summary of each drifted
 * setting (what the stack declares vs what the tenant has). Exit code 0 = no drift, 1 = drift, 2 = error.
 * The dev stack runs against the local emulator, started here like `npm run demo` does; any other stack
 * runs against the backend and credentials of the environment (CI: `pulumi login`, AZURE_*, ...).
 */
import * as path from "path";
import { runPulumi } from "./pulumiCli";
import { withDevStack } from "./devStack";

export interface DriftedSetting { resource: string; setting: string; declared: string; tenant: string }

/** Reads the `~ setting: declared => tenant` lines of the refresh steps in `pulumi preview --diff` output. */
export function parseDrift(output: string): DriftedSetting[] {
  const drifted: DriftedSetting[] = [];
  let resource = "";
  let inOutputs = false;
  for (const line of output.split("\n")) {
    const head = line.match(/^\s*[~+-]?\s*([\w:/.-]+): \((refresh|update|same|create|delete)\)/);
    if (head) { resource = head[2] === "refresh" ? head[1] : ""; inOutputs = false; continue; }
    if (/--outputs:--/.test(line)) { inOutputs = resource !== ""; continue; }
    // The CLI pads keys to a column: "~ notifyUsersOnReset   : true => false".
    const change = inOutputs && line.match(/^\s*~ (\w+)\s*: (.*) => (.*)$/);
    if (change) drifted.push({ resource: resource.replace(/^pulumi-nodejs:dynamic\//, ""), setting: change[1], declared: change[2].trim(), tenant: change[3].trim() });
  }
  return drifted;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const stack = arg("--stack");
  if (!stack) { process.stderr.write("usage: npm run drift -- --stack NAME [--cwd DIR] [--config-file FILE]\n"); return 2; }
  const configFile = arg("--config-file");
  const cwd = path.resolve(arg("--cwd") ?? path.join(__dirname, ".."));

  const check = async (env: NodeJS.ProcessEnv) => {
    const r = await runPulumi(["preview", "--refresh", "--expect-no-changes", "--diff", "--stack", stack, ...(configFile ? ["--config-file", configFile] : [])], { cwd, env });
    const drifted = parseDrift(r.stdout);
    if (r.code === 0) { process.stdout.write(`No drift: tenant matches stack "${stack}".\n`); return 0; }
    if (drifted.length > 0) {
      process.stdout.write(`Drift: the tenant differs from stack "${stack}" in ${drifted.length} setting(s):\n`);
      for (const d of drifted) process.stdout.write(`  - ${d.resource} ${d.setting}: declared ${d.declared}, tenant has ${d.tenant}\n`);
      process.stdout.write(`Run \`pulumi up --stack ${stack}\` to put the declared settings back, or change the program to accept the tenant's.\n`);
      return 1;
    }
    if (/no changes were expected but changes were proposed/.test(r.stdout + r.stderr)) {
      process.stdout.write(`Changes pending for stack "${stack}" (the program changed, not the tenant):\n${r.stdout}`);
      return 1;
    }
    process.stderr.write(`Drift check failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}\n`);
    return 2;
  };
  return stack === "dev" ? withDevStack(cwd, (env) => check(env)) : check({ ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" });
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); });
}
