/**
 * KQL of the SSPR audit-trail alerts, written against the Log Analytics `AuditLogs` table that the tenant
 * diagnostic setting fills (columns: MicrosoftDocs/azure-monitor-docs, reference/tables/auditlogs.md;
 * activity names: MicrosoftDocs/entra-docs, monitoring-health/reference-audit-activities.md).
 *
 * Pure functions of plain numbers and strings, so tests parse exactly what the alert rules receive
 * (tests/unit/auditKql.test.ts runs them through Microsoft's Kusto language service).
 */

/** `LoggedByService` values of the two services that log SSPR and security-info registration. */
export const SERVICE = {
  SelfServicePasswordManagement: "Self-service Password Management",
  AuthenticationMethods: "Authentication Methods",
} as const;

/** Audit category (the `Category` column) of every activity used here. */
export const USER_MANAGEMENT = "UserManagement";

/** Activities (the `OperationName` column), as the Entra audit activity reference spells them. */
export const OPERATION = {
  ResetPasswordSelfService: "Reset password (self-service)",
  UnlockUserAccountSelfService: "Unlock user account (self-service)",
  ResetPasswordByAdmin: "Reset password (by admin)",
  ChangePasswordSelfService: "Change password (self-service)",
  BlockedFromSelfServicePasswordReset: "Blocked from self-service password reset",
  SelfServicePasswordResetFlowActivityProgress: "Self-service password reset flow activity progress",
  SecurityInfoSavedForSelfServicePasswordReset: "Security info saved for self-service password reset",
  UserRegisteredSecurityInfo: "User registered security info",
  UserChangedDefaultSecurityInfo: "User changed default security info",
  UserUpdatedSecurityInfo: "User updated security info",
  UserDeletedSecurityInfo: "User deleted security info",
  UserRegisteredAllRequiredSecurityInfo: "User registered all required security info",
  AdminRegisteredSecurityInfo: "Admin registered security info",
  AdminUpdatedSecurityInfo: "Admin updated security info",
  AdminDeletedSecurityInfo: "Admin deleted security info",
} as const;

/**
 * Security-info changes counted by the registration-spike alert: one event per method added, changed or
 * removed. "User registered all required security info" is left out because it repeats, as a summary, a
 * registration already counted.
 */
export const SECURITY_INFO_CHANGES: readonly string[] = [
  OPERATION.UserRegisteredSecurityInfo,
  OPERATION.UserChangedDefaultSecurityInfo,
  OPERATION.UserUpdatedSecurityInfo,
  OPERATION.UserDeletedSecurityInfo,
  OPERATION.AdminRegisteredSecurityInfo,
  OPERATION.AdminUpdatedSecurityInfo,
  OPERATION.AdminDeletedSecurityInfo,
  OPERATION.SecurityInfoSavedForSelfServicePasswordReset,
];

/** KQL string literal. Inputs are validated upstream; escaping still keeps a stray quote from breaking out. */
function str(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function list(items: readonly string[]): string {
  return items.map(str).join(", ");
}

/** KQL timespan literal for whole minutes (`90m`); `ago()` in alert queries only accepts literals. */
function minutes(n: number): string {
  return `${n}m`;
}

function wholeNumber(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} is ${n}; use a whole number >= ${min}`);
}

/** The count alerts (reset burst, registration spike). */
export interface CountQueryOptions {
  /** Fire when at least this many events happened in the window. */
  threshold: number;
  /** Window in minutes; equals the alert rule's window size. */
  windowMinutes: number;
}

/**
 * Completed self-service resets in the window: one summary row when there are at least `threshold` of them,
 * no row otherwise (the rule fires on "more than 0 rows"). Lists who and from where, so the notification is
 * actionable without opening Log Analytics.
 */
export function selfServiceResetBurstQuery(o: CountQueryOptions): string {
  wholeNumber("threshold", o.threshold, 1);
  wholeNumber("windowMinutes", o.windowMinutes, 1);
  return [
    `// Burst of self-service password resets: at least ${o.threshold} completed in ${o.windowMinutes} minutes.`,
    `AuditLogs`,
    `| where TimeGenerated > ago(${minutes(o.windowMinutes)})`,
    `| where Category =~ ${str(USER_MANAGEMENT)}`,
    `| where LoggedByService =~ ${str(SERVICE.SelfServicePasswordManagement)}`,
    `| where OperationName =~ ${str(OPERATION.ResetPasswordSelfService)}`,
    `| where Result =~ "success"`,
    `| extend TargetUser = tolower(tostring(TargetResources[0].userPrincipalName))`,
    `| extend SourceIp = tostring(InitiatedBy.user.ipAddress)`,
    `| summarize ResetCount = count(), UserCount = dcount(TargetUser), Users = make_set(TargetUser, 50),`,
    `    SourceIps = make_set(SourceIp, 50), FirstReset = min(TimeGenerated), LastReset = max(TimeGenerated)`,
    `| where ResetCount >= ${o.threshold}`,
  ].join("\n");
}

