/**
 * The drift summary reads `pulumi preview --refresh --json` (CLI v3.188.0). The digests here have the shape
 * that CLI prints, trimmed to what the check reads: refresh steps carrying the pre-refresh state, the
 * stack's `same` step, and for each drifted resource an `update` step whose oldState holds the last applied
 * inputs and the refreshed outputs (what the tenant has) and whose newState holds the program's inputs.
 */
import { PASSWORD_RESET_SETTINGS } from "../../components/passwordResetPolicy";
import { TYPE } from "../../components/model";
import { adminCenterLabel, labelledSettings } from "../../scripts/adminCenterLabels";
import { parseDrift, PreviewDigest, summarize } from "../../scripts/drift";

const GROUP = "e3b56c97-67b6-5876-af98-1902d84cf0e7";
const OTHER_GROUP = "f9063600-7013-56f2-98be-abead0d2b0fd";
const QUESTIONS = ["Q one?", "Q two?", "Q three?"];
const stackUrn = "urn:pulumi:e2e::sspr::pulumi:pulumi:Stack::sspr-e2e";
const urnOf = (type: string, name: string) => `urn:pulumi:e2e::sspr::sspr:index:SelfServicePasswordReset$${type}::${name}`;
const policyUrn = urnOf(TYPE.PasswordResetPolicy, "sspr-policy");

/** The policy's inputs as the component declares them (a few settings; bookkeeping included, as in state). */
const declared = {
  connection: { cloud: "worldwide", endpoint: "https://127.0.0.1:35691", tenantId: "16cca4e6-2468-45bb-87c0-a165b0bdec5e" },
  enablement: "selected",
  targetGroupIds: [GROUP],
  methodsRequired: 2,
  securityQuestionsEnabled: true,
  securityQuestionsToRegister: 3,
  securityQuestions: QUESTIONS,
  notifyUsersOnReset: true,
  retainOnDelete: false,
  tenantFacts: { businessPremium: false, directorySync: false, entraIdP1: false, entraIdP2: false, source: "graph", trialOnly: false },
  __provider: "exports.handler = __f0; ...",
};

interface Change { type?: string; name?: string; applied?: Record<string, unknown>; tenant?: Record<string, unknown>; program?: Record<string, unknown> }

/** A digest for resources whose applied inputs, tenant values and program inputs differ by the given settings. */
function preview(...changes: Change[]): string {
  const steps: PreviewDigest["steps"] = [];
  const stackState = { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: { effectiveEnablement: "selected" } };
  const updates: NonNullable<PreviewDigest["steps"]> = [];
  for (const c of changes) {
    const type = c.type ?? TYPE.PasswordResetPolicy;
    const urn = urnOf(type, c.name ?? "sspr-policy");
    const applied = { ...declared, ...c.applied };
    const before = { urn, custom: true, type, inputs: applied, outputs: { ...applied, prior: { enablement: "none", targetGroupIds: [] } } };
    steps.push({ op: "refresh", urn, oldState: before, newState: before });
    const refreshed = { ...before, outputs: { ...before.outputs, ...c.tenant } };
    updates.push({ op: "update", urn, oldState: refreshed, newState: { type, inputs: { ...applied, ...c.program } } });
  }
  steps.push({ op: "refresh", urn: stackUrn, oldState: stackState, newState: stackState });
  steps.push({ op: "same", urn: stackUrn, oldState: stackState, newState: { type: stackState.type } });
  steps.push(...updates);
  return JSON.stringify({ config: { "sspr:enablement": "selected", "sspr:targetGroupId": GROUP }, steps, duration: 1, changeSummary: { same: 2, update: updates.length } });
}

