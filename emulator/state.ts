/**
 * Tenant state and its persistence.
 *
 * A tenant is two things: its *credentials* (tenant id, app registrations with their secrets, users' refresh
 * tokens), which never change while the tenant exists, and its *state* (the Graph and portal objects), which
 * API writes and drift change and `reset` rebuilds from the preset. With a state file both are saved after
 * every write, together with the token-signing keys, so a restarted emulator is the same tenant to a stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as crypto from "node:crypto";
import type { Cloud } from "../components/model";
import { LICENCE } from "../components/model";
import { writeAtomically } from "./files";
import { buildTenantState, PresetName, PRESET_NAMES } from "./presets";
import { generateSigningKey, randomSecret, seededUuid, SigningKey } from "./tokens";

export type GraphObject = Record<string, unknown>;

/**
 * The portal's `PasswordResetPolicies` object (reference §1.3), misspelling included: 29 keys. The reference's
 * prose says "30 keys", but its table, its example and every captured body (CIPP, Alya) have these 29.
 */
export type PasswordResetPolicy = {
  objectId: string;
  enablementType: number;
  numberOfAuthenticationMethodsRequired: number;
  emailOptionEnabled: boolean;
  mobilePhoneOptionEnabled: boolean;
  officePhoneOptionEnabled: boolean;
  securityQuestionsOptionEnabled: boolean;
  mobileAppNotificationEnabled: boolean;
  mobileAppCodeEnabled: boolean;
  numberOfQuestionsToRegister: number;
  numberOfQuestionsToReset: number;
  registrationRequiredOnSignIn: boolean;
  registrationReconfirmIntevalInDays: number;
  skipRegistrationAllowed: boolean;
  skipRegistrationMaxAllowedDays: number;
  customizeHelpdeskLink: boolean;
  customHelpdeskEmailOrUrl: string;
  notifyUsersOnPasswordReset: boolean;
  notifyOnAdminPasswordReset: boolean;
  passwordResetEnabledGroupIds: string[];
  passwordResetEnabledGroupName: string;
  securityQuestions: Record<string, unknown>[];
  registrationConditionalAccessPolicies: unknown[];
  emailOptionAllowed: boolean;
  mobilePhoneOptionAllowed: boolean;
  officePhoneOptionAllowed: boolean;
  securityQuestionsOptionAllowed: boolean;
  mobileAppNotificationOptionAllowed: boolean;
  mobileAppCodeOptionAllowed: boolean;
};

/** The portal's `OnPremisesPasswordResetPolicies` object (reference §1.4). */
export type OnPremisesPasswordResetPolicy = {
  objectId: string | null;
  passwordWritebackSupported: boolean;
  accountUnlockSupported: boolean;
  accountUnlockEnabled: boolean;
  enablementForTenant: boolean;
  cloudProvisioningEnablementForTenant: boolean;
};

export interface AuthenticationMethodsPolicyState extends GraphObject {
  policyMigrationState: string;
  /** Keyed by configuration id ("Sms", "Email", ...); served as an array by Graph. */
  authenticationMethodConfigurations: Record<string, GraphObject>;
}

export type ServicePrincipal = {
  id: string;
  appId: string;
  displayName: string;
};

/** Everything `getState` returns and `drift` may change. */
export type TenantState = {
  tenantId: string;
  preset: PresetName;
  cloud: Cloud;
  defaultDomain: string;
  organization: GraphObject;
  subscriptions: GraphObject[];
  subscribedSkus: GraphObject[];
  authorizationPolicy: GraphObject;
  authenticationMethodsPolicy: AuthenticationMethodsPolicyState;
  passwordResetPolicy: PasswordResetPolicy;
  onPremisesPasswordResetPolicy: OnPremisesPasswordResetPolicy;
  groups: GraphObject[];
  users: GraphObject[];
  servicePrincipals: ServicePrincipal[];
  roleDefinitions: GraphObject[];
  roleAssignments: GraphObject[];
  roleEligibilityScheduleRequests: GraphObject[];
  /** Open extensions on the organization object (`/organization/{id}/extensions`), e.g. which stack manages what. */
  organizationExtensions?: GraphObject[];
};

export interface AppRegistration {
  appId: string;
  displayName: string;
  servicePrincipalId: string;
  secret: string;
  /** Application permissions (app roles on Microsoft Graph) granted with admin consent. */
  roles: string[];
  /** Workload identity federation: an assertion with this issuer/subject/audience is accepted instead of a secret. */
  federatedCredential?: { issuer: string; subject: string; audience: string };
}

export interface AppCertificate {
  certPem: string;
  keyPem: string;
}

