/**
 * The slice of Microsoft Graph v1.0 the project uses, per tenant (picked by the token's `tid`).
 *
 * Each route declares the permissions Graph documents for it: application permissions (`roles`) for
 * app-only tokens; delegated permissions (`scp`) plus, where Graph requires one, a directory role (`wids`)
 * for user tokens. Bodies are validated against the v1.0 schema on the way in (unknown properties and wrong
 * types answer 400 as Graph does) and the tests validate everything served on the way out.
 */
import * as crypto from "node:crypto";
import { ROLE } from "../components/model";
import { BearerCheck, checkBearer, graphAudiences } from "./login";
import { defaultMethodConfigurations, EXTRA_ROLE, roleName } from "./presets";
import { graphSchema, shortTypeName } from "./schema";
import { Ctx, jsonBody, Route, sendGraph, sendGraphEmpty, sendGraphError } from "./http";
import { deepMerge, GraphObject, isPlainObject, licencesOf, TenantRecord } from "./state";
import type { Claims } from "./tokens";

interface Permissions {
  /** Application permissions, any one of which allows the call. */
  app: string[];
  /** Delegated permissions (scp), any one of which allows the call. */
  delegated: string[];
  /** For delegated calls: directory roles (template ids), one of which the signed-in user must hold. */
  roles?: string[];
  /** Error code Graph uses for a refusal on this API. */
  deniedCode?: string;
}

interface Caller {
  tenant: TenantRecord;
  claims: Claims;
  appOnly: boolean;
}


const ORG_READ: Permissions = {
  app: ["Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.Read", "Organization.Read.All", "Directory.Read.All", "Directory.AccessAsUser.All"],
};
/** Open extensions on the organization: read with the organization, written with Organization.ReadWrite.All. */
const ORG_WRITE: Permissions = {
  app: ["Organization.ReadWrite.All", "Directory.ReadWrite.All"],
  delegated: ["Organization.ReadWrite.All", "Directory.AccessAsUser.All"],
  roles: [ROLE.GlobalAdministrator],
};
const AUTHZ_READ: Permissions = { app: ["Policy.Read.All", "Policy.ReadWrite.Authorization"], delegated: ["Policy.Read.All", "Policy.ReadWrite.Authorization"] };
const AUTHZ_WRITE: Permissions = {
  app: ["Policy.ReadWrite.Authorization"],
  delegated: ["Policy.ReadWrite.Authorization"],
  roles: [ROLE.PrivilegedRoleAdministrator, ROLE.GlobalAdministrator],
};
const AMP_READ: Permissions = {
  app: ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"],
  delegated: ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"],
  roles: [ROLE.GlobalAdministrator, ROLE.AuthenticationPolicyAdministrator, ROLE.SecurityAdministrator, EXTRA_ROLE.GlobalReader, EXTRA_ROLE.SecurityReader],
  deniedCode: "accessDenied",
};
const AMP_WRITE: Permissions = {
  app: ["Policy.ReadWrite.AuthenticationMethod"],
  delegated: ["Policy.ReadWrite.AuthenticationMethod"],
  roles: [ROLE.AuthenticationPolicyAdministrator, ROLE.GlobalAdministrator],
  deniedCode: "accessDenied",
};
const GROUP_READ: Permissions = {
  app: ["Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.AccessAsUser.All"],
};
const USER_READ: Permissions = {
  app: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  delegated: ["User.Read.All", "User.ReadBasic.All", "Directory.Read.All", "Directory.AccessAsUser.All"],
};
const ROLE_READ: Permissions = {
  app: ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All"],
  delegated: ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.AccessAsUser.All"],
};
const ROLE_WRITE: Permissions = {
  app: ["RoleManagement.ReadWrite.Directory"],
  delegated: ["RoleManagement.ReadWrite.Directory"],
  roles: [ROLE.PrivilegedRoleAdministrator, ROLE.GlobalAdministrator],
};
const PIM_READ: Permissions = {
  app: ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"],
  delegated: ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"],
};
const PIM_WRITE: Permissions = {
  app: ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
  delegated: ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
  roles: [ROLE.PrivilegedRoleAdministrator, ROLE.GlobalAdministrator],
};

// ---------------------------------------------------------------------------------------------------------
// Authentication and authorization.

