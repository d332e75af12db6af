/**
 * The tenants the policy pack must tell apart, seeded the way a new tenant of each kind looks in Graph and
 * in the portal API. Everything is derived from the tenant id, so `reset` rebuilds exactly the same objects
 * (same group, user and subscription ids) and a persisted tenant keeps its ids.
 */
import { Cloud, LICENCE, ROLE } from "../components/model";
import { seededUuid } from "./tokens";
import type { GraphObject, TenantState } from "./state";

export type PresetName = "paid-cloud-only" | "trial" | "hybrid-no-p1" | "hybrid-p1" | "usgov" | "china";
export const PRESET_NAMES: readonly PresetName[] = ["paid-cloud-only", "trial", "hybrid-no-p1", "hybrid-p1", "usgov", "china"];

/** Per-cloud audiences and issuers (reference §1.1 and §7). Tokens are not interchangeable across clouds. */
export const CLOUD: Record<Cloud, { graphResource: string; portalResource: string; issuer: (tenantId: string) => string }> = {
  worldwide: {
    graphResource: "https://graph.microsoft.com",
    portalResource: "74658136-14ec-4630-ad9b-26e160ff0fc6",
    issuer: (t) => `https://sts.windows.net/${t}/`,
  },
  usgov: {
    graphResource: "https://graph.microsoft.us",
    portalResource: "ee62de39-b9b0-4886-aa58-08b89c4e3db3",
    issuer: (t) => `https://login.microsoftonline.us/${t}/`,
  },
  usdod: {
    graphResource: "https://dod-graph.microsoft.us",
    portalResource: "ee62de39-b9b0-4886-aa58-08b89c4e3db3",
    issuer: (t) => `https://login.microsoftonline.us/${t}/`,
  },
  china: {
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    portalResource: "74658136-14ec-4630-ad9b-26e160ff0fc6",
    issuer: (t) => `https://sts.chinacloudapi.cn/${t}/`,
  },
};
/** Microsoft Graph's application id: the same in every cloud, accepted as scope/resource and as audience. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Role template ids the emulator needs beyond components/model.ts (readers of policies). */
export const EXTRA_ROLE = {
  GlobalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  SecurityReader: "5d6b6bb7-de71-4623-b4af-96380a352509",
} as const;
/** Every member user carries this in `wids` ("User" role template). */
export const MEMBER_ROLE_TEMPLATE = "b79fbf4d-3ef9-4689-8143-76b194e85509";

// ---------------------------------------------------------------------------------------------------------
// Licences. Service plan ids are the ones Microsoft publishes (the P1/P2 ones come from components/model.ts);
// the product must detect premium by service plan, never by SKU id.

interface ServicePlan {
  id: string;
  name: string;
  /** organization.assignedPlans[].service */
  service: string;
}
const PLAN = {
  exchangeStandard: { id: "9aaf7827-d63c-4b61-89c3-182f06f82e5c", name: "EXCHANGE_S_STANDARD", service: "exchange" },
  exchangeEnterprise: { id: "efb87545-963c-4e0d-99df-69c6916d9eb0", name: "EXCHANGE_S_ENTERPRISE", service: "exchange" },
  sharePointStandard: { id: "c7699d2e-19aa-44de-8edf-1736da088ca1", name: "SHAREPOINTSTANDARD", service: "SharePoint" },
  sharePointEnterprise: { id: "5dbe027f-2339-4123-9542-606e4d348a72", name: "SHAREPOINTENTERPRISE", service: "SharePoint" },
  teams: { id: "57ff2da0-773e-42df-b2af-ffb7a2317929", name: "TEAMS1", service: "TeamspaceAPI" },
  officeBusiness: { id: "094e7854-93fc-4d55-b2c0-3ab5369ebdc1", name: "OFFICE_BUSINESS", service: "MicrosoftOffice" },
  officeSubscription: { id: "43de0ff5-c92c-492b-9116-175376d08c38", name: "OFFICESUBSCRIPTION", service: "MicrosoftOffice" },
  skypeStandard: { id: "0feaeb32-d00e-4d66-bd5a-43b5b83db82c", name: "MCOSTANDARD", service: "MicrosoftCommunicationsOnline" },
  intune: { id: "c1ec4a95-1f05-45b3-a911-aa3fa01094f5", name: "INTUNE_A", service: "SCO" },
  mfaPremium: { id: "8a256a2b-b617-496d-b51b-e76466e88db0", name: "MFA_PREMIUM", service: "MultiFactorService" },
  entraIdP1: { id: LICENCE.servicePlanEntraIdP1, name: "AAD_PREMIUM", service: "AADPremiumService" },
  entraIdP2: { id: LICENCE.servicePlanEntraIdP2, name: "AAD_PREMIUM_P2", service: "AADPremiumService" },
} satisfies Record<string, ServicePlan>;

