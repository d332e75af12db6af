/**
 * Emulated Microsoft Graph v1.0: token checks (expired, foreign tenant, wrong audience), permission and
 * directory-role checks with Graph's error body, the policy writes with their documented status codes,
 * schema-checked request bodies, queries, and role management.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { SKU } from "../../emulator/presets";
import { appToken, call, expectGraphError, GRAPH, PORTAL, userToken, tempDir } from "./helpers";

let emu: RunningEmulator;
let t: TenantCredentials;
let token: string;

beforeAll(async () => {
  emu = await startEmulator({ presets: ["paid-cloud-only", "hybrid-p1", "usgov"] });
  t = emu.tenants["paid-cloud-only"];
  token = await appToken(emu, t);
});
afterAll(() => emu?.stop());
beforeEach(async () => {
  await emu.control.reset(t.tenantId);
});

describe("tokens Graph refuses (401 InvalidAuthenticationToken, Graph's error body)", () => {
  test("no token, and a token that is not a JWT", async () => {
    expectGraphError(await call(emu, "GET", "/v1.0/organization"), 401, "InvalidAuthenticationToken", /Access token is empty/);
    expectGraphError(await call(emu, "GET", "/v1.0/organization", { token: "garbage" }), 401, "InvalidAuthenticationToken");
  });

  test("a token whose signature does not verify", async () => {
    const [h, p] = token.split(".");
    const forged = `${h}.${p}.${Buffer.from("x".repeat(256)).toString("base64url")}`;
    expectGraphError(await call(emu, "GET", "/v1.0/organization", { token: forged }), 401, "InvalidAuthenticationToken", /Invalid signature/);
  });

  test("an expired token (the clock moved past exp)", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "clearImmediate", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "queueMicrotask", "hrtime", "performance"] });
    try {
      jest.setSystemTime(Date.now() + 2 * 3600 * 1000);
      const r = await call(emu, "GET", "/v1.0/organization", { token });
      expectGraphError(r, 401, "InvalidAuthenticationToken", /^Lifetime validation failed, the token is expired\.$/);
      expect(r.headers["www-authenticate"]).toMatch(/^Bearer /);
    } finally {
      jest.useRealTimers();
    }
  });

  test("a wrong audience: a portal token on Graph", async () => {
    const portalToken = await userToken(emu, t, PORTAL);
    expectGraphError(await call(emu, "GET", "/v1.0/organization", { token: portalToken }), 401, "InvalidAuthenticationToken", /Invalid audience/);
  });

  test("a token from a tenant this emulator does not serve (foreign tenant)", async () => {
    // Two runs share keys through a state file; the second serves only one of the tenants.
    const stateFile = path.join(tempDir("emu-foreign-"), "state.json");
    const first = await startEmulator({ presets: ["paid-cloud-only", "trial"], stateFile });
    const trialToken = await appToken(first, first.tenants.trial);
    const paidToken = await appToken(first, first.tenants["paid-cloud-only"]);
    await first.stop();
    const second = await startEmulator({ presets: ["paid-cloud-only"], stateFile });
    try {
      expectGraphError(await call(second, "GET", "/v1.0/organization", { token: trialToken }), 401, "InvalidAuthenticationToken", /Invalid issuer/);
      expect((await call(second, "GET", "/v1.0/organization", { token: paidToken })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  test("tenants are picked by the token's tid", async () => {
    const other = emu.tenants["hybrid-p1"];
    const orgs = await Promise.all([t, other].map(async (x) => (await call(emu, "GET", "/v1.0/organization", { token: await appToken(emu, x) })).body.value[0]));
    expect(orgs.map((o) => o.id)).toEqual([t.tenantId, other.tenantId]);
    expect(orgs[1].onPremisesSyncEnabled).toBe(true);
    const gov = emu.tenants.usgov;
    const govOrg = await call(emu, "GET", "/v1.0/organization", { token: await appToken(emu, gov, "https://graph.microsoft.us") });
    expect(govOrg.body.value[0].verifiedDomains[0].name).toMatch(/\.onmicrosoft\.us$/);
  });
});

describe("permissions (403 naming what is missing)", () => {
  test("the read-only app cannot PATCH authorizationPolicy: the message names Policy.ReadWrite.Authorization", async () => {
    const readOnly = await appToken(emu, t, GRAPH, "readOnly");
    expect((await call(emu, "GET", "/v1.0/policies/authorizationPolicy", { token: readOnly })).status).toBe(200);
    const r = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token: readOnly, json: { allowedToUseSSPR: false } });
    expectGraphError(r, 403, "Authorization_RequestDenied", /Policy\.ReadWrite\.Authorization/);
    const amp = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", { token: readOnly, json: { policyMigrationState: "migrationInProgress" } });
    expectGraphError(amp, 403, "accessDenied", /Policy\.ReadWrite\.AuthenticationMethod/);
    const assign = await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", { token: readOnly, json: { roleDefinitionId: "x", principalId: "y", directoryScopeId: "/" } });
    expectGraphError(assign, 403, "Authorization_RequestDenied", /RoleManagement\.ReadWrite\.Directory/);
  });

  test("delegated: the scope is there but the user lacks the directory role", async () => {
    const user = await userToken(emu, t, GRAPH, "user");
    expect((await call(emu, "GET", "/v1.0/policies/authorizationPolicy", { token: user })).status).toBe(200);
    const r = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token: user, json: { allowedToUseSSPR: false } });
    expectGraphError(r, 403, "Authorization_RequestDenied", /Privileged Role Administrator, Global Administrator/);
    const admin = await userToken(emu, t, GRAPH, "admin");
    expect((await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token: admin, json: { allowedToUseSSPR: false } })).status).toBe(204);
  });

  test("/me needs a user", async () => {
    expectGraphError(await call(emu, "GET", "/v1.0/me", { token }), 400, "BadRequest", /delegated/);
  });
});

describe("policy writes", () => {
  test("authorizationPolicy PATCH answers 204 and changes only what was sent", async () => {
    const before = (await call(emu, "GET", "/v1.0/policies/authorizationPolicy", { token })).body;
    const r = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: { allowedToUseSSPR: false, defaultUserRolePermissions: { allowedToCreateApps: false } } });
    expect(r.status).toBe(204);
    expect(r.text).toBe("");
    const after = (await call(emu, "GET", "/v1.0/policies/authorizationPolicy", { token })).body;
    expect(after).toEqual({ ...before, allowedToUseSSPR: false, defaultUserRolePermissions: { ...before.defaultUserRolePermissions, allowedToCreateApps: false } });
  });

  test("unknown properties and wrong types answer 400 like Graph; nothing is written", async () => {
    const unknown = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: { allowedToUseSspr: false } });
    expectGraphError(unknown, 400, "BadRequest", /The property 'allowedToUseSspr' does not exist on type 'microsoft\.graph\.authorizationPolicy'/);
    const wrongType = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: { allowedToUseSSPR: "no" } });
    expectGraphError(wrongType, 400, "BadRequest", /allowedToUseSSPR: expected Edm\.Boolean/);
    const badEnum = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: { allowInvitesFrom: "anyone" } });
    expectGraphError(badEnum, 400, "BadRequest", /allowInvitesFrom/);
    const notJson = await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: "{not json" });
    expectGraphError(notJson, 400, "BadRequest", /Unable to read JSON request payload/);
    expect((await emu.control.getState(t.tenantId)).authorizationPolicy.allowedToUseSSPR).toBe(true);
  });

  test("authenticationMethodsPolicy PATCH answers 200 with the whole policy, configurations expanded", async () => {
    const r = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", {
      token,
      json: { policyMigrationState: "migrationInProgress", registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: "enabled", snoozeDurationInDays: 3 } } },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      "@odata.context": expect.stringContaining("$metadata#policies/authenticationMethodsPolicy"),
      id: "authenticationMethodsPolicy",
      policyMigrationState: "migrationInProgress",
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: "enabled", snoozeDurationInDays: 3, includeTargets: [expect.objectContaining({ id: "all_users" })] } },
    });
    expect(r.body.authenticationMethodConfigurations.map((c: { id: string }) => c.id).sort()).toEqual(
      ["Email", "Fido2", "MicrosoftAuthenticator", "Sms", "SoftwareOath", "TemporaryAccessPass", "Voice"],
    );
  });

  test("the migration does not go back to preMigration; the campaign snooze stays within 0-14", async () => {
    await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", { token, json: { policyMigrationState: "migrationComplete" } });
    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", { token, json: { policyMigrationState: "preMigration" } }), 400, "BadRequest", /preMigration/);
    expect((await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", { token, json: { policyMigrationState: "migrationInProgress" } })).status).toBe(200);
    const snooze = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", {
      token, json: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 15 } } },
    });
    expectGraphError(snooze, 400, "BadRequest", /0 and 14/);
    const nav = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy", { token, json: { authenticationMethodConfigurations: [] } });
    expectGraphError(nav, 400, "BadRequest", /authenticationMethodConfigurations/);
  });

  test("method configuration PATCH: 204, ids in any case, @odata.type required and checked", async () => {
    const sms = "#microsoft.graph.smsAuthenticationMethodConfiguration";
    const r = await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms", {
      token, json: { "@odata.type": sms, state: "enabled", includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false, isUsableForSignIn: false }] },
    });
    expect(r.status).toBe(204);
    const got = await call(emu, "GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations('SMS')", { token });
    expect(got.body).toMatchObject({ id: "Sms", state: "enabled", includeTargets: [{ isUsableForSignIn: false }] });
    expect(got.body["includeTargets@odata.context"]).toEqual(expect.any(String));

    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", { token, json: { state: "disabled" } }),
      400, "BadRequest", /@odata\.type/);
    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", {
      token, json: { "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", state: "disabled" } }), 400, "BadRequest", /does not match/);
    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", {
      token, json: { "@odata.type": sms, state: "on" } }), 400, "BadRequest", /authenticationMethodState/);
    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", {
      token, json: { "@odata.type": sms, isOfficePhoneAllowed: true } }), 400, "BadRequest", /isOfficePhoneAllowed/);
    expectGraphError(await call(emu, "PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", {
      token, json: { "@odata.type": sms, excludeTargets: [{ id: "6b1e0c5e-0000-4000-8000-000000000000", targetType: "group" }] } }), 400, "BadRequest", /no such group/);
    expectGraphError(await call(emu, "GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Pigeon", { token }), 404, "itemNotFound");

    expect((await call(emu, "DELETE", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/SMS", { token })).status).toBe(204);
    expect((await emu.control.getState(t.tenantId)).authenticationMethodsPolicy.authenticationMethodConfigurations.Sms.state).toBe("disabled");
  });
});

describe("directory reads and role management", () => {
  test("groups: $filter by displayName, by id, and Graph's errors for bad ids and filters", async () => {
    const r = await call(emu, "GET", `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'SSPR Users'")}`, { token });
    expect(r.body.value).toHaveLength(1);
    const id = r.body.value[0].id;
    expect((await call(emu, "GET", `/v1.0/groups/${id}`, { token })).body.displayName).toBe("SSPR Users");
    expectGraphError(await call(emu, "GET", "/v1.0/groups/6b1e0c5e-0000-4000-8000-000000000000", { token }), 404, "Request_ResourceNotFound");
    expectGraphError(await call(emu, "GET", "/v1.0/groups/not-a-guid", { token }), 400, "Request_BadRequest", /Invalid object identifier/);
    expectGraphError(await call(emu, "GET", `/v1.0/groups?$filter=${encodeURIComponent("colour eq 'blue'")}`, { token }), 400, "BadRequest", /colour/);
    expectGraphError(await call(emu, "GET", `/v1.0/subscribedSkus?$filter=${encodeURIComponent("skuPartNumber eq 'SPB'")}`, { token }), 400, "Request_UnsupportedQuery");
    expectGraphError(await call(emu, "GET", "/v1.0/teleporters", { token }), 400, "BadRequest", /teleporters/);
  });

  test("licences and trial flags are where the policy pack looks for them", async () => {
    const p1 = emu.tenants["hybrid-p1"];
    const p1Token = await appToken(emu, p1);
    const skus = (await call(emu, "GET", "/v1.0/subscribedSkus", { token: p1Token })).body.value;
    expect(skus[0].servicePlans.map((p: { servicePlanId: string }) => p.servicePlanId)).toContain("41781fb2-bc02-4b7c-bd55-b576c07bb09d");
    const subs = (await call(emu, "GET", "/v1.0/directory/subscriptions", { token })).body.value;
    expect(subs.map((s: { isTrial: boolean }) => s.isTrial)).toEqual([false]);
    const org = (await call(emu, "GET", "/v1.0/organization?$select=id,onPremisesSyncEnabled", { token })).body.value[0];
    expect(org).toEqual({ id: t.tenantId, onPremisesSyncEnabled: null });
  });

  test("role assignments: POST 201 (role-assignable group), duplicates and unknown principals refused, DELETE 204", async () => {
    const groups = (await call(emu, "GET", "/v1.0/groups", { token })).body.value as { id: string; displayName: string }[];
    const helpdesk = groups.find((g) => g.displayName === "Helpdesk Operators")!;
    const ssprUsers = groups.find((g) => g.displayName === "SSPR Users")!;
    const body = { "@odata.type": "#microsoft.graph.unifiedRoleAssignment", roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", principalId: helpdesk.id, directoryScopeId: "/" };
    const created = await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", { token, json: body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), principalId: helpdesk.id, roleDefinitionId: body.roleDefinitionId, directoryScopeId: "/" });
    expectGraphError(await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", { token, json: body }), 400, "Request_BadRequest", /conflicting object/);
    expectGraphError(await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", { token, json: { ...body, principalId: ssprUsers.id } }),
      400, "Request_BadRequest", /not role-assignable/);
    const list = await call(emu, "GET", `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${helpdesk.id}'`)}`, { token });
    expect(list.body.value).toHaveLength(1);
    expect((await call(emu, "DELETE", `/v1.0/roleManagement/directory/roleAssignments/${created.body.id}`, { token })).status).toBe(204);
    const defs = await call(emu, "GET", `/v1.0/roleManagement/directory/roleDefinitions?$filter=${encodeURIComponent("displayName eq 'Password Administrator'")}`, { token });
    expect(defs.body.value[0].templateId).toBe("966707d0-3269-4727-9be2-8c3a10f19b9d");
  });

  test("a role assignment shows in the user's next token (wids) and opens the API that needs it", async () => {
    const user = (await call(emu, "GET", "/v1.0/users", { token })).body.value.find((u: { userPrincipalName: string }) => u.userPrincipalName.startsWith("user@"));
    await call(emu, "POST", "/v1.0/roleManagement/directory/roleAssignments", {
      token, json: { roleDefinitionId: "e8611ab8-c189-46e8-94e1-60213ab1f814", principalId: user.id, directoryScopeId: "/" },
    });
    const userGraph = await userToken(emu, t, GRAPH, "user");
    expect((await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token: userGraph, json: { allowedToUseSSPR: true } })).status).toBe(204);
  });

  test("PIM eligibility requests need Entra ID P2: 400 without it, 201 with it", async () => {
    const users = (await call(emu, "GET", "/v1.0/users", { token })).body.value as { id: string }[];
    const request = {
      action: "adminAssign", justification: "on call", roleDefinitionId: "966707d0-3269-4727-9be2-8c3a10f19b9d", directoryScopeId: "/", principalId: users[1].id,
      scheduleInfo: { startDateTime: "2025-01-01T00:00:00Z", expiration: { type: "afterDuration", duration: "P180D" } },
    };
    expectGraphError(await call(emu, "POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", { token, json: request }), 400, "AadPremiumLicenseRequired");
    const state = await emu.control.getState(t.tenantId);
    await emu.control.drift(t.tenantId, {
      subscribedSkus: [...state.subscribedSkus, { id: `${t.tenantId}_${SKU.entraIdP2.skuId}`, capabilityStatus: "Enabled", skuId: SKU.entraIdP2.skuId,
        servicePlans: SKU.entraIdP2.plans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: "Success" })) }],
    });
    const created = await call(emu, "POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", { token, json: request });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "Provisioned", action: "adminAssign", principalId: users[1].id, createdBy: { application: { id: t.clientId } } });
    expect((await call(emu, "GET", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", { token })).body.value).toHaveLength(1);
  });
});
