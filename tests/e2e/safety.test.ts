/**
 * Safe to point at a production tenant (issue 11), under the real engine against the emulator, with the
 * example program (index.ts) and no policy pack:
 *   - destroy gives back a tenant that started on "Selected" with a pilot group and security questions, exactly;
 *   - what Microsoft would refuse for licence or sync fails `up` before the stack's first write;
 *   - a second stack cannot adopt a tenant object another stack manages (recorded in the tenant), and the
 *     first stack's destroy hands it over;
 *   - a trial-only tenant gets a clear warning without the pack.
 * "No writes" is read from the emulator's request log: nothing but GETs and sign-ins.
 */
import * as path from "path";
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { wellKnownIds } from "../../emulator/presets";
import { TestStack } from "../harness/engine";

const repoRoot = path.resolve(__dirname, "../..");
let emu: RunningEmulator;
const stacks: TestStack[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: ["paid-cloud-only", "hybrid-no-p1", "trial"] });
});
afterAll(async () => {
  for (const s of stacks) await s.cleanup();
  await emu?.stop();
});

async function stackFor(t: TenantCredentials, name: string, config: Record<string, string>): Promise<TestStack> {
  const s = await TestStack.create(repoRoot, {
    stackName: name,
    config: { "sspr:tenantId": t.tenantId, "sspr:endpoint": emu.url, "sspr:manageAzureAd": "false", ...config },
    env: credentialEnv(t),
  });
  stacks.push(s);
  return s;
}

/** Requests that change the tenant (anything but reads and sign-ins) since the last clearRequests(). */
async function writes(t: TenantCredentials) {
  return (await emu.control.requests({ tenantId: t.tenantId })).filter((r) => r.method !== "GET" && !r.route.includes("/oauth2/"))
    .map((r) => r.route);
}

async function portalPolicy(t: TenantCredentials): Promise<Record<string, unknown>> {
  return (await emu.control.getState(t.tenantId)).passwordResetPolicy as unknown as Record<string, unknown>;
}

describe("destroy gives back what the tenant had, with the settings that belong together", () => {
  test('a tenant on "Selected" with a pilot group and security questions: up to "all", destroy restores it exactly', async () => {
    const t = emu.tenants["paid-cloud-only"];
    const pilot = wellKnownIds(t.tenantId).groups.ssprUsers;
    await emu.control.drift(t.tenantId, { passwordResetPolicy: {
      enablementType: 1, passwordResetEnabledGroupIds: [pilot], passwordResetEnabledGroupName: "SSPR Users", securityQuestionsOptionEnabled: true, numberOfQuestionsToRegister: 3, numberOfQuestionsToReset: 3,
      securityQuestions: [{ questionText: "First pet?" }, { questionText: "First school?" }, { questionText: "Birth city?" }],
    } });
    const before = await portalPolicy(t);
    const s = await stackFor(t, "safety-selected", { "sspr:enablement": "all" });
    await s.check(["up", "--yes"]);
    expect(await portalPolicy(t)).toMatchObject({ enablementType: 2, securityQuestionsOptionEnabled: false });
    const down = await s.pulumi(["destroy", "--yes"]);
    expect(down.stdout + down.stderr).not.toMatch(/needs exactly one group/);
    expect(down.code).toBe(0);
    expect(await portalPolicy(t)).toEqual(before);
  });
});

describe("nothing half-applied: what Microsoft refuses is refused before the first write, without the policy pack", () => {
  test("hybrid tenant without P1 declaring writeback: up fails naming the licence, and the SSPR policy is not written", async () => {
    const t = emu.tenants["hybrid-no-p1"];
    const before = await emu.control.getState(t.tenantId);
    const s = await stackFor(t, "safety-hybrid", { "sspr:enablement": "all", "sspr:onPremises": JSON.stringify({ passwordWriteback: true }) });
    await emu.control.clearRequests();
    const up = await s.pulumi(["up", "--yes"]);
    const out = up.stdout + up.stderr;
    expect(up.code).not.toBe(0);
    expect(out).toMatch(/onPremises.passwordWriteback is true; password writeback needs a Microsoft Entra ID P1 or P2/);
    expect(out).not.toMatch(/unhandled exception|at .*\.ts:\d+/);
    expect(await writes(t)).toEqual([]);
    expect(await emu.control.getState(t.tenantId)).toEqual(before);
  });

  test("a trial-only tenant without the pack gets a clear warning; a first adoption previews what the tenant has now", async () => {
    const t = emu.tenants.trial;
    const s = await stackFor(t, "safety-trial", { "sspr:enablement": "all" });
    const preview = await s.check(["preview", "--diff"]);
    const out = preview.stdout + preview.stderr;
    expect(out).toMatch(/warning: .*no paid subscription \(trial-only\)/);
    // "tenant has None, will be All": the tenant's current values next to the declared ones.
    expect(out).toMatch(/tenantBefore\s*: \{[\s\S]*enablement\s*: "none"/);
    expect(out).toMatch(/\n\s*enablement\s*: "all"/);
  });
});

describe("two stacks, one tenant", () => {
  test("a second stack is refused at preview and at up, naming the managing stack; destroy of the first hands over", async () => {
    const t = emu.tenants["paid-cloud-only"];
    await emu.control.reset(t.tenantId);
    const first = await stackFor(t, "safety-owner", { "sspr:enablement": "all", "sspr:notifications": JSON.stringify({ notifyUsersOnReset: false }) });
    await first.check(["up", "--yes"]);
    const second = await stackFor(t, "safety-second", { "sspr:enablement": "none" });

    await emu.control.clearRequests();
    const preview = await second.pulumi(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/managed by stack "sspr\/safety-owner"/);
    const up = await second.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/managed by stack "sspr\/safety-owner"[\s\S]*pulumi destroy/);
    expect(await writes(t)).toEqual([]);
    expect((await portalPolicy(t)).enablementType).toBe(2);

    // The first stack's refresh still sees its own settings: nothing was taken over.
    const clean = await first.pulumi(["preview", "--refresh", "--expect-no-changes"]);
    expect(clean.code).toBe(0);

    await first.check(["destroy", "--yes"]);
    await second.check(["up", "--yes"]);
    expect((await portalPolicy(t)).enablementType).toBe(0);
    await second.check(["destroy", "--yes"]);
    const ext = (await emu.control.getState(t.tenantId)).organizationExtensions ?? [];
    // Released on destroy: no stack is recorded any more.
    expect(ext.flatMap((e) => Object.entries(e).filter(([k, v]) => !["id", "extensionName"].includes(k) && v))).toEqual([]);
  });
});