export interface TenantSecrets {
  tenantId: string;
  preset: PresetName;
  apps: { main: AppRegistration; readOnly: AppRegistration };
  /** Opaque refresh tokens of the delegated users (admin: Global Administrator; user: no admin role). */
  refreshTokens: { admin: string; user: string };
}

export interface TenantRecord {
  secrets: TenantSecrets;
  state: TenantState;
}

/** Application permissions of the main app: everything the project's providers and component need. */
export const MAIN_APP_ROLES = [
  "Policy.Read.All",
  "Policy.ReadWrite.Authorization",
  "Policy.ReadWrite.AuthenticationMethod",
  "Organization.Read.All",
  "Organization.ReadWrite.All",
  "Directory.Read.All",
  "Group.Read.All",
  "User.Read.All",
  "RoleManagement.ReadWrite.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
];
export const READ_ONLY_APP_ROLES = ["Policy.Read.All", "Organization.Read.All", "Directory.Read.All"];

/** Issuer, subject and audience of the federated credential (a CI OIDC token, like GitHub Actions issues). */
export const FEDERATION = {
  issuer: "https://oidc.sspr-emulator.invalid",
  subject: "repo:sspr-as-code/sspr-as-code:environment:dev",
  audience: "api://AzureADTokenExchange",
};

function newSecrets(preset: PresetName): TenantSecrets {
  const tenantId = crypto.randomUUID();
  const app = (name: string, displayName: string, roles: string[], federated: boolean): AppRegistration => ({
    appId: crypto.randomUUID(),
    displayName,
    servicePrincipalId: seededUuid(tenantId, "servicePrincipal", name),
    // Shaped like an AAD client secret (three characters, a digit, "Q~", then random); generated per tenant.
    secret: `${randomSecret(2).slice(0, 3)}8Q~${randomSecret(27).slice(0, 34)}`,
    roles,
    ...(federated ? { federatedCredential: { ...FEDERATION } } : {}),
  });
  return {
    tenantId,
    preset,
    apps: {
      main: app("main", "sspr-as-code deployer", MAIN_APP_ROLES, true),
      readOnly: app("readOnly", "sspr-as-code reader", READ_ONLY_APP_ROLES, false),
    },
    refreshTokens: { admin: `emu-rt.${randomSecret(48)}`, user: `emu-rt.${randomSecret(48)}` },
  };
}

function servicePrincipalsOf(secrets: TenantSecrets): ServicePrincipal[] {
  return Object.values(secrets.apps).map((a) => ({ id: a.servicePrincipalId, appId: a.appId, displayName: a.displayName }));
}

export function freshState(secrets: TenantSecrets): TenantState {
  return buildTenantState(secrets.preset, secrets.tenantId, servicePrincipalsOf(secrets));
}

/** An error the control API answers with its status (bad drift patch, unknown tenant). */
export class StateError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface StateFile {
  format: "sspr-emulator-state/1";
  keys: { signing: SigningKey; federation: SigningKey };
  tenants: Record<string, TenantRecord>;
}

/** All tenants of one emulator, the signing keys, and the state file they are saved to. */
export class EmulatorStore {
  readonly tenants = new Map<string, TenantRecord>();
  /** Tenants in the state file that this run does not serve: kept so saving does not drop them. */
  private dormant: Record<string, TenantRecord> = {};

  private constructor(
    readonly keys: StateFile["keys"],
    private readonly stateFile: string | undefined,
    /**
     * The certificate credential registered on every tenant's main app (public certificate and, for the
     * tests and the demo, its private key). Per machine, like the emulator CA that issues it, so not saved.
     */
    readonly appCertificate: AppCertificate | undefined,
  ) {}

  /** `appCertificate` parsed once, for checking certificate client assertions. */
  readonly appCertificateX509 = this.appCertificate && new crypto.X509Certificate(this.appCertificate.certPem);

