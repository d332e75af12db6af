/**
 * The Azure portal's internal IAM API (main.iam.ad.ext.azure.*) objects that hold the SSPR policy:
 * `PasswordResetPolicies` and `OnPremisesPasswordResetPolicies` (reference §1). Plain JSON, no OData.
 *
 * Choices where Microsoft's behaviour is undocumented (all in one place so they are easy to revisit):
 * - Errors are `{errorCode, message, correlationId}`.
 * - A token without a user (app-only, no `scp`) answers 401 `ServicePrincipalNotSupported`: the service
 *   "doesn't support service principal access", i.e. it does not accept the caller as authenticated.
 *   Users without a suitable directory role get 403.
 * - Property names bind case-insensitively (ASP.NET model binding), which is why O365Essentials' partial
 *   `{"passwordWriteBackSupported": ...}` works. Unknown properties answer 400 (the real service would
 *   probably ignore them; being strict catches typos in the product).
 * - PasswordResetPolicies PUT needs the whole object (all 29 keys): every tool sends it whole, and a partial body
 *   would silently reset the missing settings on the real service, so the emulator refuses it.
 * - The `*Allowed` flags are capabilities of the tenant (trial tenants cannot offer office phone): the
 *   server keeps its own values, and enabling a method that is not allowed answers 400.
 * - The documented ranges are enforced with 400: methods required 1-2, reconfirm days 0-730, questions 3-5
 *   (register >= reset), skip days 1-30 (the project's range; Microsoft documents none), exactly one existing
 *   target group when enablementType is 1 (Selected), enough enabled methods for the number required
 *   (unless `?byPassMethodCountCheck=true`), enough security questions when they are enabled.
 * - OnPremises PUT: writeback needs directory sync (400 `OnPremisesIntegrationNotConfigured` otherwise) and
 *   Entra ID P1/P2 or Business Premium (403 `LicenseRequired` otherwise); unlock without reset needs writeback.
 */
import * as crypto from "node:crypto";
import { ROLE } from "../components/model";
import { checkBearer, portalAudiences } from "./login";
import { EXTRA_ROLE, NO_GROUP, roleName } from "./presets";
import { Ctx, jsonBody, Route, sendJson } from "./http";
import { isPlainObject, licencesOf, OnPremisesPasswordResetPolicy, PasswordResetPolicy, TenantRecord } from "./state";

type FieldKind = "string" | "int" | "bool" | "stringArray" | "objectArray" | "array";

const POLICY_FIELDS = {
  objectId: "string",
  enablementType: "int",
  numberOfAuthenticationMethodsRequired: "int",
  emailOptionEnabled: "bool",
  mobilePhoneOptionEnabled: "bool",
  officePhoneOptionEnabled: "bool",
  securityQuestionsOptionEnabled: "bool",
  mobileAppNotificationEnabled: "bool",
  mobileAppCodeEnabled: "bool",
  numberOfQuestionsToRegister: "int",
  numberOfQuestionsToReset: "int",
  registrationRequiredOnSignIn: "bool",
  registrationReconfirmIntevalInDays: "int",
  skipRegistrationAllowed: "bool",
  skipRegistrationMaxAllowedDays: "int",
  customizeHelpdeskLink: "bool",
  customHelpdeskEmailOrUrl: "string",
  notifyUsersOnPasswordReset: "bool",
  notifyOnAdminPasswordReset: "bool",
  passwordResetEnabledGroupIds: "stringArray",
  passwordResetEnabledGroupName: "string",
  securityQuestions: "objectArray",
  registrationConditionalAccessPolicies: "array",
  emailOptionAllowed: "bool",
  mobilePhoneOptionAllowed: "bool",
  officePhoneOptionAllowed: "bool",
  securityQuestionsOptionAllowed: "bool",
  mobileAppNotificationOptionAllowed: "bool",
  mobileAppCodeOptionAllowed: "bool",
} satisfies Record<keyof PasswordResetPolicy, FieldKind>;

