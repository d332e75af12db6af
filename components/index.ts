/** The library users import: the component, the tenant-setting resources it composes, and the shared model. */
export * from "./model";
export { SelfServicePasswordReset, validateSelfServicePasswordReset } from "./selfServicePasswordReset";
export type { SelfServicePasswordResetArgs, RoleAssignmentArgs, AdminRoleName } from "./selfServicePasswordReset";
export { PasswordResetPolicy } from "./passwordResetPolicy";
export type { PasswordResetPolicyArgs } from "./passwordResetPolicy";
export { OnPremisesPasswordReset } from "./onPremisesPasswordReset";
export { AdminPasswordResetPolicy } from "./adminPasswordResetPolicy";
export { AuthenticationMethodsPolicy } from "./authenticationMethodsPolicy";
export { EligibleRoleAssignment } from "./eligibleRoleAssignment";
export { PasswordResetAuditTrail } from "./auditTrail";
export type { PasswordResetAuditTrailArgs } from "./auditTrail";
export { discoverTenantFacts } from "./tenantFacts";
export { cloudEndpoints } from "./connection";
