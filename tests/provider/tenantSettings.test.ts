/**
 * The four tenant-setting providers against the offline emulator over real HTTPS, with the same code
 * that talks to Microsoft: adopt, update, read after an out-of-band change, guarded update, restore on
 * delete, retain, throttling and 5xx retry, expired token, missing permission, app-only token on the
 * portal API, declared-facts mismatch, and invalid input rejected before any request. Also the PIM
 * eligibility with an end date (not a singleton: assign, read, extend, remove).
 */
import { startEmulator, RunningEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { _provider as passwordReset } from "../../components/passwordResetPolicy";
import { _provider as onPremises } from "../../components/onPremisesPasswordReset";
import { _provider as adminPolicy } from "../../components/adminPasswordResetPolicy";
import { _provider as methodsPolicy } from "../../components/authenticationMethodsPolicy";
import { _provider as eligibility } from "../../components/eligibleRoleAssignment";
import type { ConnectionInputs, TenantFacts } from "../../components/model";
import { useTenant } from "./helpers";

let emu: RunningEmulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  process.env = savedEnv;
  await emu?.stop();
});


function conn(t: TenantCredentials): ConnectionInputs {
  return { cloud: t.cloud, tenantId: t.tenantId, endpoint: emu.url };
}

const discovered = (o: Partial<TenantFacts> = {}): TenantFacts => ({
  source: "graph", trialOnly: false, directorySync: false, entraIdP1: false, entraIdP2: false, businessPremium: false, ...o,
});

async function portalPolicy(t: TenantCredentials): Promise<Record<string, unknown>> {
  const state = await emu.control.getState(t.tenantId) as { passwordResetPolicy: Record<string, unknown> };
  return state.passwordResetPolicy;
}

async function writes(t: TenantCredentials): Promise<number> {
  const log = await emu.control.requests({ tenantId: t.tenantId });
  return log.filter((r) => r.method === "PUT" || r.method === "PATCH").length;
}

