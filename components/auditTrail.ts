/**
 * PasswordResetAuditTrail: keeps the Entra ID audit log (where every self-service reset is recorded) longer
 * than Entra's 7-30 days and alerts on it. A tenant diagnostic setting (`aadiam`) streams the "AuditLogs"
 * category to a Log Analytics workspace (new or existing); scheduled query rules (`monitor`) watch it and
 * notify an action group. Licensing, permissions and cost: docs/audit-trail.md.
 *
 * Optional and separate from the SSPR policy component: a tenant without Entra ID P1/P2 cannot export its
 * logs, and many tenants already stream them. The policy pack warns when a P1 tenant turns SSPR on with no
 * `azure-native:aadiam:DiagnosticSetting` that has "AuditLogs" enabled; this component creates exactly that.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import {
  privilegedUserSelfServiceResetQuery,
  securityInfoRegistrationSpikeQuery,
  selfServiceResetBurstQuery,
} from "./auditQueries";
import { CheckFailure, isPlainObject } from "./tenantSetting";
import { isGuid, problem, throwIfProblems } from "./validation";

export const AUDIT_TRAIL_TYPE = "sspr:index:PasswordResetAuditTrail";

/** Alert severity as Azure Monitor numbers it: 0 Critical, 1 Error, 2 Warning, 3 Informational, 4 Verbose. */
export type AlertSeverity = 0 | 1 | 2 | 3 | 4;

/**
 * Windows a log search alert can aggregate over (the portal's "Aggregation granularity" choices; one minute
 * left out because rules that run every minute may not use ingestion_time()). Two days is the longest a log
 * alert may look back.
 */
export const ALERT_WINDOW_MINUTES = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880] as const;
export type AlertWindowMinutes = (typeof ALERT_WINDOW_MINUTES)[number];

/** Create a workspace for the audit trail. */
export interface NewAuditWorkspaceArgs {
  /** Azure region of the workspace and of the alert rules, e.g. "westeurope". */
  readonly location: string;
  /** Existing resource group to put the workspace in. Omit to have a resource group created. */
  readonly resourceGroupName?: string;
  /**
   * Days the audit events stay queryable (the workspace's interactive retention), 30-730. The first 31 days
   * are included in the ingestion price. Defaults to `90`.
   */
  readonly retentionInDays?: number;
}

/** Send the audit trail to a workspace you already have; its retention stays as it is. */
export interface ExistingAuditWorkspaceArgs {
  /** `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}`. */
  readonly workspaceResourceId: string;
  /** Region of that workspace; the alert rules are created there, in the workspace's resource group. */
  readonly location: string;
}

/** Alert when many users reset their password themselves within a short time. */
export interface SelfServiceResetBurstAlertArgs {
  /** Defaults to `true`. */
  readonly enabled?: boolean;
  /** Completed self-service resets in the window that fire the alert (at least this many). Defaults to `10`. */
  readonly threshold?: number;
  /** Window in minutes, one of ALERT_WINDOW_MINUTES. Defaults to `60`. */
  readonly windowMinutes?: AlertWindowMinutes;
  /** Defaults to `2` (Warning). */
  readonly severity?: AlertSeverity;
}

/** Alert on any self-service reset or unlock of a privileged role holder's account. */
export interface PrivilegedUserSelfServiceResetAlertArgs {
  /** Defaults to `true` when `privilegedUsers` lists anyone, else `false`. */
  readonly enabled?: boolean;
  /**
   * Object ids (GUIDs) or user principal names of the accounts that hold admin roles (Global, Privileged
   * Role, Security, Password, Helpdesk, Authentication ... Administrator). AuditLogs does not say who holds
   * a role, so the list is yours to keep current; the SSPR component's role assignments are a good source.
   */
  readonly privilegedUsers?: readonly string[];
  /** Defaults to `1` (Error). */
  readonly severity?: AlertSeverity;
}

