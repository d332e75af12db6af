/**
 * Roles: the admin role assignments the stack makes to run SSPR (advisory by default).
 * Sources: Microsoft Learn "Microsoft Entra built-in roles", "Best practices for Microsoft Entra roles" (fewer than 5
 * Global Administrators) and "Manage emergency access accounts" (at least two); CIS Microsoft 365 Foundations 1.1.3
 * (2 to 4 Global Administrators); CISA SCuBA MS.AAD.7.1v1 (2 to 8), MS.AAD.7.4v1 (no permanent active assignments
 * of highly privileged roles; needs Entra ID P2 for PIM).
 *
 * The two Global Administrator policies give one piece of advice: Global Administrator is for a few emergency-access
 * (break-glass) accounts, everyone who runs SSPR gets a narrower role. So the count policy never asks the stack for more
 * Global Administrators (it sees only its own assignments; break-glass accounts usually live outside it).
 */
import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AZUREAD_TYPE, ROLE } from "../components/model";
import {
  configOf, DOCS, ELIGIBILITY_TYPES, normalizeRoleId, readFor, resourcesOfType, roleName, show, stackLacksPaidSubscription, stackTenantFacts,
  strictSchema,
} from "./common";

/** What a role-granting resource grants, whatever its type's field names. */
interface GrantFields {
  /** The role template id, normalized (normalizeRoleId). */
  roleId: string;
  /** Reads the principal's object id: through readFor, since it may not be known during preview. */
  principal: () => string | undefined;
  /** Active (DirectoryRoleAssignment) or PIM-eligible. */
  active: boolean;
}

/**
 * The one mapping of role resources to their fields: azuread.DirectoryRoleAssignment names them roleId and
 * principalObjectId; azuread.DirectoryRoleEligibilityScheduleRequest and EligibleRoleAssignment roleDefinitionId and
 * principalId. Undefined for other types. Reads the role id (it always decides the verdict); the principal only on demand.
 */
function grantOf(type: string, props: Record<string, any>): GrantFields | undefined {
  if (type === AZUREAD_TYPE.DirectoryRoleAssignment) {
    return { roleId: normalizeRoleId(props.roleId), principal: () => props.principalObjectId as string | undefined, active: true };
  }
  if (ELIGIBILITY_TYPES.indexOf(type) >= 0) {
    return { roleId: normalizeRoleId(props.roleDefinitionId), principal: () => props.principalId as string | undefined, active: false };
  }
  return undefined;
}

const GLOBAL_ADMIN = ROLE.GlobalAdministrator.toLowerCase();

/** The narrower roles both Global Administrator policies recommend, in one place so their advice can't drift apart. */
const NARROWER_ROLES = "Password Administrator or Helpdesk Administrator to reset the passwords of non-admins, Authentication Administrator " +
  "to manage their authentication methods as well, and Authentication Policy Administrator to configure SSPR and the authentication " +
  "methods policy (Privileged Authentication Administrator only where admins' passwords must be reset too)";

/** Who Global Administrator is for, as both policies say it. */
const GLOBAL_ADMIN_IS_FOR = "Keep Global Administrator for a few cloud-only emergency-access (break-glass) accounts: Microsoft recommends " +
  "at least two of those and fewer than five Global Administrators in all";

function lower(ids: string[]): string[] {
  return ids.map((i) => String(i).toLowerCase());
}

interface ExemptConfig {
  exemptPrincipalIds: string[];
}

const exemptSchema = {
  type: "array" as const,
  items: { type: "string" as const },
  default: [],
  description: "Object ids of principals to leave alone, e.g. the emergency-access (break-glass) accounts.",
};
const EXEMPT_SCHEMA: PolicyConfigSchema = strictSchema({ exemptPrincipalIds: exemptSchema });

