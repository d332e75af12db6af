/**
 * `npm run bench`: what an administrator waits on, measured in one run against the offline emulator.
 *
 *   1. The emulator: start-up time, and requests per second it serves (Graph and portal reads).
 *   2. Refresh of the SSPR policy (provider read): with the per-process token cache, and signing in every time.
 *   3. Real engine, a stack with all four tenant objects (hybrid tenant with P1): HTTP requests per
 *      `pulumi preview --refresh`, next to the minimum (one read per tenant object).
 *   4. Real engine: the example stack's `pulumi preview` time as a ratio to an empty program's preview.
 *   5. The policy pack: every policy over a stack of 5,000 role assignments (no engine: the validation args the
 *      analyzer would hand over, built with the policy tests' helper).
 *
 * Loops are bounded in count and time, and all traffic stays on 127.0.0.1. Numbers vary by machine; compare
 * the ratios within one run.
 */
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { credentialEnv } from "../emulator/credentials";
import { _provider as passwordReset } from "../components/passwordResetPolicy";
import { getToken, resolveEndpoints } from "../components/connection";
import type { ConnectionInputs } from "../components/model";
import { TestStack } from "../tests/harness/engine";
import { allPolicies } from "../policy/policies";
import { createResourceValidationArgs, createStackValidationArgs, runPolicy } from "../tests/policy/util";
import { methodsPolicy, resetPolicyResource, roleAssignment, roleEligibility, FACTS } from "../tests/policy/fixtures";
import { ROLE } from "../components/model";

const repoRoot = path.resolve(__dirname, "..");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const clearTokens = () => (globalThis as { __ssprTokenCache?: Map<string, unknown> }).__ssprTokenCache?.clear();
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) { const t0 = process.hrtime.bigint(); await fn(); out.push(ms(t0)); }
  return out;
}

