import { ssprEligibleAssignmentRequiresP2, ssprHybridRequiresPremium, ssprRequiresPaidSubscription } from "../../policy/licensing";
import {
  AZUREAD_TYPE, eligibleRoleAssignment, FACTS, GROUP_ID, methodsPolicy, onPremises, resetPolicy, resetPolicyResource, ROLE, roleAssignment,
  roleEligibility, TYPE, USER_A, USER_B,
} from "./fixtures";
import type { TestResource } from "./util";
import {
  assertHasViolation, assertNoViolations, createResourceValidationArgs as args, createStackValidationArgs as stack, runPolicy, UNKNOWN, urnOf,
} from "./util";

describe("sspr-requires-paid-subscription", () => {
  const policy = ssprRequiresPaidSubscription;

  it("is mandatory", () => {
    expect(policy.name).toBe("sspr-requires-paid-subscription");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("accepts SSPR on a paid tenant", async () => {
    await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy()));
  });

  it("accepts a trial tenant while SSPR is off", async () => {
    await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.trial, enablement: "none" })));
  });

  it.each(["all", "selected"] as const)("rejects enablement %s on a trial-only tenant, with the value found and the fix", async (enablement) => {
    const v = await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.trial, enablement })), {
      message: [`enablement: "${enablement}"`, "tenantFacts.trialOnly: true", "Set enablement to \"none\"", "https://learn.microsoft.com/"],
    });
    expect(v.message).toContain("read from Microsoft Graph");
  });

  it("calls the tenant what the facts know: no paid subscription (trial-only or none), not \"only trial subscriptions\"", async () => {
    // tenantFacts.trialOnly is also true for a tenant with no subscription at all (components/tenantFacts.ts).
    const v = await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.trial })), {
      message: ["the tenant has no paid subscription (trial-only or none)", "Microsoft Entra ID Free"],
    });
    expect(v.message).not.toMatch(/has only trial subscriptions/);
    expect(policy.description).toMatch(/trial-only, or no subscription at all/);
  });

  it("says when the facts were declared in stack config", async () => {
    await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: { ...FACTS.trial, source: "declared" } })), {
      message: "declared in stack config",
    });
  });

  it("fails closed when the resource carries no tenant facts", async () => {
    const props: Record<string, any> = { ...resetPolicy() };
    delete props.tenantFacts;
    await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, props), { message: "carries no tenantFacts" });
  });

  it("ignores other resource types", async () => {
    await assertNoViolations(policy, args(TYPE.OnPremisesPasswordReset, { tenantFacts: FACTS.trial, enablement: "all" }));
  });
});

