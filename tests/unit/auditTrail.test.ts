/**
 * PasswordResetAuditTrail with Pulumi mocks: which resources it declares and with which inputs, for a new or
 * existing workspace, each alert on or off, custom thresholds, and arguments refused before anything exists.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as AuditTrailModule from "../../components/auditTrail";
import type { PasswordResetAuditTrailArgs } from "../../components/auditTrail";
import { AZURE_NATIVE_TYPE } from "../../components/model";
import {
  privilegedUserSelfServiceResetQuery,
  securityInfoRegistrationSpikeQuery,
  selfServiceResetBurstQuery,
} from "../../components/auditQueries";
import { promiseOf, recordingMocks } from "../harness/mocks";

const T = {
  component: "sspr:index:PasswordResetAuditTrail",
  resourceGroup: "azure-native:resources:ResourceGroup",
  workspace: "azure-native:operationalinsights:Workspace",
  diagnosticSetting: AZURE_NATIVE_TYPE.EntraDiagnosticSetting,
  actionGroup: "azure-native:monitor:ActionGroup",
  rule: "azure-native:monitor:ScheduledQueryRule",
} as const;

const SUB = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const EXISTING_WORKSPACE = `/subscriptions/${SUB}/resourceGroups/central-logs/providers/Microsoft.OperationalInsights/workspaces/central-law`;
const EXISTING_ACTION_GROUP = `/subscriptions/${SUB}/resourceGroups/secops/providers/microsoft.insights/actionGroups/secops-oncall`;
const ADMIN_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

// Azure names: resource groups and settings take the name given; the rest are auto-named.
const mocks = recordingMocks((args) => ({
  name: args.type === T.resourceGroup ? `${args.name}-generated` : (args.inputs.name ?? `${args.name}-generated`),
}));
const created = mocks.registered;
let mod: typeof AuditTrailModule;

beforeAll(async () => {
  // Import after the mocks are installed so the SDK sees the mock monitor.
  mod = await import("../../components/auditTrail");
});

beforeEach(() => {
  created.length = 0;
});

/** Builds the component and waits until it and every child it declared have been registered, and its outputs resolved. */
async function build(name: string, args: PasswordResetAuditTrailArgs) {
  const trail = await mocks.declare((opts) => new mod.PasswordResetAuditTrail(name, args, opts));
  const outputs = await Promise.all([
    promiseOf(trail.workspaceId),
    promiseOf(trail.diagnosticSettingName),
    trail.actionGroupId ? promiseOf(trail.actionGroupId) : Promise.resolve(undefined),
    ...Object.values(trail.alertRuleIds).map((o) => promiseOf(o as pulumi.Output<string>)),
    promiseOf(trail.diagnosticSetting.urn),
  ]);
  return { trail, outputs };
}

const ofType = mocks.ofType;
const one = (type: string) => {
  const all = ofType(type);
  expect(all).toHaveLength(1);
  return all[0];
};
const rule = (suffix: string) => created.find((c) => c.type === T.rule && c.name.endsWith(`-${suffix}`));
const types = () => created.map((c) => c.type).sort();

const emailsOnly = { emails: ["secops@contoso.com"] };