/** Requests per second with `concurrency` callers for at most `seconds` (and at most 20,000 requests). */
async function throughput(url: string, token: string, concurrency: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline && done < 20_000) {
      const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${url} answered ${r.status}`);
      done++;
    }
  }));
  return done / (ms(t0) / 1000);
}

/** A throw-away stack of a program (the real-engine test harness's): config keys as paths, in a temp folder, local backend. */
function benchStack(programDir: string, name: string, config: Record<string, string>, env: NodeJS.ProcessEnv): Promise<TestStack> {
  return TestStack.create(programDir, { stackName: name, config, configPath: true, env });
}

async function main(): Promise<void> {
  const reads = Number(process.env.BENCH_READS ?? 40), previews = Number(process.env.BENCH_PREVIEWS ?? 3);
  const rows: [string, string][] = [];

  // 1. The emulator itself.
  const startups = await timeEach(5, async () => (await startEmulator({ port: 0 })).stop());
  rows.push(["Emulator start-up, all six presets (median of 5)", `${median(startups).toFixed(0)} ms`]);
  const emu = await startEmulator({ port: 0, presets: ["paid-cloud-only", "hybrid-p1"] });
  try {
    const t = emu.tenants["paid-cloud-only"];
    const creds = credentialEnv(t);
    Object.assign(process.env, creds);
    const conn: ConnectionInputs = { cloud: t.cloud, tenantId: t.tenantId, endpoint: emu.url };
    const ep = resolveEndpoints(conn);
    const graphRps = await throughput(`${ep.graph}/v1.0/policies/authorizationPolicy`, await getToken(conn, "graph"), 16, 3);
    const portalRps = await throughput(`${ep.portal}/api/PasswordReset/PasswordResetPolicies`, await getToken(conn, "portal"), 16, 3);
    rows.push(["Emulator throughput, Graph GET authorizationPolicy (16 callers, 3 s)", `${graphRps.toFixed(0)} req/s`]);
    rows.push(["Emulator throughput, portal GET PasswordResetPolicies (16 callers, 3 s)", `${portalRps.toFixed(0)} req/s`]);

    // 2. One provider refresh.
    const props = { connection: conn, enablement: "all", notifyUsersOnReset: true };
    await passwordReset.read!("id", props); // warm-up: module loading, TLS, first sign-in
    const cached = median(await timeEach(reads, () => passwordReset.read!("id", props)));
    const uncached = median(await timeEach(reads, async () => { clearTokens(); await passwordReset.read!("id", props); }));
    rows.push([`SSPR policy refresh (provider read), token cached (median of ${reads})`, `${cached.toFixed(1)} ms`]);
    rows.push([`SSPR policy refresh, signing in each time (median of ${reads})`, `${uncached.toFixed(1)} ms`]);
    rows.push(["  ratio: signing in each time / cached", `${(uncached / cached).toFixed(1)}x`]);

    // 3. Requests per preview --refresh of a stack with all four tenant objects.
    const h = emu.tenants["hybrid-p1"];
    const hybridEnv = credentialEnv(h);
    const full = await benchStack(repoRoot, "benchfour", {
      "sspr:tenantId": h.tenantId, "sspr:endpoint": emu.url, "sspr:manageAzureAd": "false", "sspr:enablement": "all",
      "sspr:onPremises.passwordWriteback": "true", "sspr:administratorsCanResetPassword": "true",
      "sspr:authenticationMethods.methods.Sms.state": "disabled",
    }, hybridEnv);
    try {
      await full.check(["up", "--yes"]);
      await emu.control.clearRequests();
      await full.check(["preview", "--refresh"]);
      const log = await emu.control.requests({ tenantId: h.tenantId });
      // Sign-in traffic: token requests and the OpenID metadata document MSAL fetches once per credential.
      const isSignIn = (route: string) => /\/oauth2\/|\.well-known|\/discovery\//.test(route);
      const signIns = log.filter((r) => isSignIn(r.route)).length;
      const factReads = log.filter((r) => /organization|subscriptions|subscribedSkus/.test(r.route)).length;
      const objectReads = log.length - signIns - factReads;
      rows.push(["HTTP requests per `pulumi preview --refresh`, stack with all four tenant objects", `${log.length}`]);
      rows.push(["  tenant-object reads (minimum possible: 4, one per object)", `${objectReads}`]);
      rows.push(["  tenant-facts reads by the program (organization, subscriptions, SKUs)", `${factReads}`]);
      rows.push(["  sign-in requests (3 tokens: program Graph, provider Graph + portal; MSAL metadata)", `${signIns}`]);
      const writes = log.filter((r) => r.method !== "GET" && !isSignIn(r.route)).length;
      if (writes > 0) throw new Error(`preview wrote to the tenant (${writes} requests)`);
    } finally {
      await full.check(["destroy", "--yes"]).catch(() => undefined);
      await full.cleanup();
    }

    // 4. The example stack's preview vs an empty program's, same run.
    const example = await benchStack(repoRoot, "benchexample", { "sspr:tenantId": t.tenantId, "sspr:endpoint": emu.url, "sspr:manageAzureAd": "false", "sspr:enablement": "all" }, creds);
    const empty = await benchStack(path.join(repoRoot, "tests/fixtures/empty"), "benchempty", {}, {});
    try {
      const exampleSecs = median(await timeEach(previews, () => example.check(["preview"]))) / 1000;
      const emptySecs = median(await timeEach(previews, () => empty.check(["preview"]))) / 1000;
      rows.push([`\`pulumi preview\` of the example stack (median of ${previews})`, `${exampleSecs.toFixed(1)} s`]);
      rows.push([`\`pulumi preview\` of an empty program (median of ${previews})`, `${emptySecs.toFixed(1)} s`]);
      rows.push(["  ratio: example / empty", `${(exampleSecs / emptySecs).toFixed(2)}x`]);
    } finally {
      await example.cleanup();
      await empty.cleanup();
    }
  } finally {
    await emu.stop();
  }
  rows.push(...await policyCost(5000));
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`npm run bench (${os.cpus().length} cores, Node ${process.version}; BENCH_READS=${reads} BENCH_PREVIEWS=${previews})\n`);
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

/** Every policy of the pack over one stack of `n` role assignments plus the SSPR resources, as the analyzer runs them. */
async function policyCost(n: number): Promise<[string, string][]> {
  const roles = [ROLE.PasswordAdministrator, ROLE.HelpdeskAdministrator, ROLE.AuthenticationPolicyAdministrator, ROLE.GlobalAdministrator];
  const hex = (i: number) => i.toString(16).padStart(12, "0");
  const resources = [resetPolicyResource({ tenantFacts: { ...FACTS.p2 } }),
    { type: "pulumi-nodejs:dynamic/sspr:AuthenticationMethodsPolicy", props: methodsPolicy(), name: "methods" }];
  for (let i = 0; i < n; i++) {
    const make = i % 2 === 0 ? roleAssignment : roleEligibility;
    resources.push(make(roles[i % roles.length], `aaaaaaaa-0000-0000-0000-${hex(i)}`, `role-${i}`));
  }
  let violations = 0;
  const runs = await timeEach(3, async () => {
    violations = 0;
    const stack = createStackValidationArgs(resources);
    for (const policy of allPolicies) {
      if ("validateStack" in policy) violations += (await runPolicy(policy, stack)).length;
      else for (const r of resources) violations += (await runPolicy(policy, createResourceValidationArgs(r.type, r.props))).length;
    }
  });
  return [
    [`Policy pack: all ${allPolicies.length} policies over a stack of ${n} role assignments (median of 3)`, `${median(runs).toFixed(0)} ms`],
    ["  violations reported (Global Administrator count, least privilege, permanent assignments)", `${violations}`],
  ];
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(1); });
