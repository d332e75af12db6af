/**
 * Licensing: configurations Microsoft does not honour for want of a licence (mandatory by default).
 * Sources: Microsoft Learn "Licensing requirements for Microsoft Entra self-service password reset", the
 * Microsoft 365 admin page "Let users reset their own passwords" (SSPR does not work with a Microsoft 365 trial)
 * and "Privileged Identity Management license requirements" (eligible assignments need Entra ID P2).
 *
 * Each licence fact is reported once per stack: the missing-facts gap of a PasswordResetPolicy by
 * sspr-requires-paid-subscription alone, and the hybrid licence gap in one violation that lists every setting
 * needing it (it used to come once from the on-premises resource and again from the password reset policy).
 */
import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PasswordResetPolicyInputs, TenantFacts } from "../components/model";
import { TYPE } from "../components/model";
import {
  configOf, describeLicences, describeSource, DOCS, ELIGIBILITY_TYPES, forType, hasHybridLicence, NO_CONFIG, normalizeRoleId, peek,
  readFor, resourcesOfType, roleName, show, ssprOn, ssprOnWithoutPaidSubscription, stackTenantFacts, strictSchema, toArray,
} from "./common";

function missingFacts(resource: string): string {
  return `The ${resource} resource carries no tenantFacts input, so the policy pack can't tell whether Microsoft will honour it. ` +
    "Pass the tenant facts (discovered from Graph or declared in stack config) to the component; see the README section on tenant facts.";
}

/**
 * tenantFacts.trialOnly is true when no subscription in force is a paid one: the tenant has only trial subscriptions,
 * or none at all (components/tenantFacts.ts derives it from directory/subscriptions and can't tell the two apart), so
 * the message names both and claims neither.
 */
const NO_PAID_SUBSCRIPTION = "the tenant has no paid subscription (trial-only or none)";

/** SSPR is on while the tenant has no paid subscription (only trial subscriptions, or none). */
export const ssprRequiresPaidSubscription: ResourceValidationPolicy = {
  name: "sspr-requires-paid-subscription",
  description: "Self-service password reset needs a paid subscription: Microsoft does not run it on tenants without one (trial-only, or no subscription at all).",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    if (!ssprOn(p)) return;
    const facts = p.tenantFacts;
    if (!facts) {
      report(missingFacts("PasswordResetPolicy"));
      return;
    }
    if (ssprOnWithoutPaidSubscription(p)) {
      report(
        `SSPR is turned on (enablement: ${show(p.enablement)}) but ${NO_PAID_SUBSCRIPTION}: tenantFacts.trialOnly: true, that is, no ` +
        `subscription in force is a paid one (${describeSource(facts)}). Self-service password reset doesn't work with a Microsoft 365 ` +
        "trial, and a tenant without subscriptions (Microsoft Entra ID Free) doesn't include it: users would register methods and then " +
        "fail to reset. Set enablement to \"none\" until the tenant has a paid subscription (Microsoft 365 Business Standard or Premium, " +
        `or Microsoft Entra ID P1/P2), then turn SSPR on. See ${DOCS.trial} and ${DOCS.licensing}`,
      );
    }
  }),
};

interface HybridConfig {
  /** Groups that hold only cloud-only users: SSPR "selected" for one of them doesn't reach synced users. */
  cloudOnlyGroupIds: string[];
}
const HYBRID_SCHEMA: PolicyConfigSchema = strictSchema({
  cloudOnlyGroupIds: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Object ids of groups that contain only cloud-only users. SSPR enabled for one of these groups (enablement \"selected\") does not count as SSPR for synced users.",
  },
});

/** A setting in the stack that needs a hybrid licence the tenant lacks. */
interface HybridNeed {
  resource: PolicyResource;
  facts: TenantFacts;
  /** What is on, e.g. `on-premises integration (passwordWriteback: true)`. */
  what: string;
  /** How to do without the licence. */
  fix: string;
}

/** Writeback or unlock on an OnPremisesPasswordReset without a hybrid licence; a resource without facts is reported at once. */
function onPremisesNeed(r: PolicyResource, reportMissing: (r: PolicyResource) => void): HybridNeed | undefined {
  const p = r.props;
  const writeback = p.passwordWriteback === true;
  const unlock = p.unlockWithoutReset === true;
  if (!writeback && !unlock) return undefined;
  const facts = p.tenantFacts as TenantFacts | undefined;
  if (!facts) {
    reportMissing(r);
    return undefined;
  }
  if (hasHybridLicence(facts)) return undefined;
  const on = [writeback ? "passwordWriteback: true" : "", unlock ? "unlockWithoutReset: true" : ""].filter((s) => s).join(" and ");
  return {
    resource: r, facts,
    what: `on-premises integration (${r.name}: ${on})`,
    fix: `set passwordWriteback and unlockWithoutReset to false (${r.name}; see ${DOCS.writeback})`,
  };
}

/**
 * SSPR reaching synced users without a hybrid licence. Resources without facts, or already rejected for want of a paid
 * subscription (whose fix, enablement "none", covers this too), are left to sspr-requires-paid-subscription.
 */
