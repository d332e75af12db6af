/**
 * Resource props for policy tests: one compliant resource of each kind, and the tenant presets the pack must
 * tell apart (the same as the emulator's: paid cloud-only, trial, hybrid without P1, hybrid with P1, P2).
 * Tests change one field of a compliant fixture and expect that field's message.
 */
import type {
  AuthenticationMethodsPolicyInputs,
  ConnectionInputs,
  OnPremisesPasswordResetInputs,
  PasswordResetPolicyInputs,
  TenantFacts,
} from "../../components/model";
import { AZURE_NATIVE_TYPE, AZUREAD_TYPE, REGISTER_SECURITY_INFO_ACTION, ROLE, TYPE } from "../../components/model";
import type { PolicyConfig, TestResource, TestResourceValidationArgs } from "./util";
import { createResourceValidationArgs } from "./util";

export const connection: ConnectionInputs = { cloud: "worldwide", tenantId: "11111111-1111-1111-1111-111111111111" };

const base: TenantFacts = { source: "graph", trialOnly: false, directorySync: false, entraIdP1: false, entraIdP2: false, businessPremium: false };

export const FACTS = {
  /** Microsoft 365 Business Standard, cloud-only: SSPR for cloud users, no P1 features. */
  paidCloudOnly: { ...base },
  /** No paid subscription: only trial ones, or none at all (tenantFacts can't tell these apart). */
  trial: { ...base, trialOnly: true },
  /** Only an Entra ID P2 trial (e.g. Enterprise Mobility + Security E5 trial): P1/P2 service plans, but no paid subscription. */
  trialWithP2: { ...base, trialOnly: true, entraIdP1: true, entraIdP2: true },
  hybridWithoutP1: { ...base, directorySync: true },
  hybridWithP1: { ...base, directorySync: true, entraIdP1: true },
  hybridBusinessPremium: { ...base, directorySync: true, businessPremium: true },
  cloudOnlyP1: { ...base, entraIdP1: true },
  p2: { ...base, entraIdP1: true, entraIdP2: true },
} as const;

export const GROUP_ID = "22222222-2222-2222-2222-222222222222";
export const USER_A = "aaaaaaaa-0000-0000-0000-000000000001";
export const USER_B = "aaaaaaaa-0000-0000-0000-000000000002";
export const USER_C = "aaaaaaaa-0000-0000-0000-000000000003";

/**
 * A configuration the mandatory policies accept: SSPR for one group, two methods out of email, mobile phone and
 * Microsoft Authenticator (Microsoft rejects Authenticator plus only one other when two are required), registration
 * and notifications on. Email and mobile phone are what sspr-no-phone-or-email-codes reports: with only legacy
 * methods, two required methods can't avoid them (after the methods migration, Authenticator + software OATH can).
 */
export function resetPolicy(overrides: Partial<PasswordResetPolicyInputs> = {}): PasswordResetPolicyInputs & { __provider: string } {
  return {
    __provider: "exports.handler = __f0; /* serialized provider */",
    connection,
    tenantFacts: FACTS.paidCloudOnly,
    enablement: "selected",
    targetGroupIds: [GROUP_ID],
    methodsRequired: 2,
    emailEnabled: true,
    mobilePhoneEnabled: true,
    officePhoneEnabled: false,
    authenticatorNotificationEnabled: true,
    authenticatorCodeEnabled: true,
    securityQuestionsEnabled: false,
    requireRegistrationOnSignIn: true,
    reconfirmAfterDays: 180,
    allowSkipRegistration: true,
    skipRegistrationDays: 7,
    notifyUsersOnReset: true,
    notifyAdminsOnAdminReset: true,
    helpdeskLink: "",
    ...overrides,
  };
}

export function onPremises(overrides: Partial<OnPremisesPasswordResetInputs> = {}): OnPremisesPasswordResetInputs {
  return { connection, tenantFacts: FACTS.hybridWithP1, passwordWriteback: true, unlockWithoutReset: true, ...overrides };
}

export function methodsPolicy(overrides: Partial<AuthenticationMethodsPolicyInputs> = {}): AuthenticationMethodsPolicyInputs {
  return {
    connection,
    tenantFacts: FACTS.p2,
    methods: {
      MicrosoftAuthenticator: { state: "enabled", includeGroupIds: ["all_users"] },
      SoftwareOath: { state: "enabled" },
      Sms: { state: "disabled" },
      Voice: { state: "disabled" },
      Email: { state: "disabled" },
    },
    migrationState: "migrationComplete",
    ...overrides,
  };
}

export function roleAssignment(roleId: string, principalObjectId: string, name?: string): TestResource {
  return { type: AZUREAD_TYPE.DirectoryRoleAssignment, props: { roleId, principalObjectId, directoryScopeId: "/" }, name };
}

export function roleEligibility(roleDefinitionId: string, principalId: string, name?: string): TestResource {
  return {
    type: AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest,
    props: { roleDefinitionId, principalId, directoryScopeId: "/", justification: "SSPR operations" },
    name,
  };
}

/** This package's EligibleRoleAssignment: PIM eligibility with an end date (props named like azuread's request). */
export function eligibleRoleAssignment(roleDefinitionId: string, principalId: string, name?: string): TestResource {
  return {
    type: TYPE.EligibleRoleAssignment,
    props: { connection, roleDefinitionId, principalId, directoryScopeId: "/", justification: "SSPR operations", expiresOn: "2099-01-01T00:00:00Z" },
    name,
  };
}

/** A Conditional Access policy requiring MFA to register security info, for all users but the break-glass account. */
export function registrationCaPolicy(overrides: Record<string, any> = {}): TestResource {
  return {
    type: AZUREAD_TYPE.ConditionalAccessPolicy,
    name: "protect-registration",
    props: {
      displayName: "Require MFA to register security info",
      state: "enabled",
      conditions: {
        clientAppTypes: ["all"],
        applications: { includedUserActions: [REGISTER_SECURITY_INFO_ACTION] },
        users: { includedUsers: ["All"], excludedUsers: [USER_A] },
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
      ...overrides,
    },
  };
}

export function auditDiagnosticSetting(logs: { category: string; enabled: boolean }[] = [{ category: "AuditLogs", enabled: true }]): TestResource {
  return {
    type: AZURE_NATIVE_TYPE.EntraDiagnosticSetting,
    name: "entra-audit",
    props: { name: "entra-audit", workspaceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z", logs },
  };
}

/** Validation args for a PasswordResetPolicy with `props` (usually resetPolicy(...)) and the policy's `config`. */
export function resetPolicyArgs(props: object, config?: PolicyConfig): TestResourceValidationArgs {
  return createResourceValidationArgs(TYPE.PasswordResetPolicy, props, config);
}

/** Validation args for an AuthenticationMethodsPolicy with `props` (usually methodsPolicy(...)) and the policy's `config`. */
export function methodsPolicyArgs(props: object, config?: PolicyConfig): TestResourceValidationArgs {
  return createResourceValidationArgs(TYPE.AuthenticationMethodsPolicy, props, config);
}

export function resetPolicyResource(overrides: Partial<PasswordResetPolicyInputs> = {}): TestResource {
  return { type: TYPE.PasswordResetPolicy, name: "sspr", props: resetPolicy(overrides) };
}

export { ROLE, TYPE, AZUREAD_TYPE, AZURE_NATIVE_TYPE };
