/**
 * The component with Pulumi mocks: which child resources it declares, with which inputs, for each
 * enablement mode, role kind, Conditional Access on/off and cloud; and every bad argument rejected with
 * a message naming it, before any resource is registered.
 */
import type { SelfServicePasswordResetArgs } from "../../components/selfServicePasswordReset";
import { recordingMocks } from "../harness/mocks";

const mocks = recordingMocks((args) => (args.type === "azuread:index/group:Group" ? { objectId: "11111111-2222-3333-4444-555555555555" } : {}));
const registered = mocks.registered;

// Imported after recordingMocks() installed the mocks, as Pulumi's testing guide requires.
let SelfServicePasswordReset: typeof import("../../components/selfServicePasswordReset").SelfServicePasswordReset;
beforeAll(async () => {
  ({ SelfServicePasswordReset } = await import("../../components/selfServicePasswordReset"));
});

const TENANT = "6b3c1f0e-4a55-4d8f-9a61-2f1c3b7d9e10";
const GROUP = "0f6a4d2c-7b18-4e93-a5c2-8d1e9f3b6a47";
const USER = "3d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b";
const facts = { trialOnly: false, directorySync: false, entraIdP1: true, entraIdP2: true, businessPremium: false };

function base(extra: Partial<SelfServicePasswordResetArgs> = {}): SelfServicePasswordResetArgs {
  return { tenant: { tenantId: TENANT }, tenantFacts: facts, enablement: "all", ...extra };
}

/** Declares the component and waits until the mock engine has registered it and every resource under it. */
async function declare(args: SelfServicePasswordResetArgs, name = "sspr") {
  registered.length = 0;
  const c = await mocks.declare((opts) => new SelfServicePasswordReset(name, args, opts));
  const byType = mocks.ofType;
  return { c, byType, policy: byType("pulumi-nodejs:dynamic/sspr:PasswordResetPolicy")[0]?.inputs };
}

