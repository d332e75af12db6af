import type { TenantFacts } from "../../components/model";
import { ssprProtectSecurityInfoRegistration } from "../../policy/conditionalAccess";
import { FACTS, registrationCaPolicy, resetPolicyResource } from "./fixtures";
import { assertHasViolation, assertNoViolations, createStackValidationArgs as stack } from "./util";

describe("sspr-protect-security-info-registration", () => {
  const policy = ssprProtectSecurityInfoRegistration;
  const sspr = (tenantFacts: TenantFacts = FACTS.cloudOnlyP1, enablement: "all" | "none" | "selected" = "all") => resetPolicyResource({ tenantFacts, enablement });

  it("is advisory, report-only policies don't count by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.acceptReportOnly.default).toBe(false);
  });

  it("accepts a P1 tenant with an enabled CA policy requiring MFA to register security info", async () => {
    await assertNoViolations(policy, stack([sspr(), registrationCaPolicy()]));
  });

  it("accepts a CA policy using an authentication strength, or block", async () => {
    await assertNoViolations(policy, stack([sspr(), registrationCaPolicy({ grantControls: { operator: "OR", authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002" } })]));
    await assertNoViolations(policy, stack([sspr(), registrationCaPolicy({ grantControls: { operator: "OR", builtInControls: ["block"] } })]));
  });

  it("stays quiet without P1, with SSPR off, or without tenant facts", async () => {
    await assertNoViolations(policy, stack([sspr(FACTS.paidCloudOnly)]));
    await assertNoViolations(policy, stack([sspr(FACTS.cloudOnlyP1, "none")]));
    await assertNoViolations(policy, stack([registrationCaPolicy({ state: "disabled" })]));
  });

  it("stays quiet on a tenant without a paid subscription whose P1 comes from a trial (the mandatory trial error says it all)", async () => {
    await assertNoViolations(policy, stack([sspr(FACTS.trialWithP2)]));
  });

  it("warns on a P1 tenant with SSPR on and no such CA policy", async () => {
    await assertHasViolation(policy, stack([sspr(FACTS.hybridBusinessPremium)]), {
      message: ["Microsoft 365 Business Premium: yes", "no ConditionalAccessPolicy in this stack includes the user action \"urn:user:registersecurityinfo\"",
        "includedUserActions", "policy-all-users-security-info-registration"],
    });
  });

  it("warns when the CA policy is disabled or report-only", async () => {
    await assertHasViolation(policy, stack([sspr(), registrationCaPolicy({ state: "disabled" })]), {
      message: "protect-registration: state \"disabled\") is not enforced",
    });
    await assertHasViolation(policy, stack([sspr(), registrationCaPolicy({ state: "disabled" })], { acceptReportOnly: true }), {
      message: "protect-registration: state \"disabled\") is not enforced",
    });
    await assertHasViolation(policy, stack([sspr(), registrationCaPolicy({ state: "enabledForReportingButNotEnforced" })]), {
      message: "protect-registration: state \"enabledForReportingButNotEnforced\") is not enforced",
    });
  });

  it("warns when the CA policy grants without a control", async () => {
    await assertHasViolation(policy, stack([sspr(), registrationCaPolicy({ grantControls: { operator: "OR", termsOfUses: ["x"] } })]), {
      message: "(protect-registration) grants access without a control",
    });
  });

  it("ignores CA policies for other apps or actions", async () => {
    const other = registrationCaPolicy({ conditions: { applications: { includedApplications: ["All"] } } });
    await assertHasViolation(policy, stack([sspr(), other]), { message: "no ConditionalAccessPolicy in this stack" });
  });

  it("config: acceptReportOnly", async () => {
    await assertNoViolations(policy, stack([sspr(), registrationCaPolicy({ state: "enabledForReportingButNotEnforced" })], { acceptReportOnly: true }));
  });
});
