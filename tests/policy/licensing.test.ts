import { ssprHybridRequiresPremium, ssprRequiresPaidSubscription } from "../../policy/licensing";
import { FACTS, GROUP_ID, onPremises, resetPolicy, TYPE } from "./fixtures";
import { assertHasViolation, assertNoViolations, createResourceValidationArgs as args, UNKNOWN } from "./util";

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

  it("is mandatory, with cloudOnlyGroupIds config", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.cloudOnlyGroupIds.default).toEqual([]);
  });

  describe("OnPremisesPasswordReset", () => {
    it.each([["Entra ID P1", FACTS.hybridWithP1], ["Business Premium", FACTS.hybridBusinessPremium], ["P2", FACTS.p2]])(
      "accepts writeback with %s", async (_label, tenantFacts) => {
        await assertNoViolations(policy, args(TYPE.OnPremisesPasswordReset, onPremises({ tenantFacts })));
      });

    it("accepts writeback and unlock off without a licence", async () => {
      await assertNoViolations(policy, args(TYPE.OnPremisesPasswordReset,
        onPremises({ tenantFacts: FACTS.hybridWithoutP1, passwordWriteback: false, unlockWithoutReset: false })));
    });

    it("rejects writeback on a hybrid tenant without P1/P2 or Business Premium", async () => {
      await assertHasViolation(policy, args(TYPE.OnPremisesPasswordReset,
        onPremises({ tenantFacts: FACTS.hybridWithoutP1, unlockWithoutReset: false })), {
        message: ["passwordWriteback: true", "tenantFacts.directorySync: true", "Entra ID P1: no", "Set passwordWriteback and unlockWithoutReset to false", "concept-sspr-licensing"],
        count: 1,
      });
    });

    it("rejects unlock without reset too", async () => {
      await assertHasViolation(policy, args(TYPE.OnPremisesPasswordReset,
        onPremises({ tenantFacts: FACTS.hybridWithoutP1, passwordWriteback: false, unlockWithoutReset: true })), {
        message: "unlockWithoutReset: true",
      });
    });

    it("fails closed without tenant facts", async () => {
      await assertHasViolation(policy, args(TYPE.OnPremisesPasswordReset, { connection: {}, passwordWriteback: true }), {
        message: "OnPremisesPasswordReset resource carries no tenantFacts",
      });
    });
  });

  describe("PasswordResetPolicy on a synced tenant", () => {
    it("accepts SSPR with P1, and on cloud-only tenants without it", async () => {
      await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithP1, enablement: "all" })));
      await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.paidCloudOnly, enablement: "all" })));
    });

    it("accepts SSPR off", async () => {
      await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1, enablement: "none" })));
    });

    it("rejects SSPR for all users without a licence", async () => {
      await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" })), {
        message: ["all users, including those synced", "tenantFacts.directorySync: true", "cloudOnlyGroupIds"],
      });
    });

    it("rejects a selected group not declared cloud-only, naming it", async () => {
      await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1 })), {
        message: `the group ["${GROUP_ID}"], which is not listed in cloudOnlyGroupIds`,
      });
    });

    it("config: accepts a selected group listed in cloudOnlyGroupIds (case-insensitive)", async () => {
      await assertNoViolations(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1 }),
        { cloudOnlyGroupIds: [GROUP_ID.toUpperCase()] }));
    });

    it("config: cloudOnlyGroupIds doesn't exempt enablement all", async () => {
      await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1, enablement: "all" }),
        { cloudOnlyGroupIds: [GROUP_ID] }), { message: "all users" });
    });

    it("during preview, a group id not known yet still gets a verdict when no cloud-only groups are configured", async () => {
      await assertHasViolation(policy, args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1, targetGroupIds: [UNKNOWN] })), {
        message: "(id not known yet)",
      });
    });

    it("during preview, leaves the verdict to the engine when it depends on a group id not known yet", async () => {
      const a = args(TYPE.PasswordResetPolicy, resetPolicy({ tenantFacts: FACTS.hybridWithoutP1, targetGroupIds: [UNKNOWN] }), { cloudOnlyGroupIds: [GROUP_ID] });
      await expect(assertNoViolations(policy, a)).rejects.toThrow("can't be known during preview");
    });
  });
});
