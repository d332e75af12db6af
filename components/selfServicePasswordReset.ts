/**
 * SelfServicePasswordReset: the admin-center walkthrough (Password reset blade, Authentication methods,
 * admin roles, Conditional Access for security-info registration) as one declaration.
 *
 * It composes the tenant-setting resources of this package with @pulumi/azuread resources (target group,
 * role assignments, Conditional Access) and passes the tenant facts to the policy resources so the
 * CrossGuard pack can judge them. Defaults, applied in one place (`withDefaults`), are the secure ones.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { AdminPasswordResetPolicy } from "./adminPasswordResetPolicy";
import { PasswordResetAuditTrail, PasswordResetAuditTrailArgs } from "./auditTrail";
import { AuthenticationMethodsPolicy, validateAuthenticationMethodsPolicy } from "./authenticationMethodsPolicy";
import { EligibleRoleAssignment, validateEligibleRoleAssignment } from "./eligibleRoleAssignment";
import {
  AuthenticationMethodsPolicyInputs, Cloud, ConnectionInputs, Enablement, REGISTER_SECURITY_INFO_ACTION, ROLE, TenantFacts,
} from "./model";
import { OnPremisesPasswordReset, validateOnPremisesPasswordReset } from "./onPremisesPasswordReset";
import { PasswordResetPolicy, validatePasswordResetPolicy } from "./passwordResetPolicy";
import { factRefusals, preflightWarnings, tenantStateRefusals } from "./preflight";
import { discoverTenantFacts, FACT_KEYS } from "./tenantFacts";
import { CheckFailure, isPlainObject } from "./tenantSetting";
import { checkBoolean, checkConnection, checkGroupIds, checkOneOf, checkShape, isGuid, problem, Shape, throwIfProblems } from "./validation";

/** Roles an administrator picks by name; any other role by its template id. */
export type AdminRoleName = keyof typeof ROLE;

export interface RoleAssignmentArgs {
  /** A built-in role by name (e.g. "PasswordAdministrator") or a role template id (GUID). */
  role: AdminRoleName | string;
  /** Object id of the user, group (role-assignable) or service principal. */
  principalObjectId: string;
  /**
   * "permanent" (active; the default) or "eligible" (PIM: activated on demand; needs Entra ID P2).
   * The policy pack warns about permanent privileged assignments in P2 tenants.
   */
  assignment?: "permanent" | "eligible";
  /** Justification recorded with a PIM eligibility request. */
  justification?: string;
  /**
   * When an eligible assignment ends (ISO 8601 date-time; PIM "Assignment ends"). Eligible assignments with an
   * end date are written through Graph by this package (azuread's eligibility resource has no schedule).
   */
  expiresOn?: string;
}

export interface SelfServicePasswordResetArgs {
  /** Which tenant: `cloud` (default "worldwide"), `tenantId`, and `endpoint` for the offline emulator. */
  tenant: { cloud?: Cloud | string; tenantId: string; endpoint?: string };
  /**
   * Tenant facts declared instead of discovered (e.g. to preview a fork's pull request without credentials).
   * The providers re-check them against the tenant before writing and refuse on a mismatch.
   */
  tenantFacts?: Omit<TenantFacts, "source">;

  /** Properties > "Self service password reset enabled": "none", "selected" (one group) or "all". */
  enablement: Enablement;
  /** Properties > "Select group": an existing group, or a new security group to create. */
  targetGroup?: { existingGroupId: string } | { create: { displayName: string; description?: string; memberObjectIds?: string[] } };

