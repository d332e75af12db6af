/**
 * AuthenticationMethodsPolicy: Protection > Authentication methods > Policies, for the methods SSPR can use
 * (Email OTP, SMS, Voice, Microsoft Authenticator, software OATH), the registration campaign and the
 * migration away from the legacy MFA/SSPR method settings. Graph v1.0 `authenticationMethodsPolicy`.
 *
 * Needs: Graph Policy.ReadWrite.AuthenticationMethod (application), or delegated with the Authentication
 * Policy Administrator role. App-only tokens work here (unlike the portal API).
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { managingStack } from "./ownership";
import { AuthenticationMethodsPolicyInputs, MigrationState, RESOURCE_MODULE, SSPR_METHOD_IDS, SsprMethodId } from "./model";
import { CheckFailure, isPlainObject, ResourceArgs, SettingValues, singletonProvider } from "./tenantSetting";
import { checkBoolean, checkGroupIds, checkInteger, checkOneOf, problem } from "./validation";

interface GraphTarget { id: string; targetType?: string; [extra: string]: unknown }
interface MethodConfiguration {
  "@odata.type"?: string;
  id: string;
  state?: "enabled" | "disabled";
  includeTargets?: GraphTarget[];
  excludeTargets?: GraphTarget[];
  [other: string]: unknown;
}
interface GraphAuthenticationMethodsPolicy {
  policyMigrationState?: MigrationState | string;
  registrationEnforcement?: {
    authenticationMethodsRegistrationCampaign?: {
      state?: string;
      snoozeDurationInDays?: number;
      includeTargets?: GraphTarget[];
      excludeTargets?: GraphTarget[];
      [other: string]: unknown;
    };
  };
  authenticationMethodConfigurations?: MethodConfiguration[];
}

const PATH = "/policies/authenticationMethodsPolicy";
const READ = "Graph permission Policy.Read.AuthenticationMethod (or Policy.Read.All)";
const WRITE = "Graph permission Policy.ReadWrite.AuthenticationMethod (delegated: Authentication Policy Administrator)";
const MIGRATION_ORDER: readonly MigrationState[] = ["preMigration", "migrationInProgress", "migrationComplete"];
const ODATA_TYPE: Record<SsprMethodId, string> = {
  Email: "#microsoft.graph.emailAuthenticationMethodConfiguration",
  Sms: "#microsoft.graph.smsAuthenticationMethodConfiguration",
  Voice: "#microsoft.graph.voiceAuthenticationMethodConfiguration",
  MicrosoftAuthenticator: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
  SoftwareOath: "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
};

export function validateAuthenticationMethodsPolicy(i: SettingValues): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (i.methods !== undefined) {
    if (!isPlainObject(i.methods)) out.push(problem("methods", i.methods, `use an object keyed by ${SSPR_METHOD_IDS.join(", ")}`));
    else for (const [id, m] of Object.entries(i.methods)) {
      if (!SSPR_METHOD_IDS.includes(id as SsprMethodId)) { out.push(problem(`methods.${id}`, m, `use one of the SSPR-usable methods ${SSPR_METHOD_IDS.join(", ")}`)); continue; }
      if (!isPlainObject(m)) { out.push(problem(`methods.${id}`, m, 'use { state: "enabled" | "disabled", includeGroupIds?, excludeGroupIds? }')); continue; }
      checkOneOf(out, `methods.${id}.state`, m.state, ["enabled", "disabled"], "method state");
      if (m.state === undefined) out.push(problem(`methods.${id}.state`, undefined, 'use "enabled" or "disabled"'));
      checkGroupIds(out, `methods.${id}.includeGroupIds`, m.includeGroupIds, true);
      checkGroupIds(out, `methods.${id}.excludeGroupIds`, m.excludeGroupIds);
    }
  }
  const c = i.registrationCampaign;
  if (c !== undefined) {
    if (!isPlainObject(c)) out.push(problem("registrationCampaign", c, "use { state, snoozeDays?, includeGroupIds?, excludeGroupIds? }"));
    else {
      checkOneOf(out, "registrationCampaign.state", c.state, ["default", "enabled", "disabled"], "registration campaign state");
      checkInteger(out, "registrationCampaign.snoozeDays", c.snoozeDays, 0, 14, "days users may snooze the campaign (0 = asked at every sign-in)");
      checkGroupIds(out, "registrationCampaign.includeGroupIds", c.includeGroupIds, true);
      checkGroupIds(out, "registrationCampaign.excludeGroupIds", c.excludeGroupIds);
    }
  }
  checkOneOf(out, "migrationState", i.migrationState, MIGRATION_ORDER, "authentication methods migration (forward only)");
  return out;
}

/** The migration only moves forward: the reason going from `have` to `want` is refused, or undefined. */
export function migrationBackwards(want: unknown, have: unknown): string | undefined {
  const w = MIGRATION_ORDER.indexOf(want as MigrationState), h = MIGRATION_ORDER.indexOf(have as MigrationState);
  if (want === undefined || w < 0 || h < 0 || w >= h) return undefined;
  return `migrationState is "${String(want)}", but the tenant is already at "${String(have)}" and Microsoft does not allow going back (forward only: ${MIGRATION_ORDER.join(" -> ")})`;
}