/** Alert when security info (authentication methods) is registered, changed or deleted at unusual volume. */
export interface SecurityInfoRegistrationSpikeAlertArgs {
  /** Defaults to `true`. */
  readonly enabled?: boolean;
  /** Registration changes in the window that fire the alert (at least this many). Defaults to `50`. */
  readonly threshold?: number;
  /** Window in minutes, one of ALERT_WINDOW_MINUTES. Defaults to `60`. */
  readonly windowMinutes?: AlertWindowMinutes;
  /** Defaults to `3` (Informational): expect legitimate spikes while users register after SSPR is turned on. */
  readonly severity?: AlertSeverity;
}

export interface PasswordResetAuditAlertsArgs {
  readonly selfServiceResetBurst?: SelfServiceResetBurstAlertArgs;
  readonly privilegedUserSelfServiceReset?: PrivilegedUserSelfServiceResetAlertArgs;
  readonly securityInfoRegistrationSpike?: SecurityInfoRegistrationSpikeAlertArgs;
}

/** Create an action group that mails and/or calls webhooks. */
export interface NewActionGroupArgs {
  /** Addresses that receive the alerts (at most 1,000, 64 characters each). */
  readonly emails?: readonly string[];
  /** https endpoints that receive the common alert schema payload (at most 10). */
  readonly webhookUrls?: readonly string[];
  /** Short name shown in notifications, 1-12 characters. Defaults to `"SSPR audit"`. */
  readonly shortName?: string;
}

/** Notify an action group you already have. */
export interface ExistingActionGroupArgs {
  /** `/subscriptions/{id}/resourceGroups/{rg}/providers/microsoft.insights/actionGroups/{name}`. */
  readonly actionGroupId: string;
}

export interface PasswordResetAuditTrailArgs {
  /** Where the audit events go: a new workspace, or an existing one. */
  readonly workspace: NewAuditWorkspaceArgs | ExistingAuditWorkspaceArgs;
  /** Alert rules; each is on by default except the privileged-user one, which needs its user list. */
  readonly alerts?: PasswordResetAuditAlertsArgs;
  /** Who is told when an alert fires. Required while any alert is enabled. */
  readonly actionGroup?: NewActionGroupArgs | ExistingActionGroupArgs;
  /**
   * Name of the tenant diagnostic setting (Entra admin center > Monitoring & health > Diagnostic settings).
   * Defaults to `"sspr-audit-trail"`.
   */
  readonly diagnosticSettingName?: string;
  /** Tags for the Azure resources created (not the tenant diagnostic setting, which has none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every default of the component, in one place. */
export const AUDIT_TRAIL_DEFAULTS = {
  retentionInDays: 90,
  diagnosticSettingName: "sspr-audit-trail",
  actionGroupShortName: "SSPR audit",
  selfServiceResetBurst: { enabled: true, threshold: 10, windowMinutes: 60, severity: 2 },
  privilegedUserSelfServiceReset: { severity: 1 },
  securityInfoRegistrationSpike: { enabled: true, threshold: 50, windowMinutes: 60, severity: 3 },
} as const;

/**
 * Schedules. Count alerts run every 15 minutes (or every window, if shorter) over their window and mute
 * their actions for one window, so one burst sends one notification. The privileged-user alert runs every
 * 5 minutes on what arrived since the last run (ingestion_time), over the last 6 hours of event time so
 * that late deliveries from Entra are still seen.
 */
export const ALERT_SCHEDULE = {
  countEvaluationFrequencyMinutes: 15,
  privilegedEvaluationFrequencyMinutes: 5,
  privilegedLookbackMinutes: 360,
} as const;

// Limits checked before anything is created (Log Analytics retention, action group receivers).
const RETENTION_MIN = 30;
const RETENTION_MAX = 730;
const THRESHOLD_MAX = 10000;
const MAX_EMAILS = 1000;
const MAX_EMAIL_LENGTH = 64;
const MAX_WEBHOOKS = 10;
const MAX_PRIVILEGED_USERS = 500; // keeps the rule's query far below the 64 KB limit of alert rule properties

/** Settings after validation, with every default applied: what the constructor builds from. */
export interface AuditTrailSettings {
  workspace:
    | { kind: "new"; location: string; resourceGroupName?: string; retentionInDays: number }
    | { kind: "existing"; workspaceResourceId: string; location: string; resourceGroupName: string };
  alerts: {
    selfServiceResetBurst: { enabled: boolean; threshold: number; windowMinutes: number; severity: number };
    privilegedUserSelfServiceReset: { enabled: boolean; privilegedUsers: string[]; severity: number };
    securityInfoRegistrationSpike: { enabled: boolean; threshold: number; windowMinutes: number; severity: number };
  };
  actionGroup?:
    | { kind: "new"; emails: string[]; webhookUrls: string[]; shortName: string }
    | { kind: "existing"; actionGroupId: string };
  diagnosticSettingName: string;
  tags: Record<string, string>;
}

const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// No whitespace, quotes or backslashes: these strings end up inside KQL and notification payloads.
const LOCAL_PART = /^[^\s@"\\]+$/;
const WORKSPACE_ID =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9])$/i;
const ACTION_GROUP_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[^/]+\/providers\/microsoft\.insights\/actionGroups\/[^/]+$/i;
const RESOURCE_GROUP_NAME = /^[\p{L}\p{N}_().-]{0,89}[\p{L}\p{N}_()-]$/u;
const LOCATION = /^[A-Za-z][A-Za-z0-9 ]{1,39}$/;
const DIAGNOSTIC_SETTING_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
// Children are auto-named from the component name ("-rg", "-actions" ... plus a random suffix). A new
// workspace is the strictest: 4-63 letters, digits and hyphens, hence the tighter rule when one is created.
const COMPONENT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,58}[A-Za-z0-9])?$/;
const COMPONENT_NAME_WITH_NEW_WORKSPACE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?$/;