  /** Authentication methods blade. */
  methods?: {
    /** "Number of methods required to reset": 1 or 2. Default 2. */
    required?: number;
    email?: boolean;
    mobilePhone?: boolean;
    officePhone?: boolean;
    authenticatorNotification?: boolean;
    authenticatorCode?: boolean;
    /** Security questions (weak; off by default): counts and custom question texts. */
    securityQuestions?: { toRegister: number; toReset: number; questions?: string[] };
  };
  /** Registration blade. */
  registration?: {
    /** "Require users to register when signing in". Default true. */
    requireOnSignIn?: boolean;
    /** "Number of days before users are asked to re-confirm their authentication information" (0-730). Default 180. */
    reconfirmAfterDays?: number;
    /** Let users skip registration, and for how many days. */
    allowSkip?: boolean;
    skipDays?: number;
  };
  /** Notifications blade. Both default to true. */
  notifications?: { notifyUsersOnReset?: boolean; notifyAdminsOnAdminReset?: boolean };
  /** Customization blade: "Custom helpdesk email or URL" ("" = not customized). */
  helpdeskLink?: string;
  /** On-premises integration blade (hybrid tenants; needs P1/P2 or Business Premium). Unmanaged when absent. */
  onPremises?: { passwordWriteback: boolean; unlockWithoutReset?: boolean };
  /** Administrator policy: may administrators reset their own password (two-gate policy)? Unmanaged when absent. */
  administratorsCanResetPassword?: boolean;
  /** Authentication methods policy for the SSPR-usable methods, registration campaign, migration. Unmanaged when absent. */
  authenticationMethods?: Omit<AuthenticationMethodsPolicyInputs, "connection" | "tenantFacts" | "retainOnDelete">;

  /** Who runs password resets and the SSPR policy. */
  roleAssignments?: RoleAssignmentArgs[];
  /** Conditional Access policy protecting "Register security information". */
  protectRegistration?: {
    /** Require MFA when registering from outside trusted (named) locations. Default true. */
    requireMfaOutsideTrustedLocations?: boolean;
    /** Groups excluded (e.g. break-glass accounts). */
    excludeGroupIds?: string[];
    /** Default "enabledForReportingButNotEnforced" (report-only first, as Microsoft advises). */
    state?: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  };
  /** Optional audit trail of resets in Log Analytics, with alerts (@pulumi/azure-native). */
  auditTrail?: PasswordResetAuditTrailArgs;

  /**
   * Create the @pulumi/azuread resources (group, role assignments, Conditional Access). Default true.
   * False where the azuread plugin is unavailable (the offline emulator); asking for them then is an error.
   */
  manageAzureAd?: boolean;
  /** On `pulumi destroy`, leave the tenant's settings as they are instead of restoring those found at adoption. */
  retainOnDelete?: boolean;
  /**
   * Take the tenant objects over from this stack ("<project>/<stack>"), which the tenant records as their
   * manager: a deliberate hand-over when that stack no longer exists. Without it a second stack is refused.
   */
  takeOverFrom?: string;
}

/** Every argument and nested key the component takes: anything else is a typo and is refused with the allowed keys. */
const ARGUMENT_SHAPE: Shape = {
  tenant: { cloud: true, tenantId: true, endpoint: true },
  tenantFacts: { trialOnly: true, directorySync: true, entraIdP1: true, entraIdP2: true, businessPremium: true },
  enablement: true,
  targetGroup: { existingGroupId: true, create: { displayName: true, description: true, memberObjectIds: true } },
  methods: {
    required: true, email: true, mobilePhone: true, officePhone: true, authenticatorNotification: true, authenticatorCode: true,
    securityQuestions: { toRegister: true, toReset: true, questions: true },
  },
  registration: { requireOnSignIn: true, reconfirmAfterDays: true, allowSkip: true, skipDays: true },
  notifications: { notifyUsersOnReset: true, notifyAdminsOnAdminReset: true },
  helpdeskLink: true,
  onPremises: { passwordWriteback: true, unlockWithoutReset: true },
  administratorsCanResetPassword: true,
  authenticationMethods: {
    methods: { "*": { state: true, includeGroupIds: true, excludeGroupIds: true } },
    registrationCampaign: { state: true, snoozeDays: true, includeGroupIds: true, excludeGroupIds: true },
    migrationState: true,
  },
  roleAssignments: [{ role: true, principalObjectId: true, assignment: true, justification: true, expiresOn: true }],
  protectRegistration: { requireMfaOutsideTrustedLocations: true, excludeGroupIds: true, state: true },
  auditTrail: true, // checked by PasswordResetAuditTrail itself
  manageAzureAd: true,
  retainOnDelete: true,
  takeOverFrom: true,
};