interface Sku {
  skuId: string;
  skuPartNumber: string;
  plans: ServicePlan[];
}
export const SKU = {
  /** Microsoft 365 Business Standard (SKU id marked UNVERIFIED in the reference). */
  businessStandard: {
    skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
    skuPartNumber: "O365_BUSINESS_PREMIUM",
    plans: [PLAN.exchangeStandard, PLAN.sharePointStandard, PLAN.teams, PLAN.officeBusiness, PLAN.skypeStandard],
  },
  /** Microsoft 365 Business Premium: Business Standard plus Entra ID P1 and Intune. */
  businessPremium: {
    skuId: LICENCE.skuBusinessPremium,
    skuPartNumber: "SPB",
    plans: [PLAN.exchangeStandard, PLAN.sharePointStandard, PLAN.teams, PLAN.officeBusiness, PLAN.skypeStandard, PLAN.entraIdP1, PLAN.mfaPremium, PLAN.intune],
  },
  entraIdP1: { skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4", skuPartNumber: "AAD_PREMIUM", plans: [PLAN.entraIdP1, PLAN.mfaPremium] },
  entraIdP2: {
    skuId: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
    skuPartNumber: "AAD_PREMIUM_P2",
    plans: [PLAN.entraIdP1, PLAN.entraIdP2, PLAN.mfaPremium],
  },
  /** Office 365 E3 for GCC High (SKU id from public licence tables, not checked against Microsoft's CSV). */
  office365E3GccHigh: {
    skuId: "aea38a85-9bd5-4981-aa00-616b411205bf",
    skuPartNumber: "ENTERPRISEPACK_USGOV_GCCHIGH",
    plans: [PLAN.exchangeEnterprise, PLAN.sharePointEnterprise, PLAN.officeSubscription, PLAN.teams],
  },
  /** Office 365 E3 as sold by 21Vianet. */
  office365E3: {
    skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900",
    skuPartNumber: "ENTERPRISEPACK",
    plans: [PLAN.exchangeEnterprise, PLAN.sharePointEnterprise, PLAN.officeSubscription],
  },
} satisfies Record<string, Sku>;

interface PresetSpec {
  cloud: Cloud;
  organizationName: string;
  initialDomain: string;
  /** A verified custom domain that is the default one (hybrid tenants sync it from AD). */
  customDomain?: string;
  /** organization.onPremisesSyncEnabled: true = synced; null = never synced. */
  onPremisesSyncEnabled: boolean | null;
  subscriptions: { sku: Sku; isTrial: boolean; licences: number }[];
  policyMigrationState: "preMigration" | "migrationInProgress";
  countryLetterCode: string;
  preferredLanguage: string;
}

const PRESETS: Record<PresetName, PresetSpec> = {
  "paid-cloud-only": {
    cloud: "worldwide",
    organizationName: "Contoso Paid",
    initialDomain: "contosopaid.onmicrosoft.com",
    onPremisesSyncEnabled: null,
    subscriptions: [{ sku: SKU.businessStandard, isTrial: false, licences: 25 }],
    policyMigrationState: "preMigration",
    countryLetterCode: "US",
    preferredLanguage: "en",
  },
  trial: {
    cloud: "worldwide",
    organizationName: "Contoso Trial",
    initialDomain: "contosotrial.onmicrosoft.com",
    onPremisesSyncEnabled: null,
    subscriptions: [{ sku: SKU.businessStandard, isTrial: true, licences: 25 }],
    policyMigrationState: "preMigration",
    countryLetterCode: "US",
    preferredLanguage: "en",
  },
  "hybrid-no-p1": {
    cloud: "worldwide",
    organizationName: "Fabrikam Hybrid",
    initialDomain: "fabrikamhybrid.onmicrosoft.com",
    customDomain: "fabrikam-hybrid.example",
    onPremisesSyncEnabled: true,
    subscriptions: [{ sku: SKU.businessStandard, isTrial: false, licences: 50 }],
    policyMigrationState: "preMigration",
    countryLetterCode: "GB",
    preferredLanguage: "en",
  },
  "hybrid-p1": {
    cloud: "worldwide",
    organizationName: "Northwind Hybrid",
    initialDomain: "northwindhybrid.onmicrosoft.com",
    customDomain: "northwind-hybrid.example",
    onPremisesSyncEnabled: true,
    subscriptions: [{ sku: SKU.businessPremium, isTrial: false, licences: 50 }],
    policyMigrationState: "migrationInProgress",
    countryLetterCode: "DE",
    preferredLanguage: "de",
  },
  usgov: {
    cloud: "usgov",
    organizationName: "Contoso Government (GCC High)",
    initialDomain: "contosogov.onmicrosoft.us",
    onPremisesSyncEnabled: null,
    subscriptions: [
      { sku: SKU.office365E3GccHigh, isTrial: false, licences: 100 },
      { sku: SKU.entraIdP1, isTrial: false, licences: 100 },
    ],
    policyMigrationState: "migrationInProgress",
    countryLetterCode: "US",
    preferredLanguage: "en",
  },
  china: {
    cloud: "china",
    organizationName: "Contoso China (21Vianet)",
    initialDomain: "contosocn.partner.onmschina.cn",
    onPremisesSyncEnabled: null,
    subscriptions: [{ sku: SKU.office365E3, isTrial: false, licences: 20 }],
    policyMigrationState: "preMigration",
    countryLetterCode: "CN",
    preferredLanguage: "zh-CN",
  },
};

export function defaultDomainOf(preset: PresetName): string {
  const p = PRESETS[preset];
  return p.customDomain ?? p.initialDomain;
}

/** Object ids that credentials refer to (users, apps' service principals): stable for a tenant id. */
export function wellKnownIds(tenantId: string) {
  const id = (name: string) => seededUuid(tenantId, name);
  return {
    adminUser: id("user/admin"),
    plainUser: id("user/user"),
    groups: { ssprUsers: id("group/sspr-users"), helpdesk: id("group/helpdesk"), breakGlass: id("group/break-glass") },
  };
}

/** A complete tenant as a new tenant of the preset's kind looks, with the service principals given. */
export function buildTenantState(
  preset: PresetName,
  tenantId: string,
  servicePrincipals: { id: string; appId: string; displayName: string }[],
): TenantState {
  const spec = PRESETS[preset];
  const ids = wellKnownIds(tenantId);
  const created = "2024-03-01T09:00:00Z";
  const defaultDomain = defaultDomainOf(preset);
  const enabledPlans = (s: { sku: Sku }) => s.sku.plans;
  /** A plan as subscriptions (serviceStatus) and subscribedSkus (servicePlans) list it. */
  const planStatus = (p: ServicePlan) => ({ appliesTo: "User", provisioningStatus: "Success", servicePlanId: p.id, servicePlanName: p.name });

  const subscriptions: GraphObject[] = spec.subscriptions.map((s) => ({
    id: seededUuid(tenantId, "subscription", s.sku.skuId),
    commerceSubscriptionId: seededUuid(tenantId, "commerce", s.sku.skuId),
    createdDateTime: created,
    isTrial: s.isTrial,
    nextLifecycleDateTime: s.isTrial ? "2024-03-31T09:00:00Z" : "2025-03-01T09:00:00Z",
    ownerId: null,
    ownerTenantId: null,
    ownerType: null,
    serviceStatus: enabledPlans(s).map(planStatus),
    skuId: s.sku.skuId,
    skuPartNumber: s.sku.skuPartNumber,
    status: "Enabled",
    totalLicenses: s.licences,
  }));

  const subscribedSkus: GraphObject[] = spec.subscriptions.map((s, i) => ({
    id: `${tenantId}_${s.sku.skuId}`,
    accountId: tenantId,
    accountName: spec.organizationName.replace(/[^A-Za-z0-9]/g, ""),
    appliesTo: "User",
    capabilityStatus: "Enabled",
    consumedUnits: 2,
    prepaidUnits: { enabled: s.licences, lockedOut: 0, suspended: 0, warning: 0 },
    servicePlans: enabledPlans(s).map(planStatus),
    skuId: s.sku.skuId,
    skuPartNumber: s.sku.skuPartNumber,
    subscriptionIds: [subscriptions[i].id],
  }));

  const allPlans = [...new Map(spec.subscriptions.flatMap(enabledPlans).map((p) => [p.id, p])).values()];
  const verifiedDomains = [
    { capabilities: "Email, OfficeCommunicationsOnline", isDefault: !spec.customDomain, isInitial: true, name: spec.initialDomain, type: "Managed" },
    ...(spec.customDomain
      ? [{ capabilities: "Email, OfficeCommunicationsOnline", isDefault: true, isInitial: false, name: spec.customDomain, type: "Managed" }]
      : []),
  ];
  const organization: GraphObject = {
    id: tenantId,
    deletedDateTime: null,
    businessPhones: ["+1 425 555 0100"],
    city: "Redmond",
    country: null,
    countryLetterCode: spec.countryLetterCode,
    createdDateTime: created,
    defaultUsageLocation: null,
    displayName: spec.organizationName,
    marketingNotificationEmails: [],
    mobileDeviceManagementAuthority: allPlans.includes(PLAN.intune) ? "intune" : "unknown",
    onPremisesLastSyncDateTime: spec.onPremisesSyncEnabled ? "2024-06-01T08:30:00Z" : null,
    onPremisesSyncEnabled: spec.onPremisesSyncEnabled,
    partnerTenantType: null,
    postalCode: "98052",
    preferredLanguage: spec.preferredLanguage,
    privacyProfile: null,
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: null,
    street: "1 Example Way",
    technicalNotificationMails: [`admin@${defaultDomain}`],
    tenantType: "AAD",
    verifiedDomains,
    assignedPlans: allPlans.map((p) => ({ assignedDateTime: created, capabilityStatus: "Enabled", service: p.service, servicePlanId: p.id })),
    provisionedPlans: [...new Set(allPlans.map((p) => p.service))].map((service) => ({ capabilityStatus: "Enabled", provisioningStatus: "Success", service })),
  };

  const group = (id: string, displayName: string, description: string, isAssignableToRole: boolean): GraphObject => ({
    id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: created,
    description,
    displayName,
    expirationDateTime: null,
    groupTypes: [],
    isAssignableToRole,
    mail: null,
    mailEnabled: false,
    mailNickname: displayName.replace(/[^A-Za-z0-9]/g, "").toLowerCase(),
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: null,
    onPremisesLastSyncDateTime: null,
    onPremisesNetBiosName: null,
    onPremisesSamAccountName: null,
    onPremisesSecurityIdentifier: null,
    onPremisesSyncEnabled: null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: [],
    renewedDateTime: created,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: true,
    securityIdentifier: `S-1-12-1-${parseInt(id.slice(0, 8), 16)}-${parseInt(id.slice(9, 13), 16)}`,
    theme: null,
    visibility: null,
    onPremisesProvisioningErrors: [],
    serviceProvisioningErrors: [],
  });
  const groups = [
    group(ids.groups.ssprUsers, "SSPR Users", "Users allowed to reset their own password (SSPR target group)", false),
    group(ids.groups.helpdesk, "Helpdesk Operators", "Helpdesk staff who reset passwords for others", true),
    group(ids.groups.breakGlass, "Break Glass Accounts", "Emergency access accounts excluded from policies", false),
  ];

  const user = (id: string, alias: string, givenName: string, surname: string, jobTitle: string): GraphObject => ({
    id,
    businessPhones: [],
    displayName: `${givenName} ${surname}`,
    givenName,
    jobTitle,
    mail: `${alias}@${defaultDomain}`,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: spec.preferredLanguage,
    surname,
    userPrincipalName: `${alias}@${defaultDomain}`,
    accountEnabled: true,
    userType: "Member",
  });
  const users = [
    user(ids.adminUser, "admin", "Adele", "Admin", "IT administrator"),
    user(ids.plainUser, "user", "Uma", "User", "Sales"),
  ];

  const roleDefinitions = Object.values(ROLE_CATALOGUE).map((r) => ({
    id: r.templateId,
    description: r.description,
    displayName: r.displayName,
    isBuiltIn: true,
    isEnabled: true,
    resourceScopes: ["/"],
    templateId: r.templateId,
    version: "1",
    rolePermissions: [{ allowedResourceActions: r.actions, condition: null, excludedResourceActions: [] }],
  }));
  const roleAssignments = [
    {
      id: seededUuid(tenantId, "roleAssignment/admin-ga").replace(/-/g, "").slice(0, 32) + "-1",
      appScopeId: null,
      condition: null,
      directoryScopeId: "/",
      principalId: ids.adminUser,
      principalOrganizationId: tenantId,
      roleDefinitionId: ROLE.GlobalAdministrator,
    },
  ];

  return {
    tenantId,
    preset,
    cloud: spec.cloud,
    defaultDomain,
    organization,
    subscriptions,
    subscribedSkus,
    authorizationPolicy: defaultAuthorizationPolicy(),
    authenticationMethodsPolicy: defaultAuthenticationMethodsPolicy(spec.policyMigrationState, created),
    passwordResetPolicy: defaultPasswordResetPolicy(!spec.subscriptions.every((s) => s.isTrial)),
    onPremisesPasswordResetPolicy: defaultOnPremisesPolicy(spec.onPremisesSyncEnabled === true),
    groups,
    users,
    servicePrincipals: servicePrincipals.map((sp) => ({ ...sp })),
    roleDefinitions,
    roleAssignments,
    roleEligibilityScheduleRequests: [],
  };
}

function defaultAuthorizationPolicy(): GraphObject {
  return {
    id: "authorizationPolicy",
    displayName: "Authorization Policy",
    description: "Used to manage authorization related settings across the company.",
    allowInvitesFrom: "everyone",
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    allowUserConsentForRiskyApps: null,
    blockMsolPowerShell: false,
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: true,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
    },
    guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3",
  };
}

