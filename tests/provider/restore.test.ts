/**
 * Destroy gives back exactly what the tenant had (issue 11): for every preset, every enablement transition
 * (none / selected / all to each other) with security questions turned on or off by the stack, the portal
 * object after create + delete equals the one before, field for field. And the ownership record: a second
 * stack is refused before any write, a deliberate take-over works, destroy releases it.
 */
import { PRESET_NAMES, PresetName, RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { wellKnownIds } from "../../emulator/presets";
import { _provider as passwordReset } from "../../components/passwordResetPolicy";
import type { ConnectionInputs, Enablement, TenantFacts } from "../../components/model";
import { useTenant } from "./helpers";

let emu: RunningEmulator;
const savedEnv = { ...process.env };
beforeAll(async () => { emu = await startEmulator({ port: 0 }); });
afterAll(async () => { process.env = savedEnv; await emu?.stop(); });

const conn = (t: TenantCredentials): ConnectionInputs => ({ cloud: t.cloud, tenantId: t.tenantId, endpoint: emu.url });
const facts: TenantFacts = { source: "graph", trialOnly: false, directorySync: false, entraIdP1: false, entraIdP2: false, businessPremium: false };
const portal = async (t: TenantCredentials) => (await emu.control.getState(t.tenantId)).passwordResetPolicy as unknown as Record<string, unknown>;
const writes = async (t: TenantCredentials) =>
  (await emu.control.requests({ tenantId: t.tenantId })).filter((r) => r.method !== "GET" && !r.route.includes("/oauth2/")).map((r) => r.route);

const MODES: Enablement[] = ["none", "selected", "all"];
const QUESTIONS = [{ questionText: "First pet?" }, { questionText: "First school?" }, { questionText: "Birth city?" }];

/** The tenant as an admin left it by hand: `from` enablement (Selected with the pilot group), questions on or off. */
async function startAt(t: TenantCredentials, from: Enablement, questions: boolean) {
  await emu.control.reset(t.tenantId);
  const ids = wellKnownIds(t.tenantId).groups;
  await emu.control.drift(t.tenantId, { passwordResetPolicy: {
    enablementType: MODES.indexOf(from),
    passwordResetEnabledGroupIds: from === "selected" ? [ids.ssprUsers] : [],
    passwordResetEnabledGroupName: from === "selected" ? "SSPR Users" : "",
    ...(questions ? { securityQuestionsOptionEnabled: true, numberOfQuestionsToRegister: 3, numberOfQuestionsToReset: 3, securityQuestions: QUESTIONS } : {}),
  } });
}

/** What the component declares: every method flag, and security questions the other way round from the tenant. */
function declared(t: TenantCredentials, to: Enablement, questionsInTenant: boolean, extra: Record<string, unknown> = {}) {
  return {
    connection: conn(t), tenantFacts: facts, enablement: to,
    targetGroupIds: to === "selected" ? [wellKnownIds(t.tenantId).groups.helpdesk] : undefined,
    methodsRequired: 2, emailEnabled: true, mobilePhoneEnabled: true, officePhoneEnabled: false,
    authenticatorNotificationEnabled: true, authenticatorCodeEnabled: true,
    securityQuestionsEnabled: !questionsInTenant,
    ...(questionsInTenant ? {} : { securityQuestionsToRegister: 4, securityQuestionsToReset: 3, securityQuestions: ["Q1?", "Q2?", "Q3?", "Q4?"] }),
    requireRegistrationOnSignIn: true, reconfirmAfterDays: 90, notifyUsersOnReset: true, notifyAdminsOnAdminReset: true,
    ...extra,
  };
}

const transitions = PRESET_NAMES.flatMap((preset) => MODES.flatMap((from) => MODES.flatMap((to) =>
  [false, true].map((questions) => [preset, from, to, questions] as [PresetName, Enablement, Enablement, boolean]))));

describe("destroy restores the portal object exactly", () => {
  test(`${transitions.length} transitions: every preset, none/selected/all to each other, with and without security questions`, async () => {
    const failures: string[] = [];
    for (const [preset, from, to, questions] of transitions) {
      const t = emu.tenants[preset];
      useTenant(t);
      await startAt(t, from, questions);
      const before = await portal(t);
      const { outs } = await passwordReset.create!(declared(t, to, questions));
      const applied = await portal(t);
      if (applied.enablementType !== MODES.indexOf(to)) failures.push(`${preset} ${from}->${to}: not applied`);
      await passwordReset.delete!("id", outs);
      const after = await portal(t);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        const diff = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        failures.push(`${preset} ${from}->${to} questions ${questions ? "on" : "off"} in tenant: ${diff.join(", ")} differ`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("which stack manages the tenant object, recorded in the tenant", () => {
  test("a second stack is refused before any write, a named take-over works, destroy releases", async () => {
    const t = emu.tenants["paid-cloud-only"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    const first = await passwordReset.create!(declared(t, "all", false, { managedBy: "sspr/prod" }));
    const record = () => emu.control.getState(t.tenantId).then((s) => (s.organizationExtensions ?? [])[0]);
    expect(await record()).toMatchObject({ extensionName: "com.sspr-as-code.managedBy", PasswordResetPolicy: "sspr/prod" });

    await emu.control.clearRequests();
    const check = await passwordReset.check!({}, declared(t, "none", false, { managedBy: "sspr/laptop" }));
    expect(check.failures?.map((f) => f.reason).join("\n")).toMatch(/managed by stack "sspr\/prod"/);
    await expect(passwordReset.create!(declared(t, "none", false, { managedBy: "sspr/laptop" })))
      .rejects.toThrow(/Password reset policy in tenant .* is managed by stack "sspr\/prod"[\s\S]*pulumi destroy[\s\S]*takeOverFrom: "sspr\/prod"/);
    expect(await writes(t)).toEqual([]);
    expect((await portal(t)).enablementType).toBe(2);

    const takeover = await passwordReset.create!(declared(t, "none", false, { managedBy: "sspr/laptop", takeOverFrom: "sspr/prod" }));
    expect(await record()).toMatchObject({ PasswordResetPolicy: "sspr/laptop" });
    // The old stack's destroy no longer owns it: it restores nothing of its record and leaves the new owner's.
    await passwordReset.delete!("id", { ...first.outs, retainOnDelete: true });
    expect(await record()).toMatchObject({ PasswordResetPolicy: "sspr/laptop" });
    await passwordReset.delete!("id", takeover.outs);
    expect((await record()).PasswordResetPolicy).toBeNull();
  });

  test("a first write Microsoft refuses gives the ownership record back", async () => {
    const t = emu.tenants["paid-cloud-only"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    await emu.control.injectFault({ tenantId: t.tenantId, method: "PUT", pathContains: "PasswordResetPolicies", kind: "unavailable", count: 10, retryAfterSeconds: 0 });
    await expect(passwordReset.create!(declared(t, "all", false, { managedBy: "sspr/prod" }))).rejects.toThrow(/503/);
    await emu.control.clearFaults();
    const ext = (await emu.control.getState(t.tenantId)).organizationExtensions ?? [];
    expect(ext.every((e) => !e.PasswordResetPolicy)).toBe(true);
  }, 60_000);
});
