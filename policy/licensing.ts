/**
 * Licensing: configurations Microsoft does not honour for want of a licence (mandatory by default).
 * Source: Microsoft Learn "Licensing requirements for Microsoft Entra self-service password reset" and the
 * Microsoft 365 admin page "Let users reset their own passwords" (SSPR does not work with a Microsoft 365 trial).
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import type { OnPremisesPasswordResetInputs, PasswordResetPolicyInputs, TenantFacts } from "../components/model";
import { TYPE } from "../components/model";
import { configOf, describeLicences, describeSource, DOCS, forType, hasHybridLicence, readFor, show, ssprOn, toArray } from "./common";

function missingFacts(resource: string): string {
  return `The ${resource} resource carries no tenantFacts input, so the policy pack can't tell whether Microsoft will honour it. ` +
    "Pass the tenant facts (discovered from Graph or declared in stack config) to the component; see the README section on tenant facts.";
}

/** SSPR is on while the tenant has only trial subscriptions. */
export const ssprRequiresPaidSubscription: ResourceValidationPolicy = {
  name: "sspr-requires-paid-subscription",
  description: "Self-service password reset needs a paid subscription: Microsoft does not run it on tenants that have only trial subscriptions.",
  enforcementLevel: "mandatory",
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    if (!ssprOn(p)) return;
    const facts = p.tenantFacts;
    if (!facts) {
      report(missingFacts("PasswordResetPolicy"));
      return;
    }
    if (facts.trialOnly === true) {
      report(
        `SSPR is turned on (enablement: ${show(p.enablement)}) but the tenant has only trial subscriptions ` +
        `(tenantFacts.trialOnly: true; ${describeSource(facts)}). Self-service password reset doesn't work with a Microsoft 365 trial: ` +
        "users would register methods and then fail to reset. Set enablement to \"none\" until the tenant has a paid subscription " +
        "(Microsoft 365 Business Standard or Premium, or Microsoft Entra ID P1/P2), then turn SSPR on. " +
        `See ${DOCS.trial} and ${DOCS.licensing}`,
      );
    }
  }),
};

interface HybridConfig {
  /** Groups that hold only cloud-only users: SSPR "selected" for one of them doesn't reach synced users. */
  cloudOnlyGroupIds: string[];
}
const HYBRID_SCHEMA: PolicyConfigSchema = {
  properties: {
    cloudOnlyGroupIds: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Object ids of groups that contain only cloud-only users. SSPR enabled for one of these groups (enablement \"selected\") does not count as SSPR for synced users.",
    },
  },
};

function needsLicence(facts: TenantFacts): string {
  return `but the tenant has no licence for it (${describeLicences(facts)}). ` +
    "Password reset for users synchronized from on-premises Active Directory, with the new password written back, " +
    "needs Microsoft Entra ID P1 or P2, or Microsoft 365 Business Premium; Business Basic and Standard don't include it.";
}

/** Directory sync with writeback, or SSPR for synced users, without P1/P2 or Business Premium. */
export const ssprHybridRequiresPremium: ResourceValidationPolicy = {
  name: "sspr-hybrid-requires-premium",
  description: "Password writeback and self-service password reset for users synced from on-premises AD need Microsoft Entra ID P1/P2 or Microsoft 365 Business Premium.",
  enforcementLevel: "mandatory",
  configSchema: HYBRID_SCHEMA,
  validateResource: [
    forType<OnPremisesPasswordResetInputs>(TYPE.OnPremisesPasswordReset, (p, _args, report) => {
      const writeback = p.passwordWriteback === true;
      const unlock = p.unlockWithoutReset === true;
      if (!writeback && !unlock) return;
      const facts = p.tenantFacts;
      if (!facts) {
        report(missingFacts("OnPremisesPasswordReset"));
        return;
      }
      if (hasHybridLicence(facts)) return;
      const what = [writeback ? "passwordWriteback: true" : "", unlock ? "unlockWithoutReset: true" : ""].filter((s) => s).join(" and ");
      report(
        `On-premises integration is turned on (${what}; tenantFacts.directorySync: ${show(facts.directorySync)}) ${needsLicence(facts)} ` +
        "Set passwordWriteback and unlockWithoutReset to false, or license the tenant (Entra ID P1/P2 or Microsoft 365 Business Premium) first. " +
        `See ${DOCS.licensing} and ${DOCS.writeback}`,
      );
    }),
    forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, args, report) => {
      if (!ssprOn(p)) return;
      const facts = p.tenantFacts;
      if (!facts) {
        report(missingFacts("PasswordResetPolicy"));
        return;
      }
      if (facts.directorySync !== true || hasHybridLicence(facts)) return;
      const { cloudOnlyGroupIds } = configOf<HybridConfig>(args, HYBRID_SCHEMA);
      let scope = "all users, including those synced from on-premises AD";
      if (p.enablement === "selected") {
        // With cloud-only groups configured the verdict depends on the group ids; otherwise they only decorate the message.
        const cloudOnly = cloudOnlyGroupIds.map((g) => g.toLowerCase());
        const groups = readFor(cloudOnly.length > 0, () => toArray(p.targetGroupIds));
        if (groups && groups.length > 0 && groups.every((g) => typeof g === "string" && cloudOnly.indexOf(g.toLowerCase()) >= 0)) return;
        scope = `the group ${groups ? show(groups) : "(id not known yet)"}, which is not listed in cloudOnlyGroupIds`;
      }
      report(
        `SSPR is turned on for ${scope} (enablement: ${show(p.enablement)}) in a tenant that synchronizes users from on-premises ` +
        `Active Directory (tenantFacts.directorySync: true), ${needsLicence(facts)} ` +
        "License the tenant, or enable SSPR only for a group of cloud-only users (enablement \"selected\") and list that group's object id " +
        `in this policy's cloudOnlyGroupIds config. See ${DOCS.licensing}`,
      );
    }),
  ],
};

export const licensingPolicies: ResourceValidationPolicy[] = [ssprRequiresPaidSubscription, ssprHybridRequiresPremium];