/** Collects every problem (in validation.ts's wording) so one error lists them all. */
class Problems {
  readonly found: CheckFailure[] = [];
  add(path: string, value: unknown, allowed: string): void {
    this.found.push(problem(path, value, allowed));
  }
}

/** Rejects misspelt keys, which would otherwise silently fall back to defaults. */
function knownKeys(p: Problems, path: string, o: Record<string, unknown>, allowed: readonly string[], hint = ""): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && o[k] !== undefined) {
      p.add(`${path}.${k}`, o[k], `not an argument here${hint}; allowed: ${allowed.join(", ")}`);
    }
  }
}

function optionalObject(p: Problems, path: string, v: unknown): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    p.add(path, v, "use an object");
    return {};
  }
  return v;
}

function bool(p: Problems, path: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") {
    p.add(path, v, "use true or false");
    return dflt;
  }
  return v;
}

function integer(p: Problems, path: string, v: unknown, dflt: number, min: number, max: number, what: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    p.add(path, v, `use a whole number from ${min} to ${max} (${what})`);
    return dflt;
  }
  return v;
}

function windowMinutes(p: Problems, path: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !(ALERT_WINDOW_MINUTES as readonly number[]).includes(v)) {
    p.add(path, v, `use one of ${ALERT_WINDOW_MINUTES.join(", ")} (minutes a log search alert can aggregate over)`);
    return dflt;
  }
  return v;
}

function severity(p: Problems, path: string, v: unknown, dflt: number): number {
  return integer(p, path, v, dflt, 0, 4, "0 Critical, 1 Error, 2 Warning, 3 Informational, 4 Verbose");
}

function location(p: Problems, path: string, v: unknown): string {
  if (typeof v !== "string" || !LOCATION.test(v)) {
    p.add(path, v, 'use an Azure region name such as "westeurope" or "East US"');
    return "";
  }
  return v;
}

function stringList(p: Problems, path: string, v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    p.add(path, v, `use a list of ${what}`);
    return [];
  }
  return v as string[];
}

function isUserPrincipalName(v: string): boolean {
  const at = v.lastIndexOf("@");
  return at > 0 && LOCAL_PART.test(v.slice(0, at)) && DOMAIN.test(v.slice(at + 1));
}

