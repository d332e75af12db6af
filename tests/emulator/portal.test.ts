/**
 * Emulated portal IAM API (PasswordResetPolicies, OnPremisesPasswordResetPolicies): delegated tokens only,
 * the whole-object GET/PUT round trip, each documented range check, and writeback's licence rules.
 */
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { appToken, call, GRAPH, PORTAL, userToken } from "./helpers";

const POLICY = "/api/PasswordReset/PasswordResetPolicies";
const ON_PREM = "/api/PasswordReset/OnPremisesPasswordResetPolicies";

let emu: RunningEmulator;
let t: TenantCredentials;
let admin: string;

beforeAll(async () => {
  emu = await startEmulator({ presets: ["paid-cloud-only", "trial", "hybrid-no-p1", "hybrid-p1", "usgov"] });
  t = emu.tenants["paid-cloud-only"];
  admin = await userToken(emu, t);
});
afterAll(() => emu?.stop());
beforeEach(async () => {
  for (const x of Object.values(emu.tenants)) await emu.control.reset(x.tenantId);
});

async function getPolicy(token = admin, query = ""): Promise<Record<string, unknown>> {
  const r = await call(emu, "GET", `${POLICY}${query}`, { token });
  expect(r.status).toBe(200);
  return r.body;
}

describe("who may call it", () => {
  test("an app-only token for the portal audience is refused (401: no service principals)", async () => {
    const r = await call(emu, "GET", POLICY, { token: await appToken(emu, t, PORTAL) });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ errorCode: "ServicePrincipalNotSupported", message: expect.stringMatching(/delegated/) });
  });

  test("a Graph token (wrong audience), no token, and a user without an admin role", async () => {
    expect((await call(emu, "GET", POLICY, { token: await userToken(emu, t, GRAPH) })).body).toMatchObject({ errorCode: "InvalidAuthenticationToken", message: expect.stringMatching(/Invalid audience/) });
    expect((await call(emu, "GET", POLICY)).status).toBe(401);
    const user = await call(emu, "GET", POLICY, { token: await userToken(emu, t, PORTAL, "user") });
    expect(user.status).toBe(403);
    expect(user.body.message).toMatch(/Authentication Policy Administrator/);
  });

  test("US Government tenants use their own portal audience", async () => {
    const gov = emu.tenants.usgov;
    expect((await call(emu, "GET", POLICY, { token: await userToken(emu, gov) })).status).toBe(200);
  });
});