const ALL_USERS = "all_users";
/** The all-zero group id: "no group" (method feature settings' excludeTarget, an unset SSPR target group). */
export const NO_GROUP = "00000000-0000-0000-0000-000000000000";

/** The method configurations a new tenant has (default states as Microsoft ships them, approximately). */
export function defaultMethodConfigurations(): Record<string, GraphObject> {
  const target = (extra: Record<string, unknown> = {}) => [{ targetType: "group", id: ALL_USERS, isRegistrationRequired: false, ...extra }];
  const featureDefault = { state: "default", includeTarget: { targetType: "group", id: ALL_USERS }, excludeTarget: { targetType: "group", id: NO_GROUP } };
  return {
    Fido2: {
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      id: "Fido2",
      state: "disabled",
      isSelfServiceRegistrationAllowed: true,
      isAttestationEnforced: false,
      keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
      excludeTargets: [],
      includeTargets: target(),
    },
    MicrosoftAuthenticator: {
      "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
      id: "MicrosoftAuthenticator",
      state: "enabled",
      isSoftwareOathEnabled: false,
      featureSettings: { displayAppInformationRequiredState: { ...featureDefault }, displayLocationInformationRequiredState: { ...featureDefault } },
      excludeTargets: [],
      includeTargets: target({ authenticationMode: "any" }),
    },
    TemporaryAccessPass: {
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
      id: "TemporaryAccessPass",
      state: "disabled",
      defaultLifetimeInMinutes: 60,
      defaultLength: 8,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      isUsableOnce: false,
      excludeTargets: [],
      includeTargets: target(),
    },
    Email: {
      "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
      id: "Email",
      state: "enabled",
      allowExternalIdToUseEmailOtp: "default",
      excludeTargets: [],
      includeTargets: target(),
    },
    Sms: {
      "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
      id: "Sms",
      state: "disabled",
      excludeTargets: [],
      includeTargets: target({ isUsableForSignIn: true }),
    },
    Voice: {
      "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration",
      id: "Voice",
      state: "disabled",
      isOfficePhoneAllowed: false,
      excludeTargets: [],
      includeTargets: target(),
    },
    SoftwareOath: {
      "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethodConfiguration",
      id: "SoftwareOath",
      state: "disabled",
      excludeTargets: [],
      includeTargets: target(),
    },
  };
}