function resolveWorkspace(p: Problems, v: unknown): AuditTrailSettings["workspace"] {
  if (!isPlainObject(v)) {
    p.add("workspace", v, "give { location, resourceGroupName?, retentionInDays? } for a new workspace or { workspaceResourceId, location } for an existing one");
    return { kind: "new", location: "", retentionInDays: AUDIT_TRAIL_DEFAULTS.retentionInDays };
  }
  if (v.workspaceResourceId !== undefined) {
    knownKeys(p, "workspace", v, ["workspaceResourceId", "location"], " with an existing workspace (it keeps its own resource group and retention)");
    const id = v.workspaceResourceId;
    const m = typeof id === "string" ? WORKSPACE_ID.exec(id) : null;
    if (!m) {
      p.add("workspace.workspaceResourceId", id, "use a Log Analytics workspace resource id: /subscriptions/{subscription id}/resourceGroups/{group}/providers/Microsoft.OperationalInsights/workspaces/{name}");
    }
    return { kind: "existing", workspaceResourceId: String(id), location: location(p, "workspace.location", v.location), resourceGroupName: m ? m[2] : "" };
  }
  knownKeys(p, "workspace", v, ["location", "resourceGroupName", "retentionInDays"], " for a new workspace");
  let resourceGroupName: string | undefined;
  if (v.resourceGroupName !== undefined) {
    if (typeof v.resourceGroupName !== "string" || !RESOURCE_GROUP_NAME.test(v.resourceGroupName)) {
      p.add("workspace.resourceGroupName", v.resourceGroupName, "use an existing resource group name (1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'), or omit it to create one");
    } else {
      resourceGroupName = v.resourceGroupName;
    }
  }
  return {
    kind: "new",
    location: location(p, "workspace.location", v.location),
    resourceGroupName,
    retentionInDays: integer(p, "workspace.retentionInDays", v.retentionInDays, AUDIT_TRAIL_DEFAULTS.retentionInDays, RETENTION_MIN, RETENTION_MAX, "days of Log Analytics interactive retention"),
  };
}

function resolveAlerts(p: Problems, v: unknown): AuditTrailSettings["alerts"] {
  const alerts = optionalObject(p, "alerts", v);
  knownKeys(p, "alerts", alerts, ["selfServiceResetBurst", "privilegedUserSelfServiceReset", "securityInfoRegistrationSpike"]);

  const b = optionalObject(p, "alerts.selfServiceResetBurst", alerts.selfServiceResetBurst);
  knownKeys(p, "alerts.selfServiceResetBurst", b, ["enabled", "threshold", "windowMinutes", "severity"]);
  const bd = AUDIT_TRAIL_DEFAULTS.selfServiceResetBurst;

  const r = optionalObject(p, "alerts.privilegedUserSelfServiceReset", alerts.privilegedUserSelfServiceReset);
  knownKeys(p, "alerts.privilegedUserSelfServiceReset", r, ["enabled", "privilegedUsers", "severity"]);
  const users: string[] = [];
  const listed = stringList(p, "alerts.privilegedUserSelfServiceReset.privilegedUsers", r.privilegedUsers, "object ids (GUIDs) or user principal names");
  if (listed.length > MAX_PRIVILEGED_USERS) {
    p.add("alerts.privilegedUserSelfServiceReset.privilegedUsers", `${listed.length} entries`, `list at most ${MAX_PRIVILEGED_USERS} accounts (alert rule size limit)`);
  }
  listed.forEach((u, i) => {
    if (typeof u === "string" && (isGuid(u) || isUserPrincipalName(u))) {
      if (!users.includes(u.toLowerCase())) users.push(u.toLowerCase());
    } else {
      p.add(`alerts.privilegedUserSelfServiceReset.privilegedUsers[${i}]`, u, "use a user object id (GUID) or a user principal name such as admin@contoso.com");
    }
  });
  const privilegedEnabled = bool(p, "alerts.privilegedUserSelfServiceReset.enabled", r.enabled, listed.length > 0);
  if (privilegedEnabled && listed.length === 0) {
    p.add("alerts.privilegedUserSelfServiceReset.privilegedUsers", r.privilegedUsers, "list the privileged accounts to watch (object ids or user principal names) when the alert is enabled, or set enabled: false");
  }

  const s = optionalObject(p, "alerts.securityInfoRegistrationSpike", alerts.securityInfoRegistrationSpike);
  knownKeys(p, "alerts.securityInfoRegistrationSpike", s, ["enabled", "threshold", "windowMinutes", "severity"]);
  const sd = AUDIT_TRAIL_DEFAULTS.securityInfoRegistrationSpike;

  return {
    selfServiceResetBurst: {
      enabled: bool(p, "alerts.selfServiceResetBurst.enabled", b.enabled, bd.enabled),
      threshold: integer(p, "alerts.selfServiceResetBurst.threshold", b.threshold, bd.threshold, 1, THRESHOLD_MAX, "completed self-service resets in the window"),
      windowMinutes: windowMinutes(p, "alerts.selfServiceResetBurst.windowMinutes", b.windowMinutes, bd.windowMinutes),
      severity: severity(p, "alerts.selfServiceResetBurst.severity", b.severity, bd.severity),
    },
    privilegedUserSelfServiceReset: {
      enabled: privilegedEnabled,
      privilegedUsers: users,
      severity: severity(p, "alerts.privilegedUserSelfServiceReset.severity", r.severity, AUDIT_TRAIL_DEFAULTS.privilegedUserSelfServiceReset.severity),
    },
    securityInfoRegistrationSpike: {
      enabled: bool(p, "alerts.securityInfoRegistrationSpike.enabled", s.enabled, sd.enabled),
      threshold: integer(p, "alerts.securityInfoRegistrationSpike.threshold", s.threshold, sd.threshold, 1, THRESHOLD_MAX, "security info changes in the window"),
      windowMinutes: windowMinutes(p, "alerts.securityInfoRegistrationSpike.windowMinutes", s.windowMinutes, sd.windowMinutes),
      severity: severity(p, "alerts.securityInfoRegistrationSpike.severity", s.severity, sd.severity),
    },
  };
}

