/**
 * Roles: the admin role assignments the stack makes to run SSPR (advisory by default).
 * Sources: Microsoft Learn "Microsoft Entra built-in roles" and "Best practices for Microsoft Entra roles";
 * CIS Microsoft 365 Foundations 1.1.3 (2 to 4 Global Administrators); CISA SCuBA MS.AAD.7.1v1 (2 to 8),
 * MS.AAD.7.4v1 (no permanent active assignments of highly privileged roles; needs Entra ID P2 for PIM).
 */
import type { PolicyConfigSchema, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AZUREAD_TYPE, ROLE, TYPE } from "../components/model";
import { configOf, DOCS, normalizeRoleId, readFor, resourcesOfType, show, stackTenantFacts } from "./common";

/** PIM eligibility: azuread's request (no end date) and this package's EligibleRoleAssignment (with one). */
const ELIGIBILITY_TYPES: string[] = [AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest, TYPE.EligibleRoleAssignment];

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

const ROLE_NAMES: { [id: string]: string } = {};
for (const key of Object.keys(ROLE) as (keyof typeof ROLE)[]) {
  ROLE_NAMES[ROLE[key].toLowerCase()] = key.replace(/([a-z])([A-Z])/g, "$1 $2");
}
function roleName(id: string): string {
  return ROLE_NAMES[id] || `role ${id}`;
}

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
const EXEMPT_SCHEMA: PolicyConfigSchema = { properties: { exemptPrincipalIds: exemptSchema } };

function leastPrivilegeMessage(kind: string, principal: string | undefined): string {
  return `This stack makes ${principal ? `principal ${show(principal)}` : "a principal"} ${kind} Global Administrator. Running self-service ` +
    "password reset doesn't need it: Authentication Policy Administrator configures SSPR and the authentication methods policy, " +
    "Password Administrator and Helpdesk Administrator reset passwords of non-admins (and of each other), and Privileged Authentication " +
    "Administrator resets anyone's. Assign the narrowest of these roles instead (role template ids in ROLE in components/model.ts). " +
    "If this is an emergency-access account, add its object id to this policy's exemptPrincipalIds config. " +
    `See ${DOCS.rolesBestPractices} and ${DOCS.roles}`;
}

/** Global Administrator assigned where a narrower role would do. */
export const ssprLeastPrivilegedRole: ResourceValidationPolicy = {
  name: "sspr-least-privileged-role",
  description: "Admins who run self-service password reset should get Password, Helpdesk or Authentication Policy Administrator, not Global Administrator.",
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
const COUNT_SCHEMA: PolicyConfigSchema = {
  properties: {
    globalAdminMin: { type: "integer", minimum: 1, default: 2, description: "Fewest Global Administrators (CIS 1.1.3 and CISA MS.AAD.7.1: 2)." },
    globalAdminMax: { type: "integer", minimum: 1, default: 4, description: "Most Global Administrators (CIS 1.1.3: 4; CISA MS.AAD.7.1: 8)." },
  },
};

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

/** Global Administrator assignments in the stack outside the configured range. */
export const ssprGlobalAdminCount: StackValidationPolicy = {
  name: "sspr-global-admin-count",
  description: "The Global Administrators this stack assigns (active or eligible) should number between globalAdminMin and globalAdminMax: CIS says 2 to 4, CISA 2 to 8.",
  enforcementLevel: "advisory",
  configSchema: COUNT_SCHEMA,
  validateStack: (args, report) => {
    const { globalAdminMin, globalAdminMax } = configOf<GlobalAdminCountConfig>(args, COUNT_SCHEMA);
    const grants = roleGrants(args.resources, [GLOBAL_ADMIN], false);
    if (grants.length === 0) return; // the stack doesn't manage Global Administrators
    const principals: string[] = [];
    for (const g of grants) if (principals.indexOf(g.principal) < 0) principals.push(g.principal);
    const n = principals.length;
    if (n >= globalAdminMin && n <= globalAdminMax) return;
    const advice = n < globalAdminMin
      ? `Assign Global Administrator to at least ${globalAdminMin} principals (for example two cloud-only emergency-access accounts), so losing one account doesn't lock you out of the tenant.`
      : `Keep at most ${globalAdminMax}: move the others to narrower roles such as Password, Helpdesk or Authentication Policy Administrator.`;
    report(
      `This stack makes ${n} principal${n === 1 ? "" : "s"} Global Administrator (active or eligible), outside the range ` +
      `${globalAdminMin}-${globalAdminMax} set for this policy. ${advice} Change the range with globalAdminMin/globalAdminMax ` +
      `(CIS Microsoft 365 1.1.3: 2-4; CISA SCuBA MS.AAD.7.1v1: 2-8). Only assignments made by this stack are counted. ` +
      `See ${DOCS.rolesBestPractices}, ${DOCS.cisM365} and ${DOCS.cisaAad}`,
    );
  },
};

interface PermanentConfig {
  privilegedRoleIds: string[];
  exemptPrincipalIds: string[];
}
const PERMANENT_SCHEMA: PolicyConfigSchema = {
  properties: {
    privilegedRoleIds: {
      type: "array",
      items: { type: "string" },
      default: Object.keys(ROLE).map((k) => ROLE[k as keyof typeof ROLE]),
      description: "Role template ids treated as privileged (default: every admin role in ROLE of components/model.ts).",
    },
    exemptPrincipalIds: exemptSchema,
  },
};

/** Permanent active privileged assignments when the tenant has P2 (PIM available). */
export const ssprNoPermanentPrivilegedAssignment: StackValidationPolicy = {
  name: "sspr-no-permanent-privileged-assignment",
  description: "When the tenant has Microsoft Entra ID P2, privileged roles should be PIM-eligible (activated when needed, with an expiry), not permanently active.",
  enforcementLevel: "advisory",
  configSchema: PERMANENT_SCHEMA,
  validateStack: (args, report) => {
    const facts = stackTenantFacts(args);
    if (!facts || facts.entraIdP2 !== true) return; // without P2 there is no PIM to move to
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