describe("SelfServicePasswordReset: child resources", () => {
  test('enablement "all" with the secure defaults', async () => {
    const { policy, byType } = await declare(base());
    expect(policy).toMatchObject({
      enablement: "all", methodsRequired: 2, requireRegistrationOnSignIn: true, reconfirmAfterDays: 180,
      notifyUsersOnReset: true, notifyAdminsOnAdminReset: true, securityQuestionsEnabled: false, officePhoneEnabled: false,
      connection: { cloud: "worldwide", tenantId: TENANT }, tenantFacts: { ...facts, source: "declared" },
    });
    expect(policy.targetGroupIds).toBeUndefined();
    expect(byType("azuread:index/group:Group")).toHaveLength(0);
    // Nothing here needs azuread, so no provider: its plugin is not required for this stack.
    expect(byType("pulumi:providers:azuread")).toHaveLength(0);
  });

  test('enablement "selected" with an existing group targets that group', async () => {
    const { policy, byType } = await declare(base({ enablement: "selected", targetGroup: { existingGroupId: GROUP } }));
    expect(policy.enablement).toBe("selected");
    expect(policy.targetGroupIds).toEqual([GROUP]);
    expect(byType("azuread:index/group:Group")).toHaveLength(0);
  });

  test('enablement "selected" with a new group creates a security group with azuread', async () => {
    const { policy, byType } = await declare(base({ enablement: "selected", targetGroup: { create: { displayName: "SSPR pilot", memberObjectIds: [USER] } } }));
    const [group] = byType("azuread:index/group:Group");
    expect(group.inputs).toMatchObject({ displayName: "SSPR pilot", securityEnabled: true, members: [USER] });
    expect(policy.targetGroupIds).toEqual(["11111111-2222-3333-4444-555555555555"]);
  });

  test('enablement "none" leaves the tenant\'s group list alone (destroy puts back the one found at adoption)', async () => {
    const { policy } = await declare(base({ enablement: "none" }));
    expect(policy).toMatchObject({ enablement: "none" });
    expect(policy.targetGroupIds).toBeUndefined();
  });

  test("permanent roles become DirectoryRoleAssignment, eligible ones PIM eligibility requests", async () => {
    const { c, byType } = await declare(base({ roleAssignments: [
      { role: "PasswordAdministrator", principalObjectId: USER },
      { role: "AuthenticationPolicyAdministrator", principalObjectId: USER, assignment: "eligible", justification: "SSPR owners" },
      { role: "c4e39bd9-1100-46d3-8c65-fb160da0071f", principalObjectId: USER, assignment: "permanent" },
    ] }));
    const permanent = byType("azuread:index/directoryRoleAssignment:DirectoryRoleAssignment").map((r) => r.inputs);
    expect(permanent).toEqual([
      expect.objectContaining({ roleId: "966707d0-3269-4727-9be2-8c3a10f19b9d", principalObjectId: USER, directoryScopeId: "/" }),
      expect.objectContaining({ roleId: "c4e39bd9-1100-46d3-8c65-fb160da0071f" }),
    ]);
    const eligible = byType("azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest").map((r) => r.inputs);
    expect(eligible).toEqual([expect.objectContaining({ roleDefinitionId: "0526716b-113d-4c15-b2c8-68e3c22b9f80", principalId: USER, justification: "SSPR owners" })]);
    expect(c.roleAssignments.map((r) => r.assignment)).toEqual(["permanent", "eligible", "permanent"]);
  });

  test("eligible with an end date: this package's EligibleRoleAssignment (azuread's has no schedule), even without azuread", async () => {
    const expiresOn = "2099-06-30T00:00:00Z";
    const { byType } = await declare(base({ manageAzureAd: false, roleAssignments: [
      { role: "HelpdeskAdministrator", principalObjectId: USER, assignment: "eligible", expiresOn },
    ] }));
    expect(byType("pulumi-nodejs:dynamic/sspr:EligibleRoleAssignment").map((r) => r.inputs)).toEqual([expect.objectContaining({
      roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", principalId: USER, directoryScopeId: "/", expiresOn, connection: { cloud: "worldwide", tenantId: TENANT },
    })]);
    expect(byType("azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest")).toHaveLength(0);
  });

  test("with protectRegistration: a Conditional Access policy on the register-security-info user action", async () => {
    const { byType } = await declare(base({ protectRegistration: { excludeGroupIds: [GROUP] } }));
    const [ca] = byType("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy");
    expect(ca.inputs.state).toBe("enabledForReportingButNotEnforced");
    expect(ca.inputs.conditions.applications.includedUserActions).toEqual(["urn:user:registersecurityinfo"]);
    expect(ca.inputs.conditions.users.excludedGroups).toEqual([GROUP]);
    expect(ca.inputs.conditions.locations).toEqual({ includedLocations: ["All"], excludedLocations: ["AllTrusted"] });
    expect(ca.inputs.grantControls.builtInControls).toEqual(["mfa"]);
  });

  test("without protectRegistration: no Conditional Access policy", async () => {
    const { byType } = await declare(base());
    expect(byType("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy")).toHaveLength(0);
  });

  test.each([
    ["worldwide", "global"], ["usgov", "usgovernmentl4"], ["usdod", "usgovernmentl5"], ["china", "china"],
  ])("cloud %s reaches the policy connection and the azuread provider (%s)", async (cloud, environment) => {
    const { policy, byType } = await declare(base({ tenant: { tenantId: TENANT, cloud }, protectRegistration: {} }));
    expect(policy.connection.cloud).toBe(cloud);
    expect(byType("pulumi:providers:azuread")[0].inputs.environment).toBe(environment);
  });

  test("optional tenant objects appear only when declared", async () => {
    const none = await declare(base());
    expect(none.byType("pulumi-nodejs:dynamic/sspr:OnPremisesPasswordReset")).toHaveLength(0);
    expect(none.byType("pulumi-nodejs:dynamic/sspr:AdminPasswordResetPolicy")).toHaveLength(0);
    expect(none.byType("pulumi-nodejs:dynamic/sspr:AuthenticationMethodsPolicy")).toHaveLength(0);
    const all = await declare(base({
      tenantFacts: { ...facts, directorySync: true },
      onPremises: { passwordWriteback: true, unlockWithoutReset: true },
      administratorsCanResetPassword: false,
      authenticationMethods: { methods: { Sms: { state: "disabled" } }, migrationState: "migrationComplete" },
      retainOnDelete: true,
    }));
    expect(all.byType("pulumi-nodejs:dynamic/sspr:OnPremisesPasswordReset")[0].inputs).toMatchObject({ passwordWriteback: true, unlockWithoutReset: true, retainOnDelete: true });
    expect(all.byType("pulumi-nodejs:dynamic/sspr:AdminPasswordResetPolicy")[0].inputs).toMatchObject({ administratorsCanResetPassword: false });
    expect(all.byType("pulumi-nodejs:dynamic/sspr:AuthenticationMethodsPolicy")[0].inputs).toMatchObject({
      methods: { Sms: { state: "disabled" } }, migrationState: "migrationComplete", tenantFacts: { source: "declared" },
    });
  });

  test("auditTrail: the Entra audit logs go to Log Analytics through a tenant diagnostic setting", async () => {
    const { byType } = await declare(base({ auditTrail: { workspace: { location: "westeurope" }, actionGroup: { emails: ["secops@contoso.com"] } } }));
    const [setting] = byType("azure-native:aadiam:DiagnosticSetting");
    expect(setting.inputs.logs).toEqual([expect.objectContaining({ category: "AuditLogs", enabled: true })]);
    expect(byType("azure-native:operationalinsights:Workspace")).toHaveLength(1);
    expect(byType("azure-native:monitor:ScheduledQueryRule").length).toBeGreaterThan(0);
  });

  test("manageAzureAd: false declares no azuread resource at all (emulator stacks)", async () => {
    const { byType } = await declare(base({ manageAzureAd: false, tenant: { tenantId: TENANT, endpoint: "https://127.0.0.1:44300" } }));
    expect(registered.filter((r) => r.type.startsWith("azuread:") || r.type === "pulumi:providers:azuread")).toHaveLength(0);
    expect(byType("pulumi-nodejs:dynamic/sspr:PasswordResetPolicy")[0].inputs.connection.endpoint).toBe("https://127.0.0.1:44300");
  });

  test("no credential reaches a resource input", async () => {
    process.env.AZURE_CLIENT_SECRET = "should-never-appear-in-inputs-123";
    await declare(base({ roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: USER }] }));
    delete process.env.AZURE_CLIENT_SECRET;
    expect(JSON.stringify(registered)).not.toContain("should-never-appear-in-inputs-123");
  });
});

