/**
 * Shared pieces of the SSPR policy pack: type-filtered validators, config with schema defaults, tenant facts,
 * the Microsoft Learn pages quoted in messages, and value formatting.
 *
 * Written for TypeScript 3.8 as well as 5.x: the Pulumi CLI loads this pack with the TypeScript 3.8.3 and
 * ts-node 7 that ship inside @pulumi/pulumi (type-checked), so no `satisfies`, `??=` or template literal types.
 */
import type {
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceRemediation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { TenantFacts } from "../components/model";
import { AZUREAD_TYPE, ROLE, TYPE } from "../components/model";

/** Microsoft Learn and baseline pages linked from violation messages. */
export const DOCS = {
  licensing: "https://learn.microsoft.com/entra/identity/authentication/concept-sspr-licensing",
  trial: "https://learn.microsoft.com/microsoft-365/admin/add-users/let-users-reset-passwords",
  writeback: "https://learn.microsoft.com/entra/identity/authentication/concept-sspr-writeback",
  enable: "https://learn.microsoft.com/entra/identity/authentication/tutorial-enable-sspr",
  howItWorks: "https://learn.microsoft.com/entra/identity/authentication/concept-sspr-howitworks",
  customize: "https://learn.microsoft.com/entra/identity/authentication/howto-sspr-customization",
  securityQuestions: "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-security-questions",
  methods: "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods",
  methodsManage: "https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods-manage",
  roles: "https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference",
  rolesBestPractices: "https://learn.microsoft.com/entra/identity/role-based-access-control/best-practices",
  pim: "https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-configure",
  pimLicensing: "https://learn.microsoft.com/entra/id-governance/licensing-fundamentals",
  emergencyAccess: "https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access",
  caRegistration: "https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-security-info-registration",
  auditLogs: "https://learn.microsoft.com/entra/identity/monitoring-health/howto-integrate-activity-logs-with-azure-monitor-logs",
  cisaAad: "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
  cisM365: "https://www.cisecurity.org/benchmark/microsoft_365",
} as const;

/** What a policy sees of a resource's inputs: every field may be absent (not managed: the tenant value is kept). */
export type Props<T> = { readonly [K in keyof T]?: T[K] };

/** A resource validation that only runs for resources of `type` (the pack has no resource classes for dynamic types). */
export function forType<T>(
  type: string,
  validate: (props: Props<T>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
  return (args, report) => {
    if (args.type !== type) return;
    return validate(args.props as Props<T>, args, report);
  };
}

/**
 * A remediation that only runs for resources of `type`. `fix` returns the inputs to change (or undefined when
 * nothing needs fixing); the result is every input of the resource with those changed, since the engine replaces
 * the inputs with what a remediation returns (for dynamic resources that includes the serialized `__provider`).
 */
export function remediateType<T>(
  type: string,
  fix: (props: Props<T>, args: ResourceValidationArgs) => Partial<T> | undefined,
): ResourceRemediation {
  return (args) => {
    if (args.type !== type) return undefined;
    const changes = fix(args.props as Props<T>, args);
    if (!changes || Object.keys(changes).length === 0) return undefined;
    return { ...args.props, ...changes };
  };
}

/**
 * A config schema that lists every key the policy takes. @pulumi/policy 1.15.0 sends only `properties` and `required`
 * to the CLI, and the CLI (3.188) validates config against just those, so `additionalProperties: false` never reaches
 * a JSON-schema validator: the pack enforces it itself (rejectUnknownConfig). It is still written in the schema, where
 * a reader (and a future CLI) looks for it.
 */
export interface StrictConfigSchema extends PolicyConfigSchema {
  additionalProperties: false;
}

export function strictSchema(properties: PolicyConfigSchema["properties"]): StrictConfigSchema {
  return { properties, additionalProperties: false };
}

/** The schema of a policy without config keys: only enforcementLevel may be set. */
export const NO_CONFIG: StrictConfigSchema = strictSchema({});

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Throws when the policy's config holds a key its schema doesn't list (a misspelt key would leave the default in force). */
function checkConfigKeys(policy: AnyPolicy, args: { getConfig<C extends object>(): C }): void {
  const schema = policy.configSchema as Partial<StrictConfigSchema> | undefined;
  if (!schema || schema.additionalProperties !== false) return;
  const known = Object.keys(schema.properties || {});
  const given = Object.keys(args.getConfig<{ [key: string]: unknown }>() || {});
  const unknown = given.filter((k) => known.indexOf(k) < 0);
  if (unknown.length === 0) return;
  const takes = known.length > 0 ? `it takes ${known.map((k) => JSON.stringify(k)).join(", ")} and enforcementLevel` : "it takes only enforcementLevel";
  throw new Error(
    `Policy ${policy.name}: unknown config key${unknown.length === 1 ? "" : "s"} ${unknown.map((k) => JSON.stringify(k)).join(", ")} ` +
    `in the policy pack config; ${takes}. Correct or remove ${unknown.length === 1 ? "it" : "them"} (see docs/policy-pack.md).`,
  );
}

/**
 * The policy with every validation and remediation checking its config keys first, before any type filter, so an
 * unknown key fails the preview on the first resource (or the stack) whatever the stack holds.
 */
export function rejectUnknownConfig<P extends AnyPolicy>(policy: P): P {
  if ("validateStack" in policy) {
    const s = policy as StackValidationPolicy;
    const validateStack: StackValidationPolicy["validateStack"] = (args, report) => {
      checkConfigKeys(s, args);
      return s.validateStack(args, report);
    };
    return { ...policy, validateStack };
  }
  const r = policy as ResourceValidationPolicy;
  const wrap = (validate: ResourceValidation): ResourceValidation => (args, report) => {
    checkConfigKeys(r, args);
    return validate(args, report);
  };
  const out: ResourceValidationPolicy = { ...r };
  if (r.validateResource) out.validateResource = Array.isArray(r.validateResource) ? r.validateResource.map(wrap) : wrap(r.validateResource);
  const remediate = r.remediateResource;
  if (remediate) {
    out.remediateResource = (args) => {
      checkConfigKeys(r, args);
      return remediate(args);
    };
  }
  return out as P;
}

/** The resources of one type in a stack validation. */
export function resourcesOfType(args: StackValidationArgs, type: string): PolicyResource[] {
  return args.resources.filter((r) => r.type === type);
}

/**
 * The policy's config over the defaults stated in its `configSchema` (the CLI may or may not fill schema defaults,
 * so they are merged in here; the schema is the one place they are written). Array defaults are copied.
 */
export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, schema: PolicyConfigSchema): T {
  const merged: { [key: string]: unknown } = {};
  for (const key of Object.keys(schema.properties)) {
    const property = schema.properties[key] as { default?: unknown };
    const value = property.default;
    merged[key] = Array.isArray(value) ? value.slice() : value;
  }
  const given = args.getConfig<{ [key: string]: unknown }>() || {};
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && given[key] !== null) merged[key] = given[key];
  }
  return merged as T;
}

