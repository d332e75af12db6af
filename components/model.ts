/**
 * The shared vocabulary of the project: the inputs of each tenant-setting resource as the engine stores
 * them (what `pulumi preview` diffs and what CrossGuard policies read), their type tokens, the tenant facts,
 * clouds and well-known ids. Types and constants, plus value rules both sides must apply alike (isHelpdeskLink):
 * the policy pack and the providers import it.
 */

/** Dynamic resources are registered as `pulumi-nodejs:dynamic/<module>:<type>`; policies select on these. */
export const RESOURCE_MODULE = "sspr";
export const TYPE = {
  PasswordResetPolicy: "pulumi-nodejs:dynamic/sspr:PasswordResetPolicy",
  OnPremisesPasswordReset: "pulumi-nodejs:dynamic/sspr:OnPremisesPasswordReset",
  AdminPasswordResetPolicy: "pulumi-nodejs:dynamic/sspr:AdminPasswordResetPolicy",
  AuthenticationMethodsPolicy: "pulumi-nodejs:dynamic/sspr:AuthenticationMethodsPolicy",
  /** PIM-eligible role assignment with an end date; props named like azuread's eligibility request. */
  EligibleRoleAssignment: "pulumi-nodejs:dynamic/sspr:EligibleRoleAssignment",
} as const;

/** Resources from well-kept providers that the component creates and the policy pack inspects. */
export const AZUREAD_TYPE = {
  Group: "azuread:index/group:Group",
  DirectoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  DirectoryRoleEligibilityScheduleRequest: "azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest",
  ConditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
} as const;
export const AZURE_NATIVE_TYPE = {
  /** Tenant-level Entra ID diagnostic setting (audit logs export). */
  EntraDiagnosticSetting: "azure-native:aadiam:DiagnosticSetting",
} as const;

/** National clouds (DESIGN.md decision 6). Germany was retired on 2021-10-29 and is rejected with a clear error. */
export type Cloud = "worldwide" | "usgov" | "usdod" | "china";
export const CLOUDS: readonly Cloud[] = ["worldwide", "usgov", "usdod", "china"];

/**
 * Where and which tenant. `endpoint` replaces every Microsoft host (login, Graph, portal API) by one base URL:
 * the offline emulator. Token audiences stay those of `cloud`, so the code is the same as against Microsoft.
 */
export interface ConnectionInputs {
  cloud: Cloud;
  tenantId: string;
  endpoint?: string;
}

/**
 * Facts about the tenant that decide what Microsoft honours (DESIGN.md decision 5). Discovered from Graph
 * (`source: "graph"`) or declared in stack config (`source: "declared"`, re-checked by the provider before
 * any write; a mismatch refuses the write).
 */
export interface TenantFacts {
  source: "graph" | "declared";
  /** True when the tenant has no paid (non-trial) subscription: SSPR does not work on trial-only tenants. */
  trialOnly: boolean;
  /** Directory synchronization from on-premises AD (organization.onPremisesSyncEnabled === true). */
  directorySync: boolean;
  /** Entra ID P1 (service plan AAD_PREMIUM) enabled in any subscribed SKU. */
  entraIdP1: boolean;
  /** Entra ID P2 (service plan AAD_PREMIUM_P2) enabled in any subscribed SKU. */
  entraIdP2: boolean;
  /** Microsoft 365 Business Premium (SPB) present: allows hybrid reset with writeback like P1. */
  businessPremium: boolean;
}

export type Enablement = "none" | "selected" | "all";

/**
 * Bookkeeping every tenant-setting resource takes besides its settings: who manages the object (recorded in
 * the tenant, so a second stack cannot silently take it over) and what to do on destroy.
 */
export interface TenantObjectInputs {
  /** The managing stack, "<project>/<stack>"; defaults to the program's own. */
  managedBy?: string;
  /** Take the object over from this stack (a deliberate hand-over when that stack no longer exists). */
  takeOverFrom?: string;
  /** On `pulumi destroy`, leave the tenant as it is instead of restoring the settings found at adoption. */
  retainOnDelete?: boolean;
}