function resolveActionGroup(p: Problems, v: unknown, needed: boolean): AuditTrailSettings["actionGroup"] {
  if (v === undefined) {
    if (needed) {
      p.add("actionGroup", v, "give { emails?, webhookUrls? } or { actionGroupId } so enabled alerts reach someone, or disable every alert");
    }
    return undefined;
  }
  if (!isPlainObject(v)) {
    p.add("actionGroup", v, "give { emails?, webhookUrls?, shortName? } or { actionGroupId }");
    return undefined;
  }
  if (v.actionGroupId !== undefined) {
    knownKeys(p, "actionGroup", v, ["actionGroupId"], " with an existing action group");
    if (typeof v.actionGroupId !== "string" || !ACTION_GROUP_ID.test(v.actionGroupId)) {
      p.add("actionGroup.actionGroupId", v.actionGroupId, "use an action group resource id: /subscriptions/{subscription id}/resourceGroups/{group}/providers/microsoft.insights/actionGroups/{name}");
    }
    return { kind: "existing", actionGroupId: String(v.actionGroupId) };
  }
  knownKeys(p, "actionGroup", v, ["emails", "webhookUrls", "shortName"], " for a new action group");
  const emails = stringList(p, "actionGroup.emails", v.emails, "email addresses");
  const webhookUrls = stringList(p, "actionGroup.webhookUrls", v.webhookUrls, "https URLs");
  if (emails.length > MAX_EMAILS) p.add("actionGroup.emails", `${emails.length} addresses`, `list at most ${MAX_EMAILS} (action group limit)`);
  if (webhookUrls.length > MAX_WEBHOOKS) p.add("actionGroup.webhookUrls", `${webhookUrls.length} URLs`, `list at most ${MAX_WEBHOOKS} (action group limit)`);
  const seen = new Set<string>();
  emails.forEach((e, i) => {
    if (typeof e !== "string" || e.length > MAX_EMAIL_LENGTH || !isUserPrincipalName(e)) {
      p.add(`actionGroup.emails[${i}]`, e, `use an email address of at most ${MAX_EMAIL_LENGTH} characters`);
    } else if (seen.has(e.toLowerCase())) {
      p.add(`actionGroup.emails[${i}]`, e, "list each address once");
    } else {
      seen.add(e.toLowerCase());
    }
  });
  webhookUrls.forEach((u, i) => {
    let ok = false;
    try {
      ok = typeof u === "string" && new URL(u).protocol === "https:";
    } catch {
      /* not a URL */
    }
    if (!ok) p.add(`actionGroup.webhookUrls[${i}]`, u, "use an https:// URL (alert payloads name users and IP addresses)");
  });
  if (emails.length === 0 && webhookUrls.length === 0) {
    p.add("actionGroup", v, "list at least one address in emails or one URL in webhookUrls, or give actionGroupId");
  }
  let shortName: string = AUDIT_TRAIL_DEFAULTS.actionGroupShortName;
  if (v.shortName !== undefined) {
    if (typeof v.shortName !== "string" || v.shortName.trim().length === 0 || v.shortName.length > 12) {
      p.add("actionGroup.shortName", v.shortName, "use 1-12 characters (shown in notifications)");
    } else {
      shortName = v.shortName;
    }
  }
  return { kind: "new", emails, webhookUrls, shortName };
}

