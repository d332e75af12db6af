import { ssprGlobalAdminCount, ssprLeastPrivilegedRole, ssprNoPermanentPrivilegedAssignment } from "../../policy/roles";
import {
  AZUREAD_TYPE, FACTS, methodsPolicy, resetPolicyResource, ROLE, roleAssignment, roleEligibility, TYPE, USER_A, USER_B, USER_C,
} from "./fixtures";
import type { TestResource } from "./util";
import {
  assertHasViolation, assertNoViolations, createResourceValidationArgs, createStackValidationArgs as stack, runPolicy, UNKNOWN, urnOf,
} from "./util";

const GA = ROLE.GlobalAdministrator;

describe("sspr-least-privileged-role", () => {
  const policy = ssprLeastPrivilegedRole;
  const assignment = (roleId: string, principal: string, config?: Record<string, unknown>) =>
    createResourceValidationArgs(AZUREAD_TYPE.DirectoryRoleAssignment, roleAssignment(roleId, principal).props, config);
  const eligibility = (roleId: string, principal: string, config?: Record<string, unknown>) =>
    createResourceValidationArgs(AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest, roleEligibility(roleId, principal).props, config);

  it("is advisory", () => expect(policy.enforcementLevel).toBe("advisory"));

  it.each([ROLE.PasswordAdministrator, ROLE.HelpdeskAdministrator, ROLE.AuthenticationPolicyAdministrator])("accepts %s", async (role) => {
    await assertNoViolations(policy, assignment(role, USER_A));
    await assertNoViolations(policy, eligibility(role, USER_A));
  });

  it("warns on an active Global Administrator assignment, naming the principal and the narrower roles", async () => {
    await assertHasViolation(policy, assignment(GA, USER_A), {
      message: [`principal "${USER_A}" an active Global Administrator`, "Authentication Policy Administrator", "Password Administrator", "exemptPrincipalIds", "permissions-reference"],
    });
  });

  it("warns on an eligible one, and on role ids written as a definition path or in upper case", async () => {
    await assertHasViolation(policy, eligibility(GA, USER_A), { message: "an eligible Global Administrator" });
    await assertHasViolation(policy, assignment(`/roleDefinitions/${GA.toUpperCase()}`, USER_A), { message: "Global Administrator" });
  });

  it("reads this package's EligibleRoleAssignment (PIM with an end date) like azuread's eligibility", async () => {
    const withEnd = createResourceValidationArgs(TYPE.EligibleRoleAssignment, { ...roleEligibility(GA, USER_B).props, expiresOn: "2099-01-01T00:00:00Z" });
    await assertHasViolation(policy, withEnd, { message: `principal "${USER_B}" an eligible Global Administrator` });
  });

  it("warns without the principal when its id isn't known yet", async () => {
    await assertHasViolation(policy, assignment(GA, UNKNOWN), { message: "makes a principal an active Global Administrator" });
  });

  it("config: exemptPrincipalIds (break-glass accounts)", async () => {
    await assertNoViolations(policy, assignment(GA, USER_A, { exemptPrincipalIds: [USER_A.toUpperCase()] }));
    await assertNoViolations(policy, eligibility(GA, USER_A, { exemptPrincipalIds: [USER_A] }));
    await assertHasViolation(policy, assignment(GA, USER_B, { exemptPrincipalIds: [USER_A] }), { message: USER_B });
  });

  it("during preview, leaves the verdict to the engine when it depends on a principal not known yet (exemptPrincipalIds set)", async () => {
    await expect(assertNoViolations(policy, assignment(GA, UNKNOWN, { exemptPrincipalIds: [USER_A] }))).rejects.toThrow("can't be known during preview");
    await expect(assertNoViolations(policy, eligibility(GA, UNKNOWN, { exemptPrincipalIds: [USER_A] }))).rejects.toThrow("can't be known during preview");
  });
});