describe("list-valued drift", () => {
  test("a target group changed in the tenant is named, with both ids, as a tenant change", () => {
    const report = parseDrift(preview({ tenant: { targetGroupIds: [OTHER_GROUP] } }));
    expect(report).toEqual({
      settings: [{
        resource: "sspr:PasswordResetPolicy", name: "sspr-policy", setting: "targetGroupIds", label: 'Properties > "Select group"',
        declared: [GROUP], applied: [GROUP], tenant: [OTHER_GROUP], changedBy: "tenant",
      }],
      otherChanges: [],
    });
    const text = summarize(report, "e2e");
    expect(text).toContain(`Properties > "Select group", targetGroupIds: declared ["${GROUP}"], tenant has ["${OTHER_GROUP}"]`);
    expect(text).toMatch(/changed in the tenant/);
    expect(text).not.toMatch(/the program changed/);
  });

  test("security questions changed in the tenant are named with both lists", () => {
    const tenantQuestions = ["Q one?", "Q two?", "Q four?"];
    const report = parseDrift(preview({ tenant: { securityQuestions: tenantQuestions } }));
    expect(report.settings).toEqual([expect.objectContaining({ setting: "securityQuestions", declared: QUESTIONS, tenant: tenantQuestions, changedBy: "tenant" })]);
    expect(summarize(report, "e2e")).toContain(
      'Authentication methods > security questions, securityQuestions: declared ["Q one?", "Q two?", "Q three?"], tenant has ["Q one?", "Q two?", "Q four?"]');
  });

  test("lists compare as sets, as the providers compare them: the same questions in another order are no drift", () => {
    const report = parseDrift(preview({ tenant: { securityQuestions: [...QUESTIONS].reverse(), notifyUsersOnReset: false } }));
    expect(report.settings.map((d) => d.setting)).toEqual(["notifyUsersOnReset"]);
  });

  test("every drifted setting is named, lists and scalars together", () => {
    const report = parseDrift(preview({ tenant: { targetGroupIds: [OTHER_GROUP], securityQuestions: ["Q one?"], notifyUsersOnReset: false } }));
    const text = summarize(report, "e2e");
    expect(text).toMatch(/in 3 setting\(s\), changed in the tenant/);
    expect(text).toContain('Notifications > "Notify users on password resets", notifyUsersOnReset: declared true, tenant has false');
    expect(text).toContain(`Properties > "Select group", targetGroupIds: declared ["${GROUP}"], tenant has ["${OTHER_GROUP}"]`);
    expect(text).toContain('Authentication methods > security questions, securityQuestions: declared ["Q one?", "Q two?", "Q three?"], tenant has ["Q one?"]');
  });
});

