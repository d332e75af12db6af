/**
 * `npm run bench`: what an administrator waits on, measured against the offline emulator in one run.
 *
 *   1. Refresh of the SSPR policy (provider read): with the per-process token cache, and signing in every time.
 *   2. Tenant-facts discovery (three parallel Graph reads): sign-ins it costs.
 *   3. `pulumi preview` of the example program under the real engine (refresh included).
 *
 * Prints medians and ratios; numbers vary by machine, ratios within one run are what to compare.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { _provider as passwordReset } from "../components/passwordResetPolicy";
import { discoverTenantFacts } from "../components/tenantFacts";
import type { ConnectionInputs } from "../components/model";
import { ensureEngine } from "./engine";
import { pulumiEnv, runPulumi } from "./pulumiCli";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const clearTokens = () => (globalThis as { __ssprTokenCache?: Map<string, unknown> }).__ssprTokenCache?.clear();

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  const reads = Number(process.env.BENCH_READS ?? 40), previews = Number(process.env.BENCH_PREVIEWS ?? 3);
  const emu = await startEmulator({ port: 0, presets: ["paid-cloud-only"] });
  const t = emu.tenants["paid-cloud-only"];
  Object.assign(process.env, { AZURE_CLIENT_ID: t.clientId, AZURE_CLIENT_SECRET: t.clientSecret, SSPR_PORTAL_REFRESH_TOKEN: t.adminRefreshToken, SSPR_USE_AZURE_CLI: "false" });
  const conn: ConnectionInputs = { cloud: t.cloud, tenantId: t.tenantId, endpoint: emu.url };
  const props = { connection: conn, enablement: "all", notifyUsersOnReset: true };
  const rows: [string, string][] = [];
  try {
    await passwordReset.read!("id", props); // warm-up: module loading, TLS, first sign-in
    const cached = median(await timeEach(reads, () => passwordReset.read!("id", props)));
    const uncached = median(await timeEach(reads, async () => { clearTokens(); await passwordReset.read!("id", props); }));
    rows.push([`SSPR policy refresh, token cached (median of ${reads})`, `${cached.toFixed(1)} ms`]);
    rows.push([`SSPR policy refresh, signing in each time (median of ${reads})`, `${uncached.toFixed(1)} ms`]);
    rows.push(["  ratio: sign-in every time / cached", `${(uncached / cached).toFixed(1)}x`]);

    clearTokens();
    await emu.control.clearRequests();
    await discoverTenantFacts(conn);
    const signIns = (await emu.control.requests({ tenantId: t.tenantId })).filter((r) => r.route.includes("/oauth2/")).length;
    rows.push(["Tenant-facts discovery (3 parallel Graph reads): sign-ins", String(signIns)]);

    const engine = ensureEngine();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sspr-bench-"));
    const repoRoot = path.resolve(__dirname, "..");
    const configFile = path.join(work, "Pulumi.bench.yaml");
    const env = pulumiEnv({ binDir: engine.binDir, backendDir: work, homeDir: work }, {
      AZURE_CLIENT_ID: t.clientId, AZURE_CLIENT_SECRET: t.clientSecret, SSPR_PORTAL_REFRESH_TOKEN: t.adminRefreshToken, SSPR_USE_AZURE_CLI: "false",
    });
    try {
      const written = path.join(repoRoot, "Pulumi.bench.yaml");
      await runPulumi(["stack", "init", "bench"], { cwd: repoRoot, env });
      if (fs.existsSync(written)) fs.renameSync(written, configFile);
      for (const [k, v] of [["sspr:tenantId", t.tenantId], ["sspr:endpoint", emu.url], ["sspr:manageAzureAd", "false"]]) {
        await runPulumi(["config", "set", k, v, "--stack", "bench", "--config-file", configFile], { cwd: repoRoot, env });
      }
      const secs = (await timeEach(previews, async () => {
        const r = await runPulumi(["preview", "--stack", "bench", "--config-file", configFile], { cwd: repoRoot, env });
        if (r.code !== 0) throw new Error(`pulumi preview failed:\n${r.stdout}\n${r.stderr}`);
      })).map((ms) => ms / 1000);
      rows.push([`pulumi preview of the example program, real engine (median of ${previews})`, `${median(secs).toFixed(1)} s`]);
      rows.push(["  ratio: preview / one provider refresh", `${((median(secs) * 1000) / cached).toFixed(0)}x`]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  } finally {
    await emu.stop();
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`npm run bench (${os.cpus().length} cores, Node ${process.version}; BENCH_READS=${reads} BENCH_PREVIEWS=${previews})\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