describe("sspr-hybrid-requires-premium", () => {
  const policy = ssprHybridRequiresPremium;
  const onPrem = (overrides: Parameters<typeof onPremises>[0] = {}): TestResource =>
    ({ type: TYPE.OnPremisesPasswordReset, name: "onprem", props: onPremises(overrides) });
  const onPremUrn = urnOf(TYPE.OnPremisesPasswordReset, "onprem");
  const ssprUrn = urnOf(TYPE.PasswordResetPolicy, "sspr");

  it("is mandatory, with cloudOnlyGroupIds config", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.cloudOnlyGroupIds.default).toEqual([]);
  });

  describe("OnPremisesPasswordReset", () => {
    it.each([["Entra ID P1", FACTS.hybridWithP1], ["Business Premium", FACTS.hybridBusinessPremium], ["P2", FACTS.p2]])(
      "accepts writeback with %s", async (_label, tenantFacts) => {
        await assertNoViolations(policy, stack([onPrem({ tenantFacts })]));
      });

    it("accepts writeback and unlock off without a licence", async () => {
      await assertNoViolations(policy, stack([onPrem({ tenantFacts: FACTS.hybridWithoutP1, passwordWriteback: false, unlockWithoutReset: false })]));
    });

    it("rejects writeback on a hybrid tenant without P1/P2 or Business Premium, against the resource", async () => {
      await assertHasViolation(policy, stack([onPrem({ tenantFacts: FACTS.hybridWithoutP1, unlockWithoutReset: false })]), {
        message: ["onprem: passwordWriteback: true", "tenantFacts.directorySync: true", "Entra ID P1: no", "set passwordWriteback and unlockWithoutReset to false", "concept-sspr-licensing"],
        urn: onPremUrn,
        count: 1,
      });
    });

    it("rejects unlock without reset too", async () => {
      await assertHasViolation(policy, stack([onPrem({ tenantFacts: FACTS.hybridWithoutP1, passwordWriteback: false, unlockWithoutReset: true })]), {
        message: "unlockWithoutReset: true",
      });
    });

    it("fails closed without tenant facts", async () => {
      await assertHasViolation(policy, stack([{ type: TYPE.OnPremisesPasswordReset, name: "onprem", props: { connection: {}, passwordWriteback: true } }]), {
        message: "OnPremisesPasswordReset resource carries no tenantFacts", urn: onPremUrn,
      });
    });
  });

  describe("PasswordResetPolicy on a synced tenant", () => {
    const sspr = (overrides: Parameters<typeof resetPolicy>[0]) => resetPolicyResource(overrides);

    it("accepts SSPR with P1, and on cloud-only tenants without it", async () => {
      await assertNoViolations(policy, stack([sspr({ tenantFacts: FACTS.hybridWithP1, enablement: "all" })]));
      await assertNoViolations(policy, stack([sspr({ tenantFacts: FACTS.paidCloudOnly, enablement: "all" })]));
    });

    it("accepts SSPR off", async () => {
      await assertNoViolations(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1, enablement: "none" })]));
    });

    it("rejects SSPR for all users without a licence", async () => {
      await assertHasViolation(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" })]), {
        message: ["all users, including those synced", "tenantFacts.directorySync: true", "cloudOnlyGroupIds"], urn: ssprUrn,
      });
    });

    it("rejects a selected group not declared cloud-only, naming it", async () => {
      await assertHasViolation(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1 })]), {
        message: `the group ["${GROUP_ID}"], which is not listed in cloudOnlyGroupIds`,
      });
    });

    it("config: accepts a selected group listed in cloudOnlyGroupIds (case-insensitive)", async () => {
      await assertNoViolations(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1 })], { cloudOnlyGroupIds: [GROUP_ID.toUpperCase()] }));
    });

    it("config: cloudOnlyGroupIds doesn't exempt enablement all", async () => {
      await assertHasViolation(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" })], { cloudOnlyGroupIds: [GROUP_ID] }), {
        message: "all users",
      });
    });

    it("leaves a resource without tenant facts to sspr-requires-paid-subscription (which reports it), instead of saying it twice", async () => {
      const props: Record<string, any> = { ...resetPolicy({ enablement: "all" }) };
      delete props.tenantFacts;
      await assertNoViolations(policy, stack([{ type: TYPE.PasswordResetPolicy, name: "sspr", props }]));
      await assertHasViolation(ssprRequiresPaidSubscription, args(TYPE.PasswordResetPolicy, props), { message: "carries no tenantFacts" });
    });

    it("leaves a tenant without a paid subscription to sspr-requires-paid-subscription (its fix, enablement \"none\", covers this)", async () => {
      await assertNoViolations(policy, stack([sspr({ tenantFacts: { ...FACTS.hybridWithoutP1, trialOnly: true }, enablement: "all" })]));
    });

    it("during preview, a group id not known yet still gets a verdict when no cloud-only groups are configured", async () => {
      await assertHasViolation(policy, stack([sspr({ tenantFacts: FACTS.hybridWithoutP1, targetGroupIds: [UNKNOWN] })]), {
        message: "(id not known yet)",
      });
    });

    it("during preview, leaves the verdict to the engine when it depends on a group id not known yet", async () => {
      const a = stack([sspr({ tenantFacts: FACTS.hybridWithoutP1, targetGroupIds: [UNKNOWN] })], { cloudOnlyGroupIds: [GROUP_ID] });
      await expect(assertNoViolations(policy, a)).rejects.toThrow("can't be known during preview");
    });
  });

  it("reports the missing licence once per stack, naming every setting that needs it (it printed once per resource)", async () => {
    const violations = await runPolicy(policy, stack([
      onPrem({ tenantFacts: FACTS.hybridWithoutP1 }),
      resetPolicyResource({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" }),
    ]));
    expect(violations).toHaveLength(1);
    const [v] = violations;
    expect(v.urn).toBe(onPremUrn);
    for (const part of ["onprem: passwordWriteback: true and unlockWithoutReset: true", "sspr: enablement \"all\"", "Entra ID P1: no",
      "set passwordWriteback and unlockWithoutReset to false", "cloudOnlyGroupIds"]) expect(v.message).toContain(part);
    expect(v.message.match(/needs Microsoft Entra ID P1 or P2/g)).toHaveLength(1);
  });
});

