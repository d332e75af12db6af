/**
 * EligibleRoleAssignment: a PIM-eligible directory role assignment that expires (Roles and administrators >
 * role > Add assignments > Eligible, "Assignment ends"). @pulumi/azuread's DirectoryRoleEligibilityScheduleRequest
 * has no schedule, so eligibility with an end date is written here through Graph v1.0
 * `roleManagement/directory/roleEligibilityScheduleRequests` (adminAssign / adminUpdate / adminRemove).
 *
 * Needs: Graph RoleEligibilitySchedule.ReadWrite.Directory (application) or delegated with the Privileged Role
 * Administrator role; the tenant needs Entra ID P2 (or ID Governance). Props use azuread's names
 * (roleDefinitionId, principalId, directoryScopeId) so the policy pack reads both the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { ConnectionInputs, RESOURCE_MODULE } from "./model";
import { CheckFailure, checkProviderInputs, ResourceArgs, sameTenant } from "./tenantSetting";
import { isGuid, problem } from "./validation";

export interface EligibleRoleAssignmentInputs {
  connection: ConnectionInputs;
  /** Role template id (e.g. Password Administrator 966707d0-...). */
  roleDefinitionId: string;
  /** Object id of the user or role-assignable group made eligible. */
  principalId: string;
  /** "/" for the whole directory, or "/administrativeUnits/<id>". */
  directoryScopeId: string;
  justification: string;
  /** When the eligibility ends (ISO 8601 date-time, in the future). */
  expiresOn: string;
}

interface ScheduleRequest {
  id: string;
  action: string;
  status: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  createdDateTime?: string;
  scheduleInfo?: { expiration?: { type?: string; endDateTime?: string | null } } | null;
}

const PATH = "/roleManagement/directory/roleEligibilityScheduleRequests";
const WRITE = "Graph permission RoleEligibilitySchedule.ReadWrite.Directory (delegated: Privileged Role Administrator), and Entra ID P2 in the tenant";
const READ = "Graph permission RoleEligibilitySchedule.Read.Directory";

export function validateEligibleRoleAssignment(i: Record<string, unknown>, prefix = ""): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (!isGuid(i.roleDefinitionId)) out.push(problem(`${prefix}roleDefinitionId`, i.roleDefinitionId, "use a role template id (GUID)"));
  if (!isGuid(i.principalId)) out.push(problem(`${prefix}principalId`, i.principalId, "use the object id (GUID) of a user or role-assignable group"));
  if (typeof i.directoryScopeId !== "string" || !/^\/(administrativeUnits\/[0-9a-f-]{36})?$/i.test(i.directoryScopeId)) {
    out.push(problem(`${prefix}directoryScopeId`, i.directoryScopeId, 'use "/" (directory) or "/administrativeUnits/<id>"'));
  }
  const end = typeof i.expiresOn === "string" ? Date.parse(i.expiresOn) : NaN;
  if (!Number.isFinite(end) || end <= Date.now()) {
    out.push(problem(`${prefix}expiresOn`, i.expiresOn, "use a future date-time in ISO 8601, e.g. 2027-06-30T00:00:00Z (PIM: \"Assignment ends\")"));
  }
  return out;
}

function requestBody(action: string, i: EligibleRoleAssignmentInputs): Record<string, unknown> {
  return {
    action, roleDefinitionId: i.roleDefinitionId, principalId: i.principalId, directoryScopeId: i.directoryScopeId, justification: i.justification,
    ...(action === "adminRemove" ? {} : {
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: "afterDateTime", endDateTime: new Date(i.expiresOn).toISOString() } },
    }),
  };
}

/** The newest request for this principal, role and scope: it says whether the eligibility stands and until when. */
async function latestRequest(i: EligibleRoleAssignmentInputs): Promise<ScheduleRequest | undefined> {
  const r = await tenantRequest<{ value: ScheduleRequest[] }>(i.connection, "graph", "GET", PATH, undefined, { needs: READ });
  return (r.body.value ?? [])
    .filter((q) => q.principalId === i.principalId && q.roleDefinitionId.toLowerCase() === i.roleDefinitionId.toLowerCase() && q.directoryScopeId === i.directoryScopeId)
    .sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)))
    .pop();
}

const sameInstant = (a: string | undefined | null, b: string) => !!a && Date.parse(a) === Date.parse(b);

const eligibleRoleAssignmentProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: EligibleRoleAssignmentInputs, news: EligibleRoleAssignmentInputs) {
    return { inputs: news, failures: [...checkProviderInputs(news as unknown as Record<string, unknown>), ...validateEligibleRoleAssignment(news as unknown as Record<string, unknown>)] };
  },
  async create(inputs: EligibleRoleAssignmentInputs) {
    const r = await tenantRequest<ScheduleRequest>(inputs.connection, "graph", "POST", PATH, requestBody("adminAssign", inputs), { needs: WRITE });
    return { id: r.body.id, outs: { ...inputs, status: r.body.status } };
  },
  async read(id: string, props: EligibleRoleAssignmentInputs) {
    const latest = await latestRequest(props);
    const end = latest?.scheduleInfo?.expiration?.endDateTime;
    // Removed, or expired: the eligibility no longer exists, so the engine drops it from state and recreates it.
    if (!latest || latest.action === "adminRemove" || latest.status === "Revoked" || (end && Date.parse(end) <= Date.now())) return { id: "" };
    return { id, props: { ...props, status: latest.status, ...(end && !sameInstant(end, props.expiresOn) ? { expiresOn: end } : {}) } };
  },
  async diff(_id: string, olds: EligibleRoleAssignmentInputs, news: EligibleRoleAssignmentInputs) {
    const replaces = (["roleDefinitionId", "principalId", "directoryScopeId"] as const).filter((k) => olds[k] !== news[k]);
    if (!sameTenant(olds.connection, news.connection)) replaces.push("connection" as never);
    const changes = replaces.length > 0 || !sameInstant(olds.expiresOn, news.expiresOn) || olds.justification !== news.justification;
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: EligibleRoleAssignmentInputs, news: EligibleRoleAssignmentInputs) {
    const r = await tenantRequest<ScheduleRequest>(news.connection, "graph", "POST", PATH, requestBody("adminUpdate", news), { needs: WRITE });
    return { outs: { ...news, status: r.body.status } };
  },
  async delete(_id: string, props: EligibleRoleAssignmentInputs) {
    const latest = await latestRequest(props);
    if (!latest || latest.action === "adminRemove") return; // already gone
    await tenantRequest(props.connection, "graph", "POST", PATH, requestBody("adminRemove", props), { needs: WRITE });
  },
};

export class EligibleRoleAssignment extends pulumi.dynamic.Resource {
  declare readonly expiresOn: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: ResourceArgs<EligibleRoleAssignmentInputs>, opts?: pulumi.CustomResourceOptions) {
    super(eligibleRoleAssignmentProvider, name, { ...args, status: undefined }, opts, RESOURCE_MODULE, "EligibleRoleAssignment");
  }
}

export const _provider = eligibleRoleAssignmentProvider;
