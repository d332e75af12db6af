/**
 * PasswordResetPolicy: the tenant's SSPR policy (Password reset blade: Properties, Authentication methods,
 * Registration, Notifications, Customization). Lives only in the Azure portal's IAM API
 * (`/api/PasswordReset/PasswordResetPolicies`, whole object GET/PUT, delegated admin token).
 *
 * Needs: a delegated token of an Authentication Policy Administrator (or Global Administrator) for the portal
 * API; Graph Organization.Read.All when tenant facts are declared (they are re-checked before writing).
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { managingStack } from "./ownership";
import { ConnectionInputs, Enablement, PasswordResetPolicyInputs, RESOURCE_MODULE } from "./model";
import { CheckFailure, ResourceArgs, SettingValues, singletonProvider, TenantSnapshot } from "./tenantSetting";
import { checkBoolean, checkGroupIds, checkHelpdeskLink, checkInteger, checkOneOf, isGuid, problem } from "./validation";

/** The portal object, with Microsoft's field names (including the misspelt reconfirm interval). */
export interface PortalPasswordResetPolicy {
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
  securityQuestions: { questionText?: string; [k: string]: unknown }[];
  [other: string]: unknown;
}

const ENABLEMENT: readonly Enablement[] = ["none", "selected", "all"];
const PATH = "/api/PasswordReset/PasswordResetPolicies";
const NEEDS = "a delegated token of an Authentication Policy Administrator or Global Administrator (portal IAM API)";

/** One row per setting: input name <-> portal field. Helpdesk link and enablement are special-cased. */
const FIELD_MAP: readonly [keyof PasswordResetPolicyInputs, keyof PortalPasswordResetPolicy][] = [
  ["methodsRequired", "numberOfAuthenticationMethodsRequired"],
  ["emailEnabled", "emailOptionEnabled"],
  ["mobilePhoneEnabled", "mobilePhoneOptionEnabled"],
  ["officePhoneEnabled", "officePhoneOptionEnabled"],
  ["authenticatorNotificationEnabled", "mobileAppNotificationEnabled"],
  ["authenticatorCodeEnabled", "mobileAppCodeEnabled"],
  ["securityQuestionsEnabled", "securityQuestionsOptionEnabled"],
  ["securityQuestionsToRegister", "numberOfQuestionsToRegister"],
  ["securityQuestionsToReset", "numberOfQuestionsToReset"],
  ["requireRegistrationOnSignIn", "registrationRequiredOnSignIn"],
  ["reconfirmAfterDays", "registrationReconfirmIntevalInDays"],
  ["allowSkipRegistration", "skipRegistrationAllowed"],
  ["skipRegistrationDays", "skipRegistrationMaxAllowedDays"],
  ["notifyUsersOnReset", "notifyUsersOnPasswordReset"],
  ["notifyAdminsOnAdminReset", "notifyOnAdminPasswordReset"],
];

export const PASSWORD_RESET_SETTINGS = ["enablement", "targetGroupIds", ...FIELD_MAP.map(([k]) => k), "securityQuestions", "helpdeskLink"] as const;

const METHOD_FLAGS = ["emailEnabled", "mobilePhoneEnabled", "officePhoneEnabled", "authenticatorNotificationEnabled", "authenticatorCodeEnabled", "securityQuestionsEnabled"] as const;

/**
 * Microsoft Authenticator cannot be the only method when one is required, nor Authenticator plus only one
 * other when two are (Microsoft Learn, "How it works: Microsoft Entra self-service password reset").
 * Returns the problem in words, or undefined. `flags` are the six method flags as they will be.
 */
export function authenticatorProblem(required: number, flags: Record<string, unknown>): string | undefined {
  const authenticator = flags.authenticatorNotificationEnabled === true || flags.authenticatorCodeEnabled === true;
  if (!authenticator) return undefined;
  const others = METHOD_FLAGS.filter((f) => f !== "authenticatorNotificationEnabled" && f !== "authenticatorCodeEnabled" && flags[f] === true).length;
  if (others >= required) return undefined;
  return required === 1
    ? "Microsoft Authenticator cannot be the only method when one method is required; enable email, mobile phone, office phone or security questions as well"
    : `with two methods required, Microsoft Authenticator needs at least two other methods enabled (${others} enabled)`;
}