const ROLE_NAMES = Object.keys(ROLE) as AdminRoleName[];

export function roleTemplateId(role: string): string | undefined {
  if (isGuid(role)) return role.toLowerCase();
  return (ROLE as Record<string, string>)[role];
}

/** azuread provider `environment` for each cloud. */
const AZUREAD_ENVIRONMENT: Record<Cloud, string> = { worldwide: "global", usgov: "usgovernmentl4", usdod: "usgovernmentl5", china: "china" };

/** The secure defaults an experienced administrator would choose, in one place. */
export function withDefaults(a: SelfServicePasswordResetArgs) {
  return {
    cloud: (a.tenant?.cloud ?? "worldwide") as Cloud,
    methodsRequired: a.methods?.required ?? 2,
    email: a.methods?.email ?? true,
    mobilePhone: a.methods?.mobilePhone ?? true,
    officePhone: a.methods?.officePhone ?? false,
    authenticatorNotification: a.methods?.authenticatorNotification ?? true,
    authenticatorCode: a.methods?.authenticatorCode ?? true,
    requireRegistrationOnSignIn: a.registration?.requireOnSignIn ?? true,
    reconfirmAfterDays: a.registration?.reconfirmAfterDays ?? 180,
    notifyUsersOnReset: a.notifications?.notifyUsersOnReset ?? true,
    notifyAdminsOnAdminReset: a.notifications?.notifyAdminsOnAdminReset ?? true,
    manageAzureAd: a.manageAzureAd ?? true,
    caState: a.protectRegistration?.state ?? "enabledForReportingButNotEnforced",
    caRequireMfa: a.protectRegistration?.requireMfaOutsideTrustedLocations ?? true,
  };
}