function defaultAuthenticationMethodsPolicy(policyMigrationState: string, modified: string): TenantState["authenticationMethodsPolicy"] {
  return {
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    description:
      "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
    lastModifiedDateTime: modified,
    policyVersion: "1.5",
    policyMigrationState,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: "default",
        excludeTargets: [],
        includeTargets: [{ id: ALL_USERS, targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
      },
    },
    authenticationMethodConfigurations: defaultMethodConfigurations(),
  };
}

/** The portal's SSPR object as a new tenant has it: SSPR off, one method, email + mobile phone. */
function defaultPasswordResetPolicy(paid: boolean): TenantState["passwordResetPolicy"] {
  return {
    objectId: "default",
    enablementType: 0,
    numberOfAuthenticationMethodsRequired: 1,
    emailOptionEnabled: true,
    mobilePhoneOptionEnabled: true,
    officePhoneOptionEnabled: false,
    securityQuestionsOptionEnabled: false,
    mobileAppNotificationEnabled: false,
    mobileAppCodeEnabled: false,
    numberOfQuestionsToRegister: 5,
    numberOfQuestionsToReset: 3,
    registrationRequiredOnSignIn: true,
    registrationReconfirmIntevalInDays: 180,
    skipRegistrationAllowed: true,
    skipRegistrationMaxAllowedDays: 7,
    customizeHelpdeskLink: false,
    customHelpdeskEmailOrUrl: "",
    notifyUsersOnPasswordReset: true,
    notifyOnAdminPasswordReset: true,
    passwordResetEnabledGroupIds: [],
    passwordResetEnabledGroupName: "",
    securityQuestions: [],
    registrationConditionalAccessPolicies: [],
    emailOptionAllowed: true,
    mobilePhoneOptionAllowed: true,
    // "Office phone ... available only for tenants with paid subscriptions" (reference §1.3).
    officePhoneOptionAllowed: paid,
    securityQuestionsOptionAllowed: true,
    mobileAppNotificationOptionAllowed: true,
    mobileAppCodeOptionAllowed: true,
  };
}