describe("sspr-eligible-assignment-requires-p2", () => {
  const policy = ssprEligibleAssignmentRequiresP2;
  const withFacts = (tenantFacts: typeof FACTS[keyof typeof FACTS]) => resetPolicyResource({ tenantFacts });

  it("is mandatory", () => {
    expect(policy.name).toBe("sspr-eligible-assignment-requires-p2");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("accepts eligible assignments on a P2 tenant, and active ones without P2", async () => {
    await assertNoViolations(policy, stack([withFacts(FACTS.p2), roleEligibility(ROLE.PasswordAdministrator, USER_A), eligibleRoleAssignment(ROLE.HelpdeskAdministrator, USER_B)]));
    await assertNoViolations(policy, stack([withFacts(FACTS.cloudOnlyP1), roleAssignment(ROLE.PasswordAdministrator, USER_A)]));
  });

  it("rejects azuread's eligibility request without P2, naming the resource, and that P2 or a licence including it is needed", async () => {
    await assertHasViolation(policy, stack([withFacts(FACTS.cloudOnlyP1), roleEligibility(ROLE.PasswordAdministrator, USER_A, "pw-admin")]), {
      message: ["pw-admin (Password Administrator for principal \"" + USER_A + "\")", "Entra ID P2: no",
        "need Microsoft Entra ID P2 or a licence that includes it", "Microsoft Graph refuses them", "assignment \"permanent\"", "licensing-fundamentals"],
      urn: urnOf(AZUREAD_TYPE.DirectoryRoleEligibilityScheduleRequest, "pw-admin"),
      count: 1,
    });
  });

  it("rejects this package's EligibleRoleAssignment too, with its end date", async () => {
    await assertHasViolation(policy, stack([withFacts(FACTS.paidCloudOnly), eligibleRoleAssignment(ROLE.HelpdeskAdministrator, USER_B, "helpdesk")]), {
      message: ["helpdesk (Helpdesk Administrator for principal", "until 2099-01-01T00:00:00Z"],
      urn: urnOf(TYPE.EligibleRoleAssignment, "helpdesk"),
    });
  });

  it("states the fact once for the stack, listing every eligible assignment", async () => {
    const violations = await runPolicy(policy, stack([
      withFacts(FACTS.hybridWithP1),
      roleEligibility(ROLE.PasswordAdministrator, USER_A, "a"),
      eligibleRoleAssignment(ROLE.GlobalAdministrator, USER_B, "b"),
    ]));
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toContain("2 PIM-eligible role assignments: a (Password Administrator");
    expect(violations[0].message).toContain("b (Global Administrator");
  });

  it("takes the P2 fact from any tenant-setting resource", async () => {
    await assertNoViolations(policy, stack([{ type: TYPE.AuthenticationMethodsPolicy, props: methodsPolicy({ tenantFacts: FACTS.p2 }) }, roleEligibility(ROLE.PasswordAdministrator, USER_A)]));
  });

  it("doesn't judge a stack without tenant facts (that gap is sspr-requires-paid-subscription's to report)", async () => {
    await assertNoViolations(policy, stack([roleEligibility(ROLE.PasswordAdministrator, USER_A)]));
  });

  it("names a principal or role not known yet during preview without failing", async () => {
    await assertHasViolation(policy, stack([withFacts(FACTS.paidCloudOnly), roleEligibility(UNKNOWN, UNKNOWN, "later")]), {
      message: "later (role not known yet for principal (id not known yet))",
    });
  });
});
