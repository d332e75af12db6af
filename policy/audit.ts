/**
 * Audit: Entra keeps audit logs (every reset, registration and policy change) for 30 days at most; with
 * Entra ID P1 a diagnostic setting exports them to Log Analytics, storage or an event hub (advisory by default).
 * Source: Microsoft Learn "Integrate Microsoft Entra logs with Azure Monitor logs".
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AZURE_NATIVE_TYPE } from "../components/model";
import { describeLicences, DOCS, hasEntraIdP1, NO_CONFIG, resourcesOfType, ssprEnabledPolicies, stackLacksPaidSubscription, stackTenantFacts } from "./common";

function exportsAuditLogs(setting: PolicyResource): boolean {
  const logs = setting.props.logs;
  return Array.isArray(logs) && logs.some((l: { category?: unknown; enabled?: unknown }) =>
    !!l && typeof l.category === "string" && l.category.toLowerCase() === "auditlogs" && l.enabled === true);
}

/** A P1 tenant with SSPR on and no AuditLogs diagnostic setting in the stack. */
export const ssprAuditLogsExported: StackValidationPolicy = {
  name: "sspr-audit-logs-exported",
  description: "With Microsoft Entra ID P1 and SSPR on, the stack should export Entra audit logs (password resets, method registrations) with a diagnostic setting.",
  enforcementLevel: "advisory",
  configSchema: NO_CONFIG,
  validateStack: (args, report) => {
    const facts = stackTenantFacts(args);
    if (!facts || !hasEntraIdP1(facts) || ssprEnabledPolicies(args).length === 0) return;
    // Without a paid subscription the P1 is a trial's and SSPR doesn't run: sspr-requires-paid-subscription says so, alone.
    if (stackLacksPaidSubscription(args)) return;
    const settings = resourcesOfType(args, AZURE_NATIVE_TYPE.EntraDiagnosticSetting);
    if (settings.some(exportsAuditLogs)) return;
    const found = settings.length === 0
      ? `there is no ${AZURE_NATIVE_TYPE.EntraDiagnosticSetting} in this stack`
      : `the diagnostic setting${settings.length === 1 ? "" : "s"} in this stack (${settings.map((s) => s.name).join(", ")}) ` +
        `${settings.length === 1 ? "doesn't" : "don't"} export the "AuditLogs" category`;
    report(
      `SSPR is on and the tenant has Entra ID P1 (${describeLicences(facts)}), but ${found}. Entra keeps audit logs for 30 days at most ` +
      "(7 without P1), so a reset or method registration made by an attacker is gone before most investigations start. Add an " +
      "azure-native aadiam.DiagnosticSetting with logs [{ category: \"AuditLogs\", enabled: true }] and a workspaceId (Log Analytics), " +
      "storageAccountId or event hub. If the tenant exports audit logs outside this stack, " +
      `set this policy to "disabled" in the policy pack config. See ${DOCS.auditLogs}`,
    );
  },
};

export const auditPolicies: StackValidationPolicy[] = [ssprAuditLogsExported];