/** Each method flag and the capability flag that must allow it. */
const METHODS: [keyof PasswordResetPolicy, keyof PasswordResetPolicy][] = [
  ["emailOptionEnabled", "emailOptionAllowed"],
  ["mobilePhoneOptionEnabled", "mobilePhoneOptionAllowed"],
  ["officePhoneOptionEnabled", "officePhoneOptionAllowed"],
  ["securityQuestionsOptionEnabled", "securityQuestionsOptionAllowed"],
  ["mobileAppNotificationEnabled", "mobileAppNotificationOptionAllowed"],
  ["mobileAppCodeEnabled", "mobileAppCodeOptionAllowed"],
];

const ON_PREM_FIELDS = {
  objectId: "string",
  passwordWritebackSupported: "bool",
  accountUnlockSupported: "bool",
  accountUnlockEnabled: "bool",
  enablementForTenant: "bool",
  cloudProvisioningEnablementForTenant: "bool",
} satisfies Record<keyof OnPremisesPasswordResetPolicy, FieldKind>;

const READ_ROLES = [ROLE.GlobalAdministrator, ROLE.AuthenticationPolicyAdministrator, ROLE.SecurityAdministrator, EXTRA_ROLE.GlobalReader, EXTRA_ROLE.SecurityReader];
const WRITE_ROLES = [ROLE.GlobalAdministrator, ROLE.AuthenticationPolicyAdministrator];

class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

function sendPortalError(ctx: Ctx, e: PortalError): void {
  sendJson(ctx, e.status, { errorCode: e.errorCode, message: e.message, correlationId: crypto.randomUUID() });
}

const invalid = (message: string) => new PortalError(400, "InvalidRequest", message);

/** Delegated token for the portal audience, from a user holding one of `roles`. */
function authorize(ctx: Ctx, roles: string[]): TenantRecord {
  const check = checkBearer(ctx, portalAudiences);
  if (!check.ok) throw new PortalError(401, "InvalidAuthenticationToken", check.message);
  if (check.appOnly) {
    throw new PortalError(401, "ServicePrincipalNotSupported",
      "This API does not support service principal access: it accepts delegated (signed-in user) tokens only. Sign in as an administrator instead of using an application credential.");
  }
  const wids = Array.isArray(check.claims.wids) ? (check.claims.wids as string[]) : [];
  if (!roles.some((r) => wids.includes(r))) {
    throw new PortalError(403, "InsufficientPrivileges",
      `The signed-in user has no directory role that may do this; it needs one of: ${roles.map(roleName).join(", ")}.`);
  }
  return check.tenant;
}

/** Maps body keys to canonical field names case-insensitively; unknown keys are refused. */
function canonicalKeys(body: Record<string, unknown>, fields: Record<string, FieldKind>): Record<string, unknown> {
  const byLower = new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const name = byLower.get(k.toLowerCase());
    if (!name) throw invalid(`Unknown property '${k}'.`);
    out[name] = v;
  }
  return out;
}

function checkKind(name: string, kind: FieldKind, v: unknown, nullable = false): void {
  if (v === null && nullable) return;
  const ok =
    kind === "string" ? typeof v === "string" :
    kind === "int" ? typeof v === "number" && Number.isInteger(v) :
    kind === "bool" ? typeof v === "boolean" :
    kind === "stringArray" ? Array.isArray(v) && v.every((x) => typeof x === "string") :
    kind === "objectArray" ? Array.isArray(v) && v.every(isPlainObject) :
    Array.isArray(v);
  if (!ok) throw invalid(`'${name}' must be ${{ string: "a string", int: "a whole number", bool: "true or false", stringArray: "an array of strings", objectArray: "an array of objects", array: "an array" }[kind]}.`);
}

function inRange(name: string, v: number, min: number, max: number): void {
  if (v < min || v > max) throw invalid(`'${name}' is ${v}; allowed: ${min} to ${max}.`);
}

function groupName(tenant: TenantRecord, id: string): string | undefined {
  const g = tenant.state.groups.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
  return g ? String(g.displayName) : undefined;
}

function servedPolicy(ctx: Ctx, tenant: TenantRecord): PasswordResetPolicy {
  const p = tenant.state.passwordResetPolicy;
  // The name is filled only on request (readers pass the flag; without it the field reads empty).
  const withGroup = ctx.url.searchParams.get("getPasswordResetEnabledGroup")?.toLowerCase() === "true";
  const name = withGroup && p.enablementType === 1 && p.passwordResetEnabledGroupIds[0] ? (groupName(tenant, p.passwordResetEnabledGroupIds[0]) ?? "") : "";
  return { ...structuredClone(p), passwordResetEnabledGroupName: name };
}

