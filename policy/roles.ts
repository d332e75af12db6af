/**
 * Roles: the admin role assignments the stack makes to run SSPR (advisory by default).
 * Sources: Microsoft Learn "Microsoft Entra built-in roles" and "Best practices for Microsoft Entra roles";
 * CIS Microsoft 365 Foundations 1.1.3 (2 to 4 Global Administrators); CISA SCuBA MS.AAD.7.1v1 (2 to 8),
 * MS.AAD.7.4v1 (no permanent active assignments of highly privileged roles; needs Entra ID P2 for PIM).
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AZUREAD_TYPE, ROLE, TYPE } from "../components/model";
import { configOf, DOCS, forType, normalizeRoleId, peek, resourcesOfType, show, stackTenantFacts } from "./common";

/** Props of azuread.DirectoryRoleAssignment that the policies read. */
interface RoleAssignmentProps {
  roleId: string;
  principalObjectId: string;
  directoryScopeId?: string;
}

/** PIM eligibility: azuread's request (no end date) and this package's EligibleRoleAssignment (with one). */
const ELIGIBILITY_TYPES: string[] = [AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest, TYPE.EligibleRoleAssignment];

/** Props of azuread.DirectoryRoleEligibilityScheduleRequest (and EligibleRoleAssignment) that the policies read. */
interface RoleEligibilityProps {
  roleDefinitionId: string;
  principalId: string;
  directoryScopeId: string;
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
  configSchema: { properties: { exemptPrincipalIds: exemptSchema } },
  validateResource: [
    forType<RoleAssignmentProps>(AZUREAD_TYPE.DirectoryRoleAssignment, (p, args, report) => {
      if (normalizeRoleId(p.roleId) !== GLOBAL_ADMIN) return;
      const { exemptPrincipalIds } = configOf<ExemptConfig>(args, { exemptPrincipalIds: [] });
      const principal = exemptPrincipalIds.length > 0 ? p.principalObjectId : peek(() => p.principalObjectId);
      if (principal && lower(exemptPrincipalIds).indexOf(String(principal).toLowerCase()) >= 0) return;
      report(leastPrivilegeMessage("an active", principal));
    }),
    ...ELIGIBILITY_TYPES.map((type) => forType<RoleEligibilityProps>(type, (p, args, report) => {
      if (normalizeRoleId(p.roleDefinitionId) !== GLOBAL_ADMIN) return;
      const { exemptPrincipalIds } = configOf<ExemptConfig>(args, { exemptPrincipalIds: [] });
      const principal = exemptPrincipalIds.length > 0 ? p.principalId : peek(() => p.principalId);
      if (principal && lower(exemptPrincipalIds).indexOf(String(principal).toLowerCase()) >= 0) return;
      report(leastPrivilegeMessage("an eligible", principal));
    })),
  ],
};

interface GlobalAdminCountConfig {
  globalAdminMin: number;
  globalAdminMax: number;
}
const COUNT_DEFAULTS: GlobalAdminCountConfig = { globalAdminMin: 2, globalAdminMax: 4 };

/** A Global Administrator grant in the stack: the role resource and the principal it names. */
interface Grant {
  resource: PolicyResource;
  principal: string;
  active: boolean;
}

function roleGrants(resources: PolicyResource[], roleIds: string[]): Grant[] {
  const grants: Grant[] = [];
  for (const r of resources) {
    if (r.type === AZUREAD_TYPE.DirectoryRoleAssignment) {
      if (roleIds.indexOf(normalizeRoleId(r.props.roleId)) < 0) continue;
      const principal = peek(() => r.props.principalObjectId as string);
      grants.push({ resource: r, principal: principal ? principal.toLowerCase() : r.urn, active: true });
    } else if (ELIGIBILITY_TYPES.indexOf(r.type) >= 0) {
      if (roleIds.indexOf(normalizeRoleId(r.props.roleDefinitionId)) < 0) continue;
      const principal = peek(() => r.props.principalId as string);
      grants.push({ resource: r, principal: principal ? principal.toLowerCase() : r.urn, active: false });
    }
  }
  return grants;
}

/** Global Administrator assignments in the stack outside the configured range. */
export const ssprGlobalAdminCount: StackValidationPolicy = {
  name: "sspr-global-admin-count",
  description: "The Global Administrators this stack assigns (active or eligible) should number between globalAdminMin and globalAdminMax: CIS says 2 to 4, CISA 2 to 8.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      globalAdminMin: { type: "integer", minimum: 1, default: COUNT_DEFAULTS.globalAdminMin, description: "Fewest Global Administrators (CIS 1.1.3 and CISA MS.AAD.7.1: 2)." },
      globalAdminMax: { type: "integer", minimum: 1, default: COUNT_DEFAULTS.globalAdminMax, description: "Most Global Administrators (CIS 1.1.3: 4; CISA MS.AAD.7.1: 8)." },
    },
  },
  validateStack: (args, report) => {
    const { globalAdminMin, globalAdminMax } = configOf<GlobalAdminCountConfig>(args, COUNT_DEFAULTS);
    const grants = roleGrants(args.resources, [GLOBAL_ADMIN]);
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
const PERMANENT_DEFAULTS: PermanentConfig = {
  privilegedRoleIds: Object.keys(ROLE).map((k) => ROLE[k as keyof typeof ROLE]),
  exemptPrincipalIds: [],
};

/** Permanent active privileged assignments when the tenant has P2 (PIM available). */
export const ssprNoPermanentPrivilegedAssignment: StackValidationPolicy = {
  name: "sspr-no-permanent-privileged-assignment",
  description: "When the tenant has Microsoft Entra ID P2, privileged roles should be PIM-eligible (activated when needed, with an expiry), not permanently active.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      privilegedRoleIds: {
        type: "array",
        items: { type: "string" },
        default: PERMANENT_DEFAULTS.privilegedRoleIds,
        description: "Role template ids treated as privileged (default: every admin role in ROLE of components/model.ts).",
      },
      exemptPrincipalIds: exemptSchema,
    },
  },
  validateStack: (args, report) => {
    const facts = stackTenantFacts(args);
    if (!facts || facts.entraIdP2 !== true) return; // without P2 there is no PIM to move to
    const { privilegedRoleIds, exemptPrincipalIds } = configOf<PermanentConfig>(args, PERMANENT_DEFAULTS);
    const exempt = lower(exemptPrincipalIds);
    const assignments = resourcesOfType(args, AZUREAD_TYPE.DirectoryRoleAssignment);
    for (const g of roleGrants(assignments, lower(privilegedRoleIds).map(normalizeRoleId))) {
      if (exempt.indexOf(g.principal) >= 0) continue;
      const role = roleName(normalizeRoleId(g.resource.props.roleId));
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
