/**
 * Conditional Access: with Entra ID P1, registering security info (the methods SSPR trusts) should itself be
 * protected, or whoever has a password can register their own phone (advisory by default).
 * Sources: Microsoft Learn "Require MFA / trusted location for security info registration"; Maester MT.1011;
 * CISA SCuBA MS.AAD.3.8 (managed devices for registration).
 */
import type { PolicyConfigSchema, PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AZUREAD_TYPE, REGISTER_SECURITY_INFO_ACTION } from "../components/model";
import {
  configOf, describeLicences, DOCS, hasEntraIdP1, resourcesOfType, show, ssprEnabledPolicies, stackLacksPaidSubscription, stackTenantFacts,
  strictSchema, toArray,
} from "./common";

interface CaConfig {
  acceptReportOnly: boolean;
}
const CA_SCHEMA: PolicyConfigSchema = strictSchema({
  acceptReportOnly: {
    type: "boolean",
    default: false,
    description: "Count a report-only policy (state \"enabledForReportingButNotEnforced\") as protection, e.g. while piloting it.",
  },
});

function targetsRegistration(ca: PolicyResource): boolean {
  const conditions = ca.props.conditions || {};
  const actions = (conditions.applications || {}).includedUserActions;
  return Array.isArray(actions) && actions.some((a: unknown) => typeof a === "string" && a.toLowerCase() === REGISTER_SECURITY_INFO_ACTION);
}

/** Grants something: block, MFA, a compliant device, an authentication strength... (terms of use alone don't protect). */
function hasProtectingControl(ca: PolicyResource): boolean {
  const grant = ca.props.grantControls;
  if (!grant) return false;
  const builtIn = (toArray(grant.builtInControls) || []).filter((c) => c !== "passwordChange");
  return builtIn.length > 0 || (typeof grant.authenticationStrengthPolicyId === "string" && grant.authenticationStrengthPolicyId !== "");
}

/** No Conditional Access policy protecting security-info registration, in a P1 tenant with SSPR on. */
export const ssprProtectSecurityInfoRegistration: StackValidationPolicy = {
  name: "sspr-protect-security-info-registration",
  description: "With Microsoft Entra ID P1, a Conditional Access policy should protect the \"Register security information\" user action that SSPR relies on.",
  enforcementLevel: "advisory",
  configSchema: CA_SCHEMA,
  validateStack: (args, report) => {
    const facts = stackTenantFacts(args);
    if (!facts || !hasEntraIdP1(facts) || ssprEnabledPolicies(args).length === 0) return;
    // Without a paid subscription the P1 is a trial's and SSPR doesn't run: sspr-requires-paid-subscription says so, alone.
    if (stackLacksPaidSubscription(args)) return;
    const { acceptReportOnly } = configOf<CaConfig>(args, CA_SCHEMA);
    const candidates = resourcesOfType(args, AZUREAD_TYPE.ConditionalAccessPolicy).filter(targetsRegistration);
    const accepted = ["enabled"].concat(acceptReportOnly ? ["enabledForReportingButNotEnforced"] : []);
    const enforcing = candidates.filter((ca) => accepted.indexOf(ca.props.state) >= 0);
    if (enforcing.some(hasProtectingControl)) return;
    let found: string;
    if (candidates.length === 0) {
      found = `no ConditionalAccessPolicy in this stack includes the user action ${show(REGISTER_SECURITY_INFO_ACTION)}`;
    } else if (enforcing.length === 0) {
      found = `the Conditional Access ${candidates.length === 1 ? "policy" : "policies"} for ${show(REGISTER_SECURITY_INFO_ACTION)} ` +
        `(${candidates.map((c) => `${c.name}: state ${show(c.props.state)}`).join("; ")}) ${candidates.length === 1 ? "is" : "are"} not enforced`;
    } else {
      found = `the Conditional Access ${enforcing.length === 1 ? "policy" : "policies"} for ${show(REGISTER_SECURITY_INFO_ACTION)} ` +
        `(${enforcing.map((c) => c.name).join(", ")}) grant${enforcing.length === 1 ? "s" : ""} access without a control (no MFA, block, compliant device or authentication strength)`;
    }
    report(
      `SSPR is on and the tenant has Entra ID P1 (${describeLicences(facts)}), but ${found}. Without it, anyone who learns a user's ` +
      "password can register their own phone and then reset the password at will. Add an azuread.ConditionalAccessPolicy with " +
      `conditions.applications.includedUserActions [${show(REGISTER_SECURITY_INFO_ACTION)}], state "enabled", and grant controls such as ` +
      "\"mfa\" or \"block\" outside trusted locations (exclude the emergency-access accounts). If such a policy exists outside this stack, " +
      `set this policy to "disabled" in the policy pack config. See ${DOCS.caRegistration}`,
    );
  },
};

export const conditionalAccessPolicies: StackValidationPolicy[] = [ssprProtectSecurityInfoRegistration];
