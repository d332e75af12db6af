/**
 * Each tenant-setting input in the words of the admin center (Entra admin center > Protection > Password
 * reset, and Authentication methods), so that `npm run drift` names a drifted setting where an admin finds
 * it. One table for every resource; the README's "Admin center -> argument" table is the reference for the
 * words. The keys of each row are also the settings the drift check compares (bookkeeping inputs such as
 * connection, tenantFacts or prior are not settings).
 */
import { TYPE } from "../components/model";
import type {
  AdminPasswordResetPolicyInputs, AuthenticationMethodsPolicyInputs, MethodTargeting, OnPremisesPasswordResetInputs, PasswordResetPolicyInputs,
  RegistrationCampaign, SsprMethodId,
} from "../components/model";

/** Inputs that every tenant-setting resource takes besides its settings. */
type Bookkeeping = "connection" | "tenantFacts" | "retainOnDelete" | "managedBy" | "takeOverFrom";
type SettingsOf<Inputs> = Exclude<keyof Inputs, Bookkeeping>;

const METHODS = 'Authentication methods > "Methods available to users"';
const QUESTIONS = "Authentication methods > security questions";

/** Resource type token -> input name -> admin-center label. `satisfies` keeps every setting labelled. */
export const ADMIN_CENTER_LABELS: Record<string, Record<string, string>> = {
  [TYPE.PasswordResetPolicy]: {
    enablement: 'Properties > "Self service password reset enabled"',
    targetGroupIds: 'Properties > "Select group"',
    methodsRequired: 'Authentication methods > "Number of methods required to reset"',
    emailEnabled: `${METHODS} > Email`,
    mobilePhoneEnabled: `${METHODS} > Mobile phone`,
    officePhoneEnabled: `${METHODS} > Office phone`,
    authenticatorNotificationEnabled: `${METHODS} > Mobile app notification`,
    authenticatorCodeEnabled: `${METHODS} > Mobile app code`,
    securityQuestionsEnabled: `${METHODS} > Security questions`,
    securityQuestionsToRegister: `${QUESTIONS} > "Number of questions required to register"`,
    securityQuestionsToReset: `${QUESTIONS} > "Number of questions required to reset"`,
    securityQuestions: QUESTIONS,
    requireRegistrationOnSignIn: 'Registration > "Require users to register when signing in"',
    reconfirmAfterDays: 'Registration > "Number of days before users are asked to re-confirm their authentication information"',
    allowSkipRegistration: "Registration > skip registration (no admin-center control, portal API only)",
    skipRegistrationDays: "Registration > days users may skip registration (no admin-center control, portal API only)",
    notifyUsersOnReset: 'Notifications > "Notify users on password resets"',
    notifyAdminsOnAdminReset: 'Notifications > "Notify all admins when other admins reset their password"',
    helpdeskLink: 'Customization > "Custom helpdesk email or URL"',
  } satisfies Record<SettingsOf<PasswordResetPolicyInputs>, string>,
  [TYPE.OnPremisesPasswordReset]: {
    passwordWriteback: 'On-premises integration > "Write back passwords to your on-premises directory"',
    unlockWithoutReset: 'On-premises integration > "Allow users to unlock accounts without resetting their password"',
  } satisfies Record<SettingsOf<OnPremisesPasswordResetInputs>, string>,
  [TYPE.AdminPasswordResetPolicy]: {
    administratorsCanResetPassword: "Administrator policy > admins' two-gate SSPR (Graph authorizationPolicy.allowedToUseSSPR)",
  } satisfies Record<SettingsOf<AdminPasswordResetPolicyInputs>, string>,
  [TYPE.AuthenticationMethodsPolicy]: {
    methods: "Authentication methods > Policies",
    registrationCampaign: "Authentication methods > Registration campaign",
    migrationState: "Authentication methods > Manage migration",
  } satisfies Record<SettingsOf<AuthenticationMethodsPolicyInputs>, string>,
};

/** Words for the parts of settings that have sub-settings (per-method targeting, the registration campaign). */
const PART_LABELS: Record<string, Record<string, Record<string, string>>> = {
  [TYPE.AuthenticationMethodsPolicy]: {
    methods: {
      Email: "Email OTP", Sms: "SMS", Voice: "Voice call", MicrosoftAuthenticator: "Microsoft Authenticator", SoftwareOath: "Software OATH tokens",
      state: "Enable", includeGroupIds: "Include", excludeGroupIds: "Exclude",
    } satisfies Record<SsprMethodId | keyof MethodTargeting, string>,
    registrationCampaign: {
      state: "State", snoozeDays: "Days allowed to snooze", includeGroupIds: "Include", excludeGroupIds: "Exclude",
    } satisfies Record<keyof RegistrationCampaign, string>,
  },
};

/** The settings of a resource type that have admin-center labels (none for types this table does not know). */
export function labelledSettings(type: string): string[] {
  return Object.keys(ADMIN_CENTER_LABELS[type] ?? {});
}

/**
 * The admin-center label of a setting, by input path ("targetGroupIds", "methods.Sms.state"); an unknown
 * setting or part keeps its input name, so nothing is ever left unnamed.
 */
export function adminCenterLabel(type: string, settingPath: string): string {
  const [setting, ...parts] = settingPath.split(".");
  const partLabels = PART_LABELS[type]?.[setting] ?? {};
  return [ADMIN_CENTER_LABELS[type]?.[setting] ?? setting, ...parts.map((p) => partLabels[p] ?? p)].join(" > ");
}