describe("sspr-global-admin-count", () => {
  const policy = ssprGlobalAdminCount;
  const principals = (n: number) => Array.from({ length: n }, (_, i) => `aaaaaaaa-0000-0000-0000-0000000001${String(i).padStart(2, "0")}`);

  it("is advisory with the CIS range 2-4 by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.globalAdminMin.default).toBe(2);
    expect(policy.configSchema?.properties.globalAdminMax.default).toBe(4);
  });

  it("accepts a stack that assigns no Global Administrator", async () => {
    await assertNoViolations(policy, stack([resetPolicyResource(), roleAssignment(ROLE.PasswordAdministrator, USER_A)]));
  });

  it("accepts two, counting a principal once whether active or eligible", async () => {
    await assertNoViolations(policy, stack([roleAssignment(GA, USER_A), roleEligibility(GA, USER_A), roleEligibility(GA, USER_B)]));
  });

  it("never asks the stack for more Global Administrators: one (below globalAdminMin) is not reported", async () => {
    // It sees only its own assignments, and sspr-least-privileged-role tells it to replace that one with a narrower role.
    await assertNoViolations(policy, stack([roleAssignment(GA, USER_A), roleAssignment(ROLE.HelpdeskAdministrator, USER_B)]));
    await assertNoViolations(policy, stack([roleAssignment(GA, USER_A)], { globalAdminMin: 3, globalAdminMax: 8 }));
  });

  it("warns on five: Global Administrator is for 2-4 emergency-access accounts, the rest get narrower roles", async () => {
    const five = principals(5).map((p) => roleEligibility(GA, p));
    const v = await assertHasViolation(policy, stack(five), {
      message: ["makes 5 principals Global Administrator", "more than the 4 set for this policy", "2-4 cloud-only emergency-access (break-glass) accounts",
        "Password Administrator or Helpdesk Administrator", "fewer than five Global Administrators", "CIS Microsoft 365 1.1.3", "MS.AAD.7.1v1"],
      count: 1,
    });
    expect(v.message).toMatch(/(?<!Privileged )Authentication Administrator/);
  });

  it("config: the CISA range 2-8 accepts five", async () => {
    const five = principals(5).map((p) => roleAssignment(GA, p));
    await assertNoViolations(policy, stack(five, { globalAdminMin: 2, globalAdminMax: 8 }));
    await assertHasViolation(policy, stack(five, { globalAdminMax: 3 }), { message: ["more than the 3 set for this policy", "2-3 cloud-only emergency-access"] });
  });

  it("counts assignments whose principal isn't known yet one each", async () => {
    await assertNoViolations(policy, stack([roleAssignment(GA, UNKNOWN), roleAssignment(GA, UNKNOWN)]));
    // Counted, not ignored: two unknown principals are two, above a maximum of 1.
    await assertHasViolation(policy, stack([roleAssignment(GA, UNKNOWN), roleAssignment(GA, UNKNOWN)], { globalAdminMin: 1, globalAdminMax: 1 }), {
      message: ["makes 2 principals Global Administrator", "more than the 1 set"], count: 1,
    });
  });

  it("counts distinct principals: two GA assignments with globalAdminMax 1 are reported as 2", async () => {
    await assertHasViolation(policy, stack([roleAssignment(GA, USER_A), roleAssignment(GA, USER_B)], { globalAdminMin: 1, globalAdminMax: 1 }), {
      message: ["makes 2 principals Global Administrator", "more than the 1 set"], count: 1,
    });
    await assertNoViolations(policy, stack([roleAssignment(GA, USER_A), roleEligibility(GA, USER_A.toUpperCase())], { globalAdminMin: 1, globalAdminMax: 1 }));
  });
});

describe("the two Global Administrator policies agree", () => {
  const both = async (resources: TestResource[], config?: Record<string, unknown>) => [
    ...await runPolicy(ssprLeastPrivilegedRole, createResourceValidationArgs(resources[0].type, resources[0].props, config)),
    ...await runPolicy(ssprGlobalAdminCount, stack(resources)),
  ].map((v) => v.message);

  it("neither tells a stack with one Global Administrator to assign more; least privilege says replace it", async () => {
    const messages = await both([roleAssignment(GA, USER_A)]);
    expect(messages).toHaveLength(1);
    for (const m of messages) expect(m).not.toMatch(/assign Global Administrator to at least/i);
    expect(messages[0]).toContain("assign the narrowest role for the job instead");
  });

  it("both name the same narrower roles (Password, Helpdesk, Authentication Administrator) and keep Global Administrator for emergency-access accounts", async () => {
    const five = ["1", "2", "3", "4", "5"].map((n) => roleAssignment(GA, `aaaaaaaa-0000-0000-0000-00000000010${n}`));
    const messages = await both(five);
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m).toContain("Password Administrator or Helpdesk Administrator");
      expect(m).toMatch(/(?<!Privileged )Authentication Administrator/);
      expect(m).toContain("emergency-access (break-glass) accounts");
      expect(m).toContain("fewer than five Global Administrators");
    }
  });

  it("least privilege leaves the break-glass accounts it exempts to the count, which still counts them", async () => {
    await assertNoViolations(ssprLeastPrivilegedRole, createResourceValidationArgs(AZUREAD_TYPE.DirectoryRoleAssignment,
      roleAssignment(GA, USER_A).props, { exemptPrincipalIds: [USER_A] }));
    expect(ssprLeastPrivilegedRole.description).toMatch(/Password, Helpdesk or Authentication Administrator/);
  });
});