function defaultOnPremisesPolicy(synced: boolean): TenantState["onPremisesPasswordResetPolicy"] {
  return {
    objectId: synced ? "default" : null,
    passwordWritebackSupported: false,
    accountUnlockSupported: synced,
    accountUnlockEnabled: false,
    enablementForTenant: synced,
    cloudProvisioningEnablementForTenant: false,
  };
}

type RoleKey = keyof typeof ROLE | keyof typeof EXTRA_ROLE;
const ROLE_TEMPLATE_ID: Record<RoleKey, string> = { ...ROLE, ...EXTRA_ROLE };

/** Built-in directory roles served by roleDefinitions: the ones in components/model.ts plus readers (all of them). */
const ROLE_DETAILS = {
  GlobalAdministrator: {
    displayName: "Global Administrator",
    description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
    actions: ["microsoft.directory/*/allProperties/allTasks"],
  },
  PasswordAdministrator: {
    displayName: "Password Administrator",
    description: "Can reset passwords for non-administrators and Password Administrators.",
    actions: ["microsoft.directory/users/password/update"],
  },
  HelpdeskAdministrator: {
    displayName: "Helpdesk Administrator",
    description: "Can reset passwords for non-administrators and Helpdesk Administrators.",
    actions: ["microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"],
  },
  AuthenticationAdministrator: {
    displayName: "Authentication Administrator",
    description: "Can access to view, set and reset authentication method information for any non-admin user.",
    actions: ["microsoft.directory/users/authenticationMethods/create", "microsoft.directory/users/password/update"],
  },
  PrivilegedAuthenticationAdministrator: {
    displayName: "Privileged Authentication Administrator",
    description: "Can access to view, set and reset authentication method information for any user (admin or non-admin).",
    actions: ["microsoft.directory/users/authenticationMethods/create", "microsoft.directory/users/password/update"],
  },
  AuthenticationPolicyAdministrator: {
    displayName: "Authentication Policy Administrator",
    description: "Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.",
    actions: ["microsoft.directory/organization/strongAuthentication/allTasks", "microsoft.directory/userCredentialPolicies/create"],
  },
  SecurityAdministrator: {
    displayName: "Security Administrator",
    description: "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
    actions: ["microsoft.directory/policies/standard/read", "microsoft.directory/conditionalAccessPolicies/create"],
  },
  UserAdministrator: {
    displayName: "User Administrator",
    description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
    actions: ["microsoft.directory/users/create", "microsoft.directory/groups/create", "microsoft.directory/users/password/update"],
  },
  PrivilegedRoleAdministrator: {
    displayName: "Privileged Role Administrator",
    description: "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
    actions: ["microsoft.directory/roleAssignments/allProperties/allTasks", "microsoft.directory/authorizationPolicy/allProperties/allTasks"],
  },
  GlobalReader: {
    displayName: "Global Reader",
    description: "Can read everything that a Global Administrator can, but not update anything.",
    actions: ["microsoft.directory/policies/standard/read", "microsoft.directory/organization/standard/read"],
  },
  SecurityReader: {
    displayName: "Security Reader",
    description: "Can read security information and reports in Microsoft Entra ID and Office 365.",
    actions: ["microsoft.directory/policies/standard/read"],
  },
} satisfies Record<RoleKey, { displayName: string; description: string; actions: string[] }>;

/** ROLE_DETAILS with each role's template id (the id of ROLE or EXTRA_ROLE under the same key). */
export const ROLE_CATALOGUE: Record<string, { templateId: string; displayName: string; description: string; actions: string[] }> = Object.fromEntries(
  Object.entries(ROLE_DETAILS).map(([key, r]) => [key, { templateId: ROLE_TEMPLATE_ID[key as RoleKey], ...r }]),
);

/** "Global Administrator" for its template id (for messages). */
export function roleName(templateId: string): string {
  return Object.values(ROLE_CATALOGUE).find((r) => r.templateId === templateId)?.displayName ?? templateId;
}