/** Every argument checked before anything is created; returns the problems found. */
export function validateSelfServicePasswordReset(a: SelfServicePasswordResetArgs): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (!isPlainObject(a)) return [problem("args", a, "give the SSPR settings object")];
  // Unknown keys and wrong shapes first: a typo must never fall back to a default.
  checkShape(out, "", a, ARGUMENT_SHAPE);
  if (out.length > 0) return out;
  if (a.enablement === undefined) out.push(problem("enablement", undefined, 'is required: use "none", "selected" or "all" (Properties > "Self service password reset enabled")'));
  const d = withDefaults(a);
  checkConnection(out, "tenant", { cloud: d.cloud, tenantId: a.tenant?.tenantId, endpoint: a.tenant?.endpoint });

  if (a.targetGroup !== undefined) {
    const g = a.targetGroup as Record<string, unknown>;
    if ("existingGroupId" in g) {
      if (!isGuid(g.existingGroupId)) out.push(problem("targetGroup.existingGroupId", g.existingGroupId, "use the group's object id (GUID)"));
    } else if ("create" in g && typeof g.create === "object" && g.create !== null) {
      const c = g.create as Record<string, unknown>;
      if (typeof c.displayName !== "string" || c.displayName.trim() === "" || c.displayName.length > 256) {
        out.push(problem("targetGroup.create.displayName", c.displayName, "use a group name of 1 to 256 characters"));
      }
      checkGroupIds(out, "targetGroup.create.memberObjectIds", c.memberObjectIds);
    } else {
      out.push(problem("targetGroup", a.targetGroup, "use { existingGroupId } or { create: { displayName } }"));
    }
  }
  if (a.enablement === "selected" && a.targetGroup === undefined) {
    out.push(problem("targetGroup", undefined, 'enablement "selected" needs a target group: { existingGroupId } or { create: { displayName } }'));
  }
  if (a.enablement !== "selected" && a.targetGroup !== undefined) {
    out.push(problem("targetGroup", a.targetGroup, `is only used when enablement is "selected" (it is ${JSON.stringify(a.enablement)})`));
  }

  // The password reset policy's own rules, on the values this component would send. The target group is
  // checked above (it may not exist yet), so a placeholder id stands in for it here.
  const sq = a.methods?.securityQuestions;
  out.push(...validatePasswordResetPolicy({
    enablement: a.enablement,
    targetGroupIds: a.enablement === "selected" ? ["00000000-0000-0000-0000-000000000000"] : undefined,
    methodsRequired: d.methodsRequired,
    emailEnabled: d.email, mobilePhoneEnabled: d.mobilePhone, officePhoneEnabled: d.officePhone,
    authenticatorNotificationEnabled: d.authenticatorNotification, authenticatorCodeEnabled: d.authenticatorCode,
    securityQuestionsEnabled: sq !== undefined,
    securityQuestionsToRegister: sq?.toRegister, securityQuestionsToReset: sq?.toReset, securityQuestions: sq?.questions,
    requireRegistrationOnSignIn: d.requireRegistrationOnSignIn, reconfirmAfterDays: d.reconfirmAfterDays,
    allowSkipRegistration: a.registration?.allowSkip, skipRegistrationDays: a.registration?.skipDays,
    notifyUsersOnReset: d.notifyUsersOnReset, notifyAdminsOnAdminReset: d.notifyAdminsOnAdminReset,
    helpdeskLink: a.helpdeskLink,
  }).map(renameToComponentArgs));
  checkBoolean(out, "retainOnDelete", a.retainOnDelete);
  if (a.takeOverFrom !== undefined && (typeof a.takeOverFrom !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(a.takeOverFrom))) {
    out.push(problem("takeOverFrom", a.takeOverFrom, 'use the stack that manages the tenant objects now, as "<project>/<stack>"'));
  }
  if (sq !== undefined && !Array.isArray(sq.questions)) {
    out.push(problem("methods.securityQuestions.questions", sq.questions, `list the question texts users choose from (at least toRegister, ${JSON.stringify(sq.toRegister)}): the portal refuses security questions without them`));
  }

  if (a.onPremises !== undefined) {
    if (typeof a.onPremises !== "object" || a.onPremises === null) out.push(problem("onPremises", a.onPremises, "use { passwordWriteback, unlockWithoutReset? }"));
    else out.push(...nested("onPremises", validateOnPremisesPasswordReset({ ...a.onPremises })));
  }
  checkBoolean(out, "administratorsCanResetPassword", a.administratorsCanResetPassword);
  if (a.authenticationMethods !== undefined) {
    out.push(...nested("authenticationMethods", validateAuthenticationMethodsPolicy({ ...a.authenticationMethods })));
  }

  if (a.roleAssignments !== undefined && !Array.isArray(a.roleAssignments)) out.push(problem("roleAssignments", a.roleAssignments, "use a list of { role, principalObjectId, assignment? }"));
  (Array.isArray(a.roleAssignments) ? a.roleAssignments : []).forEach((r, n) => {
    const at = `roleAssignments[${n}]`;
    if (typeof r?.role !== "string" || !roleTemplateId(r.role)) out.push(problem(`${at}.role`, r?.role, `use a role name (${ROLE_NAMES.join(", ")}) or a role template id (GUID)`));
    if (!isGuid(r?.principalObjectId)) out.push(problem(`${at}.principalObjectId`, r?.principalObjectId, "use the object id (GUID) of a user, group or service principal"));
    checkOneOf(out, `${at}.assignment`, r?.assignment, ["permanent", "eligible"], "active role vs PIM-eligible");
    if (r?.expiresOn !== undefined) {
      if (r.assignment !== "eligible") out.push(problem(`${at}.expiresOn`, r.expiresOn, 'an end date applies to assignment: "eligible" (PIM) only'));
      else out.push(...validateEligibleRoleAssignment({ expiresOn: r.expiresOn, roleDefinitionId: ROLE.GlobalAdministrator, principalId: ROLE.GlobalAdministrator, directoryScopeId: "/" }, `${at}.`));
    }
  });

  const ca = a.protectRegistration;
  if (ca !== undefined) {
    if (typeof ca !== "object" || ca === null) out.push(problem("protectRegistration", ca, "use { requireMfaOutsideTrustedLocations?, excludeGroupIds?, state? }"));
    else {
      checkBoolean(out, "protectRegistration.requireMfaOutsideTrustedLocations", ca.requireMfaOutsideTrustedLocations);
      checkGroupIds(out, "protectRegistration.excludeGroupIds", ca.excludeGroupIds);
      checkOneOf(out, "protectRegistration.state", ca.state, ["enabled", "disabled", "enabledForReportingButNotEnforced"], "Conditional Access policy state");
    }
  }
  checkBoolean(out, "manageAzureAd", a.manageAzureAd);
  if (a.manageAzureAd === false) {
    const needs = azureAdNeeds(a);
    if (needs.length) out.push(problem("manageAzureAd", false, `${needs.join(", ")} need(s) @pulumi/azuread; set manageAzureAd: true or remove them`));
  }
  if (a.tenantFacts !== undefined) {
    for (const k of FACT_KEYS) {
      if (typeof a.tenantFacts?.[k] !== "boolean") out.push(problem(`tenantFacts.${k}`, a.tenantFacts?.[k], "use true or false (all five facts are needed when declared)"));
    }
  }
  return out;
}

