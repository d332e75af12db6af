/**
 * What a whole preview says: every policy of the pack over one stack, as the analyzer runs them (runPack). Issue 11
 * item 8: the preview must tell one coherent story, each licensing fact once, with the licence errors Microsoft
 * would otherwise raise only at `pulumi up`.
 */
import { allPolicies } from "../../policy/policies";
import {
  eligibleRoleAssignment, FACTS, onPremises, resetPolicy, resetPolicyResource, ROLE, roleAssignment, roleEligibility, TYPE, USER_A, USER_B,
} from "./fixtures";
import type { PackViolation, TestResource } from "./util";
import { runPack } from "./util";

const GA = ROLE.GlobalAdministrator;
const P1_ADVISORIES = ["sspr-protect-security-info-registration", "sspr-audit-logs-exported"];
const policiesOf = (violations: PackViolation[]) => violations.map((v) => v.policy);

/** SSPR on for all users, with a permanent Global Administrator, and neither a CA policy nor audit-log export. */
function tenantStack(tenantFacts: typeof FACTS[keyof typeof FACTS], extra: TestResource[] = []): TestResource[] {
  return [resetPolicyResource({ tenantFacts, enablement: "all" }), roleAssignment(GA, USER_A, "ga"), ...extra];
}

describe("a preview of the whole pack", () => {
  it("on a trial tenant has the trial error and not the advisories that presuppose a paid, licensed tenant", async () => {
    // An Entra ID P2 trial gives the P1/P2 service plans, but no paid subscription.
    const violations = await runPack(allPolicies, tenantStack(FACTS.trialWithP2));
    const names = policiesOf(violations);
    expect(names).toContain("sspr-requires-paid-subscription");
    for (const advisory of [...P1_ADVISORIES, "sspr-no-permanent-privileged-assignment"]) expect(names).not.toContain(advisory);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy)).toEqual(["sspr-requires-paid-subscription"]);
  });

  it("on the same stack with paid P2 gives those advisories (control)", async () => {
    const names = policiesOf(await runPack(allPolicies, tenantStack(FACTS.p2)));
    for (const advisory of [...P1_ADVISORIES, "sspr-no-permanent-privileged-assignment"]) expect(names).toContain(advisory);
    expect(names).not.toContain("sspr-requires-paid-subscription");
  });

  it("reports the hybrid licence gap once, though writeback and SSPR for synced users both need the licence", async () => {
    const violations = await runPack(allPolicies, [
      { type: TYPE.OnPremisesPasswordReset, name: "onprem", props: onPremises({ tenantFacts: FACTS.hybridWithoutP1 }) },
      resetPolicyResource({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" }),
    ]);
    const licence = violations.filter((v) => /needs Microsoft Entra ID P1 or P2, or Microsoft 365 Business Premium/.test(v.message));
    expect(licence.map((v) => v.policy)).toEqual(["sspr-hybrid-requires-premium"]);
  });

  it("reports a password reset policy without tenant facts once, not once per licensing policy", async () => {
    const props: Record<string, any> = { ...resetPolicy({ enablement: "all" }) };
    delete props.tenantFacts;
    const violations = await runPack(allPolicies, [{ type: TYPE.PasswordResetPolicy, name: "sspr", props }]);
    expect(violations.filter((v) => v.message.includes("carries no tenantFacts")).map((v) => v.policy)).toEqual(["sspr-requires-paid-subscription"]);
  });

  it("fails a stack with PIM-eligible assignments on a tenant without Entra ID P2, naming them, once", async () => {
    const violations = await runPack(allPolicies, tenantStack(FACTS.cloudOnlyP1, [
      roleEligibility(ROLE.PasswordAdministrator, USER_B, "pw-eligible"),
      eligibleRoleAssignment(ROLE.HelpdeskAdministrator, USER_B, "helpdesk-eligible"),
    ]));
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
    expect(mandatory).toHaveLength(1);
    expect(mandatory[0].message).toMatch(/pw-eligible.*helpdesk-eligible/);
    expect(mandatory[0].message).toContain("Microsoft Entra ID P2 or a licence that includes it");
  });

  it("accepts the same eligible assignments on a P2 tenant", async () => {
    const violations = await runPack(allPolicies, tenantStack(FACTS.p2, [roleEligibility(ROLE.PasswordAdministrator, USER_B, "pw-eligible")]));
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});