function validatedPolicy(ctx: Ctx, tenant: TenantRecord): PasswordResetPolicy {
  const raw = jsonBody(ctx);
  if (!isPlainObject(raw)) throw invalid("The request body must be the PasswordResetPolicies JSON object.");
  const body = canonicalKeys(raw, POLICY_FIELDS);
  const missing = Object.keys(POLICY_FIELDS).filter((k) => !(k in body));
  if (missing.length > 0) {
    throw invalid(`PUT replaces the whole policy object: GET it, change it, PUT all ${Object.keys(POLICY_FIELDS).length} properties. Missing: ${missing.join(", ")}.`);
  }
  for (const [k, kind] of Object.entries(POLICY_FIELDS)) checkKind(k, kind, body[k]);
  const current = tenant.state.passwordResetPolicy;
  const p = body as unknown as PasswordResetPolicy;
  // Capabilities belong to the tenant, not to the caller.
  for (const [, allowed] of METHODS) (p as unknown as Record<string, unknown>)[allowed] = current[allowed];

  if (p.objectId !== "default") throw invalid(`'objectId' must be "default"; got ${JSON.stringify(p.objectId)}.`);
  if (![0, 1, 2].includes(p.enablementType)) throw invalid(`'enablementType' is ${p.enablementType}; allowed: 0 (None), 1 (Selected), 2 (All).`);
  inRange("numberOfAuthenticationMethodsRequired", p.numberOfAuthenticationMethodsRequired, 1, 2);
  inRange("registrationReconfirmIntevalInDays", p.registrationReconfirmIntevalInDays, 0, 730);
  inRange("numberOfQuestionsToRegister", p.numberOfQuestionsToRegister, 3, 5);
  inRange("numberOfQuestionsToReset", p.numberOfQuestionsToReset, 3, 5);
  if (p.numberOfQuestionsToRegister < p.numberOfQuestionsToReset) {
    throw invalid(`'numberOfQuestionsToRegister' (${p.numberOfQuestionsToRegister}) must be at least 'numberOfQuestionsToReset' (${p.numberOfQuestionsToReset}).`);
  }
  inRange("skipRegistrationMaxAllowedDays", p.skipRegistrationMaxAllowedDays, 1, 30);

  if (p.enablementType === 1) {
    const ids = p.passwordResetEnabledGroupIds;
    if (ids.length !== 1) throw invalid(`enablementType 1 (Selected) needs exactly one group in 'passwordResetEnabledGroupIds'; got ${ids.length}.`);
    if (ids[0] === NO_GROUP || !groupName(tenant, ids[0])) throw invalid(`The group '${ids[0]}' in 'passwordResetEnabledGroupIds' does not exist in this tenant.`);
  }

  for (const [enabled, allowed] of METHODS) {
    if (p[enabled] === true && p[allowed] !== true) throw invalid(`'${enabled}' cannot be true: this tenant does not allow the method ('${allowed}' is false).`);
  }
  const enabledCount = METHODS.filter(([e]) => p[e] === true).length;
  const bypass = ctx.url.searchParams.get("byPassMethodCountCheck")?.toLowerCase() === "true";
  if (!bypass && enabledCount < p.numberOfAuthenticationMethodsRequired) {
    throw invalid(`'numberOfAuthenticationMethodsRequired' is ${p.numberOfAuthenticationMethodsRequired} but only ${enabledCount} method(s) are enabled.`);
  }
  if (p.securityQuestionsOptionEnabled) {
    if (p.securityQuestions.length < p.numberOfQuestionsToRegister) {
      throw invalid(`Security questions are enabled with ${p.numberOfQuestionsToRegister} to register, but only ${p.securityQuestions.length} question(s) are configured.`);
    }
  }
  for (const q of p.securityQuestions) {
    if (typeof q.questionText !== "string" || q.questionText.length === 0 || q.questionText.length > 200) {
      throw invalid("Each security question needs a 'questionText' of 1 to 200 characters.");
    }
  }
  if (p.customizeHelpdeskLink) {
    const link = p.customHelpdeskEmailOrUrl;
    if (!/^https?:\/\/\S+$/i.test(link) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(link)) {
      throw invalid(`'customHelpdeskEmailOrUrl' must be an email address or an http(s) URL when 'customizeHelpdeskLink' is true; got ${JSON.stringify(link)}.`);
    }
  }
  p.passwordResetEnabledGroupName = p.enablementType === 1 ? groupName(tenant, p.passwordResetEnabledGroupIds[0]) ?? "" : "";
  return p;
}