  static open(presets: readonly PresetName[] = PRESET_NAMES, stateFile?: string, appCertificate?: AppCertificate): EmulatorStore {
    for (const p of presets) {
      if (!PRESET_NAMES.includes(p)) throw new Error(`unknown preset '${p}' (known: ${PRESET_NAMES.join(", ")})`);
    }
    const saved = stateFile && fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as StateFile) : undefined;
    if (saved && saved.format !== "sspr-emulator-state/1") throw new Error(`${stateFile}: not an emulator state file`);
    const store = new EmulatorStore(saved?.keys ?? { signing: generateSigningKey(), federation: generateSigningKey() }, stateFile, appCertificate);
    const savedTenants = saved?.tenants ?? {};
    for (const preset of presets) {
      const record = savedTenants[preset] ?? (() => {
        const secrets = newSecrets(preset);
        return { secrets, state: freshState(secrets) };
      })();
      store.tenants.set(record.secrets.tenantId, record);
    }
    for (const [preset, record] of Object.entries(savedTenants)) {
      if (!presets.includes(preset as PresetName)) store.dormant[preset] = record;
    }
    store.save();
    return store;
  }

  /** By tenant id, any verified domain, or preset name (all case-insensitive). */
  find(ref: string): TenantRecord | undefined {
    const r = ref.toLowerCase();
    for (const t of this.tenants.values()) {
      if (t.secrets.tenantId.toLowerCase() === r || t.secrets.preset === r) return t;
      const domains = (t.state.organization.verifiedDomains ?? []) as { name?: string }[];
      if (domains.some((d) => d.name?.toLowerCase() === r)) return t;
    }
    return undefined;
  }

  get(ref: string): TenantRecord {
    const t = this.find(ref);
    if (!t) throw new StateError(404, `no tenant '${ref}' in this emulator`);
    return t;
  }

  reset(ref: string): TenantState {
    const t = this.get(ref);
    t.state = freshState(t.secrets);
    this.save();
    return t.state;
  }

  /** Deep-merges `patch` into the tenant's state, as a change made "by hand" behind the program's back. */
  drift(ref: string, patch: unknown): TenantState {
    const t = this.get(ref);
    if (!isPlainObject(patch)) throw new StateError(400, "drift: the patch must be a JSON object");
    const fixed = new Set(["tenantId", "preset", "cloud", "defaultDomain"]);
    for (const key of Object.keys(patch)) {
      if (fixed.has(key)) throw new StateError(400, `drift: '${key}' identifies the tenant and cannot be changed`);
      if (!(key in t.state)) throw new StateError(400, `drift: the tenant state has no '${key}' (known: ${Object.keys(t.state).join(", ")})`);
    }
    const next = structuredClone(t.state) as unknown as Record<string, unknown>;
    deepMerge(next, patch, ".authenticationMethodsPolicy.authenticationMethodConfigurations");
    t.state = next as unknown as TenantState;
    this.save();
    return t.state;
  }

  /** Writes the state file (atomically: a crash never leaves half a file). No-op without a state file. */
  save(): void {
    if (!this.stateFile) return;
    const tenants: Record<string, TenantRecord> = { ...this.dormant };
    for (const t of this.tenants.values()) tenants[t.secrets.preset] = t;
    const doc: StateFile = { format: "sspr-emulator-state/1", keys: this.keys, tenants };
    fs.mkdirSync(path.dirname(path.resolve(this.stateFile)), { recursive: true });
    writeAtomically(this.stateFile, JSON.stringify(doc, null, 1), 0o600);
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Merges `patch` into `target` (drift, and Graph's PATCH semantics): objects merge key by key, anything else
 * (arrays included) replaces with a copy. Keys of the object at path `caseInsensitiveAt` (e.g. ".a.b", from
 * `target`) match existing keys in any case, as method configuration ids do.
 */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>, caseInsensitiveAt?: string, at = ""): void {
  const caseInsensitive = at === caseInsensitiveAt;
  for (const [k, v] of Object.entries(patch)) {
    const key = caseInsensitive ? (Object.keys(target).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k) : k;
    const current = target[key];
    if (isPlainObject(v) && isPlainObject(current)) deepMerge(current, v, caseInsensitiveAt, `${at}.${key}`);
    else target[key] = structuredClone(v);
  }
}

/** Facts the portal API and PIM decide on, read from the tenant's objects (so drift changes them). */
export function licencesOf(state: TenantState) {
  const enabledPlans = new Set<string>();
  const skus = new Set<string>();
  for (const sku of state.subscribedSkus) {
    if (sku.capabilityStatus !== "Enabled" && sku.capabilityStatus !== "Warning") continue;
    skus.add(String(sku.skuId));
    for (const plan of (sku.servicePlans ?? []) as { servicePlanId?: string; provisioningStatus?: string }[]) {
      if (plan.provisioningStatus === "Success" && plan.servicePlanId) enabledPlans.add(plan.servicePlanId);
    }
  }
  return {
    entraIdP1: enabledPlans.has(LICENCE.servicePlanEntraIdP1),
    entraIdP2: enabledPlans.has(LICENCE.servicePlanEntraIdP2),
    businessPremium: skus.has(LICENCE.skuBusinessPremium),
    directorySync: state.organization.onPremisesSyncEnabled === true,
  };
}