describe("PasswordResetPolicies", () => {
  test("a new tenant's object: exactly the reference's keys, SSPR off, one method, email and mobile phone", async () => {
    const p = await getPolicy();
    // The reference's table and example (and CIPP's and Alya's captured bodies) have these 29 keys.
    expect(Object.keys(p).sort()).toEqual([
      "customHelpdeskEmailOrUrl", "customizeHelpdeskLink", "emailOptionAllowed", "emailOptionEnabled", "enablementType", "mobileAppCodeEnabled",
      "mobileAppCodeOptionAllowed", "mobileAppNotificationEnabled", "mobileAppNotificationOptionAllowed", "mobilePhoneOptionAllowed",
      "mobilePhoneOptionEnabled", "notifyOnAdminPasswordReset", "notifyUsersOnPasswordReset", "numberOfAuthenticationMethodsRequired",
      "numberOfQuestionsToRegister", "numberOfQuestionsToReset", "objectId", "officePhoneOptionAllowed", "officePhoneOptionEnabled",
      "passwordResetEnabledGroupIds", "passwordResetEnabledGroupName", "registrationConditionalAccessPolicies", "registrationReconfirmIntevalInDays",
      "registrationRequiredOnSignIn", "securityQuestions", "securityQuestionsOptionAllowed", "securityQuestionsOptionEnabled",
      "skipRegistrationAllowed", "skipRegistrationMaxAllowedDays",
    ]);
    expect(p).toHaveProperty("registrationReconfirmIntevalInDays", 180);
    expect(p).toMatchObject({ objectId: "default", enablementType: 0, numberOfAuthenticationMethodsRequired: 1, emailOptionEnabled: true, mobilePhoneOptionEnabled: true });
  });

  test("GET, change, PUT round trip; the group name is filled only when asked for", async () => {
    const group = (await call(emu, "GET", `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'SSPR Users'")}`, { token: await appToken(emu, t) })).body.value[0];
    const p = await getPolicy();
    const next = { ...p, enablementType: 1, passwordResetEnabledGroupIds: [group.id], numberOfAuthenticationMethodsRequired: 2, mobileAppCodeEnabled: true, registrationReconfirmIntevalInDays: 90 };
    const put = await call(emu, "PUT", POLICY, { token: admin, json: next });
    expect(put.status).toBe(200);
    expect(await getPolicy()).toEqual({ ...next, passwordResetEnabledGroupName: "" });
    expect((await getPolicy(admin, "?getPasswordResetEnabledGroup=true")).passwordResetEnabledGroupName).toBe("SSPR Users");
    const state = await emu.control.getState(t.tenantId);
    expect(state.passwordResetPolicy).toMatchObject({ enablementType: 1, registrationReconfirmIntevalInDays: 90 });
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ["methods required 3", { numberOfAuthenticationMethodsRequired: 3 }, /numberOfAuthenticationMethodsRequired' is 3; allowed: 1 to 2/],
    ["methods required 0", { numberOfAuthenticationMethodsRequired: 0 }, /allowed: 1 to 2/],
    ["reconfirm 731 days", { registrationReconfirmIntevalInDays: 731 }, /registrationReconfirmIntevalInDays' is 731; allowed: 0 to 730/],
    ["reconfirm -1", { registrationReconfirmIntevalInDays: -1 }, /allowed: 0 to 730/],
    ["6 questions to register", { numberOfQuestionsToRegister: 6 }, /numberOfQuestionsToRegister' is 6; allowed: 3 to 5/],
    ["2 questions to reset", { numberOfQuestionsToReset: 2 }, /numberOfQuestionsToReset' is 2; allowed: 3 to 5/],
    ["register < reset", { numberOfQuestionsToRegister: 3, numberOfQuestionsToReset: 4 }, /must be at least 'numberOfQuestionsToReset'/],
    ["Selected without a group", { enablementType: 1, passwordResetEnabledGroupIds: [] }, /exactly one group/],
    ["Selected with two groups", { enablementType: 1, passwordResetEnabledGroupIds: ["a", "b"] }, /exactly one group/],
    ["Selected with a group that does not exist", { enablementType: 1, passwordResetEnabledGroupIds: ["6b1e0c5e-0000-4000-8000-000000000000"] }, /does not exist/],
    ["enablementType 3", { enablementType: 3 }, /enablementType' is 3/],
    ["more methods required than enabled", { numberOfAuthenticationMethodsRequired: 2, mobilePhoneOptionEnabled: false }, /only 1 method/],
    ["security questions on without questions", { securityQuestionsOptionEnabled: true }, /only 0 question/],
    ["a helpdesk link that is neither email nor URL", { customizeHelpdeskLink: true, customHelpdeskEmailOrUrl: "call Bob" }, /customHelpdeskEmailOrUrl/],
    ["objectId other than default", { objectId: "x" }, /objectId' must be "default"/],
    ["a wrong type", { emailOptionEnabled: "yes" }, /'emailOptionEnabled' must be true or false/],
    ["an unknown property", { enableSspr: true }, /Unknown property 'enableSspr'/],
  ])("PUT with %s answers 400 and writes nothing", async (_what, change, message) => {
    const before = await getPolicy();
    const r = await call(emu, "PUT", POLICY, { token: admin, json: { ...before, ...change } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errorCode: "InvalidRequest", message: expect.stringMatching(message), correlationId: expect.any(String) });
    expect(await getPolicy()).toEqual(before);
  });

  test("a partial body is refused: PUT replaces the whole object", async () => {
    const r = await call(emu, "PUT", POLICY, { token: admin, json: { enablementType: 2 } });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/whole policy object.*Missing: objectId/s);
  });

  test("the method count check can be bypassed as the portal does (?byPassMethodCountCheck=true)", async () => {
    const p = await getPolicy();
    const r = await call(emu, "PUT", `${POLICY}?byPassMethodCountCheck=true`, { token: admin, json: { ...p, numberOfAuthenticationMethodsRequired: 2, mobilePhoneOptionEnabled: false } });
    expect(r.status).toBe(200);
  });

  test("'All' accepts both group-id spellings seen in tools; property names bind in any case", async () => {
    const p = await getPolicy();
    expect((await call(emu, "PUT", POLICY, { token: admin, json: { ...p, enablementType: 2, passwordResetEnabledGroupIds: ["00000000-0000-0000-0000-000000000000"] } })).status).toBe(200);
    const { enablementType: _dropped, ...rest } = p;
    expect((await call(emu, "PUT", POLICY, { token: admin, json: { ...rest, EnablementType: 2, passwordResetEnabledGroupIds: [] } })).status).toBe(200);
    expect((await getPolicy()).enablementType).toBe(2);
  });

  test("capabilities are the tenant's: a trial tenant cannot turn on office phone, and *Allowed flags are not writable", async () => {
    const trial = emu.tenants.trial;
    const token = await userToken(emu, trial);
    const p = await getPolicy(token);
    expect(p.officePhoneOptionAllowed).toBe(false);
    const r = await call(emu, "PUT", POLICY, { token, json: { ...p, officePhoneOptionEnabled: true, officePhoneOptionAllowed: true } });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/officePhoneOptionEnabled.*not allow/);
  });
});

describe("OnPremisesPasswordResetPolicies", () => {
  test("hybrid tenant with P1: writeback and unlock on, partial bodies (O365Essentials' capital B too)", async () => {
    const hp1 = emu.tenants["hybrid-p1"];
    const token = await userToken(emu, hp1);
    expect((await call(emu, "GET", ON_PREM, { token })).body).toEqual({
      objectId: "default", passwordWritebackSupported: false, accountUnlockSupported: true, accountUnlockEnabled: false, enablementForTenant: true, cloudProvisioningEnablementForTenant: false,
    });
    expect((await call(emu, "PUT", ON_PREM, { token, json: { passwordWriteBackSupported: true } })).status).toBe(200);
    const r = await call(emu, "PUT", ON_PREM, { token, json: { accountUnlockEnabled: true } });
    expect(r.body).toMatchObject({ passwordWritebackSupported: true, accountUnlockEnabled: true });
    expect((await emu.control.getState(hp1.tenantId)).onPremisesPasswordResetPolicy.passwordWritebackSupported).toBe(true);
  });

  test("hybrid tenant without P1: 403 LicenseRequired; cloud-only tenant: 400 OnPremisesIntegrationNotConfigured", async () => {
    const noP1 = await call(emu, "PUT", ON_PREM, { token: await userToken(emu, emu.tenants["hybrid-no-p1"]), json: { passwordWritebackSupported: true } });
    expect(noP1.status).toBe(403);
    expect(noP1.body).toMatchObject({ errorCode: "LicenseRequired", message: expect.stringMatching(/P1 or P2, or Microsoft 365 Business Premium/) });
    const cloudOnly = await call(emu, "PUT", ON_PREM, { token: admin, json: { passwordWritebackSupported: true } });
    expect(cloudOnly.status).toBe(400);
    expect(cloudOnly.body.errorCode).toBe("OnPremisesIntegrationNotConfigured");
  });

  test("unlock without reset needs writeback; switching off is always allowed", async () => {
    const token = await userToken(emu, emu.tenants["hybrid-p1"]);
    expect((await call(emu, "PUT", ON_PREM, { token, json: { accountUnlockEnabled: true } })).status).toBe(400);
    expect((await call(emu, "PUT", ON_PREM, { token: admin, json: { passwordWritebackSupported: false, accountUnlockEnabled: false } })).status).toBe(200);
  });
});