function resetPolicyNeed(r: PolicyResource, cloudOnlyGroupIds: string[]): HybridNeed | undefined {
  const p = r.props;
  const facts = p.tenantFacts as TenantFacts | undefined;
  if (!ssprOn(p) || !facts || ssprOnWithoutPaidSubscription(p)) return undefined;
  if (facts.directorySync !== true || hasHybridLicence(facts)) return undefined;
  let scope = "all users, including those synced from on-premises AD";
  if (p.enablement === "selected") {
    // With cloud-only groups configured the verdict depends on the group ids; otherwise they only decorate the message.
    const cloudOnly = cloudOnlyGroupIds.map((g) => g.toLowerCase());
    const groups = readFor(cloudOnly.length > 0, () => toArray(p.targetGroupIds));
    if (groups && groups.length > 0 && groups.every((g) => typeof g === "string" && cloudOnly.indexOf(g.toLowerCase()) >= 0)) return undefined;
    scope = `the group ${groups ? show(groups) : "(id not known yet)"}, which is not listed in cloudOnlyGroupIds and so may hold users synced from on-premises AD`;
  }
  return {
    resource: r, facts,
    what: `SSPR for ${scope} (${r.name}: enablement ${show(p.enablement)})`,
    fix: `enable SSPR only for a group of cloud-only users (enablement "selected") and list that group's object id in this policy's cloudOnlyGroupIds config (${r.name})`,
  };
}

/**
 * Directory sync with writeback, or SSPR for synced users, without P1/P2 or Business Premium. A stack validation so the
 * licence gap is reported once, naming every setting that needs the licence (against the first of them).
 */
export const ssprHybridRequiresPremium: StackValidationPolicy = {
  name: "sspr-hybrid-requires-premium",
  description: "Password writeback and self-service password reset for users synced from on-premises AD need Microsoft Entra ID P1/P2 or Microsoft 365 Business Premium.",
  enforcementLevel: "mandatory",
  configSchema: HYBRID_SCHEMA,
  validateStack: (args, report) => {
    const { cloudOnlyGroupIds } = configOf<HybridConfig>(args, HYBRID_SCHEMA);
    const needs: HybridNeed[] = [];
    for (const r of resourcesOfType(args, TYPE.OnPremisesPasswordReset)) {
      const need = onPremisesNeed(r, (missing) => report(missingFacts("OnPremisesPasswordReset"), missing.urn));
      if (need) needs.push(need);
    }
    for (const r of resourcesOfType(args, TYPE.PasswordResetPolicy)) {
      const need = resetPolicyNeed(r, cloudOnlyGroupIds);
      if (need) needs.push(need);
    }
    if (needs.length === 0) return;
    // One stack manages one tenant, so the first need's facts describe them all.
    report(
      `This stack turns on ${needs.map((n) => n.what).join("; and ")}, but the tenant (tenantFacts.directorySync: ${show(needs[0].facts.directorySync)}) ` +
      `has no licence for ${needs.length === 1 ? "it" : "them"} (${describeLicences(needs[0].facts)}). Password reset for users synchronized from on-premises Active Directory, with the new password ` +
      "written back, needs Microsoft Entra ID P1 or P2, or Microsoft 365 Business Premium; Business Basic and Standard don't include it. " +
      `License the tenant (Entra ID P1/P2 or Microsoft 365 Business Premium) first, or ${needs.map((n) => n.fix).join("; and ")}. ` +
      `See ${DOCS.licensing}`,
      needs[0].resource.urn,
    );
  },
};

/** "sspr-role-0 (Password Administrator for principal "…")": an eligibility resource as the admin declared it. */
function describeEligibility(r: PolicyResource): string {
  const role = peek(() => r.props.roleDefinitionId);
  const principal = peek(() => r.props.principalId);
  const expires = peek(() => r.props.expiresOn);
  return `${r.name} (${typeof role === "string" ? roleName(normalizeRoleId(role)) : "role not known yet"} for principal ` +
    `${typeof principal === "string" ? show(principal) : "(id not known yet)"}${typeof expires === "string" ? `, until ${expires}` : ""})`;
}

/**
 * PIM-eligible assignments in a tenant without Entra ID P2: Graph refuses roleEligibilityScheduleRequests there, so
 * `pulumi up` would fail half-way. A stack validation: the role resources carry no tenant facts, the tenant-setting
 * resources do. A stack without tenant facts isn't judged (sspr-requires-paid-subscription reports that gap).
 */
export const ssprEligibleAssignmentRequiresP2: StackValidationPolicy = {
  name: "sspr-eligible-assignment-requires-p2",
  description: "PIM-eligible role assignments need Microsoft Entra ID P2 or a licence that includes it: Microsoft Graph refuses them in a tenant without it.",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateStack: (args, report) => {
    const eligible = args.resources.filter((r) => ELIGIBILITY_TYPES.indexOf(r.type) >= 0);
    if (eligible.length === 0) return;
    const facts = stackTenantFacts(args);
    if (!facts || facts.entraIdP2 === true) return;
    const one = eligible.length === 1;
    report(
      `This stack makes ${one ? "a PIM-eligible role assignment" : `${eligible.length} PIM-eligible role assignments`}: ` +
      `${eligible.map(describeEligibility).join(", ")}, but the tenant has no Microsoft Entra ID P2 (${describeLicences(facts)}). ` +
      "Eligible assignments (Privileged Identity Management) need Microsoft Entra ID P2 or a licence that includes it (such as " +
      "Microsoft 365 E5 or Enterprise Mobility + Security E5); without it Microsoft Graph refuses them and pulumi up fails at " +
      `${one ? "this resource" : "these resources"}. License the tenant first, or make ${one ? "the assignment" : "the assignments"} active ` +
      "(assignment \"permanent\" in the component's roleAssignments; for Global Administrator prefer a narrower role, see " +
      "sspr-least-privileged-role). tenantFacts.entraIdP2 looks for the Entra ID P2 service plan: if the tenant has PIM through " +
      `Microsoft Entra ID Governance instead, set this policy to "disabled" in the policy pack config. See ${DOCS.pimLicensing}`,
      eligible[0].urn,
    );
  },
};

export const licensingPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ssprRequiresPaidSubscription,
  ssprHybridRequiresPremium,
  ssprEligibleAssignmentRequiresP2,
];