/** `check`: the bearer token's check when the caller has already made it. */
function authorize(ctx: Ctx, perms: Permissions, check: BearerCheck = checkBearer(ctx, graphAudiences)): Caller | undefined {
  if (!check.ok) {
    sendGraphError(ctx, 401, "InvalidAuthenticationToken", check.message, {
      "WWW-Authenticate": `Bearer realm="", authorization_uri="${ctx.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    });
    return undefined;
  }
  const code = perms.deniedCode ?? "Authorization_RequestDenied";
  if (check.appOnly) {
    const roles = Array.isArray(check.claims.roles) ? (check.claims.roles as string[]) : [];
    if (!perms.app.some((p) => roles.includes(p))) {
      sendGraphError(ctx, 403, code, `Insufficient privileges to complete the operation. The application needs one of these application permissions: ${perms.app.join(", ")}.`);
      return undefined;
    }
  } else {
    const scp = String(check.claims.scp ?? "").split(" ");
    if (!perms.delegated.some((p) => scp.includes(p))) {
      sendGraphError(ctx, 403, code, `Insufficient privileges to complete the operation. The token needs one of these delegated permissions (scp): ${perms.delegated.join(", ")}.`);
      return undefined;
    }
    const wids = Array.isArray(check.claims.wids) ? (check.claims.wids as string[]) : [];
    if (perms.roles && !perms.roles.some((r) => wids.includes(r))) {
      sendGraphError(ctx, 403, code,
        `Insufficient privileges to complete the operation. The signed-in user needs one of these directory roles: ${perms.roles.map(roleName).join(", ")}.`);
      return undefined;
    }
  }
  return { tenant: check.tenant, claims: check.claims, appOnly: check.appOnly };
}

function route(method: string, template: string, perms: Permissions, handler: (ctx: Ctx, caller: Caller) => void): Route {
  return {
    area: "graph",
    method,
    template,
    handle: (ctx) => {
      const caller = authorize(ctx, perms);
      if (caller) handler(ctx, caller);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Responses and OData query options.

function contextUrl(ctx: Ctx, fragment: string): string {
  return `${ctx.baseUrl}/v1.0/$metadata#${fragment}`;
}

class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `$select=a,b`: only those properties (and `@odata.type`); unknown names are refused as Graph does. */
function applySelect(ctx: Ctx, typeName: string, obj: GraphObject): GraphObject {
  const select = ctx.url.searchParams.get("$select");
  if (!select) return obj;
  const names = select.split(",").map((s) => s.trim()).filter(Boolean);
  const known = { ...graphSchema.properties(typeName), ...graphSchema.navigationProperties(typeName) };
  const out: GraphObject = {};
  for (const n of names) {
    if (!known[n]) throw new QueryError("BadRequest", `Could not find a property named '${n}' on type 'microsoft.graph.${typeName}'.`);
    if (n in obj) out[n] = obj[n];
  }
  if (obj["@odata.type"]) out["@odata.type"] = obj["@odata.type"];
  return out;
}

/**
 * `$filter` as the project uses it: `prop eq 'value'` (also true/false/null/numbers) and
 * `startswith(prop,'value')`, joined by `and`. Anything else answers Request_UnsupportedQuery.
 */
function filterPredicate(typeName: string, filter: string): (o: GraphObject) => boolean {
  const props = graphSchema.properties(typeName);
  const clauses = filter.split(/\s+and\s+/i).map((clause) => {
    const eq = /^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false|null|-?\d+(?:\.\d+)?))\s*$/i.exec(clause);
    const sw = /^\s*startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i.exec(clause);
    const prop = eq?.[1] ?? sw?.[1];
    if (!prop) throw new QueryError("Request_UnsupportedQuery", `Unsupported query: ${clause.trim()}`);
    if (!props[prop]) throw new QueryError("BadRequest", `Could not find a property named '${prop}' on type 'microsoft.graph.${typeName}'.`);
    if (sw) {
      const prefix = sw[2].replace(/''/g, "'").toLowerCase();
      return (o: GraphObject) => typeof o[prop] === "string" && (o[prop] as string).toLowerCase().startsWith(prefix);
    }
    const literal = eq![2] !== undefined ? eq![2].replace(/''/g, "'") : JSON.parse(eq![3].toLowerCase()) as unknown;
    // Directory string comparisons are case-insensitive.
    return (o: GraphObject) =>
      typeof literal === "string" && typeof o[prop] === "string" ? (o[prop] as string).toLowerCase() === literal.toLowerCase() : o[prop] === literal;
  });
  return (o) => clauses.every((c) => c(o));
}

function sendEntity(ctx: Ctx, typeName: string, fragment: string, obj: GraphObject, status = 200): void {
  try {
    sendGraph(ctx, status, { "@odata.context": contextUrl(ctx, fragment), ...applySelect(ctx, typeName, obj) });
  } catch (e) {
    if (e instanceof QueryError) sendGraphError(ctx, 400, e.code, e.message);
    else throw e;
  }
}

/** A collection with `$filter` (when the API supports it), `$top` paging with `@odata.nextLink`, and `$select`. */
function sendCollection(ctx: Ctx, typeName: string, fragment: string, items: GraphObject[], opts: { filterable?: boolean } = {}): void {
  try {
    const q = ctx.url.searchParams;
    let list = items;
    const filter = q.get("$filter");
    if (filter) {
      if (!opts.filterable) throw new QueryError("Request_UnsupportedQuery", "This API does not support the $filter query option.");
      list = list.filter(filterPredicate(typeName, filter));
    }
    const skip = q.get("$skiptoken") ? Number(Buffer.from(q.get("$skiptoken")!, "base64url").toString("utf8")) : 0;
    const top = q.get("$top") ? Number(q.get("$top")) : undefined;
    if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 999)) {
      throw new QueryError("BadRequest", `Invalid page size specified: '${q.get("$top")}'. Must be between 1 and 999 inclusive.`);
    }
    const page = top === undefined ? list.slice(skip) : list.slice(skip, skip + top);
    const body: GraphObject = { "@odata.context": contextUrl(ctx, fragment), value: page.map((o) => applySelect(ctx, typeName, o)) };
    if (top !== undefined && skip + top < list.length) {
      // Graph writes `$` and commas in its links unescaped; only what must be is percent-encoded.
      const enc = (v: string) => encodeURIComponent(v).replace(/%24/g, "$").replace(/%2C/gi, ",").replace(/%27/g, "'");
      const params = [...q].filter(([k]) => k !== "$skiptoken").map(([k, v]) => `${enc(k)}=${enc(v)}`);
      params.push(`$skiptoken=${Buffer.from(String(skip + top)).toString("base64url")}`);
      body["@odata.nextLink"] = `${ctx.baseUrl}${ctx.url.pathname}?${params.join("&")}`;
    }
    sendGraph(ctx, 200, body);
  } catch (e) {
    if (e instanceof QueryError) sendGraphError(ctx, 400, e.code, e.message);
    else throw e;
  }
}