describe("new workspace", () => {
  test("defaults: new resource group, workspace, AuditLogs diagnostic setting, action group, burst and spike alerts", async () => {
    const { trail } = await build("audit-defaults", { workspace: { location: "westeurope" }, actionGroup: emailsOnly });

    expect(types()).toEqual([T.actionGroup, T.diagnosticSetting, T.resourceGroup, T.rule, T.rule, T.component, T.workspace].sort());

    const rg = one(T.resourceGroup);
    expect(rg.inputs).toEqual({ location: "westeurope" });

    const ws = one(T.workspace);
    expect(ws.inputs).toEqual({
      resourceGroupName: "audit-defaults-rg-generated",
      location: "westeurope",
      sku: { name: "PerGB2018" },
      retentionInDays: 90,
    });

    // The contract with the policy pack: this type, with an enabled "AuditLogs" category.
    const ds = one(AZURE_NATIVE_TYPE.EntraDiagnosticSetting);
    expect(ds.inputs.name).toBe("sspr-audit-trail");
    expect(ds.inputs.workspaceId).toBe("audit-defaults-workspace-id");
    expect(ds.inputs.logs).toEqual([{ category: "AuditLogs", enabled: true, retentionPolicy: { enabled: false, days: 0 } }]);
    expect(ds.inputs.logs.some((l: { category: string; enabled: boolean }) => l.category === "AuditLogs" && l.enabled)).toBe(true);

    const ag = one(T.actionGroup);
    expect(ag.inputs).toMatchObject({
      resourceGroupName: "audit-defaults-rg-generated",
      location: "Global",
      enabled: true,
      groupShortName: "SSPR audit",
      emailReceivers: [{ name: "email-1", emailAddress: "secops@contoso.com", useCommonAlertSchema: true }],
    });
    expect(ag.inputs.webhookReceivers).toEqual([]);

    const burst = rule("reset-burst")!;
    expect(burst.inputs).toMatchObject({
      resourceGroupName: "audit-defaults-rg-generated",
      location: "westeurope",
      kind: "LogAlert",
      enabled: true,
      severity: 2,
      scopes: ["audit-defaults-workspace-id"],
      evaluationFrequency: "PT15M",
      windowSize: "PT1H",
      muteActionsDuration: "PT1H",
      autoMitigate: false,
      skipQueryValidation: true,
      actions: { actionGroups: ["audit-defaults-actions-id"] },
      criteria: {
        allOf: [
          {
            query: selfServiceResetBurstQuery({ threshold: 10, windowMinutes: 60 }),
            timeAggregation: "Count",
            operator: "GreaterThan",
            threshold: 0,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
    });
    const spike = rule("registration-spike")!;
    expect(spike.inputs).toMatchObject({ severity: 3, windowSize: "PT1H", evaluationFrequency: "PT15M" });
    expect(spike.inputs.criteria.allOf[0].query).toBe(securityInfoRegistrationSpikeQuery({ threshold: 50, windowMinutes: 60 }));
    expect(rule("privileged-reset")).toBeUndefined();

    expect(await promiseOf(trail.workspaceId)).toBe("audit-defaults-workspace-id");
    expect(await promiseOf(trail.diagnosticSettingName)).toBe("sspr-audit-trail");
    expect(await promiseOf(trail.actionGroupId!)).toBe("audit-defaults-actions-id");
    expect(Object.keys(trail.alertRuleIds).sort()).toEqual(["securityInfoRegistrationSpike", "selfServiceResetBurst"]);
    expect(await promiseOf(trail.alertRuleIds.selfServiceResetBurst!)).toBe("audit-defaults-reset-burst-id");
  });

  test("every child is parented to the component", async () => {
    const { trail } = await build("audit-parent", { workspace: { location: "westeurope" }, actionGroup: emailsOnly });
    const parentType = "sspr:index:PasswordResetAuditTrail$";
    for (const child of [trail.resourceGroup!, trail.workspace!, trail.diagnosticSetting, trail.actionGroup!]) {
      expect(await promiseOf(child.urn)).toContain(parentType);
    }
  });

  test("in an existing resource group, with a chosen retention: no resource group created", async () => {
    await build("audit-named-rg", {
      workspace: { location: "northeurope", resourceGroupName: "rg-identity-logs", retentionInDays: 365 },
      actionGroup: emailsOnly,
    });
    expect(ofType(T.resourceGroup)).toHaveLength(0);
    expect(one(T.workspace).inputs).toMatchObject({ resourceGroupName: "rg-identity-logs", location: "northeurope", retentionInDays: 365 });
    expect(one(T.actionGroup).inputs.resourceGroupName).toBe("rg-identity-logs");
    expect(rule("reset-burst")!.inputs).toMatchObject({ resourceGroupName: "rg-identity-logs", location: "northeurope" });
  });

  test.each([30, 730])("retention at the Log Analytics limit %i is accepted", async (days) => {
    await build(`audit-retention-${days}`, { workspace: { location: "westeurope", retentionInDays: days }, actionGroup: emailsOnly });
    expect(one(T.workspace).inputs.retentionInDays).toBe(days);
  });
});

describe("existing workspace", () => {
  test("no resource group or workspace; the setting and the rules use the given workspace and its resource group", async () => {
    const { trail } = await build("audit-existing", {
      workspace: { workspaceResourceId: EXISTING_WORKSPACE, location: "swedencentral" },
      actionGroup: emailsOnly,
    });
    expect(types()).toEqual([T.actionGroup, T.diagnosticSetting, T.rule, T.rule, T.component].sort());
    expect(one(T.diagnosticSetting).inputs.workspaceId).toBe(EXISTING_WORKSPACE);
    expect(one(T.actionGroup).inputs.resourceGroupName).toBe("central-logs");
    for (const r of ofType(T.rule)) {
      expect(r.inputs).toMatchObject({ resourceGroupName: "central-logs", location: "swedencentral", scopes: [EXISTING_WORKSPACE] });
    }
    expect(await promiseOf(trail.workspaceId)).toBe(EXISTING_WORKSPACE);
    expect(trail.workspace).toBeUndefined();
    expect(trail.resourceGroup).toBeUndefined();
  });

  test("with an existing action group: none created, rules notify the given one", async () => {
    const { trail } = await build("audit-existing-ag", {
      workspace: { workspaceResourceId: EXISTING_WORKSPACE, location: "swedencentral" },
      actionGroup: { actionGroupId: EXISTING_ACTION_GROUP },
    });
    expect(ofType(T.actionGroup)).toHaveLength(0);
    for (const r of ofType(T.rule)) expect(r.inputs.actions).toEqual({ actionGroups: [EXISTING_ACTION_GROUP] });
    expect(await promiseOf(trail.actionGroupId!)).toBe(EXISTING_ACTION_GROUP);
  });
});

describe("alerts toggled", () => {
  const privileged = { privilegedUsers: ["Admin@Contoso.com", ADMIN_ID] };
  test.each<[string, PasswordResetAuditTrailArgs["alerts"], string[]]>([
    ["burst only", { securityInfoRegistrationSpike: { enabled: false } }, ["reset-burst"]],
    ["spike only", { selfServiceResetBurst: { enabled: false } }, ["registration-spike"]],
    [
      "privileged only",
      { selfServiceResetBurst: { enabled: false }, securityInfoRegistrationSpike: { enabled: false }, privilegedUserSelfServiceReset: privileged },
      ["privileged-reset"],
    ],
    ["all three", { privilegedUserSelfServiceReset: privileged }, ["privileged-reset", "registration-spike", "reset-burst"]],
    [
      "privileged users listed but switched off",
      { privilegedUserSelfServiceReset: { ...privileged, enabled: false } },
      ["registration-spike", "reset-burst"],
    ],
  ])("%s", async (label, alerts, expected) => {
    const { trail } = await build(`audit-toggle-${label.replace(/\W+/g, "-").slice(0, 20)}`, {
      workspace: { location: "westeurope" },
      alerts,
      actionGroup: emailsOnly,
    });
    expect(ofType(T.rule).map((r) => r.name.replace(/^.*?-(reset-burst|registration-spike|privileged-reset)$/, "$1")).sort()).toEqual(expected);
    expect(Object.keys(trail.alertRuleIds)).toHaveLength(expected.length);
    expect(one(AZURE_NATIVE_TYPE.EntraDiagnosticSetting).inputs.logs[0]).toMatchObject({ category: "AuditLogs", enabled: true });
  });

  test("no alert: only the workspace and the diagnostic setting; no action group needed", async () => {
    const { trail } = await build("audit-no-alerts", {
      workspace: { location: "westeurope" },
      alerts: { selfServiceResetBurst: { enabled: false }, securityInfoRegistrationSpike: { enabled: false } },
    });
    expect(types()).toEqual([T.diagnosticSetting, T.resourceGroup, T.component, T.workspace].sort());
    expect(trail.actionGroupId).toBeUndefined();
    expect(trail.alertRuleIds).toEqual({});
  });

  test("an action group given while every alert is off is not created", async () => {
    await build("audit-no-alerts-ag", {
      workspace: { location: "westeurope" },
      alerts: { selfServiceResetBurst: { enabled: false }, securityInfoRegistrationSpike: { enabled: false } },
      actionGroup: emailsOnly,
    });
    expect(ofType(T.actionGroup)).toHaveLength(0);
  });

  test("privileged alert: 5-minute schedule over 6 hours, lower-cased users, no muting, severity 1", async () => {
    await build("audit-privileged", {
      workspace: { location: "westeurope" },
      alerts: { privilegedUserSelfServiceReset: { privilegedUsers: ["Admin@Contoso.com", ADMIN_ID, "admin@contoso.com"] } },
      actionGroup: emailsOnly,
    });
    const r = rule("privileged-reset")!;
    expect(r.inputs).toMatchObject({ severity: 1, evaluationFrequency: "PT5M", windowSize: "PT6H", autoMitigate: false });
    expect(r.inputs.muteActionsDuration).toBeUndefined();
    expect(r.inputs.criteria.allOf[0].query).toBe(
      privilegedUserSelfServiceResetQuery({ privilegedUsers: ["admin@contoso.com", ADMIN_ID], evaluationFrequencyMinutes: 5 }),
    );
  });
});

describe("custom thresholds, windows and severities", () => {
  test("reach the queries and the rule schedules", async () => {
    await build("audit-custom", {
      workspace: { location: "westeurope" },
      alerts: {
        selfServiceResetBurst: { threshold: 25, windowMinutes: 30, severity: 1 },
        securityInfoRegistrationSpike: { threshold: 200, windowMinutes: 1440, severity: 2 },
      },
      actionGroup: emailsOnly,
    });
    const burst = rule("reset-burst")!.inputs;
    expect(burst).toMatchObject({ severity: 1, windowSize: "PT30M", evaluationFrequency: "PT15M", muteActionsDuration: "PT30M" });
    expect(burst.criteria.allOf[0].query).toBe(selfServiceResetBurstQuery({ threshold: 25, windowMinutes: 30 }));
    expect(burst.criteria.allOf[0].query).toContain("ResetCount >= 25");
    const spike = rule("registration-spike")!.inputs;
    expect(spike).toMatchObject({ severity: 2, windowSize: "P1D", evaluationFrequency: "PT15M", muteActionsDuration: "P1D" });
    expect(spike.criteria.allOf[0].query).toContain("ChangeCount >= 200");
  });

  test("a window shorter than 15 minutes is also the evaluation frequency", async () => {
    await build("audit-short-window", {
      workspace: { location: "westeurope" },
      alerts: { selfServiceResetBurst: { windowMinutes: 5 }, securityInfoRegistrationSpike: { windowMinutes: 10 } },
      actionGroup: emailsOnly,
    });
    expect(rule("reset-burst")!.inputs).toMatchObject({ windowSize: "PT5M", evaluationFrequency: "PT5M" });
    expect(rule("registration-spike")!.inputs).toMatchObject({ windowSize: "PT10M", evaluationFrequency: "PT10M" });
  });

  test("webhooks, short name, setting name and tags", async () => {
    const tags = { owner: "identity-team", costCenter: "4711" };
    await build("audit-receivers", {
      workspace: { location: "westeurope" },
      actionGroup: { emails: ["a@contoso.com", "b@contoso.com"], webhookUrls: ["https://hooks.contoso.com/entra"], shortName: "IdAlerts" },
      diagnosticSettingName: "entra-audit-to-law",
      tags,
    });
    const ag = one(T.actionGroup).inputs;
    expect(ag.groupShortName).toBe("IdAlerts");
    expect(ag.emailReceivers.map((r: { name: string }) => r.name)).toEqual(["email-1", "email-2"]);
    expect(ag.webhookReceivers).toEqual([{ name: "webhook-1", serviceUri: "https://hooks.contoso.com/entra", useCommonAlertSchema: true }]);
    expect(one(T.diagnosticSetting).inputs.name).toBe("entra-audit-to-law");
    for (const c of created.filter((c) => c.type !== T.component && c.type !== T.diagnosticSetting)) expect(c.inputs.tags).toEqual(tags);
  });
});

describe("bad arguments are refused before anything is created", () => {
  const ok: PasswordResetAuditTrailArgs = { workspace: { location: "westeurope" }, actionGroup: emailsOnly };
  // Arguments typed as `any`: these are the mistakes a YAML config or a JavaScript caller can make.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: Array<[string, string, any, string[]]> = [
    ["retention below 30", "audit-bad", { ...ok, workspace: { location: "westeurope", retentionInDays: 10 } }, ["workspace.retentionInDays is 10", "from 30 to 730"]],
    ["retention above 730", "audit-bad", { ...ok, workspace: { location: "westeurope", retentionInDays: 731 } }, ["workspace.retentionInDays is 731", "from 30 to 730"]],
    ["retention as a string", "audit-bad", { ...ok, workspace: { location: "westeurope", retentionInDays: "90" } }, ['workspace.retentionInDays is "90"', "whole number"]],
    ["no workspace", "audit-bad", { actionGroup: emailsOnly }, ["workspace is undefined", "workspaceResourceId"]],
    ["no location", "audit-bad", { ...ok, workspace: {} }, ["workspace.location is undefined", "Azure region"]],
    ["malformed workspace id", "audit-bad", { ...ok, workspace: { workspaceResourceId: "/subscriptions/x/law", location: "westeurope" } }, ['workspace.workspaceResourceId is "/subscriptions/x/law"', "Microsoft.OperationalInsights/workspaces"]],
    ["retention with an existing workspace", "audit-bad", { ...ok, workspace: { workspaceResourceId: EXISTING_WORKSPACE, location: "westeurope", retentionInDays: 90 } }, ["workspace.retentionInDays is 90", "with an existing workspace"]],
    ["bad resource group name", "audit-bad", { ...ok, workspace: { location: "westeurope", resourceGroupName: "logs." } }, ['workspace.resourceGroupName is "logs."', "not ending in '.'"]],
    ["threshold 0", "audit-bad", { ...ok, alerts: { selfServiceResetBurst: { threshold: 0 } } }, ["alerts.selfServiceResetBurst.threshold is 0", "from 1 to 10000"]],
    ["fractional threshold", "audit-bad", { ...ok, alerts: { securityInfoRegistrationSpike: { threshold: 2.5 } } }, ["alerts.securityInfoRegistrationSpike.threshold is 2.5", "whole number"]],
    ["window Azure does not offer", "audit-bad", { ...ok, alerts: { selfServiceResetBurst: { windowMinutes: 7 } } }, ["alerts.selfServiceResetBurst.windowMinutes is 7", "use one of 5, 10, 15, 30, 45, 60"]],
    ["severity 5", "audit-bad", { ...ok, alerts: { securityInfoRegistrationSpike: { severity: 5 } } }, ["alerts.securityInfoRegistrationSpike.severity is 5", "from 0 to 4"]],
    ["privileged alert on without users", "audit-bad", { ...ok, alerts: { privilegedUserSelfServiceReset: { enabled: true } } }, ["alerts.privilegedUserSelfServiceReset.privilegedUsers is undefined", "enabled: false"]],
    ["privileged user that is neither id nor UPN", "audit-bad", { ...ok, alerts: { privilegedUserSelfServiceReset: { privilegedUsers: ['admin" or 1==1'] } } }, ['alerts.privilegedUserSelfServiceReset.privilegedUsers[0] is "admin\\" or 1==1"', "object id (GUID) or a user principal name"]],
    ["enabled as a string", "audit-bad", { ...ok, alerts: { selfServiceResetBurst: { enabled: "yes" } } }, ['alerts.selfServiceResetBurst.enabled is "yes"', "true or false"]],
    ["misspelt alert", "audit-bad", { ...ok, alerts: { selfServiceResetBursts: { threshold: 5 } } }, ["alerts.selfServiceResetBursts is", "not an argument here", "selfServiceResetBurst"]],
    ["alerts on, nobody to tell", "audit-bad", { workspace: { location: "westeurope" } }, ["actionGroup is undefined", "emails", "actionGroupId"]],
    ["empty action group", "audit-bad", { ...ok, actionGroup: {} }, ["actionGroup is {}", "at least one address"]],
    ["bad email", "audit-bad", { ...ok, actionGroup: { emails: ["secops"] } }, ['actionGroup.emails[0] is "secops"', "email address"]],
    ["email listed twice", "audit-bad", { ...ok, actionGroup: { emails: ["a@contoso.com", "A@contoso.com"] } }, ['actionGroup.emails[1] is "A@contoso.com"', "once"]],
    ["plain-http webhook", "audit-bad", { ...ok, actionGroup: { webhookUrls: ["http://hooks.contoso.com/x"] } }, ['actionGroup.webhookUrls[0] is "http://hooks.contoso.com/x"', "https://"]],
    ["11 webhooks", "audit-bad", { ...ok, actionGroup: { webhookUrls: Array.from({ length: 11 }, (_, i) => `https://h${i}.contoso.com`) } }, ["actionGroup.webhookUrls is \"11 URLs\"", "at most 10"]],
    ["short name too long", "audit-bad", { ...ok, actionGroup: { emails: ["a@contoso.com"], shortName: "SSPR audit alerts" } }, ['actionGroup.shortName is "SSPR audit alerts"', "1-12 characters"]],
    ["malformed action group id", "audit-bad", { ...ok, actionGroup: { actionGroupId: "secops" } }, ['actionGroup.actionGroupId is "secops"', "microsoft.insights/actionGroups"]],
    ["emails with an existing action group", "audit-bad", { ...ok, actionGroup: { actionGroupId: EXISTING_ACTION_GROUP, emails: ["a@contoso.com"] } }, ["actionGroup.emails is", "with an existing action group"]],
    ["bad diagnostic setting name", "audit-bad", { ...ok, diagnosticSettingName: "audit/logs" }, ['diagnosticSettingName is "audit/logs"', "letters, digits"]],
    ["tag value not a string", "audit-bad", { ...ok, tags: { owner: 42 } }, ["tags.owner is 42", "string"]],
    ["component name a new workspace cannot be named after", "audit_bad", ok, ['name is "audit_bad"', "letters, digits or hyphens", "new workspace"]],
    ["component name no Azure resource can be named after", "audit/bad", { ...ok, workspace: { workspaceResourceId: EXISTING_WORKSPACE, location: "westeurope" } }, ['name is "audit/bad"', "letters, digits, '-', '_' or '.'"]],
  ];

  test.each(cases)("%s", async (_label, name, args, messages) => {
    let error: Error | undefined;
    try {
      new mod.PasswordResetAuditTrail(name, args);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    expect(error!.message).toContain(`PasswordResetAuditTrail "${name}": invalid arguments, nothing was created`);
    for (const m of messages) expect(error!.message).toContain(m);
    // Registration is asynchronous: give it a chance to show up before asserting that nothing was declared.
    await new Promise((r) => setImmediate(r));
    expect(created).toEqual([]);
  });

  test("an underscore in the component name is fine when no workspace is created", async () => {
    await build("contoso_sspr-audit", { workspace: { workspaceResourceId: EXISTING_WORKSPACE, location: "westeurope" }, actionGroup: emailsOnly });
    expect(ofType(T.rule)).toHaveLength(2);
  });

  test("every problem is reported at once", () => {
    expect(() =>
      new mod.PasswordResetAuditTrail("audit-bad", {
        workspace: { location: "westeurope", retentionInDays: 5 },
        alerts: { selfServiceResetBurst: { threshold: -1 } },
        actionGroup: { emails: ["nobody"] },
      }),
    ).toThrow(/retentionInDays is 5[\s\S]*threshold is -1[\s\S]*emails\[0\] is "nobody"/);
  });

  test("resolveAuditTrailArgs applies every default in one place", () => {
    expect(mod.resolveAuditTrailArgs("audit", { workspace: { location: "westeurope" }, actionGroup: emailsOnly })).toEqual({
      workspace: { kind: "new", location: "westeurope", resourceGroupName: undefined, retentionInDays: 90 },
      alerts: {
        selfServiceResetBurst: { enabled: true, threshold: 10, windowMinutes: 60, severity: 2 },
        privilegedUserSelfServiceReset: { enabled: false, privilegedUsers: [], severity: 1 },
        securityInfoRegistrationSpike: { enabled: true, threshold: 50, windowMinutes: 60, severity: 3 },
      },
      actionGroup: { kind: "new", emails: ["secops@contoso.com"], webhookUrls: [], shortName: "SSPR audit" },
      diagnosticSettingName: "sspr-audit-trail",
      tags: {},
    });
  });

  test("isoMinutes writes the durations alert rules expect", () => {
    expect([5, 15, 45, 60, 120, 360, 1440, 2880].map(mod.isoMinutes)).toEqual(["PT5M", "PT15M", "PT45M", "PT1H", "PT2H", "PT6H", "P1D", "P2D"]);
  });
});