export interface PrivilegedResetQueryOptions {
  /** Object ids (GUIDs) and/or user principal names of privileged role holders. Matched case-insensitively. */
  privilegedUsers: readonly string[];
  /** How often the rule runs; the query looks at records that *arrived* in the last that many minutes. */
  evaluationFrequencyMinutes: number;
}

/**
 * Any completed self-service reset or unlock of a listed privileged account. AuditLogs does not carry role
 * membership, so the accounts come from the caller (see docs/audit-trail.md for why not a join on "Add
 * member to role"). Filters on ingestion_time(), not TimeGenerated, so each record is seen by exactly one
 * evaluation however late Entra delivers it: a single reset must alert once, never zero times.
 */
export function privilegedUserSelfServiceResetQuery(o: PrivilegedResetQueryOptions): string {
  wholeNumber("evaluationFrequencyMinutes", o.evaluationFrequencyMinutes, 1);
  if (o.privilegedUsers.length === 0) throw new Error("privilegedUsers is []; list at least one object id or user principal name");
  const users = o.privilegedUsers.map((u) => u.toLowerCase());
  return [
    `// Self-service password reset or unlock of a privileged role holder's account.`,
    `let privilegedUsers = dynamic([${list(users)}]);`,
    `AuditLogs`,
    `| where ingestion_time() > ago(${minutes(o.evaluationFrequencyMinutes)})`,
    `| where Category =~ ${str(USER_MANAGEMENT)}`,
    `| where LoggedByService =~ ${str(SERVICE.SelfServicePasswordManagement)}`,
    `| where OperationName in~ (${list([OPERATION.ResetPasswordSelfService, OPERATION.UnlockUserAccountSelfService])})`,
    `| where Result =~ "success"`,
    `| mv-expand Target = TargetResources`,
    `| where tostring(Target.type) =~ "User"`,
    `| extend TargetUserId = tolower(tostring(Target.id)), TargetUser = tolower(tostring(Target.userPrincipalName))`,
    `| where TargetUserId in (privilegedUsers) or TargetUser in (privilegedUsers)`,
    `| project TimeGenerated, OperationName, Result, TargetUser, TargetUserId,`,
    `    SourceIp = tostring(InitiatedBy.user.ipAddress), CorrelationId`,
  ].join("\n");
}

/**
 * Security-info registrations, changes and deletions (Authentication Methods and SSPR registration) at or
 * above `threshold` in the window. An attacker holding a password registers their own phone or app next;
 * many at once means many accounts. Expect legitimate spikes while a registration campaign runs.
 */
export function securityInfoRegistrationSpikeQuery(o: CountQueryOptions): string {
  wholeNumber("threshold", o.threshold, 1);
  wholeNumber("windowMinutes", o.windowMinutes, 1);
  return [
    `// Security info registration changes at unusual volume: at least ${o.threshold} in ${o.windowMinutes} minutes.`,
    `AuditLogs`,
    `| where TimeGenerated > ago(${minutes(o.windowMinutes)})`,
    `| where Category =~ ${str(USER_MANAGEMENT)}`,
    `| where LoggedByService in~ (${list([SERVICE.AuthenticationMethods, SERVICE.SelfServicePasswordManagement])})`,
    `| where OperationName in~ (${list(SECURITY_INFO_CHANGES)})`,
    `| where Result =~ "success"`,
    `| extend TargetUser = tolower(tostring(TargetResources[0].userPrincipalName))`,
    `| extend SourceIp = tostring(InitiatedBy.user.ipAddress)`,
    `| summarize ChangeCount = count(), UserCount = dcount(TargetUser), Users = make_set(TargetUser, 50),`,
    `    Operations = make_set(OperationName), SourceIps = make_set(SourceIp, 50)`,
    `| where ChangeCount >= ${o.threshold}`,
  ].join("\n");
}

/**
 * For people, not alerts: every SSPR and security-info event of the last `days` days, newest first.
 * The same text is in docs/audit-trail.md ("How to view the data").
 */
export function passwordResetActivityQuery(days: number): string {
  wholeNumber("days", days, 1);
  return [
    `AuditLogs`,
    `| where TimeGenerated > ago(${days}d)`,
    `| where LoggedByService in~ (${list([SERVICE.SelfServicePasswordManagement, SERVICE.AuthenticationMethods])})`,
    `| extend TargetUser = tostring(TargetResources[0].userPrincipalName)`,
    `| extend InitiatedByUser = tostring(InitiatedBy.user.userPrincipalName), SourceIp = tostring(InitiatedBy.user.ipAddress)`,
    `| project TimeGenerated, OperationName, Result, ResultReason, TargetUser, InitiatedByUser, SourceIp, CorrelationId`,
    `| order by TimeGenerated desc`,
  ].join("\n");
}
