/**
 * The dev stack's surroundings, shared by `npm run demo` and `npm run drift -- --stack dev`: the offline
 * tenant emulator on a fixed port with persisted state (so the tenant remembers between runs like a real
 * one), a local file backend in .pulumi-state/, and the emulator's credentials in the environment of the
 * pulumi processes only (never in config or state).
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../emulator";
import { credentialEnv } from "../emulator/credentials";
import { ensureEngine } from "./engine";
import { pulumiEnv, runPulumi } from "./pulumiCli";

/** Pulumi.dev.yaml names this port in sspr:endpoint and this preset's tenant in sspr:tenantId. */
export const DEV_PORT = 44300;
export const DEV_PRESET = "paid-cloud-only";

export async function withDevStack<T>(programDir: string, fn: (env: NodeJS.ProcessEnv, emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const engine = ensureEngine();
  const stateDir = path.join(programDir, ".pulumi-state");
  fs.mkdirSync(path.join(stateDir, "home"), { recursive: true });
  fs.mkdirSync(path.join(programDir, ".emulator"), { recursive: true });
  const emulator = await startEmulator({ port: DEV_PORT, presets: [DEV_PRESET], stateFile: path.join(programDir, ".emulator", "dev-tenant.json") });
  try {
    const tenant = emulator.tenants[DEV_PRESET];
    const env = pulumiEnv({ binDir: engine.binDir, backendDir: stateDir, homeDir: path.join(stateDir, "home"), passphrase: "" },
      { NODE_EXTRA_CA_CERTS: emulator.caCertFile, ...credentialEnv(tenant) });
    const select = await runPulumi(["stack", "select", "dev", "--create"], { cwd: programDir, env });
    if (select.code !== 0) throw new Error(`pulumi stack select dev failed:\n${select.stderr}`);
    return await fn(env, emulator);
  } finally {
    await emulator.stop();
  }
}