const ids = (targets: GraphTarget[] | undefined) => (targets ?? []).map((t) => t.id);

function fromGraph(p: GraphAuthenticationMethodsPolicy): SettingValues {
  const methods: Record<string, unknown> = {};
  for (const id of SSPR_METHOD_IDS) {
    // Ids differ in case across Graph documents and tenants (Sms/sms): match case-insensitively.
    const cfg = (p.authenticationMethodConfigurations ?? []).find((c) => c.id.toLowerCase() === id.toLowerCase());
    if (cfg) methods[id] = { state: cfg.state, includeGroupIds: ids(cfg.includeTargets), excludeGroupIds: ids(cfg.excludeTargets) };
  }
  const campaign = p.registrationEnforcement?.authenticationMethodsRegistrationCampaign ?? {};
  return {
    methods,
    registrationCampaign: { state: campaign.state, snoozeDays: campaign.snoozeDurationInDays,
      includeGroupIds: ids(campaign.includeTargets), excludeGroupIds: ids(campaign.excludeTargets) },
    migrationState: p.policyMigrationState,
  };
}

/** Keeps Graph's extra fields of a target the tenant already has (e.g. authenticationMode, isRegistrationRequired). */
function targets(wanted: string[], existing: GraphTarget[] | undefined, defaults: Record<string, unknown>): GraphTarget[] {
  return wanted.map((id) => existing?.find((t) => t.id === id) ?? { ...defaults, id, targetType: "group" });
}

const authenticationMethodsProvider = singletonProvider<GraphAuthenticationMethodsPolicy>({
  title: "Authentication methods policy",
  type: "AuthenticationMethodsPolicy",
  settings: ["methods", "registrationCampaign", "migrationState"],
  oneWay: ["migrationState"],
  validate: validateAuthenticationMethodsPolicy,
  refuse(_conn, desired, current) {
    const problem = migrationBackwards(desired.migrationState, current.raw.policyMigrationState);
    return problem ? [{ property: "migrationState", reason: problem }] : [];
  },
  async read(conn) {
    const r = await tenantRequest<GraphAuthenticationMethodsPolicy>(conn, "graph", "GET", PATH, undefined, { needs: READ });
    return { raw: r.body, values: fromGraph(r.body) };
  },
  async write(conn, desired, current) {
    const methods = (desired.methods ?? {}) as Record<SsprMethodId, { state: string; includeGroupIds?: string[]; excludeGroupIds?: string[] }>;
    for (const [id, m] of Object.entries(methods) as [SsprMethodId, typeof methods[SsprMethodId]][]) {
      const cfg = current.raw.authenticationMethodConfigurations?.find((c) => c.id.toLowerCase() === id.toLowerCase());
      const body: Record<string, unknown> = { "@odata.type": ODATA_TYPE[id], state: m.state };
      if (m.includeGroupIds) body.includeTargets = targets(m.includeGroupIds, cfg?.includeTargets, { isRegistrationRequired: false });
      if (m.excludeGroupIds) body.excludeTargets = targets(m.excludeGroupIds, cfg?.excludeTargets, {});
      await tenantRequest(conn, "graph", "PATCH", `${PATH}/authenticationMethodConfigurations/${cfg?.id ?? id}`, body, { needs: WRITE });
    }
    const patch: Record<string, unknown> = {};
    const c = desired.registrationCampaign as { state?: string; snoozeDays?: number; includeGroupIds?: string[]; excludeGroupIds?: string[] } | undefined;
    if (c) {
      const now = current.raw.registrationEnforcement?.authenticationMethodsRegistrationCampaign ?? {};
      const campaign: Record<string, unknown> = { ...now };
      if (c.state !== undefined) campaign.state = c.state;
      if (c.snoozeDays !== undefined) campaign.snoozeDurationInDays = c.snoozeDays;
      if (c.includeGroupIds) campaign.includeTargets = targets(c.includeGroupIds, now.includeTargets, { targetedAuthenticationMethod: "microsoftAuthenticator" });
      if (c.excludeGroupIds) campaign.excludeTargets = targets(c.excludeGroupIds, now.excludeTargets, {});
      patch.registrationEnforcement = { authenticationMethodsRegistrationCampaign: campaign };
    }
    const want = desired.migrationState as MigrationState | undefined;
    if (want !== undefined && want !== current.raw.policyMigrationState) patch.policyMigrationState = want;
    if (Object.keys(patch).length > 0) await tenantRequest(conn, "graph", "PATCH", PATH, patch, { needs: WRITE });
  },
});

export class AuthenticationMethodsPolicy extends pulumi.dynamic.Resource {
  declare readonly methods: pulumi.Output<AuthenticationMethodsPolicyInputs["methods"]>;
  declare readonly registrationCampaign: pulumi.Output<AuthenticationMethodsPolicyInputs["registrationCampaign"]>;
  declare readonly migrationState: pulumi.Output<MigrationState | undefined>;
  declare readonly prior: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: ResourceArgs<AuthenticationMethodsPolicyInputs>, opts?: pulumi.CustomResourceOptions) {
    super(authenticationMethodsProvider, name, { ...args, managedBy: args.managedBy ?? managingStack(), prior: undefined }, opts, RESOURCE_MODULE, "AuthenticationMethodsPolicy");
  }
}

export const _provider = authenticationMethodsProvider;