/**
 * During `pulumi preview` the engine hands policies a proxy that throws UnknownValueError when a value is not
 * known yet (an id of a resource still to be created). Reading through `peek` turns that into `undefined`, for
 * values that only decorate a message. Values a decision depends on are read directly, so the engine reports
 * "can't run policy during preview" instead of a wrong verdict.
 */
export function peek<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof Error && e.constructor && e.constructor.name === "UnknownValueError") return undefined;
    throw e;
  }
}

/**
 * The rule above in one place: read directly when the value `decides` the verdict (an unknown value then makes the
 * engine report "can't run policy during preview"), else peek (unknown gives undefined, for the message only).
 */
export function readFor<T>(decides: boolean, read: () => T): T | undefined {
  return decides ? read() : peek(read);
}

/**
 * A plain copy of an array input. The engine wraps inputs in proxies, and array methods that build a new array
 * (slice, map, filter, concat) fail on them ("'get' on proxy: property 'prototype'..."), so copy element by element
 * before using those. Anything that isn't an array gives undefined.
 */
export function toArray(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) out.push(value[i]);
  return out;
}

/** A value as the admin would type it in config: strings quoted, lists in brackets, absent as "not set". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  if (typeof value === "string") return JSON.stringify(value);
  const list = toArray(value);
  if (list) return `[${list.map((v) => show(v)).join(", ")}]`;
  return String(value);
}

/** Licences that allow SSPR for synced users and password writeback: Entra ID P1/P2 or Microsoft 365 Business Premium. */
export function hasHybridLicence(f: TenantFacts): boolean {
  return f.entraIdP1 === true || f.entraIdP2 === true || f.businessPremium === true;
}

/** Entra ID P1 features (Conditional Access, diagnostic settings): P1, P2, or Business Premium (which includes P1). */
export function hasEntraIdP1(f: TenantFacts): boolean {
  return hasHybridLicence(f);
}