describe("SelfServicePasswordReset: bad arguments are rejected before anything is created", () => {
  const bad: [string, Partial<SelfServicePasswordResetArgs> | Record<string, unknown>, RegExp][] = [
    ["enablement", { enablement: "everyone" }, /enablement is "everyone"; use one of "none", "selected", "all"/],
    ["enablement missing", { enablement: undefined }, /enablement is undefined/],
    ["tenantId", { tenant: { tenantId: "not a tenant" } }, /tenant.tenantId is "not a tenant"/],
    ["cloud", { tenant: { tenantId: TENANT, cloud: "mars" } }, /tenant.cloud is "mars"; use one of "worldwide", "usgov", "usdod", "china"/],
    ["germany", { tenant: { tenantId: TENANT, cloud: "germany" } }, /tenant.cloud is "germany"; Microsoft Cloud Deutschland was closed on 2021-10-29/],
    ["endpoint", { tenant: { tenantId: TENANT, endpoint: "http://127.0.0.1:1" } }, /tenant.endpoint is "http:\/\/127.0.0.1:1"; use an https:\/\//],
    ["selected without group", { enablement: "selected" }, /targetGroup is undefined; enablement "selected" needs a target group/],
    ["group with all", { targetGroup: { existingGroupId: GROUP } }, /targetGroup .* is only used when enablement is "selected"/],
    ["group id", { enablement: "selected", targetGroup: { existingGroupId: "sspr-users" } }, /targetGroup.existingGroupId is "sspr-users"; use the group's object id/],
    ["group name", { enablement: "selected", targetGroup: { create: { displayName: "" } } }, /targetGroup.create.displayName is ""/],
    ["group members", { enablement: "selected", targetGroup: { create: { displayName: "x", memberObjectIds: ["bob"] } } }, /targetGroup.create.memberObjectIds\[0\] is "bob"/],
    ["methods required 3", { methods: { required: 3 } }, /methods.required is 3; use a whole number from 1 to 2/],
    ["methods required 0", { methods: { required: 0 } }, /methods.required is 0/],
    ["methods required text", { methods: { required: "two" as unknown as number } }, /methods.required is "two"/],
    ["more required than enabled", { methods: { required: 2, email: true, mobilePhone: false, authenticatorNotification: false, authenticatorCode: false } }, /methods.required is 2; only 1 method\(s\) are enabled/],
    ["email flag type", { methods: { email: "yes" as unknown as boolean } }, /methods.email is "yes"; use true or false/],
    ["questions to register", { methods: { securityQuestions: { toRegister: 6, toReset: 3 } } }, /methods.securityQuestions.toRegister is 6; use a whole number from 3 to 5/],
    ["questions to reset", { methods: { securityQuestions: { toRegister: 3, toReset: 2 } } }, /methods.securityQuestions.toReset is 2/],
    ["reset > register", { methods: { securityQuestions: { toRegister: 3, toReset: 5 } } }, /methods.securityQuestions.toReset is 5; must not exceed/],
    ["question too long", { methods: { securityQuestions: { toRegister: 3, toReset: 3, questions: ["x".repeat(201)] } } }, /methods.securityQuestions.questions\[0\]/],
    ["reconfirm days", { registration: { reconfirmAfterDays: 731 } }, /registration.reconfirmAfterDays is 731; use a whole number from 0 to 730/],
    ["reconfirm negative", { registration: { reconfirmAfterDays: -1 } }, /registration.reconfirmAfterDays is -1/],
    ["skip days", { registration: { allowSkip: true, skipDays: 45 } }, /registration.skipDays is 45; use a whole number from 1 to 30/],
    ["notification type", { notifications: { notifyUsersOnReset: "no" as unknown as boolean } }, /notifications.notifyUsersOnReset is "no"/],
    ["helpdesk http", { helpdeskLink: "http://help.contoso.com" }, /helpdeskLink is "http:\/\/help.contoso.com"; use an https URL/],
    ["helpdesk junk", { helpdeskLink: "call Bob" }, /helpdeskLink is "call Bob"/],
    ["writeback type", { onPremises: { passwordWriteback: "on" as unknown as boolean } }, /onPremises.passwordWriteback is "on"/],
    ["unlock without writeback", { onPremises: { passwordWriteback: false, unlockWithoutReset: true } }, /onPremises.unlockWithoutReset is true; unlocking on-premises accounts needs passwordWriteback: true/],
    ["admin policy type", { administratorsCanResetPassword: 1 as unknown as boolean }, /administratorsCanResetPassword is 1/],
    ["auth method id", { authenticationMethods: { methods: { Fido2: { state: "enabled" } } as never } }, /authenticationMethods.methods.Fido2/],
    ["auth method state", { authenticationMethods: { methods: { Sms: { state: "on" as never } } } }, /authenticationMethods.methods.Sms.state is "on"/],
    ["migration state", { authenticationMethods: { migrationState: "done" as never } }, /authenticationMethods.migrationState is "done"/],
    ["campaign snooze", { authenticationMethods: { registrationCampaign: { state: "enabled", snoozeDays: 20 } } }, /registrationCampaign.snoozeDays is 20; use a whole number from 0 to 14/],
    ["role name", { roleAssignments: [{ role: "PasswordWizard", principalObjectId: USER }] }, /roleAssignments\[0\].role is "PasswordWizard"; use a role name/],
    ["role principal", { roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: "alice@contoso.com" }] }, /roleAssignments\[0\].principalObjectId is "alice@contoso.com"/],
    ["role kind", { roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: USER, assignment: "forever" as never }] }, /roleAssignments\[0\].assignment is "forever"/],
    ["role end date in the past", { roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: USER, assignment: "eligible", expiresOn: "2001-01-01" }] }, /roleAssignments\[0\].expiresOn is "2001-01-01"; use a future date-time/],
    ["role end date on a permanent one", { roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: USER, expiresOn: "2099-01-01" }] }, /roleAssignments\[0\].expiresOn is "2099-01-01"; an end date applies to assignment: "eligible"/],
    ["CA state", { protectRegistration: { state: "on" as never } }, /protectRegistration.state is "on"/],
    ["CA exclude", { protectRegistration: { excludeGroupIds: ["break-glass"] } }, /protectRegistration.excludeGroupIds\[0\] is "break-glass"/],
    ["azuread off with roles", { manageAzureAd: false, roleAssignments: [{ role: "HelpdeskAdministrator", principalObjectId: USER }] }, /manageAzureAd is false; roleAssignments need\(s\) @pulumi\/azuread/],
    ["tenant facts", { tenantFacts: { trialOnly: "no" } as never }, /tenantFacts.trialOnly is "no"/],
  ];

  test(`${bad.length} bad inputs (at least 25)`, () => expect(bad.length).toBeGreaterThanOrEqual(25));

  test.each(bad)("%s", (_label, override, message) => {
    registered.length = 0;
    const args = { ...base(), ...override } as SelfServicePasswordResetArgs;
    expect(() => new SelfServicePasswordReset("bad", args)).toThrow(message);
    expect(registered).toHaveLength(0);
  });
});