function resolveTags(p: Problems, v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    p.add("tags", v, "use an object of string values");
    return {};
  }
  const entries = Object.entries(v);
  if (entries.length > 50) p.add("tags", `${entries.length} tags`, "use at most 50 tags (Azure limit)");
  for (const [k, val] of entries) {
    if (k.length === 0 || k.length > 512 || /[<>%&\\?/]/.test(k)) p.add(`tags[${JSON.stringify(k)}]`, k, "use a tag name of 1-512 characters without < > % & \\ ? /");
    if (typeof val !== "string" || val.length > 256) p.add(`tags.${k}`, val, "use a string of at most 256 characters");
  }
  return { ...(v as Record<string, string>) };
}

/**
 * Checks every argument and applies every default. Throws one error that lists each problem as
 * "`argument` is value; what is allowed", before any resource (even the component) is registered.
 */
export function resolveAuditTrailArgs(name: string, args: PasswordResetAuditTrailArgs): AuditTrailSettings {
  const p = new Problems();
  const a: Record<string, unknown> = isPlainObject(args) ? args : {};
  if (!isPlainObject(args)) p.add("args", args, "give { workspace, alerts?, actionGroup?, diagnosticSettingName?, tags? }");
  knownKeys(p, "args", a, ["workspace", "alerts", "actionGroup", "diagnosticSettingName", "tags"]);

  const workspace = resolveWorkspace(p, a.workspace);
  if (workspace.kind === "new" && !(typeof name === "string" && COMPONENT_NAME_WITH_NEW_WORKSPACE.test(name))) {
    p.add("name", name, "use 1-40 letters, digits or hyphens, starting and ending with a letter or digit (the new workspace is named after it)");
  } else if (!(typeof name === "string" && COMPONENT_NAME.test(name))) {
    p.add("name", name, "use 1-60 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (child resources are named after it)");
  }
  const alerts = resolveAlerts(p, a.alerts);
  const anyAlert = alerts.selfServiceResetBurst.enabled || alerts.privilegedUserSelfServiceReset.enabled || alerts.securityInfoRegistrationSpike.enabled;
  const actionGroup = resolveActionGroup(p, a.actionGroup, anyAlert);

  let diagnosticSettingName: string = AUDIT_TRAIL_DEFAULTS.diagnosticSettingName;
  if (a.diagnosticSettingName !== undefined) {
    if (typeof a.diagnosticSettingName !== "string" || !DIAGNOSTIC_SETTING_NAME.test(a.diagnosticSettingName)) {
      p.add("diagnosticSettingName", a.diagnosticSettingName, "use 1-128 letters, digits, '-', '_' or '.', starting with a letter or digit");
    } else {
      diagnosticSettingName = a.diagnosticSettingName;
    }
  }
  const tags = resolveTags(p, a.tags);

  throwIfProblems(`PasswordResetAuditTrail "${String(name)}"`, p.found);
  // An action group given while every alert is off has nothing to deliver: checked above, not created.
  return { workspace, alerts, actionGroup: anyAlert ? actionGroup : undefined, diagnosticSettingName, tags };
}

/** ISO 8601 duration for whole minutes, as alert rules expect ("PT15M", "PT1H", "P1D"). */
export function isoMinutes(m: number): string {
  if (m % 1440 === 0) return `P${m / 1440}D`;
  if (m % 60 === 0) return `PT${m / 60}H`;
  return `PT${m}M`;
}