describe("tenant change or program change", () => {
  test("a new target group in the program is a pending program change, not drift", () => {
    const report = parseDrift(preview({ program: { targetGroupIds: [OTHER_GROUP] } }));
    expect(report.settings).toEqual([expect.objectContaining({ setting: "targetGroupIds", declared: [OTHER_GROUP], applied: [GROUP], tenant: [GROUP], changedBy: "program" })]);
    const text = summarize(report, "e2e");
    expect(text).toMatch(/Changes pending for stack "e2e" \(the program changed, not the tenant\)/);
    expect(text).toContain(`Properties > "Select group", targetGroupIds: declared ["${OTHER_GROUP}"], tenant has ["${GROUP}"] (last applied ["${GROUP}"])`);
    expect(text).not.toMatch(/Drift:/);
  });

  test("a setting changed on both sides is drift, and says the program changed it too", () => {
    const third = "a32b052b-0c63-56b3-b5d0-f14b4e30b51f";
    const report = parseDrift(preview({ tenant: { targetGroupIds: [third] }, program: { targetGroupIds: [OTHER_GROUP] } }));
    expect(report.settings).toEqual([expect.objectContaining({ changedBy: "both" })]);
    expect(summarize(report, "e2e")).toContain(`declared ["${OTHER_GROUP}"], tenant has ["${third}"] (the program changed it too; last applied ["${GROUP}"])`);
  });

  test("a program that accepts the tenant's value has no drift left, only its own change", () => {
    const report = parseDrift(preview({ tenant: { notifyUsersOnReset: false }, program: { notifyUsersOnReset: false, retainOnDelete: true } }));
    expect(report.settings).toEqual([]);
    expect(report.otherChanges).toEqual([{ resource: "sspr:PasswordResetPolicy", name: "sspr-policy", op: "update" }]);
  });

  test("tenant drift and program changes are reported each under its own heading", () => {
    const text = summarize(parseDrift(preview({ tenant: { notifyUsersOnReset: false }, program: { methodsRequired: 1 } })), "e2e");
    expect(text).toMatch(/Drift:.*\n.*notifyUsersOnReset: declared true, tenant has false\n.*\nChanges pending.*\n.*methodsRequired: declared 1, tenant has 2/);
  });

  test("resources to create or delete are program changes", () => {
    const digest = JSON.parse(preview()) as PreviewDigest;
    digest.steps!.push({ op: "create", urn: urnOf(TYPE.OnPremisesPasswordReset, "sspr-onpremises"), newState: { type: TYPE.OnPremisesPasswordReset, inputs: { passwordWriteback: true } } });
    const report = parseDrift(digest);
    expect(report).toEqual({ settings: [], otherChanges: [{ resource: "sspr:OnPremisesPasswordReset", name: "sspr-onpremises", op: "create" }] });
    expect(summarize(report, "e2e")).toMatch(/the program changed, not the tenant\):\n  - sspr:OnPremisesPasswordReset sspr-onpremises: create/);
  });

  test("a replacement (another tenant) is one pending change, and a group still to be created is known after apply", () => {
    const digest = JSON.parse(preview()) as PreviewDigest;
    for (const op of ["delete-replaced", "replace", "create-replacement"]) digest.steps!.push({ op, urn: policyUrn, newState: { type: TYPE.PasswordResetPolicy } });
    expect(parseDrift(digest).otherChanges).toEqual([{ resource: "sspr:PasswordResetPolicy", name: "sspr-policy", op: "replace" }]);
    const created = summarize(parseDrift(preview({ program: { targetGroupIds: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"] } })), "e2e");
    expect(created).toContain(`targetGroupIds: declared [(known after apply)], tenant has ["${GROUP}"]`);
  });

  test("no update step: nothing to report", () => {
    expect(summarize(parseDrift(preview()), "e2e")).toBe("");
  });
});

describe("admin-center words", () => {
  test("sub-settings are named part by part", () => {
    const methods = { Sms: { state: "enabled", includeGroupIds: [GROUP] } };
    const report = parseDrift(preview({
      type: TYPE.AuthenticationMethodsPolicy, name: "sspr-methods",
      applied: { methods }, tenant: { methods: { Sms: { state: "disabled", includeGroupIds: [GROUP] } } },
    }));
    expect(report.settings).toEqual([expect.objectContaining({ setting: "methods.Sms.state", label: "Authentication methods > Policies > SMS > Enable", changedBy: "tenant" })]);
    expect(summarize(report, "e2e")).toContain('Authentication methods > Policies > SMS > Enable, methods.Sms.state: declared "enabled", tenant has "disabled"');
  });

  test("every setting of the password reset policy has a label", () => {
    expect(labelledSettings(TYPE.PasswordResetPolicy).sort()).toEqual([...PASSWORD_RESET_SETTINGS].sort());
    for (const s of PASSWORD_RESET_SETTINGS) expect(adminCenterLabel(TYPE.PasswordResetPolicy, s)).toMatch(/ > /);
  });

  test("labels follow the README's admin-center table", () => {
    expect(adminCenterLabel(TYPE.PasswordResetPolicy, "enablement")).toBe('Properties > "Self service password reset enabled"');
    expect(adminCenterLabel(TYPE.OnPremisesPasswordReset, "passwordWriteback")).toBe('On-premises integration > "Write back passwords to your on-premises directory"');
    expect(adminCenterLabel(TYPE.AuthenticationMethodsPolicy, "registrationCampaign.snoozeDays")).toBe("Authentication methods > Registration campaign > Days allowed to snooze");
  });
});