/** Every check Microsoft's documentation states for these settings. */
export function validatePasswordResetPolicy(i: SettingValues): CheckFailure[] {
  const out: CheckFailure[] = [];
  checkOneOf(out, "enablement", i.enablement, ENABLEMENT, 'Properties > "Self service password reset enabled"');
  if (i.enablement === undefined) out.push(problem("enablement", undefined, 'use "none", "selected" or "all"'));
  checkGroupIds(out, "targetGroupIds", i.targetGroupIds);
  if (i.enablement === "selected" && (!Array.isArray(i.targetGroupIds) || i.targetGroupIds.length !== 1)) {
    out.push(problem("targetGroupIds", i.targetGroupIds, 'enablement "selected" needs exactly one target group (the admin center allows one)'));
  }
  checkInteger(out, "methodsRequired", i.methodsRequired, 1, 2, 'Authentication methods > "Number of methods required to reset"');
  for (const flag of [...METHOD_FLAGS, "requireRegistrationOnSignIn", "allowSkipRegistration", "notifyUsersOnReset", "notifyAdminsOnAdminReset"]) {
    checkBoolean(out, flag, i[flag]);
  }
  if (METHOD_FLAGS.every((f) => typeof i[f] === "boolean") && typeof i.methodsRequired === "number") {
    const enabled = METHOD_FLAGS.filter((f) => i[f] === true).length;
    if (enabled < i.methodsRequired) {
      out.push(problem("methodsRequired", i.methodsRequired, `only ${enabled} method(s) are enabled; enable at least as many methods as are required`));
    } else {
      const authenticator = authenticatorProblem(i.methodsRequired, i);
      if (authenticator) out.push(problem("methodsRequired", i.methodsRequired, authenticator));
    }
  }
  if (i.securityQuestionsEnabled === true && Array.isArray(i.securityQuestions) && typeof i.securityQuestionsToRegister === "number" &&
    i.securityQuestions.length < i.securityQuestionsToRegister) {
    out.push(problem("securityQuestions", i.securityQuestions,
      `security questions are enabled with ${i.securityQuestionsToRegister} to register, so give at least ${i.securityQuestionsToRegister} question texts`));
  }
  checkInteger(out, "securityQuestionsToRegister", i.securityQuestionsToRegister, 3, 5, '"Number of questions required to register"');
  checkInteger(out, "securityQuestionsToReset", i.securityQuestionsToReset, 3, 5, '"Number of questions required to reset"');
  if (typeof i.securityQuestionsToRegister === "number" && typeof i.securityQuestionsToReset === "number" && i.securityQuestionsToReset > i.securityQuestionsToRegister) {
    out.push(problem("securityQuestionsToReset", i.securityQuestionsToReset, `must not exceed securityQuestionsToRegister (${i.securityQuestionsToRegister})`));
  }
  if (i.securityQuestions !== undefined) {
    if (!Array.isArray(i.securityQuestions)) out.push(problem("securityQuestions", i.securityQuestions, "use a list of question texts"));
    else i.securityQuestions.forEach((q, n) => {
      if (typeof q !== "string" || q.trim() === "" || q.length > 200) out.push(problem(`securityQuestions[${n}]`, q, "use a question text of 1 to 200 characters"));
    });
  }
  checkInteger(out, "reconfirmAfterDays", i.reconfirmAfterDays, 0, 730, 'Registration > "Number of days before users are asked to re-confirm" (0 = never)');
  checkInteger(out, "skipRegistrationDays", i.skipRegistrationDays, 1, 30, "days users may skip registration");
  checkHelpdeskLink(out, "helpdeskLink", i.helpdeskLink);
  return out;
}

function fromPortal(raw: PortalPasswordResetPolicy): SettingValues {
  const v: SettingValues = {
    enablement: ENABLEMENT[raw.enablementType] ?? `unknown(${raw.enablementType})`,
    // As the tenant has it, whatever the enablement: destroy must be able to put back exactly this list.
    targetGroupIds: [...(raw.passwordResetEnabledGroupIds ?? [])],
    securityQuestions: (raw.securityQuestions ?? []).map((q) => String(q.questionText ?? "")),
    helpdeskLink: raw.customizeHelpdeskLink ? raw.customHelpdeskEmailOrUrl ?? "" : "",
  };
  for (const [input, field] of FIELD_MAP) v[input] = raw[field];
  return v;
}

function toPortal(desired: SettingValues, current: PortalPasswordResetPolicy): PortalPasswordResetPolicy {
  const next: PortalPasswordResetPolicy = { ...current };
  for (const [input, field] of FIELD_MAP) if (desired[input] !== undefined) next[field] = desired[input] as never;
  if (desired.enablement !== undefined) next.enablementType = ENABLEMENT.indexOf(desired.enablement as Enablement);
  if (desired.targetGroupIds !== undefined) next.passwordResetEnabledGroupIds = [...(desired.targetGroupIds as string[])];
  // Questions the tenant already has keep their other fields; new texts become new questions.
  if (desired.securityQuestions !== undefined) {
    next.securityQuestions = (desired.securityQuestions as string[]).map((questionText) =>
      (current.securityQuestions ?? []).find((q) => q.questionText === questionText) ?? { questionText });
  }
  if (desired.helpdeskLink !== undefined) {
    next.customizeHelpdeskLink = desired.helpdeskLink !== "";
    next.customHelpdeskEmailOrUrl = desired.helpdeskLink as string;
  }
  return next;
}