export interface PasswordResetAuditAlertRuleIds {
  selfServiceResetBurst?: pulumi.Output<string>;
  privilegedUserSelfServiceReset?: pulumi.Output<string>;
  securityInfoRegistrationSpike?: pulumi.Output<string>;
}

export class PasswordResetAuditTrail extends pulumi.ComponentResource {
  /** Resource id of the Log Analytics workspace that receives the audit log (created or given). */
  public readonly workspaceId: pulumi.Output<string>;
  /** Name of the tenant diagnostic setting that streams "AuditLogs" to the workspace. */
  public readonly diagnosticSettingName: pulumi.Output<string>;
  /** Resource id of the action group the alerts notify; undefined when no alert is enabled. */
  public readonly actionGroupId?: pulumi.Output<string>;
  /** Resource ids of the alert rules created, by alert. */
  public readonly alertRuleIds: PasswordResetAuditAlertRuleIds;

  /** Resource group created for the workspace, when none was named. */
  public readonly resourceGroup?: resources.ResourceGroup;
  /** Workspace created, when no existing one was given. */
  public readonly workspace?: operationalinsights.Workspace;
  /** The tenant diagnostic setting (`aadiam`). */
  public readonly diagnosticSetting: aadiam.DiagnosticSetting;
  /** Action group created, when no existing one was given. */
  public readonly actionGroup?: monitor.ActionGroup;