function notFound(ctx: Ctx, id: string): void {
  sendGraphError(ctx, 404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function byObjectId(ctx: Ctx, items: GraphObject[], id: string): GraphObject | undefined {
  if (!GUID.test(id)) {
    sendGraphError(ctx, 400, "Request_BadRequest", `Invalid object identifier '${id}'.`);
    return undefined;
  }
  const found = items.find((o) => String(o.id).toLowerCase() === id.toLowerCase());
  if (!found) notFound(ctx, id);
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Request bodies.

/**
 * The JSON body of a write, checked against the schema type: 400 (and undefined) on malformed JSON, unknown
 * properties or wrong types. Annotations and read-only properties are dropped from what is returned.
 * `body`: the request body when the caller has already parsed it.
 */
function writeBody(ctx: Ctx, typeName: string, opts: { writableNavigation?: string[]; readOnly?: string[] } = {}, body: unknown = jsonBody(ctx)): GraphObject | undefined {
  if (body === undefined) {
    sendGraphError(ctx, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    return undefined;
  }
  if (!isPlainObject(body)) {
    sendGraphError(ctx, 400, "BadRequest", `The request body must be a JSON object of type 'microsoft.graph.${typeName}'.`);
    return undefined;
  }
  const issues = graphSchema.validate(typeName, body, { writableNavigation: opts.writableNavigation ?? [] });
  if (issues.length > 0) {
    const first = issues[0];
    const message = first.kind === "unknownProperty" ? first.message : `Invalid request body: ${first.message.replace(/^\$\./, "")}`;
    sendGraphError(ctx, 400, "BadRequest", message);
    return undefined;
  }
  const out: GraphObject = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.includes("@") || opts.readOnly?.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

function badRequest(ctx: Ctx, message: string, code = "BadRequest"): void {
  sendGraphError(ctx, 400, code, message);
}

/** Targets must be "all_users" or an existing group (or user, for targetType user). */
function unknownTarget(tenant: TenantRecord, targets: unknown): string | undefined {
  if (!Array.isArray(targets)) return undefined;
  for (const t of targets as { id?: string; targetType?: string }[]) {
    if (!t || t.id === "all_users") continue;
    const pool = t.targetType === "user" ? tenant.state.users : tenant.state.groups;
    if (!pool.some((o) => String(o.id).toLowerCase() === String(t.id).toLowerCase())) return String(t.id);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Authentication methods policy.

function configurationFor(ctx: Ctx, tenant: TenantRecord, id: string): [string, GraphObject] | undefined {
  const configs = tenant.state.authenticationMethodsPolicy.authenticationMethodConfigurations;
  const key = Object.keys(configs).find((k) => k.toLowerCase() === id.toLowerCase());
  if (!key) {
    sendGraphError(ctx, 404, "itemNotFound", `The authentication method configuration '${id}' was not found.`);
    return undefined;
  }
  return [key, configs[key]];
}

/** A method configuration as Graph serves it, with the context of its includeTargets navigation. */
function servedConfiguration(ctx: Ctx, config: GraphObject): GraphObject {
  const type = shortTypeName(String(config["@odata.type"]));
  return {
    ...config,
    "includeTargets@odata.context": contextUrl(ctx, `policies/authenticationMethodsPolicy/authenticationMethodConfigurations('${String(config.id)}')/microsoft.graph.${type}/includeTargets`),
  };
}

function servedPolicy(ctx: Ctx, tenant: TenantRecord): GraphObject {
  const p = tenant.state.authenticationMethodsPolicy;
  return {
    ...p,
    "authenticationMethodConfigurations@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations"),
    authenticationMethodConfigurations: Object.values(p.authenticationMethodConfigurations).map((c) => servedConfiguration(ctx, c)),
  };
}

const MIGRATION_STATES = ["preMigration", "migrationInProgress", "migrationComplete"];

function patchAuthenticationMethodsPolicy(ctx: Ctx, { tenant }: Caller): void {
  const body = writeBody(ctx, "authenticationMethodsPolicy", { readOnly: ["id", "displayName", "description", "lastModifiedDateTime", "policyVersion"] });
  if (!body) return;
  const policy = tenant.state.authenticationMethodsPolicy;
  if (body.policyMigrationState !== undefined) {
    const next = body.policyMigrationState;
    if (typeof next !== "string" || !MIGRATION_STATES.includes(next)) {
      return badRequest(ctx, `Invalid value for policyMigrationState: '${String(next)}'.`);
    }
    // Tenants may move forward and between inProgress and complete, but never back to preMigration.
    if (next === "preMigration" && policy.policyMigrationState !== "preMigration") {
      return badRequest(ctx, `policyMigrationState cannot go back to 'preMigration' from '${policy.policyMigrationState}'.`);
    }
  }
  const campaign = (body.registrationEnforcement as GraphObject | null | undefined)?.authenticationMethodsRegistrationCampaign as GraphObject | undefined;
  if (campaign) {
    const snooze = campaign.snoozeDurationInDays;
    if (snooze !== undefined && (typeof snooze !== "number" || snooze < 0 || snooze > 14)) {
      return badRequest(ctx, `snoozeDurationInDays must be between 0 and 14; got ${String(snooze)}.`);
    }
    const unknown = unknownTarget(tenant, campaign.includeTargets) ?? unknownTarget(tenant, campaign.excludeTargets);
    if (unknown) return badRequest(ctx, `Invalid target '${unknown}': no such group or user in this tenant.`);
  }
  deepMerge(policy, body);
  policy.lastModifiedDateTime = new Date().toISOString();
  ctx.store.save();
  sendEntity(ctx, "authenticationMethodsPolicy", "policies/authenticationMethodsPolicy/$entity", servedPolicy(ctx, tenant));
}

function patchMethodConfiguration(ctx: Ctx, { tenant }: Caller): void {
  const found = configurationFor(ctx, tenant, ctx.params.id);
  if (!found) return;
  const [key, config] = found;
  const raw = jsonBody(ctx);
  const expectedType = String(config["@odata.type"]);
  if (isPlainObject(raw) && raw["@odata.type"] === undefined) {
    return badRequest(ctx, `The request body must include '@odata.type' (here '${expectedType}'): method configurations are polymorphic.`);
  }
  if (isPlainObject(raw) && shortTypeName(String(raw["@odata.type"])) !== shortTypeName(expectedType)) {
    return badRequest(ctx, `'@odata.type' ${JSON.stringify(raw["@odata.type"])} does not match the configuration '${key}', which is '${expectedType}'.`);
  }
  const body = writeBody(ctx, "authenticationMethodConfiguration", { writableNavigation: ["includeTargets"], readOnly: ["id"] }, raw);
  if (!body) return;
  const unknown = unknownTarget(tenant, body.includeTargets) ?? unknownTarget(tenant, body.excludeTargets);
  if (unknown) return badRequest(ctx, `Invalid target '${unknown}': no such group or user in this tenant.`);
  deepMerge(config, body);
  tenant.state.authenticationMethodsPolicy.lastModifiedDateTime = new Date().toISOString();
  ctx.store.save();
  sendGraphEmpty(ctx);
}

function deleteMethodConfiguration(ctx: Ctx, { tenant }: Caller): void {
  const found = configurationFor(ctx, tenant, ctx.params.id);
  if (!found) return;
  const configs = tenant.state.authenticationMethodsPolicy.authenticationMethodConfigurations;
  const defaults = defaultMethodConfigurations();
  // DELETE reverts a built-in method to its default settings (reference §3).
  if (defaults[found[0]]) configs[found[0]] = defaults[found[0]];
  else delete configs[found[0]];
  ctx.store.save();
  sendGraphEmpty(ctx);
}

// ---------------------------------------------------------------------------------------------------------
// Role management.

function roleDefinitionOf(tenant: TenantRecord, id: unknown): GraphObject | undefined {
  return tenant.state.roleDefinitions.find((d) => d.id === id || d.templateId === id);
}

/** The principal must exist; a group must be role-assignable. Returns an error message or undefined. */
function principalProblem(tenant: TenantRecord, principalId: unknown): string | undefined {
  const id = String(principalId).toLowerCase();
  const group = tenant.state.groups.find((g) => String(g.id).toLowerCase() === id);
  if (group) return group.isAssignableToRole === true ? undefined : `Group '${String(principalId)}' is not role-assignable (isAssignableToRole is false).`;
  const known = tenant.state.users.some((u) => String(u.id).toLowerCase() === id) || tenant.state.servicePrincipals.some((s) => s.id.toLowerCase() === id);
  return known ? undefined : `Resource '${String(principalId)}' does not exist or one of its queried reference-property objects are not present.`;
}

function postRoleAssignment(ctx: Ctx, { tenant }: Caller): void {
  const body = writeBody(ctx, "unifiedRoleAssignment", { readOnly: ["id"] });
  if (!body) return;
  for (const required of ["roleDefinitionId", "principalId"]) {
    if (typeof body[required] !== "string") return badRequest(ctx, `The property '${required}' is required.`, "Request_BadRequest");
  }
  if (typeof body.directoryScopeId !== "string" && typeof body.appScopeId !== "string") {
    return badRequest(ctx, "One of 'directoryScopeId' or 'appScopeId' is required.", "Request_BadRequest");
  }
  const def = roleDefinitionOf(tenant, body.roleDefinitionId);
  if (!def) return badRequest(ctx, `The role definition '${String(body.roleDefinitionId)}' does not exist.`, "Request_BadRequest");
  const problem = principalProblem(tenant, body.principalId);
  if (problem) return badRequest(ctx, problem, "Request_BadRequest");
  const scope = body.directoryScopeId ?? null;
  if (tenant.state.roleAssignments.some((a) => a.principalId === body.principalId && a.roleDefinitionId === def.id && (a.directoryScopeId ?? null) === scope)) {
    return badRequest(ctx, "A conflicting object with one or more of the specified property values is present in the directory.", "Request_BadRequest");
  }
  const assignment: GraphObject = {
    id: `${crypto.randomBytes(24).toString("base64url")}-1`,
    appScopeId: body.appScopeId ?? null,
    condition: body.condition ?? null,
    directoryScopeId: scope,
    principalId: body.principalId,
    principalOrganizationId: tenant.secrets.tenantId,
    roleDefinitionId: def.id,
  };
  tenant.state.roleAssignments.push(assignment);
  ctx.store.save();
  sendEntity(ctx, "unifiedRoleAssignment", "roleManagement/directory/roleAssignments/$entity", assignment, 201);
}

function deleteRoleAssignment(ctx: Ctx, { tenant }: Caller): void {
  const list = tenant.state.roleAssignments;
  const i = list.findIndex((a) => a.id === ctx.params.id);
  if (i < 0) return notFound(ctx, ctx.params.id);
  list.splice(i, 1);
  ctx.store.save();
  sendGraphEmpty(ctx);
}

const SCHEDULE_ACTIONS = ["adminAssign", "adminUpdate", "adminRemove", "adminExtend", "adminRenew", "selfActivate", "selfDeactivate", "selfExtend", "selfRenew"];

function postEligibilityRequest(ctx: Ctx, caller: Caller): void {
  const { tenant } = caller;
  const body = writeBody(ctx, "unifiedRoleEligibilityScheduleRequest", {
    readOnly: ["id", "status", "createdDateTime", "completedDateTime", "createdBy", "approvalId", "targetScheduleId"],
  });
  if (!body) return;
  // PIM needs Entra ID P2 (or ID Governance); without it Graph refuses the request.
  if (!licencesOf(tenant.state).entraIdP2) {
    return badRequest(ctx, "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.", "AadPremiumLicenseRequired");
  }
  for (const required of ["action", "principalId", "roleDefinitionId", "directoryScopeId"]) {
    if (typeof body[required] !== "string") return badRequest(ctx, `The property '${required}' is required.`);
  }
  if (!SCHEDULE_ACTIONS.includes(String(body.action))) return badRequest(ctx, `Invalid action '${String(body.action)}'.`);
  const def = roleDefinitionOf(tenant, body.roleDefinitionId);
  if (!def) return badRequest(ctx, `The role definition '${String(body.roleDefinitionId)}' does not exist.`);
  const problem = principalProblem(tenant, body.principalId);
  if (problem) return badRequest(ctx, problem);
  if (String(body.action).startsWith("admin") && body.action !== "adminRemove" && !isPlainObject(body.scheduleInfo)) {
    return badRequest(ctx, "scheduleInfo is required for this action.");
  }
  const now = new Date().toISOString();
  const request: GraphObject = {
    id: crypto.randomUUID(),
    status: body.action === "adminRemove" ? "Revoked" : "Provisioned",
    createdDateTime: now,
    completedDateTime: now,
    approvalId: null,
    customData: null,
    action: body.action,
    principalId: body.principalId,
    roleDefinitionId: def.id,
    directoryScopeId: body.directoryScopeId,
    appScopeId: body.appScopeId ?? null,
    isValidationOnly: body.isValidationOnly ?? false,
    targetScheduleId: crypto.randomUUID(),
    justification: body.justification ?? null,
    createdBy: { application: null, device: null, user: caller.appOnly ? null : { displayName: null, id: String(caller.claims.oid) } },
    scheduleInfo: body.scheduleInfo ?? null,
    ticketInfo: { ticketNumber: null, ticketSystem: null, ...((body.ticketInfo as GraphObject | undefined) ?? {}) },
  };
  if (caller.appOnly) (request.createdBy as GraphObject).application = { displayName: null, id: String(caller.claims.appid) };
  if (body.isValidationOnly !== true) {
    tenant.state.roleEligibilityScheduleRequests.push(request);
    ctx.store.save();
  }
  sendEntity(ctx, "unifiedRoleEligibilityScheduleRequest", "roleManagement/directory/roleEligibilityScheduleRequests/$entity", request, 201);
}

/** `/me`: an app-only token has no "me", which Graph answers with 400 before any permission check. */
function getMe(ctx: Ctx): void {
  const check = checkBearer(ctx, graphAudiences);
  if (check.ok && check.appOnly) return badRequest(ctx, "/me request is only valid with delegated authentication flow.");
  const caller = authorize(ctx, { app: [], delegated: ["User.Read", "User.Read.All", "Directory.AccessAsUser.All"] }, check);
  if (!caller) return;
  const me = caller.tenant.state.users.find((u) => u.id === caller.claims.oid);
  if (!me) return notFound(ctx, String(caller.claims.oid));
  sendEntity(ctx, "user", "users/$entity", me);
}

// ---------------------------------------------------------------------------------------------------------
// Routes. `GRAPH_ENTITY_TYPES` names the entity type each GET route serves, so a test can walk everything
// served and validate it against the schema.

export const GRAPH_ENTITY_TYPES: Record<string, { type: string; collection: boolean }> = {
  "/v1.0/organization": { type: "organization", collection: true },
  "/v1.0/organization/{id}": { type: "organization", collection: false },
  "/v1.0/organization/{id}/extensions": { type: "openTypeExtension", collection: true },
  "/v1.0/organization/{id}/extensions/{name}": { type: "openTypeExtension", collection: false },
  "/v1.0/directory/subscriptions": { type: "companySubscription", collection: true },
  "/v1.0/directory/subscriptions/{id}": { type: "companySubscription", collection: false },
  "/v1.0/subscribedSkus": { type: "subscribedSku", collection: true },
  "/v1.0/subscribedSkus/{id}": { type: "subscribedSku", collection: false },
  "/v1.0/policies/authorizationPolicy": { type: "authorizationPolicy", collection: false },
  "/v1.0/policies/authenticationMethodsPolicy": { type: "authenticationMethodsPolicy", collection: false },
  "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations": { type: "authenticationMethodConfiguration", collection: true },
  "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}": { type: "authenticationMethodConfiguration", collection: false },
  "/v1.0/groups": { type: "group", collection: true },
  "/v1.0/groups/{id}": { type: "group", collection: false },
  "/v1.0/users": { type: "user", collection: true },
  "/v1.0/users/{id}": { type: "user", collection: false },
  "/v1.0/me": { type: "user", collection: false },
  "/v1.0/roleManagement/directory/roleDefinitions": { type: "unifiedRoleDefinition", collection: true },
  "/v1.0/roleManagement/directory/roleDefinitions/{id}": { type: "unifiedRoleDefinition", collection: false },
  "/v1.0/roleManagement/directory/roleAssignments": { type: "unifiedRoleAssignment", collection: true },
  "/v1.0/roleManagement/directory/roleAssignments/{id}": { type: "unifiedRoleAssignment", collection: false },
  "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests": { type: "unifiedRoleEligibilityScheduleRequest", collection: true },
  "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests/{id}": { type: "unifiedRoleEligibilityScheduleRequest", collection: false },
};

function getList(template: string, perms: Permissions, items: (c: Caller) => GraphObject[], fragment: string, filterable = false): Route {
  return route("GET", template, perms, (ctx, c) => sendCollection(ctx, GRAPH_ENTITY_TYPES[template].type, fragment, items(c), { filterable }));
}

function getOne(template: string, perms: Permissions, items: (c: Caller) => GraphObject[], fragment: string, objectIds = false): Route {
  return route("GET", template, perms, (ctx, c) => {
    const id = ctx.params.id;
    const found = objectIds ? byObjectId(ctx, items(c), id) : items(c).find((o) => String(o.id).toLowerCase() === id.toLowerCase());
    if (found) sendEntity(ctx, GRAPH_ENTITY_TYPES[template].type, fragment, found);
    else if (!objectIds) notFound(ctx, id);
  });
}

const s = (c: Caller) => c.tenant.state;

// ---------------------------------------------------------------------------------------------------------
// Open extensions on the organization object. The emulator serves the one organization by its id (the tenant
// id). On directory objects an update replaces the extension's custom properties (Microsoft Learn, "Update
// openTypeExtension": it "behaves differently for resources that are directory objects"); the client sends
// the whole set either way. Names are matched case-insensitively, as Graph matches extension ids.

function organizationOf(ctx: Ctx, c: Caller): boolean {
  if (String(ctx.params.id).toLowerCase() === String(s(c).organization.id).toLowerCase()) return true;
  notFound(ctx, ctx.params.id);
  return false;
}

function extensionsOf(c: Caller): GraphObject[] {
  const st = s(c);
  if (!st.organizationExtensions) st.organizationExtensions = [];
  return st.organizationExtensions;
}

function served(ext: GraphObject): GraphObject {
  return { "@odata.type": "#microsoft.graph.openTypeExtension", ...ext };
}

function extensionBody(ctx: Ctx): GraphObject | undefined {
  const body = jsonBody(ctx);
  if (!isPlainObject(body) || String(body["@odata.type"] ?? "").replace(/^#/, "") !== "microsoft.graph.openTypeExtension") {
    badRequest(ctx, "An open extension needs \"@odata.type\": \"microsoft.graph.openTypeExtension\".");
    return undefined;
  }
  const out: GraphObject = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.includes("@") || k === "id") continue;
    const primitive = (x: unknown) => x === null || ["string", "number", "boolean"].includes(typeof x);
    if (!(primitive(v) || (Array.isArray(v) && v.every(primitive)))) {
      badRequest(ctx, `The open extension property '${k}' must be a primitive value or an array of primitive values.`);
      return undefined;
    }
    out[k] = v;
  }
  if (typeof out.extensionName !== "string" || !out.extensionName) {
    badRequest(ctx, "An open extension needs an 'extensionName'.");
    return undefined;
  }
  return out;
}

const organizationExtensionRoutes: Route[] = [
  route("GET", "/v1.0/organization/{id}/extensions", ORG_READ, (ctx, c) => {
    if (organizationOf(ctx, c)) sendCollection(ctx, "openTypeExtension", `organization('${ctx.params.id}')/extensions`, extensionsOf(c).map(served));
  }),
  route("GET", "/v1.0/organization/{id}/extensions/{name}", ORG_READ, (ctx, c) => {
    if (!organizationOf(ctx, c)) return;
    const ext = extensionsOf(c).find((e) => String(e.id).toLowerCase() === ctx.params.name.toLowerCase());
    if (ext) sendEntity(ctx, "openTypeExtension", `organization('${ctx.params.id}')/extensions/$entity`, served(ext));
    else sendGraphError(ctx, 404, "ResourceNotFound", `Extension '${ctx.params.name}' was not found.`);
  }),
  route("POST", "/v1.0/organization/{id}/extensions", ORG_WRITE, (ctx, c) => {
    if (!organizationOf(ctx, c)) return;
    const body = extensionBody(ctx);
    if (!body) return;
    const list = extensionsOf(c);
    if (list.some((e) => String(e.id).toLowerCase() === String(body.extensionName).toLowerCase())) {
      sendGraphError(ctx, 409, "NameAlreadyExists", `An extension already exists with the name '${body.extensionName}'.`);
      return;
    }
    const ext = { id: body.extensionName, ...body };
    list.push(ext);
    ctx.store.save();
    sendGraph(ctx, 201, { "@odata.context": contextUrl(ctx, `organization('${ctx.params.id}')/extensions/$entity`), ...served(ext) });
  }),
  route("PATCH", "/v1.0/organization/{id}/extensions/{name}", ORG_WRITE, (ctx, c) => {
    if (!organizationOf(ctx, c)) return;
    const list = extensionsOf(c);
    const at = list.findIndex((e) => String(e.id).toLowerCase() === ctx.params.name.toLowerCase());
    if (at < 0) { sendGraphError(ctx, 404, "ResourceNotFound", `Extension '${ctx.params.name}' was not found.`); return; }
    const body = extensionBody(ctx);
    if (!body) return;
    list[at] = { id: list[at].id, ...body, extensionName: list[at].extensionName };
    ctx.store.save();
    sendGraphEmpty(ctx);
  }),
  route("DELETE", "/v1.0/organization/{id}/extensions/{name}", ORG_WRITE, (ctx, c) => {
    if (!organizationOf(ctx, c)) return;
    const list = extensionsOf(c);
    const at = list.findIndex((e) => String(e.id).toLowerCase() === ctx.params.name.toLowerCase());
    if (at < 0) { sendGraphError(ctx, 404, "ResourceNotFound", `Extension '${ctx.params.name}' was not found.`); return; }
    list.splice(at, 1);
    ctx.store.save();
    sendGraphEmpty(ctx);
  }),
];

export const graphRoutes: Route[] = [
  getList("/v1.0/organization", ORG_READ, (c) => [s(c).organization], "organization"),
  getOne("/v1.0/organization/{id}", ORG_READ, (c) => [s(c).organization], "organization/$entity"),
  ...organizationExtensionRoutes,
  getList("/v1.0/directory/subscriptions", ORG_READ, (c) => s(c).subscriptions, "directory/subscriptions"),
  getOne("/v1.0/directory/subscriptions/{id}", ORG_READ, (c) => s(c).subscriptions, "directory/subscriptions/$entity"),
  getList("/v1.0/subscribedSkus", ORG_READ, (c) => s(c).subscribedSkus, "subscribedSkus"),
  getOne("/v1.0/subscribedSkus/{id}", ORG_READ, (c) => s(c).subscribedSkus, "subscribedSkus/$entity"),

  route("GET", "/v1.0/policies/authorizationPolicy", AUTHZ_READ, (ctx, c) =>
    sendEntity(ctx, "authorizationPolicy", "policies/authorizationPolicy/$entity", s(c).authorizationPolicy),
  ),
  route("PATCH", "/v1.0/policies/authorizationPolicy", AUTHZ_WRITE, (ctx, c) => {
    const body = writeBody(ctx, "authorizationPolicy", { readOnly: ["id"] });
    if (!body) return;
    deepMerge(s(c).authorizationPolicy, body);
    ctx.store.save();
    sendGraphEmpty(ctx);
  }),

  route("GET", "/v1.0/policies/authenticationMethodsPolicy", AMP_READ, (ctx, c) =>
    sendEntity(ctx, "authenticationMethodsPolicy", "policies/authenticationMethodsPolicy/$entity", servedPolicy(ctx, c.tenant)),
  ),
  route("PATCH", "/v1.0/policies/authenticationMethodsPolicy", AMP_WRITE, patchAuthenticationMethodsPolicy),
  route("GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations", AMP_READ, (ctx, c) =>
    sendCollection(ctx, "authenticationMethodConfiguration", "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
      Object.values(s(c).authenticationMethodsPolicy.authenticationMethodConfigurations).map((cfg) => servedConfiguration(ctx, cfg))),
  ),
  route("GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}", AMP_READ, (ctx, c) => {
    const found = configurationFor(ctx, c.tenant, ctx.params.id);
    if (found) {
      sendEntity(ctx, "authenticationMethodConfiguration", "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity", servedConfiguration(ctx, found[1]));
    }
  }),
  route("PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}", AMP_WRITE, patchMethodConfiguration),
  route("DELETE", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}", AMP_WRITE, deleteMethodConfiguration),

  getList("/v1.0/groups", GROUP_READ, (c) => s(c).groups, "groups", true),
  getOne("/v1.0/groups/{id}", GROUP_READ, (c) => s(c).groups, "groups/$entity", true),
  getList("/v1.0/users", USER_READ, (c) => s(c).users, "users", true),
  getOne("/v1.0/users/{id}", USER_READ, (c) => s(c).users, "users/$entity", true),
  { area: "graph", method: "GET", template: "/v1.0/me", handle: getMe },

  getList("/v1.0/roleManagement/directory/roleDefinitions", ROLE_READ, (c) => s(c).roleDefinitions, "roleManagement/directory/roleDefinitions", true),
  getOne("/v1.0/roleManagement/directory/roleDefinitions/{id}", ROLE_READ, (c) => s(c).roleDefinitions, "roleManagement/directory/roleDefinitions/$entity"),
  getList("/v1.0/roleManagement/directory/roleAssignments", ROLE_READ, (c) => s(c).roleAssignments, "roleManagement/directory/roleAssignments", true),
  getOne("/v1.0/roleManagement/directory/roleAssignments/{id}", ROLE_READ, (c) => s(c).roleAssignments, "roleManagement/directory/roleAssignments/$entity"),
  route("POST", "/v1.0/roleManagement/directory/roleAssignments", ROLE_WRITE, postRoleAssignment),
  route("DELETE", "/v1.0/roleManagement/directory/roleAssignments/{id}", ROLE_WRITE, deleteRoleAssignment),
  getList("/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", PIM_READ, (c) => s(c).roleEligibilityScheduleRequests,
    "roleManagement/directory/roleEligibilityScheduleRequests", true),
  getOne("/v1.0/roleManagement/directory/roleEligibilityScheduleRequests/{id}", PIM_READ, (c) => s(c).roleEligibilityScheduleRequests,
    "roleManagement/directory/roleEligibilityScheduleRequests/$entity"),
  route("POST", "/v1.0/roleManagement/directory/roleEligibilityScheduleRequests", PIM_WRITE, postEligibilityRequest),
];

/** Graph's answer for a path it has no resource for. */
export function graphUnknownSegment(ctx: Ctx, segments: string[]): void {
  sendGraphError(ctx, 400, "BadRequest", `Resource not found for the segment '${segments[segments.length - 1] ?? ""}'.`);
}