/** What the portal would refuse for the object as it will be (declared settings on top of the tenant's). */
async function refusePasswordResetPolicy(conn: ConnectionInputs, desired: SettingValues, current: TenantSnapshot<PortalPasswordResetPolicy>): Promise<CheckFailure[]> {
  const out: CheckFailure[] = [];
  const next = toPortal(desired, current.raw);
  const will = fromPortal(next);
  if (next.enablementType === 1) {
    const ids = next.passwordResetEnabledGroupIds;
    if (ids.length !== 1) out.push(problem("targetGroupIds", ids, 'enablement "selected" needs exactly one target group'));
    // A group this stack creates has no id yet at preview (the engine's unknown marker): nothing to look up.
    else if (isGuid(ids[0]) && ids[0] !== UNKNOWN_AT_PREVIEW && !(await groupExists(conn, ids[0]))) {
      out.push(problem("targetGroupIds[0]", ids[0], `no group with this object id exists in tenant ${conn.tenantId} (Properties > "Select group")`));
    }
  }
  const enabled = METHOD_FLAGS.filter((f) => will[f] === true).length;
  if (enabled < next.numberOfAuthenticationMethodsRequired) {
    out.push(problem("methodsRequired", next.numberOfAuthenticationMethodsRequired, `the tenant would have only ${enabled} method(s) enabled`));
  } else {
    const authenticator = authenticatorProblem(next.numberOfAuthenticationMethodsRequired, will);
    if (authenticator) out.push(problem("methodsRequired", next.numberOfAuthenticationMethodsRequired, authenticator));
  }
  if (next.securityQuestionsOptionEnabled && next.securityQuestions.length < next.numberOfQuestionsToRegister) {
    out.push(problem("securityQuestions", will.securityQuestions,
      `security questions are enabled with ${next.numberOfQuestionsToRegister} to register, but the tenant would have only ${next.securityQuestions.length} question text(s)`));
  }
  return out;
}

/** What a dynamic provider's `check` receives for a value not known until `up` (@pulumi/pulumi's unknown marker). */
const UNKNOWN_AT_PREVIEW = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the tenant has a group with this object id (Graph; 404 = no). */
export async function groupExists(conn: ConnectionInputs, id: string): Promise<boolean> {
  try {
    await tenantRequest(conn, "graph", "GET", `/groups/${id}?$select=id`, undefined, { needs: "Graph permission Group.Read.All (to check the target group exists)" });
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

const passwordResetPolicyProvider = singletonProvider<PortalPasswordResetPolicy>({
  title: "Password reset policy",
  type: "PasswordResetPolicy",
  settings: PASSWORD_RESET_SETTINGS,
  related: [
    ["enablement", "targetGroupIds"],
    ["methodsRequired", ...METHOD_FLAGS],
    ["securityQuestionsEnabled", "securityQuestionsToRegister", "securityQuestionsToReset", "securityQuestions"],
    ["allowSkipRegistration", "skipRegistrationDays"],
  ],
  validate: validatePasswordResetPolicy,
  refuse: refusePasswordResetPolicy,
  async read(conn): Promise<TenantSnapshot<PortalPasswordResetPolicy>> {
    const r = await tenantRequest<PortalPasswordResetPolicy>(conn, "portal", "GET", `${PATH}?getPasswordResetEnabledGroup=true`, undefined, { needs: NEEDS });
    if (r.body?.objectId !== "default") throw new Error(`The portal API returned no password reset policy for tenant ${conn.tenantId} (objectId "${r.body?.objectId}").`);
    return { raw: r.body, values: fromPortal(r.body) };
  },
  async write(conn, desired, current) {
    // The API takes the whole object only: read-modify-write keeps every field the program does not declare.
    await tenantRequest(conn, "portal", "PUT", PATH, toPortal(desired, current.raw), { needs: NEEDS });
  },
});

export type PasswordResetPolicyArgs = ResourceArgs<PasswordResetPolicyInputs>;

export class PasswordResetPolicy extends pulumi.dynamic.Resource {
  declare readonly enablement: pulumi.Output<Enablement>;
  declare readonly targetGroupIds: pulumi.Output<string[] | undefined>;
  declare readonly methodsRequired: pulumi.Output<number | undefined>;
  declare readonly requireRegistrationOnSignIn: pulumi.Output<boolean | undefined>;
  declare readonly notifyUsersOnReset: pulumi.Output<boolean | undefined>;
  declare readonly notifyAdminsOnAdminReset: pulumi.Output<boolean | undefined>;
  declare readonly tenantFacts: pulumi.Output<PasswordResetPolicyInputs["tenantFacts"]>;
  /** The settings found at adoption, restored by `pulumi destroy` unless retainOnDelete. */
  declare readonly prior: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: PasswordResetPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(passwordResetPolicyProvider, name, { ...args, managedBy: args.managedBy ?? managingStack(), prior: undefined }, opts, RESOURCE_MODULE, "PasswordResetPolicy");
  }
}

/** For tests of the provider's lifecycle without the engine. */
export const _provider = passwordResetPolicyProvider;