describe("PasswordResetPolicy provider", () => {
  let t: TenantCredentials;
  let original: Record<string, unknown>;
  const inputs = () => ({
    connection: conn(t), tenantFacts: discovered(), enablement: "all", methodsRequired: 2, emailEnabled: true,
    authenticatorCodeEnabled: true, notifyUsersOnReset: true, notifyAdminsOnAdminReset: true, reconfirmAfterDays: 90,
  });

  beforeAll(async () => {
    t = emu.tenants["paid-cloud-only"];
    await emu.control.reset(t.tenantId);
    original = await portalPolicy(t);
  });
  beforeEach(() => useTenant(t));

  test("create adopts: keeps the prior settings, writes the declared ones, preserves the undeclared", async () => {
    const { id, outs } = await passwordReset.create!(inputs());
    expect(id).toBe(`${t.tenantId}/Passwordresetpolicy`);
    const now = await portalPolicy(t);
    expect(now).toMatchObject({ enablementType: 2, numberOfAuthenticationMethodsRequired: 2, registrationReconfirmIntevalInDays: 90 });
    // Not declared, so untouched: the tenant's office phone flag and questions counts.
    expect(now.officePhoneOptionEnabled).toBe(original.officePhoneOptionEnabled);
    expect(now.numberOfQuestionsToRegister).toBe(original.numberOfQuestionsToRegister);
    expect(outs.prior).toMatchObject({ enablement: "none", reconfirmAfterDays: original.registrationReconfirmIntevalInDays });
    expect(outs.enablement).toBe("all");
  });

  test("read shows a change made in the tenant by hand, and diff then reports a change", async () => {
    const { outs } = await passwordReset.create!(inputs());
    await emu.control.drift(t.tenantId, { passwordResetPolicy: { notifyUsersOnPasswordReset: false } });
    const read = await passwordReset.read!("id", outs);
    expect(read.props.notifyUsersOnReset).toBe(false);
    const diff = await passwordReset.diff!("id", read.props, inputs());
    expect(diff.changes).toBe(true);
    const clean = await passwordReset.diff!("id", outs, inputs());
    expect(clean.changes).toBe(false);
  });

  test("update refuses to overwrite a change made since the last refresh, then converges after one", async () => {
    const { outs } = await passwordReset.create!(inputs());
    await emu.control.drift(t.tenantId, { passwordResetPolicy: { notifyOnAdminPasswordReset: false } });
    const before = await writes(t);
    await expect(passwordReset.update!("id", outs, { ...inputs(), reconfirmAfterDays: 60 }))
      .rejects.toThrow(/changed outside Pulumi since the last refresh \(notifyAdminsOnAdminReset\)/);
    expect(await writes(t)).toBe(before);
    const refreshed = (await passwordReset.read!("id", outs)).props;
    const { outs: after } = await passwordReset.update!("id", refreshed, { ...inputs(), reconfirmAfterDays: 60 });
    expect(after.notifyAdminsOnAdminReset).toBe(true);
    expect(await portalPolicy(t)).toMatchObject({ notifyOnAdminPasswordReset: true, registrationReconfirmIntevalInDays: 60 });
  });

  test("delete restores the settings found at adoption", async () => {
    await emu.control.reset(t.tenantId);
    const { outs } = await passwordReset.create!(inputs());
    await passwordReset.delete!("id", outs);
    expect(await portalPolicy(t)).toEqual(original);
  });

  test("delete with retainOnDelete leaves the tenant as it is", async () => {
    await emu.control.reset(t.tenantId);
    const { outs } = await passwordReset.create!({ ...inputs(), retainOnDelete: true });
    await passwordReset.delete!("id", outs);
    expect(await portalPolicy(t)).toMatchObject({ enablementType: 2, registrationReconfirmIntevalInDays: 90 });
  });

  test("429 with Retry-After and 503 are retried; the write lands once", async () => {
    await emu.control.reset(t.tenantId);
    await emu.control.clearRequests();
    await emu.control.injectFault({ tenantId: t.tenantId, method: "PUT", kind: "throttle", count: 2, retryAfterSeconds: 1 });
    await emu.control.injectFault({ tenantId: t.tenantId, method: "GET", kind: "unavailable", count: 1, retryAfterSeconds: 0 });
    await passwordReset.create!(inputs());
    const puts = (await emu.control.requests({ tenantId: t.tenantId, method: "PUT" })).map((r) => r.status);
    expect(puts).toEqual([429, 429, 200]);
    expect(await portalPolicy(t)).toMatchObject({ enablementType: 2 });
  });

  test("an expired token is replaced and the call retried", async () => {
    await emu.control.reset(t.tenantId);
    await emu.control.clearRequests();
    await emu.control.injectFault({ tenantId: t.tenantId, kind: "expiredToken", count: 1 });
    await expect(passwordReset.create!(inputs())).resolves.toBeDefined();
    // In the log: the first call refused as expired (401), a new token fetched, then the same call answered 200.
    const log = await emu.control.requests({ tenantId: t.tenantId });
    const refused = log.findIndex((r) => r.status === 401);
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(log.filter((r) => r.status === 401)).toHaveLength(1);
    const after = log.slice(refused + 1);
    const retry = after.findIndex((r) => r.route === log[refused].route);
    expect(retry).toBeGreaterThan(0);
    expect(after[retry].status).toBe(200);
    expect(after.slice(0, retry).map((r) => [r.route, r.status])).toEqual([[expect.stringContaining("/oauth2/"), 200]]);
  });

  test("an app-only credential alone is refused for the portal API with the fix in the message", async () => {
    useTenant(t, { app: "full", delegated: false });
    await expect(passwordReset.read!("id", inputs())).rejects.toThrow(/accepts only delegated \(signed-in user\) tokens.*app-only credential.*SSPR_PORTAL_REFRESH_TOKEN/s);
  });

  test("declared tenant facts that do not match the tenant refuse the write", async () => {
    await emu.control.reset(t.tenantId);
    const before = await writes(t);
    const declared: TenantFacts = { ...discovered(), source: "declared", entraIdP1: true };
    await expect(passwordReset.create!({ ...inputs(), tenantFacts: declared })).rejects.toThrow(/entraIdP1 declared true, tenant has false/);
    expect(await writes(t)).toBe(before);
  });

  test("invalid input is rejected by check, and nothing is sent", async () => {
    await emu.control.clearRequests();
    const { failures } = await passwordReset.check!({}, { ...inputs(), methodsRequired: 3, enablement: "selected", targetGroupIds: [], helpdeskLink: "ftp://x" });
    expect(failures!.map((f) => f.property).sort()).toEqual(["helpdeskLink", "methodsRequired", "targetGroupIds"]);
    expect(failures!.find((f) => f.property === "methodsRequired")!.reason).toMatch(/methodsRequired is 3; use a whole number from 1 to 2/);
    expect(await emu.control.requests({ tenantId: t.tenantId })).toHaveLength(0);
  });
});