function leastPrivilegeMessage(kind: string, principal: string | undefined): string {
  return `This stack makes ${principal ? `principal ${show(principal)}` : "a principal"} ${kind} Global Administrator. Running self-service ` +
    `password reset doesn't need it: assign the narrowest role for the job instead: ${NARROWER_ROLES}. Role template ids are in ROLE in ` +
    `components/model.ts. ${GLOBAL_ADMIN_IS_FOR}. If this is one of them, add its object id to this policy's exemptPrincipalIds config ` +
    `(sspr-global-admin-count still counts it). See ${DOCS.rolesBestPractices}, ${DOCS.emergencyAccess} and ${DOCS.roles}`;
}

/** Global Administrator assigned where a narrower role would do. */
export const ssprLeastPrivilegedRole: ResourceValidationPolicy = {
  name: "sspr-least-privileged-role",
  description: "Admins who run self-service password reset should get Password, Helpdesk or Authentication Administrator (Authentication Policy Administrator to configure it), not Global Administrator.",
  enforcementLevel: "advisory",
  configSchema: EXEMPT_SCHEMA,
  validateResource: (args, report) => {
    const grant = grantOf(args.type, args.props);
    if (!grant || grant.roleId !== GLOBAL_ADMIN) return;
    const exempt = lower(configOf<ExemptConfig>(args, EXEMPT_SCHEMA).exemptPrincipalIds);
    const principal = readFor(exempt.length > 0, grant.principal);
    if (principal && exempt.indexOf(String(principal).toLowerCase()) >= 0) return;
    report(leastPrivilegeMessage(grant.active ? "an active" : "an eligible", principal));
  },
};

interface GlobalAdminCountConfig {
  globalAdminMin: number;
  globalAdminMax: number;
}
const COUNT_SCHEMA: PolicyConfigSchema = strictSchema({
  globalAdminMin: {
    type: "integer", minimum: 1, default: 2,
    description: "Fewest emergency-access Global Administrators the advice names (Microsoft, CIS 1.1.3 and CISA MS.AAD.7.1: 2). Only " +
      "worded into the message: the stack sees just its own assignments, so it is never told to assign more Global Administrators.",
  },
  globalAdminMax: {
    type: "integer", minimum: 1, default: 4,
    description: "Most principals this stack may make Global Administrator (Microsoft: fewer than 5; CIS 1.1.3: 4; CISA MS.AAD.7.1: 8).",
  },
});

/** A role grant in the stack: the role resource, its (normalized) role id and the principal it names (the resource's URN when not known yet). */
interface Grant {
  resource: PolicyResource;
  roleId: string;
  principal: string;
}

/**
 * The grants of `roleIds` among `resources`. `principalDecides`: the principal decides the verdict (exempt principals
 * are configured), so it is read directly; otherwise an unknown principal counts as its resource.
 */
function roleGrants(resources: PolicyResource[], roleIds: string[], principalDecides: boolean): Grant[] {
  const grants: Grant[] = [];
  for (const r of resources) {
    const g = grantOf(r.type, r.props);
    if (!g || roleIds.indexOf(g.roleId) < 0) continue;
    const principal = readFor(principalDecides, g.principal);
    grants.push({ resource: r, roleId: g.roleId, principal: principal ? String(principal).toLowerCase() : r.urn });
  }
  return grants;
}

/**
 * More principals made Global Administrator by the stack than globalAdminMax. Fewer than globalAdminMin is not reported:
 * the stack can't see the tenant's other Global Administrators, and asking it for more would contradict
 * sspr-least-privileged-role (the emergency-access accounts are usually made outside the stack).
 */
