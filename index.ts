/**
 * Example program: stack config -> the SelfServicePasswordReset component.
 * Pulumi.dev.yaml targets the offline tenant emulator; examples/Pulumi.prod.yaml shows a real tenant.
 * Every key is optional except sspr:tenantId; each maps to the component argument of the same name.
 */
import * as pulumi from "@pulumi/pulumi";
import { SelfServicePasswordReset, SelfServicePasswordResetArgs } from "./components";

const config = new pulumi.Config("sspr");
const obj = <K extends keyof SelfServicePasswordResetArgs>(key: K) => config.getObject<SelfServicePasswordResetArgs[K]>(key);

const targetGroupId = config.get("targetGroupId");
const targetGroupName = config.get("targetGroupName");

const sspr = new SelfServicePasswordReset("sspr", {
  tenant: { cloud: config.get("cloud") ?? "worldwide", tenantId: config.require("tenantId"), endpoint: config.get("endpoint") },
  tenantFacts: obj("tenantFacts"),
  enablement: (config.get("enablement") ?? "all") as SelfServicePasswordResetArgs["enablement"],
  targetGroup: targetGroupId ? { existingGroupId: targetGroupId } : targetGroupName ? { create: { displayName: targetGroupName } } : undefined,
  methods: obj("methods"),
  registration: obj("registration"),
  notifications: obj("notifications"),
  helpdeskLink: config.get("helpdeskLink"),
  onPremises: obj("onPremises"),
  administratorsCanResetPassword: config.getBoolean("administratorsCanResetPassword"),
  authenticationMethods: obj("authenticationMethods"),
  roleAssignments: obj("roleAssignments"),
  protectRegistration: obj("protectRegistration"),
  auditTrail: obj("auditTrail"),
  manageAzureAd: config.getBoolean("manageAzureAd"),
  retainOnDelete: config.getBoolean("retainOnDelete"),
});

export const effectiveEnablement = sspr.effectiveEnablement;
export const targetGroup = sspr.targetGroupId.apply((id) => id ?? "(none: enablement is not \"selected\")");
export const roleAssignments = sspr.roleAssignments;
export const tenantFacts = sspr.tenantFacts;