describe("AdminPasswordResetPolicy provider (Graph authorizationPolicy)", () => {
  let t: TenantCredentials;
  beforeAll(async () => { t = emu.tenants["paid-cloud-only"]; await emu.control.reset(t.tenantId); });
  beforeEach(() => useTenant(t));

  test("writes only allowedToUseSSPR, restores it on delete", async () => {
    const before = await emu.control.getState(t.tenantId) as { authorizationPolicy: Record<string, unknown> };
    const { outs } = await adminPolicy.create!({ connection: conn(t), administratorsCanResetPassword: false });
    const mid = await emu.control.getState(t.tenantId) as { authorizationPolicy: Record<string, unknown> };
    expect(mid.authorizationPolicy).toEqual({ ...before.authorizationPolicy, allowedToUseSSPR: false });
    const patches = await emu.control.requests({ tenantId: t.tenantId, method: "PATCH" });
    expect(patches.map((r) => r.status)).toContain(204);
    await adminPolicy.delete!("id", outs);
    const after = await emu.control.getState(t.tenantId) as { authorizationPolicy: Record<string, unknown> };
    expect(after.authorizationPolicy.allowedToUseSSPR).toBe(before.authorizationPolicy.allowedToUseSSPR);
  });

  test("a missing Graph permission names it", async () => {
    useTenant(t, { app: "readOnly", delegated: false });
    await expect(adminPolicy.create!({ connection: conn(t), administratorsCanResetPassword: false }))
      .rejects.toThrow(/403.*Policy\.ReadWrite\.Authorization/s);
  });
});