export const ssprGlobalAdminCount: StackValidationPolicy = {
  name: "sspr-global-admin-count",
  description: "A stack should make at most globalAdminMax principals Global Administrator (active or eligible), a role meant for 2 to 4 emergency-access accounts: Microsoft says fewer than 5, CIS 2 to 4, CISA 2 to 8.",
  enforcementLevel: "advisory",
  configSchema: COUNT_SCHEMA,
  validateStack: (args, report) => {
    const { globalAdminMin, globalAdminMax } = configOf<GlobalAdminCountConfig>(args, COUNT_SCHEMA);
    const grants = roleGrants(args.resources, [GLOBAL_ADMIN], false);
    const principals: string[] = [];
    for (const g of grants) if (principals.indexOf(g.principal) < 0) principals.push(g.principal);
    const n = principals.length;
    if (n <= globalAdminMax) return;
    report(
      `This stack makes ${n} principals Global Administrator (active or eligible), more than the ${globalAdminMax} set for this policy ` +
      `(globalAdminMax). Global Administrator is for ${globalAdminMin}-${globalAdminMax} cloud-only emergency-access (break-glass) accounts; ` +
      `give everyone else the narrowest role for the job: ${NARROWER_ROLES}. Microsoft recommends at least two emergency-access accounts ` +
      "and fewer than five Global Administrators in all (CIS Microsoft 365 1.1.3: 2-4; CISA SCuBA MS.AAD.7.1v1: 2-8; change the numbers " +
      "with globalAdminMin/globalAdminMax). Only assignments made by this stack are counted, break-glass accounts exempted from " +
      `sspr-least-privileged-role included. See ${DOCS.rolesBestPractices}, ${DOCS.emergencyAccess}, ${DOCS.cisM365} and ${DOCS.cisaAad}`,
    );
  },
};

interface PermanentConfig {
  privilegedRoleIds: string[];
  exemptPrincipalIds: string[];
}
const PERMANENT_SCHEMA: PolicyConfigSchema = strictSchema({
  privilegedRoleIds: {
    type: "array",
    items: { type: "string" },
    default: Object.keys(ROLE).map((k) => ROLE[k as keyof typeof ROLE]),
    description: "Role template ids treated as privileged (default: every admin role in ROLE of components/model.ts).",
  },
  exemptPrincipalIds: exemptSchema,
});

/** Permanent active privileged assignments when the tenant has P2 (PIM available). */
export const ssprNoPermanentPrivilegedAssignment: StackValidationPolicy = {
  name: "sspr-no-permanent-privileged-assignment",
  description: "When the tenant has Microsoft Entra ID P2, privileged roles should be PIM-eligible (activated when needed, with an expiry), not permanently active.",
  enforcementLevel: "advisory",
  configSchema: PERMANENT_SCHEMA,
  validateStack: (args, report) => {
    const facts = stackTenantFacts(args);
    if (!facts || facts.entraIdP2 !== true) return; // without P2 there is no PIM to move to
    // With no paid subscription the P2 can only be a trial's, and sspr-requires-paid-subscription already fails the stack.
    if (stackLacksPaidSubscription(args)) return;
    const { privilegedRoleIds, exemptPrincipalIds } = configOf<PermanentConfig>(args, PERMANENT_SCHEMA);
    const exempt = lower(exemptPrincipalIds);
    const assignments = resourcesOfType(args, AZUREAD_TYPE.DirectoryRoleAssignment);
    for (const g of roleGrants(assignments, privilegedRoleIds.map(normalizeRoleId), exempt.length > 0)) {
      if (exempt.indexOf(g.principal) >= 0) continue;
      const role = roleName(g.roleId);
      report(
        `${g.resource.name}: ${role} is permanently active for principal ${g.principal.startsWith("urn:") ? "(id not known yet)" : show(g.principal)}, ` +
        "and the tenant has Microsoft Entra ID P2. A permanent active admin is a standing target. Replace the DirectoryRoleAssignment with a " +
        "PIM-eligible assignment (the admin activates the role when needed; in the component: assignment \"eligible\" with expiresOn). For emergency-access accounts, add the object id to exemptPrincipalIds. " +
        `CISA SCuBA MS.AAD.7.4v1. See ${DOCS.pim} and ${DOCS.cisaAad}`,
        g.resource.urn,
      );
    }
  },
};

export const rolePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ssprLeastPrivilegedRole,
  ssprGlobalAdminCount,
  ssprNoPermanentPrivilegedAssignment,
];