/** The arguments that create @pulumi/azuread resources (an eligible assignment with an end date does not). */
function azureAdNeeds(a: SelfServicePasswordResetArgs): string[] {
  const viaAzureAd = Array.isArray(a.roleAssignments) && a.roleAssignments.some((r) => !(r?.assignment === "eligible" && r?.expiresOn !== undefined));
  return [viaAzureAd ? "roleAssignments" : "", a.protectRegistration ? "protectRegistration" : "",
    a.targetGroup && "create" in a.targetGroup ? "targetGroup.create" : ""].filter(Boolean);
}

/** A sub-resource's failures under the component argument that holds it. */
function nested(argument: string, failures: CheckFailure[]): CheckFailure[] {
  return failures.map((f) => ({ property: `${argument}.${f.property}`, reason: `${argument}.${f.reason}` }));
}

/** Resource-level names -> the component's argument names, so messages name what the user wrote. */
function renameToComponentArgs(f: CheckFailure): CheckFailure {
  const names: Record<string, string> = {
    methodsRequired: "methods.required", emailEnabled: "methods.email", mobilePhoneEnabled: "methods.mobilePhone",
    officePhoneEnabled: "methods.officePhone", authenticatorNotificationEnabled: "methods.authenticatorNotification",
    authenticatorCodeEnabled: "methods.authenticatorCode", securityQuestionsToRegister: "methods.securityQuestions.toRegister",
    securityQuestionsToReset: "methods.securityQuestions.toReset", securityQuestions: "methods.securityQuestions.questions",
    requireRegistrationOnSignIn: "registration.requireOnSignIn", reconfirmAfterDays: "registration.reconfirmAfterDays",
    allowSkipRegistration: "registration.allowSkip", skipRegistrationDays: "registration.skipDays",
    notifyUsersOnReset: "notifications.notifyUsersOnReset", notifyAdminsOnAdminReset: "notifications.notifyAdminsOnAdminReset",
  };
  const base = f.property.replace(/\[.*$/, "");
  const renamed = names[base];
  if (!renamed) return f;
  return { property: f.property.replace(base, renamed), reason: f.reason.replace(base, renamed) };
}

export class SelfServicePasswordReset extends pulumi.ComponentResource {
  /** What the tenant has after `up`: "none", "selected" or "all". */
  readonly effectiveEnablement: pulumi.Output<Enablement>;
  /** The target group's object id when enablement is "selected". */
  readonly targetGroupId: pulumi.Output<string | undefined>;
  /** Role assignments made: role name or id, principal, and whether permanent or PIM-eligible. */
  readonly roleAssignments: { role: string; roleTemplateId: string; principalObjectId: string; assignment: "permanent" | "eligible"; expiresOn?: string }[];
  /** The tenant facts the policy pack judged (discovered from Graph or declared). */
  readonly tenantFacts: pulumi.Output<TenantFacts>;
  readonly passwordResetPolicy: PasswordResetPolicy;

  constructor(name: string, args: SelfServicePasswordResetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: bad input creates nothing, not even this component.
    throwIfProblems(`SelfServicePasswordReset "${name}"`, validateSelfServicePasswordReset(args));
    super("sspr:index:SelfServicePasswordReset", name, {}, opts);
    const d = withDefaults(args);
    const connection: ConnectionInputs = { cloud: d.cloud, tenantId: args.tenant.tenantId, ...(args.tenant.endpoint ? { endpoint: args.tenant.endpoint } : {}) };

    const retainOnDelete = args.retainOnDelete ?? false;
    const bookkeeping = { retainOnDelete, ...(args.takeOverFrom ? { takeOverFrom: args.takeOverFrom } : {}) };

    // Everything Microsoft would refuse is checked before any child registers: children wait for `checked`,
    // so a refusal leaves the tenant as it was (nothing half-applied), with or without the policy pack.
    const facts: Promise<TenantFacts> = args.tenantFacts
      ? Promise.resolve({ ...args.tenantFacts, source: "declared" as const })
      : discoverTenantFacts(connection);
    const checked = facts.then(async (f) => {
      throwIfProblems(`SelfServicePasswordReset "${name}"`, [...factRefusals(args, f), ...await tenantStateRefusals(args, connection, f)],
        "Microsoft would refuse this for the tenant, nothing was changed");
      preflightWarnings(f, this);
      return f;
    });
    this.tenantFacts = pulumi.output(checked);
    const afterPreflight = this.tenantFacts.apply(() => [] as pulumi.Resource[]);
    const child: pulumi.CustomResourceOptions = { parent: this, dependsOn: afterPreflight };

    // An azuread provider only when something uses it: otherwise the plugin would be required for nothing.
    const azureadProvider = d.manageAzureAd && azureAdNeeds(args).length > 0
      ? new azuread.Provider(`${name}-azuread`, { tenantId: args.tenant.tenantId, environment: AZUREAD_ENVIRONMENT[d.cloud] }, { parent: this })
      : undefined;
    const adOpts = { parent: this, provider: azureadProvider, dependsOn: afterPreflight };

    let targetGroupId: pulumi.Output<string> | undefined;
    if (args.targetGroup && "existingGroupId" in args.targetGroup) targetGroupId = pulumi.output(args.targetGroup.existingGroupId);
    if (args.targetGroup && "create" in args.targetGroup) {
      const c = args.targetGroup.create;
      const group = new azuread.Group(`${name}-target`, {
        displayName: c.displayName,
        description: c.description ?? "Users enabled for self-service password reset (managed by Pulumi)",
        securityEnabled: true,
        members: c.memberObjectIds,
      }, adOpts);
      targetGroupId = group.objectId;
    }
    this.targetGroupId = targetGroupId ?? pulumi.output(undefined);

    // The other tenant objects are written first and the SSPR policy, the switch for every user, last: if
    // Microsoft refuses one of them, SSPR has not been turned on (destroy goes in the reverse order).
    const tenantWide: pulumi.Resource[] = [];
    if (args.onPremises) {
      tenantWide.push(new OnPremisesPasswordReset(`${name}-onpremises`, {
        connection, tenantFacts: this.tenantFacts, passwordWriteback: args.onPremises.passwordWriteback,
        unlockWithoutReset: args.onPremises.unlockWithoutReset, ...bookkeeping,
      }, child));
    }
    if (args.administratorsCanResetPassword !== undefined) {
      tenantWide.push(new AdminPasswordResetPolicy(`${name}-admins`, { connection, administratorsCanResetPassword: args.administratorsCanResetPassword, ...bookkeeping }, child));
    }
    if (args.authenticationMethods) {
      tenantWide.push(new AuthenticationMethodsPolicy(`${name}-methods`, { ...args.authenticationMethods, connection, tenantFacts: this.tenantFacts, ...bookkeeping }, child));
    }

    const sq = args.methods?.securityQuestions;
    this.passwordResetPolicy = new PasswordResetPolicy(`${name}-policy`, {
      connection,
      tenantFacts: this.tenantFacts,
      enablement: args.enablement,
      // A list holding the (maybe unknown) id, not an Output of a list: the policy pack can then count the
      // groups during a first preview, before the group exists. Only "selected" declares the group; otherwise
      // the tenant's list stays as it is (and destroy puts back the one found at adoption).
      targetGroupIds: targetGroupId ? ([targetGroupId] as pulumi.Input<string>[] as unknown as string[]) : undefined,
      methodsRequired: d.methodsRequired,
      emailEnabled: d.email,
      mobilePhoneEnabled: d.mobilePhone,
      officePhoneEnabled: d.officePhone,
      authenticatorNotificationEnabled: d.authenticatorNotification,
      authenticatorCodeEnabled: d.authenticatorCode,
      securityQuestionsEnabled: sq !== undefined,
      securityQuestionsToRegister: sq?.toRegister,
      securityQuestionsToReset: sq?.toReset,
      securityQuestions: sq?.questions,
      requireRegistrationOnSignIn: d.requireRegistrationOnSignIn,
      reconfirmAfterDays: d.reconfirmAfterDays,
      allowSkipRegistration: args.registration?.allowSkip,
      skipRegistrationDays: args.registration?.skipDays,
      notifyUsersOnReset: d.notifyUsersOnReset,
      notifyAdminsOnAdminReset: d.notifyAdminsOnAdminReset,
      helpdeskLink: args.helpdeskLink,
      ...bookkeeping,
    }, { ...child, dependsOn: afterPreflight.apply(() => tenantWide) });
    this.effectiveEnablement = this.passwordResetPolicy.enablement;

    this.roleAssignments = (args.roleAssignments ?? []).map((r) => ({
      role: r.role, roleTemplateId: roleTemplateId(r.role)!, principalObjectId: r.principalObjectId, assignment: r.assignment ?? "permanent",
      ...(r.expiresOn ? { expiresOn: r.expiresOn } : {}),
    }));
    this.roleAssignments.forEach((r, n) => {
      const resourceName = `${name}-role-${n}`;
      const justification = args.roleAssignments![n].justification ?? "Runs self-service password reset (managed by Pulumi)";
      if (r.assignment === "eligible" && r.expiresOn) {
        new EligibleRoleAssignment(resourceName, {
          connection, roleDefinitionId: r.roleTemplateId, principalId: r.principalObjectId, directoryScopeId: "/", justification, expiresOn: r.expiresOn,
        }, child);
      } else if (r.assignment === "eligible") {
        new azuread.DirectoryRoleEligibilityScheduleRequest(resourceName, {
          roleDefinitionId: r.roleTemplateId, principalId: r.principalObjectId, directoryScopeId: "/", justification,
        }, adOpts);
      } else {
        new azuread.DirectoryRoleAssignment(resourceName, { roleId: r.roleTemplateId, principalObjectId: r.principalObjectId, directoryScopeId: "/" }, adOpts);
      }
    });

    if (args.protectRegistration) {
      new azuread.ConditionalAccessPolicy(`${name}-protect-registration`, {
        displayName: "Protect security info registration (SSPR, managed by Pulumi)",
        state: d.caState,
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedUserActions: [REGISTER_SECURITY_INFO_ACTION] },
          users: { includedUsers: ["All"], excludedGroups: args.protectRegistration.excludeGroupIds, excludedUsers: ["GuestsOrExternalUsers"] },
          locations: d.caRequireMfa ? { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } : undefined,
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      }, adOpts);
    }

    if (args.auditTrail) new PasswordResetAuditTrail(`${name}-audit`, args.auditTrail, child);

    this.registerOutputs({
      effectiveEnablement: this.effectiveEnablement,
      targetGroupId: this.targetGroupId,
      roleAssignments: this.roleAssignments,
      tenantFacts: this.tenantFacts,
    });
  }
}