function putOnPremises(ctx: Ctx, tenant: TenantRecord): OnPremisesPasswordResetPolicy {
  const raw = jsonBody(ctx);
  if (!isPlainObject(raw)) throw invalid("The request body must be the OnPremisesPasswordResetPolicies JSON object.");
  const body = canonicalKeys(raw, ON_PREM_FIELDS);
  for (const [k, v] of Object.entries(body)) checkKind(k, ON_PREM_FIELDS[k as keyof typeof ON_PREM_FIELDS], v, k === "objectId");
  const next = { ...tenant.state.onPremisesPasswordResetPolicy };
  // Only the two settings are writable; the rest describes the tenant's on-premises integration.
  if (typeof body.passwordWritebackSupported === "boolean") next.passwordWritebackSupported = body.passwordWritebackSupported;
  if (typeof body.accountUnlockEnabled === "boolean") next.accountUnlockEnabled = body.accountUnlockEnabled;

  if (body.passwordWritebackSupported === true) {
    const facts = licencesOf(tenant.state);
    if (!facts.directorySync) {
      throw new PortalError(400, "OnPremisesIntegrationNotConfigured",
        "Password writeback needs on-premises directory synchronization (Microsoft Entra Connect or cloud sync); this tenant has none.");
    }
    if (!facts.entraIdP1 && !facts.entraIdP2 && !facts.businessPremium) {
      throw new PortalError(403, "LicenseRequired",
        "Password writeback requires Microsoft Entra ID P1 or P2, or Microsoft 365 Business Premium; this tenant has none of them.");
    }
  }
  if (next.accountUnlockEnabled && !next.passwordWritebackSupported) {
    throw invalid("'accountUnlockEnabled' needs password writeback ('passwordWritebackSupported' true).");
  }
  return next;
}

function handler(roles: string[], body: (ctx: Ctx, tenant: TenantRecord) => unknown): Route["handle"] {
  return (ctx) => {
    try {
      sendJson(ctx, 200, body(ctx, authorize(ctx, roles)));
    } catch (e) {
      if (e instanceof PortalError) sendPortalError(ctx, e);
      else throw e;
    }
  };
}

export const portalRoutes: Route[] = [
  {
    area: "portal",
    method: "GET",
    template: "/api/PasswordReset/PasswordResetPolicies",
    handle: handler(READ_ROLES, (ctx, t) => servedPolicy(ctx, t)),
  },
  {
    area: "portal",
    method: "PUT",
    template: "/api/PasswordReset/PasswordResetPolicies",
    handle: handler(WRITE_ROLES, (ctx, t) => {
      t.state.passwordResetPolicy = validatedPolicy(ctx, t);
      ctx.store.save();
      return servedPolicy(ctx, t);
    }),
  },
  {
    area: "portal",
    method: "GET",
    template: "/api/PasswordReset/OnPremisesPasswordResetPolicies",
    handle: handler(READ_ROLES, (_ctx, t) => t.state.onPremisesPasswordResetPolicy),
  },
  {
    area: "portal",
    method: "PUT",
    template: "/api/PasswordReset/OnPremisesPasswordResetPolicies",
    handle: handler(WRITE_ROLES, (ctx, t) => {
      t.state.onPremisesPasswordResetPolicy = putOnPremises(ctx, t);
      ctx.store.save();
      return t.state.onPremisesPasswordResetPolicy;
    }),
  },
];

/** Any other `/api/...` path: the portal API has no such endpoint (in the emulator). */
export function portalNotFound(ctx: Ctx): void {
  sendPortalError(ctx, new PortalError(404, "NotFound", `No endpoint ${ctx.method} ${ctx.url.pathname} in the emulated portal API.`));
}
