/**
 * Migration: since September 30, 2025 authentication methods can't be managed in the legacy MFA and SSPR
 * policies; until the Authentication methods policy migration is complete, both policies apply (additively)
 * and the legacy method flags still grant methods (advisory by default; no remediation: finishing the
 * migration changes which methods users may use, so it is the admin's call).
 * Sources: Microsoft Learn "Manage authentication methods for Microsoft Entra ID"; CISA SCuBA MS.AAD.3.4v1;
 * Maester EIDSCA.AG01.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { AuthenticationMethodsPolicyInputs } from "../components/model";
import { TYPE } from "../components/model";
import { DOCS, forType, NO_CONFIG, show } from "./common";

/** Authentication methods migration not complete. */
export const ssprMethodsMigrationComplete: ResourceValidationPolicy = {
  name: "sspr-methods-migration-complete",
  description: "The authentication methods policy migration should be complete, so one policy (not the legacy SSPR and MFA settings) decides which methods users have.",
  enforcementLevel: "advisory",
  configSchema: NO_CONFIG,
  validateResource: forType<AuthenticationMethodsPolicyInputs>(TYPE.AuthenticationMethodsPolicy, (p, _args, report) => {
    const state = p.migrationState;
    if (state === undefined || state === "migrationComplete") return;
    report(
      `migrationState is ${show(state)}. Until it is "migrationComplete", the legacy SSPR method settings still apply alongside the ` +
      "Authentication methods policy, so a method you disabled in one can still be registered through the other, and Microsoft no longer " +
      "lets you manage methods in the legacy policies. Enable the same methods in the Authentication methods policy (methods), check " +
      "users can still reset, then set migrationState to \"migrationComplete\" (it can't go back to \"preMigration\"). " +
      `CISA SCuBA MS.AAD.3.4v1. See ${DOCS.methodsManage}`,
    );
  }),
};

export const migrationPolicies: ResourceValidationPolicy[] = [ssprMethodsMigrationComplete];