describe("sspr-no-permanent-privileged-assignment", () => {
  const policy = ssprNoPermanentPrivilegedAssignment;
  const withFacts = (tenantFacts: typeof FACTS[keyof typeof FACTS]) => resetPolicyResource({ tenantFacts });

  it("is advisory; every admin role of the model is privileged by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.privilegedRoleIds.default).toEqual(Object.values(ROLE));
  });

  it("accepts PIM-eligible assignments on a P2 tenant", async () => {
    await assertNoViolations(policy, stack([withFacts(FACTS.p2), roleEligibility(GA, USER_A), roleEligibility(ROLE.PasswordAdministrator, USER_B)]));
  });

  it("accepts permanent assignments when the tenant has no P2 (no PIM), or carries no tenant facts", async () => {
    await assertNoViolations(policy, stack([withFacts(FACTS.cloudOnlyP1), roleAssignment(ROLE.PasswordAdministrator, USER_A)]));
    await assertNoViolations(policy, stack([roleAssignment(ROLE.PasswordAdministrator, USER_A)]));
  });

  it("warns on each permanent privileged assignment on a P2 tenant, against that resource", async () => {
    const a = stack([withFacts(FACTS.p2), roleAssignment(ROLE.PasswordAdministrator, USER_A, "pw-admin"), roleAssignment(GA, USER_B, "ga")]);
    const violations = await runPolicy(policy, a);
    expect(violations).toHaveLength(2);
    await assertHasViolation(policy, a, {
      message: ["pw-admin: Password Administrator is permanently active", USER_A, "PIM-eligible assignment", "expiresOn", "MS.AAD.7.4v1", "pim-configure"],
      urn: urnOf(AZUREAD_TYPE.DirectoryRoleAssignment, "pw-admin"),
    });
    await assertHasViolation(policy, a, { message: "ga: Global Administrator is permanently active", urn: urnOf(AZUREAD_TYPE.DirectoryRoleAssignment, "ga") });
  });

  it("stays quiet when the P2 comes from a trial: sspr-requires-paid-subscription already fails the stack", async () => {
    await assertNoViolations(policy, stack([withFacts(FACTS.trialWithP2), roleAssignment(GA, USER_A)]));
    // With SSPR off no mandatory violation applies, and PIM does work during a P2 trial.
    await assertHasViolation(policy, stack([resetPolicyResource({ tenantFacts: FACTS.trialWithP2, enablement: "none" }), roleAssignment(GA, USER_A)]), {
      message: "permanently active",
    });
  });

  it("takes the P2 fact from any tenant-setting resource", async () => {
    await assertHasViolation(policy, stack([{ type: TYPE.AuthenticationMethodsPolicy, props: methodsPolicy({ tenantFacts: FACTS.p2 }) }, roleAssignment(GA, USER_A)]), {
      message: "permanently active",
    });
  });

  it("config: privilegedRoleIds and exemptPrincipalIds", async () => {
    const resources = [withFacts(FACTS.p2), roleAssignment(ROLE.PasswordAdministrator, USER_A), roleAssignment(GA, USER_B), roleAssignment(GA, USER_C)];
    const violations = await runPolicy(policy, stack(resources, { privilegedRoleIds: [GA], exemptPrincipalIds: [USER_B] }));
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toContain(USER_C);
  });

  it("during preview, a principal not known yet still gets a verdict when no principals are exempt", async () => {
    await assertHasViolation(policy, stack([withFacts(FACTS.p2), roleAssignment(GA, UNKNOWN, "ga")]), {
      message: ["ga: Global Administrator is permanently active for principal (id not known yet)"], count: 1,
    });
  });

  it("during preview, leaves the verdict to the engine when it depends on a principal not known yet (exemptPrincipalIds set)", async () => {
    const a = stack([withFacts(FACTS.p2), roleAssignment(GA, UNKNOWN, "ga")], { exemptPrincipalIds: [USER_A] });
    await expect(assertNoViolations(policy, a)).rejects.toThrow("can't be known during preview");
  });
});