const HOST_LABEL = "[a-z0-9\\u00a1-\\uffff](?:[a-z0-9\\u00a1-\\uffff-]*[a-z0-9\\u00a1-\\uffff])?";
const HELPDESK_URL = new RegExp(`^https://(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-f:.]+\\])(?::\\d{1,5})?(?:[/?#]\\S*)?$`, "i");
const HELPDESK_EMAIL = /^[^\s@<>()[\],;:"]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Helpdesk link rule (provider check and policy pack): an https:// URL with a host (single-label intranet hosts, IP literals and ports allowed; no whitespace, no other scheme) or an email address whose domain is dotted with a letters-only TLD. */
export function isHelpdeskLink(value: string): boolean {
  return HELPDESK_URL.test(value) || HELPDESK_EMAIL.test(value);
}

/** Inputs of PasswordResetPolicy (portal `PasswordResetPolicies`). Undefined = not managed, tenant value kept. */
export interface PasswordResetPolicyInputs extends TenantObjectInputs {
  connection: ConnectionInputs;
  tenantFacts: TenantFacts;
  /** Properties > "Self service password reset enabled": None / Selected / All. */
  enablement: Enablement;
  /** Properties > "Select group": object ids; the admin center allows exactly one when enablement is "selected". */
  targetGroupIds?: string[];
  /** Authentication methods > "Number of methods required to reset": 1 or 2. */
  methodsRequired?: number;
  /** Authentication methods > "Methods available to users". */
  emailEnabled?: boolean;
  mobilePhoneEnabled?: boolean;
  officePhoneEnabled?: boolean;
  authenticatorNotificationEnabled?: boolean;
  authenticatorCodeEnabled?: boolean;
  securityQuestionsEnabled?: boolean;
  /** "Number of questions required to register" (3-5) and "... to reset" (3-5, <= register). */
  securityQuestionsToRegister?: number;
  securityQuestionsToReset?: number;
  /** Custom security question texts (max 200 characters each). */
  securityQuestions?: string[];
  /** Registration > "Require users to register when signing in". */
  requireRegistrationOnSignIn?: boolean;
  /** Registration > "Number of days before users are asked to re-confirm" (0-730, 0 = never). */
  reconfirmAfterDays?: number;
  /** Whether users may skip registration, and for how many days (1-30). */
  allowSkipRegistration?: boolean;
  skipRegistrationDays?: number;
  /** Notifications > "Notify users on password resets". */
  notifyUsersOnReset?: boolean;
  /** Notifications > "Notify all admins when other admins reset their password". */
  notifyAdminsOnAdminReset?: boolean;
  /** Customization > "Customize helpdesk link": an https URL or an email address; "" = not customized. */
  helpdeskLink?: string;
}

/** Inputs of OnPremisesPasswordReset (portal `OnPremisesPasswordResetPolicies`). Needs P1/P2 or Business Premium. */
export interface OnPremisesPasswordResetInputs extends TenantObjectInputs {
  connection: ConnectionInputs;
  tenantFacts: TenantFacts;
  /** On-premises integration > "Write back passwords to your on-premises directory". */
  passwordWriteback: boolean;
  /** On-premises integration > "Allow users to unlock accounts without resetting their password". */
  unlockWithoutReset?: boolean;
}

/** Inputs of AdminPasswordResetPolicy (Graph authorizationPolicy.allowedToUseSSPR; no other field touched). */
export interface AdminPasswordResetPolicyInputs extends TenantObjectInputs {
  connection: ConnectionInputs;
  /** Administrator policy: administrators may reset their own password with the two-gate policy. */
  administratorsCanResetPassword: boolean;
}

/** Methods of the Authentication methods policy that SSPR can use (Graph authenticationMethodConfiguration ids). */
export type SsprMethodId = "Email" | "Sms" | "Voice" | "MicrosoftAuthenticator" | "SoftwareOath";
export const SSPR_METHOD_IDS: readonly SsprMethodId[] = ["Email", "Sms", "Voice", "MicrosoftAuthenticator", "SoftwareOath"];

export interface MethodTargeting {
  state: "enabled" | "disabled";
  /** Group object ids, or "all_users". Default when enabled: ["all_users"]. */
  includeGroupIds?: string[];
  excludeGroupIds?: string[];
}

export interface RegistrationCampaign {
  state: "default" | "enabled" | "disabled";
  /** 0-14 days a user may postpone (0 = asked at every MFA). */
  snoozeDays?: number;
  includeGroupIds?: string[];
  excludeGroupIds?: string[];
}

export type MigrationState = "preMigration" | "migrationInProgress" | "migrationComplete";

/** Inputs of AuthenticationMethodsPolicy (Graph authenticationMethodsPolicy and its method configurations). */
export interface AuthenticationMethodsPolicyInputs extends TenantObjectInputs {
  connection: ConnectionInputs;
  tenantFacts: TenantFacts;
  /** Only the methods named here are managed; others keep their tenant settings. */
  methods?: Partial<Record<SsprMethodId, MethodTargeting>>;
  registrationCampaign?: RegistrationCampaign;
  /** Forward only: preMigration -> migrationInProgress -> migrationComplete. */
  migrationState?: MigrationState;
}

/** Directory role template ids (Entra built-in roles). */
export const ROLE = {
  GlobalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  PasswordAdministrator: "966707d0-3269-4727-9be2-8c3a10f19b9d",
  HelpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  AuthenticationAdministrator: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  PrivilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  AuthenticationPolicyAdministrator: "0526716b-113d-4c15-b2c8-68e3c22b9f80",
  SecurityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  UserAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  PrivilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
} as const;

/** Conditional Access user action for "Register security information". */
export const REGISTER_SECURITY_INFO_ACTION = "urn:user:registersecurityinfo";

/** Service plan and SKU ids used to discover licences (match service plans, not SKU ids, for P1/P2). */
export const LICENCE = {
  servicePlanEntraIdP1: "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
  servicePlanEntraIdP2: "eec0eb4f-6444-4f95-aba0-50c24d67f998",
  skuBusinessPremium: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
} as const;