  constructor(name: string, args: PasswordResetAuditTrailArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate before super(): a rejected configuration registers nothing, not even the component.
    const settings = resolveAuditTrailArgs(name, args);
    super(AUDIT_TRAIL_TYPE, name, {}, opts);
    const tags = Object.keys(settings.tags).length > 0 ? settings.tags : undefined;

    // Workspace: create (in a new or named resource group) or reuse.
    let resourceGroupName: pulumi.Input<string>;
    let location: string;
    if (settings.workspace.kind === "new") {
      location = settings.workspace.location;
      if (settings.workspace.resourceGroupName === undefined) {
        this.resourceGroup = new resources.ResourceGroup(`${name}-rg`, { location, tags }, { parent: this });
        resourceGroupName = this.resourceGroup.name;
      } else {
        resourceGroupName = settings.workspace.resourceGroupName;
      }
      this.workspace = new operationalinsights.Workspace(
        `${name}-workspace`,
        {
          resourceGroupName,
          location,
          sku: { name: "PerGB2018" },
          retentionInDays: settings.workspace.retentionInDays,
          tags,
        },
        { parent: this },
      );
      this.workspaceId = this.workspace.id;
    } else {
      location = settings.workspace.location;
      resourceGroupName = settings.workspace.resourceGroupName;
      this.workspaceId = pulumi.output(settings.workspace.workspaceResourceId);
    }

    // Tenant diagnostic setting. The policy pack looks for exactly this: type
    // azure-native:aadiam:DiagnosticSetting with an enabled "AuditLogs" category.
    this.diagnosticSetting = new aadiam.DiagnosticSetting(
      name,
      {
        name: settings.diagnosticSettingName,
        workspaceId: this.workspaceId,
        // Retention lives in the workspace; the per-category policy only ever applied to storage accounts.
        logs: [{ category: "AuditLogs", enabled: true, retentionPolicy: { enabled: false, days: 0 } }],
      },
      { parent: this },
    );
    this.diagnosticSettingName = this.diagnosticSetting.name;

    // Action group: settings hold one only when some alert can use it.
    const a = settings.alerts;
    let actionGroupId: pulumi.Output<string> | undefined;
    if (settings.actionGroup?.kind === "new") {
      const g = settings.actionGroup;
      this.actionGroup = new monitor.ActionGroup(
        `${name}-actions`,
        {
          resourceGroupName,
          location: "Global", // action groups are global; notifications are not tied to the workspace region
          enabled: true,
          groupShortName: g.shortName,
          emailReceivers: g.emails.map((emailAddress, i) => ({ name: `email-${i + 1}`, emailAddress, useCommonAlertSchema: true })),
          webhookReceivers: g.webhookUrls.map((serviceUri, i) => ({ name: `webhook-${i + 1}`, serviceUri, useCommonAlertSchema: true })),
          tags,
        },
        { parent: this },
      );
      actionGroupId = this.actionGroup.id;
    } else if (settings.actionGroup?.kind === "existing") {
      actionGroupId = pulumi.output(settings.actionGroup.actionGroupId);
    }
    this.actionGroupId = actionGroupId;

    const rule = (suffix: string, r: { displayName: string; description: string; severity: number; query: string; windowMinutes: number; frequencyMinutes: number; muteMinutes?: number }) =>
      new monitor.ScheduledQueryRule(
        `${name}-${suffix}`,
        {
          resourceGroupName,
          location,
          kind: "LogAlert",
          displayName: r.displayName,
          description: r.description,
          severity: r.severity,
          enabled: true,
          scopes: [this.workspaceId],
          evaluationFrequency: isoMinutes(r.frequencyMinutes),
          windowSize: isoMinutes(r.windowMinutes),
          criteria: {
            allOf: [
              {
                // The query returns rows only when the condition holds; any row fires the alert.
                query: r.query,
                timeAggregation: "Count",
                operator: "GreaterThan",
                threshold: 0,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          // Events, not states: nothing to resolve automatically (and muting requires auto-resolve off).
          autoMitigate: false,
          muteActionsDuration: r.muteMinutes === undefined ? undefined : isoMinutes(r.muteMinutes),
          // A new workspace may not list AuditLogs until Entra delivers the first event; the queries are
          // checked offline against the table schema instead (tests/unit/auditKql.test.ts).
          skipQueryValidation: true,
          actions: { actionGroups: actionGroupId ? [actionGroupId] : [] },
          tags,
        },
        { parent: this },
      );

    // Count alerts (burst, spike): evaluated every window (at most every countEvaluationFrequencyMinutes) and
    // muted for one window after firing, so one burst notifies once.
    const countRule = (suffix: string, c: { severity: number; windowMinutes: number }, displayName: string, description: string, query: string) =>
      rule(suffix, {
        displayName, description, query, severity: c.severity, windowMinutes: c.windowMinutes,
        frequencyMinutes: Math.min(c.windowMinutes, ALERT_SCHEDULE.countEvaluationFrequencyMinutes), muteMinutes: c.windowMinutes,
      });
    const ids: PasswordResetAuditAlertRuleIds = {};
    if (a.selfServiceResetBurst.enabled) {
      const c = a.selfServiceResetBurst;
      ids.selfServiceResetBurst = countRule("reset-burst", c, "SSPR: burst of self-service password resets",
        `At least ${c.threshold} self-service password resets completed within ${c.windowMinutes} minutes.`, selfServiceResetBurstQuery(c)).id;
    }
    if (a.privilegedUserSelfServiceReset.enabled) {
      const c = a.privilegedUserSelfServiceReset;
      ids.privilegedUserSelfServiceReset = rule("privileged-reset", {
        displayName: "SSPR: privileged account reset by self-service",
        description: `A self-service password reset or unlock completed for one of ${c.privilegedUsers.length} listed privileged accounts.`,
        severity: c.severity,
        query: privilegedUserSelfServiceResetQuery({ privilegedUsers: c.privilegedUsers, evaluationFrequencyMinutes: ALERT_SCHEDULE.privilegedEvaluationFrequencyMinutes }),
        windowMinutes: ALERT_SCHEDULE.privilegedLookbackMinutes,
        frequencyMinutes: ALERT_SCHEDULE.privilegedEvaluationFrequencyMinutes,
      }).id;
    }
    if (a.securityInfoRegistrationSpike.enabled) {
      const c = a.securityInfoRegistrationSpike;
      ids.securityInfoRegistrationSpike = countRule("registration-spike", c, "SSPR: security info registration changes at unusual volume",
        `At least ${c.threshold} security info registrations, changes or deletions within ${c.windowMinutes} minutes.`, securityInfoRegistrationSpikeQuery(c)).id;
    }
    this.alertRuleIds = ids;

    this.registerOutputs({
      workspaceId: this.workspaceId,
      diagnosticSettingName: this.diagnosticSettingName,
      actionGroupId: this.actionGroupId,
      alertRuleIds: this.alertRuleIds,
    });
  }
}
