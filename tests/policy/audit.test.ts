import type { TenantFacts } from "../../components/model";
import { ssprAuditLogsExported } from "../../policy/audit";
import { auditDiagnosticSetting, FACTS, resetPolicyResource } from "./fixtures";
import { assertHasViolation, assertNoViolations, createStackValidationArgs as stack } from "./util";

describe("sspr-audit-logs-exported", () => {
  const policy = ssprAuditLogsExported;
  const sspr = (tenantFacts: TenantFacts = FACTS.hybridWithP1, enablement: "all" | "none" = "all") => resetPolicyResource({ tenantFacts, enablement });

  it("is advisory", () => expect(policy.enforcementLevel).toBe("advisory"));

  it("accepts a diagnostic setting exporting AuditLogs", async () => {
    await assertNoViolations(policy, stack([sspr(), auditDiagnosticSetting()]));
    await assertNoViolations(policy, stack([sspr(), auditDiagnosticSetting([{ category: "SignInLogs", enabled: true }, { category: "auditLogs", enabled: true }])]));
  });

  it("stays quiet without P1 (no diagnostic settings) or with SSPR off", async () => {
    await assertNoViolations(policy, stack([sspr(FACTS.paidCloudOnly)]));
    await assertNoViolations(policy, stack([sspr(FACTS.hybridWithP1, "none")]));
  });

  it("stays quiet on a tenant without a paid subscription whose P1 comes from a trial (the mandatory trial error says it all)", async () => {
    await assertNoViolations(policy, stack([sspr(FACTS.trialWithP2)]));
  });

  it("warns when the stack has no diagnostic setting", async () => {
    await assertHasViolation(policy, stack([sspr()]), {
      message: ["Entra ID P1: yes", "there is no azure-native:aadiam:DiagnosticSetting in this stack", "category: \"AuditLogs\", enabled: true", "howto-integrate-activity-logs-with-azure-monitor-logs"],
    });
  });

  it("warns when AuditLogs is missing or disabled", async () => {
    await assertHasViolation(policy, stack([sspr(), auditDiagnosticSetting([{ category: "SignInLogs", enabled: true }])]), {
      message: "the diagnostic setting in this stack (entra-audit) doesn't export the \"AuditLogs\" category",
    });
    await assertHasViolation(policy, stack([sspr(), auditDiagnosticSetting([{ category: "AuditLogs", enabled: false }])]), { message: "(entra-audit)" });
  });
});