describe("SelfServicePasswordReset: what Microsoft would refuse for the tenant facts (checked before any child registers)", () => {
  // The component runs these before registering any child; under the real engine a refusal then registers
  // nothing (tests/e2e/safety.test.ts proves it with the emulator's request log). Mocks cannot show that part:
  // a refused registration rejects every waiting child, which jest reports as unhandled.
  const noP1 = { source: "declared" as const, trialOnly: false, directorySync: true, entraIdP1: false, entraIdP2: false, businessPremium: false };
  const withP2 = { ...noP1, directorySync: false, entraIdP1: true, entraIdP2: true };
  const refused: [string, Partial<SelfServicePasswordResetArgs>, typeof noP1, RegExp][] = [
    ["writeback without P1", { onPremises: { passwordWriteback: true } }, noP1, /onPremises.passwordWriteback is true; password writeback needs a Microsoft Entra ID P1 or P2/],
    ["writeback without directory sync", { onPremises: { passwordWriteback: true } }, withP2, /onPremises.passwordWriteback is true; the tenant has no directory synchronization/],
    ["PIM without P2", { roleAssignments: [{ role: "PasswordAdministrator", principalObjectId: USER, assignment: "eligible" }] }, { ...withP2, entraIdP2: false },
      /roleAssignments\[0\].assignment is "eligible"; PIM-eligible assignments need Microsoft Entra ID P2/],
    ["Conditional Access without P1", { protectRegistration: {} }, { ...noP1, directorySync: false }, /protectRegistration .*Conditional Access needs Microsoft Entra ID P1/],
  ];
  test.each(refused)("%s", async (_label, override, f, message) => {
    const { factRefusals } = await import("../../components/preflight");
    const reasons = factRefusals(base(override), f).map((p) => p.reason).join("\n");
    expect(reasons).toMatch(message);
  });
  test("a licensed hybrid tenant has nothing to refuse", async () => {
    const { factRefusals } = await import("../../components/preflight");
    expect(factRefusals(base({ onPremises: { passwordWriteback: true }, protectRegistration: {},
      roleAssignments: [{ role: "PasswordAdministrator", principalObjectId: USER, assignment: "eligible" }] }), { ...withP2, directorySync: true })).toEqual([]);
  });
});