/** "Entra ID P1: no, Entra ID P2: no, Microsoft 365 Business Premium: no (declared in stack config)". */
export function describeLicences(f: TenantFacts): string {
  const yn = (b: boolean) => (b ? "yes" : "no");
  return `Entra ID P1: ${yn(f.entraIdP1 === true)}, Entra ID P2: ${yn(f.entraIdP2 === true)}, ` +
    `Microsoft 365 Business Premium: ${yn(f.businessPremium === true)} (${describeSource(f)})`;
}

export function describeSource(f: TenantFacts): string {
  return f.source === "declared"
    ? "tenant facts declared in stack config; if they are wrong, correct the config: the provider re-checks them against the tenant before writing"
    : "tenant facts read from Microsoft Graph";
}

/** Resource types that carry `tenantFacts` as an input. */
const TYPES_WITH_FACTS: string[] = [TYPE.PasswordResetPolicy, TYPE.OnPremisesPasswordReset, TYPE.AuthenticationMethodsPolicy];

/**
 * The tenant facts carried by the stack's tenant-setting resources, or undefined when the stack has none.
 * One stack manages one tenant; should resources disagree, a licence counts when any of them reports it.
 */
export function stackTenantFacts(args: StackValidationArgs): TenantFacts | undefined {
  let facts: TenantFacts | undefined;
  for (const r of args.resources) {
    if (TYPES_WITH_FACTS.indexOf(r.type) < 0) continue;
    const f = r.props.tenantFacts as TenantFacts | undefined;
    if (!f) continue;
    facts = facts === undefined ? { ...f } : {
      source: facts.source === "graph" || f.source === "graph" ? "graph" : "declared",
      trialOnly: facts.trialOnly && f.trialOnly,
      directorySync: facts.directorySync || f.directorySync,
      entraIdP1: facts.entraIdP1 || f.entraIdP1,
      entraIdP2: facts.entraIdP2 || f.entraIdP2,
      businessPremium: facts.businessPremium || f.businessPremium,
    };
  }
  return facts;
}

/**
 * Whether a PasswordResetPolicy turns SSPR on in a tenant without a paid subscription: what sspr-requires-paid-subscription
 * rejects. Policies whose advice presupposes a licensed, working tenant stay quiet then, so the preview says one thing.
 */
export function ssprOnWithoutPaidSubscription(p: { readonly enablement?: unknown; readonly tenantFacts?: TenantFacts }): boolean {
  return ssprOn(p) && !!p.tenantFacts && p.tenantFacts.trialOnly === true;
}

/** True when sspr-requires-paid-subscription fails this stack (a PasswordResetPolicy turns SSPR on without a paid subscription). */
export function stackLacksPaidSubscription(args: StackValidationArgs): boolean {
  return resourcesOfType(args, TYPE.PasswordResetPolicy).some((r) => ssprOnWithoutPaidSubscription(r.props));
}

/** SSPR is on: enablement "selected" or "all" (not "none", and not unmanaged: the tenant value is unknown). */
export function ssprOn(p: { readonly enablement?: unknown }): boolean {
  return p.enablement === "selected" || p.enablement === "all";
}

/** The stack's PasswordResetPolicy resources that turn SSPR on (enablement "selected" or "all"). */
export function ssprEnabledPolicies(args: StackValidationArgs): PolicyResource[] {
  return resourcesOfType(args, TYPE.PasswordResetPolicy).filter((r) => ssprOn(r.props));
}

/** Role ids compare as lower-case GUIDs; a role definition path ("/roleDefinitions/<id>") counts as its id. */
export function normalizeRoleId(id: unknown): string {
  if (typeof id !== "string") return "";
  const last = id.split("/").filter((s) => s.length > 0).pop() || "";
  return last.toLowerCase();
}

/** PIM eligibility: azuread's request (no end date) and this package's EligibleRoleAssignment (with one). */
export const ELIGIBILITY_TYPES: string[] = [AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest, TYPE.EligibleRoleAssignment];

const ROLE_NAMES: { [id: string]: string } = {};
for (const key of Object.keys(ROLE) as (keyof typeof ROLE)[]) {
  ROLE_NAMES[ROLE[key].toLowerCase()] = key.replace(/([a-z])([A-Z])/g, "$1 $2");
}

/** "Password Administrator" for a role id of ROLE (normalized), else "role <id>". */
export function roleName(id: string): string {
  return ROLE_NAMES[id] || `role ${id}`;
}