describe("OnPremisesPasswordReset provider", () => {
  test("hybrid tenant with P1: writeback on, then restored", async () => {
    const t = emu.tenants["hybrid-p1"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    const facts = discovered({ directorySync: true, entraIdP1: true });
    const { outs } = await onPremises.create!({ connection: conn(t), tenantFacts: facts, passwordWriteback: true, unlockWithoutReset: true });
    expect(outs).toMatchObject({ passwordWriteback: true, unlockWithoutReset: true });
    await onPremises.delete!("id", outs);
    const state = await emu.control.getState(t.tenantId) as { onPremisesPasswordResetPolicy: Record<string, unknown> };
    expect(state.onPremisesPasswordResetPolicy.passwordWritebackSupported).toBe(outs.prior.passwordWriteback);
  });

  test("hybrid tenant without P1: refused before any request that writes, naming the licence", async () => {
    const t = emu.tenants["hybrid-no-p1"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    await emu.control.clearRequests();
    await expect(onPremises.create!({ connection: conn(t), tenantFacts: discovered({ directorySync: true }), passwordWriteback: true }))
      .rejects.toThrow(/nothing was written[\s\S]*Entra ID P1 or P2/);
    expect(await writes(t)).toBe(0);
  });
});

describe("AuthenticationMethodsPolicy provider", () => {
  let t: TenantCredentials;
  beforeAll(async () => { t = emu.tenants["paid-cloud-only"]; await emu.control.reset(t.tenantId); });
  beforeEach(() => useTenant(t));

  test("disables SMS and voice, runs the campaign, moves the migration forward; delete restores methods but not the migration", async () => {
    const facts = discovered();
    const before = (await methodsPolicy.read!("id", { connection: conn(t), methods: { Sms: { state: "enabled" } } })).props;
    const { outs } = await methodsPolicy.create!({
      connection: conn(t), tenantFacts: facts,
      methods: { Sms: { state: "disabled" }, Voice: { state: "disabled" }, MicrosoftAuthenticator: { state: "enabled", includeGroupIds: ["all_users"] } },
      registrationCampaign: { state: "enabled", snoozeDays: 3 },
      migrationState: "migrationInProgress",
    });
    expect(outs.methods).toMatchObject({ Sms: { state: "disabled" }, Voice: { state: "disabled" }, MicrosoftAuthenticator: { state: "enabled" } });
    expect(outs.registrationCampaign).toMatchObject({ state: "enabled", snoozeDays: 3 });
    expect(outs.migrationState).toBe("migrationInProgress");
    await methodsPolicy.delete!("id", outs);
    const after = (await methodsPolicy.read!("id", { connection: conn(t), methods: { Sms: { state: "enabled" } }, migrationState: "preMigration" })).props;
    expect(after.methods.Sms.state).toBe(before.methods.Sms.state);
    expect(after.migrationState).toBe("migrationInProgress");
  });

  test("the migration cannot go backwards: a clear error, nothing written", async () => {
    await emu.control.reset(t.tenantId);
    const { outs } = await methodsPolicy.create!({ connection: conn(t), tenantFacts: discovered(), migrationState: "migrationComplete" });
    const refreshed = (await methodsPolicy.read!("id", outs)).props;
    await emu.control.clearRequests();
    // Declared with a method change: neither is written (the migration is checked before the first PATCH).
    await expect(methodsPolicy.update!("id", refreshed, { connection: conn(t), tenantFacts: discovered(), migrationState: "preMigration", methods: { Sms: { state: "disabled" } } }))
      .rejects.toThrow(/"preMigration", but the tenant is already at "migrationComplete" and Microsoft does not allow going back/);
    expect(await writes(t)).toBe(0);
  });

  test("drift in a method configuration shows on read", async () => {
    await emu.control.reset(t.tenantId);
    const { outs } = await methodsPolicy.create!({ connection: conn(t), tenantFacts: discovered(), methods: { Sms: { state: "disabled" } } });
    await emu.control.drift(t.tenantId, { authenticationMethodsPolicy: { authenticationMethodConfigurations: { Sms: { state: "enabled" } } } });
    const read = await methodsPolicy.read!("id", outs);
    expect(read.props.methods.Sms.state).toBe("enabled");
    expect((await methodsPolicy.diff!("id", read.props, { connection: conn(t), methods: { Sms: { state: "disabled" } } })).changes).toBe(true);
  });
});

describe("EligibleRoleAssignment provider (PIM eligibility with an end date)", () => {
  test("without Entra ID P2 the tenant refuses; with P2: assign, read, extend, remove", async () => {
    const { SKU } = await import("../../emulator/presets");
    const t = emu.tenants["paid-cloud-only"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    const state = await emu.control.getState(t.tenantId) as unknown as { users: { id: string }[]; subscribedSkus: unknown[] };
    const inputs = {
      connection: conn(t), roleDefinitionId: "966707d0-3269-4727-9be2-8c3a10f19b9d", principalId: state.users[1].id,
      directoryScopeId: "/", justification: "helpdesk on call", expiresOn: new Date(Date.now() + 90 * 86400_000).toISOString(),
    };
    await expect(eligibility.create!(inputs)).rejects.toThrow(/answered 400 AadPremiumLicenseRequired.*Entra ID P2/);

    await emu.control.drift(t.tenantId, { subscribedSkus: [...state.subscribedSkus, { id: `${t.tenantId}_${SKU.entraIdP2.skuId}`, capabilityStatus: "Enabled",
      skuId: SKU.entraIdP2.skuId, servicePlans: SKU.entraIdP2.plans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: "Success" })) }] });
    const { id, outs } = await eligibility.create!(inputs);
    expect(outs.status).toBe("Provisioned");
    expect((await eligibility.read!(id, outs)).props).toMatchObject({ expiresOn: inputs.expiresOn });

    const later = { ...inputs, expiresOn: new Date(Date.now() + 180 * 86400_000).toISOString() };
    expect((await eligibility.diff!(id, outs, later)).changes).toBe(true);
    await eligibility.update!(id, outs, later);
    expect((await eligibility.read!(id, outs)).props.expiresOn).toBe(later.expiresOn);

    await eligibility.delete!(id, later);
    expect((await eligibility.read!(id, later)).id).toBe("");
    const posted = (await emu.control.requests({ tenantId: t.tenantId, method: "POST" })).filter((r) => r.route.includes("roleEligibility"));
    expect(posted.map((r) => r.status)).toEqual([400, 201, 201, 201]);
  });

  test("an end date in the past is rejected by check", async () => {
    const t = emu.tenants["paid-cloud-only"];
    const { failures } = await eligibility.check!({}, { connection: conn(t), roleDefinitionId: "966707d0-3269-4727-9be2-8c3a10f19b9d",
      principalId: "3d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b", directoryScopeId: "/", justification: "x", expiresOn: "2020-01-01T00:00:00Z" });
    expect(failures).toEqual([expect.objectContaining({ property: "expiresOn", reason: expect.stringMatching(/expiresOn is "2020-01-01T00:00:00Z"; use a future date-time/) })]);
  });
});

describe("clouds and credentials", () => {
  test.each(["usgov", "china"] as const)("%s tenant: tokens for that cloud's Graph and portal audiences, SSPR policy applied", async (preset) => {
    const t = emu.tenants[preset];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    const { outs } = await passwordReset.create!({ connection: conn(t), tenantFacts: discovered(), enablement: "all", methodsRequired: 2 });
    expect(outs.connection.cloud).toBe(t.cloud);
    expect((await portalPolicy(t)).enablementType).toBe(2);
    const { outs: admin } = await adminPolicy.create!({ connection: conn(t), administratorsCanResetPassword: true });
    expect(admin.administratorsCanResetPassword).toBe(true);
  });

  /**
   * Signs in with only the app's id and one credential file in `variable` (no secret, no portal token), reads
   * the administrator policy from Graph, and returns the sign-in requests' statuses.
   */
  async function graphReadWithCredentialFile(variable: string, contents: (t: TenantCredentials) => string): Promise<number[]> {
    const fs = await import("fs"), os = await import("os"), path = await import("path");
    const t = emu.tenants["paid-cloud-only"];
    useTenant(t, { app: "none", delegated: false });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sspr-credential-")), "credential");
    fs.writeFileSync(file, contents(t), { mode: 0o600 });
    process.env.AZURE_CLIENT_ID = t.clientId;
    process.env[variable] = file;
    try {
      await emu.control.clearRequests();
      const read = await adminPolicy.read!("id", { connection: conn(t), administratorsCanResetPassword: true });
      expect(typeof read.props.administratorsCanResetPassword).toBe("boolean");
      const signIns = await emu.control.requests({ tenantId: t.tenantId });
      return signIns.filter((r) => r.route.includes("/oauth2/")).map((r) => r.status);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }

  test("workload identity (OIDC federated token, as in CI): Graph works with no client secret", async () => {
    expect(await graphReadWithCredentialFile("AZURE_FEDERATED_TOKEN_FILE", (t) => t.federatedToken)).toEqual([200]);
  });

  test("certificate credential (AZURE_CLIENT_CERTIFICATE_PATH): Graph works with no client secret", async () => {
    expect(await graphReadWithCredentialFile("AZURE_CLIENT_CERTIFICATE_PATH", (t) => t.clientCertificatePem!)).toEqual([200]);
  });
});
