import { ssprNoPhoneOrEmailCodes, ssprNoSecurityQuestions, ssprRequireTwoMethods } from "../../policy/methods";
import { methodsPolicy, methodsPolicyArgs as methodArgs, resetPolicy, resetPolicyArgs as args } from "./fixtures";
import { assertHasViolation, assertNoViolations, runPolicy } from "./util";

describe("sspr-require-two-methods", () => {
  const policy = ssprRequireTwoMethods;

  it("is advisory with minimumMethods 2 by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.minimumMethods.default).toBe(2);
  });

  it("accepts two methods required", async () => {
    await assertNoViolations(policy, args(resetPolicy({ methodsRequired: 2 })));
  });

  it("warns on one method required while SSPR is on", async () => {
    await assertHasViolation(policy, args(resetPolicy({ methodsRequired: 1 })), {
      message: ["methodsRequired is 1", "Set methodsRequired to 2", "concept-sspr-howitworks"],
    });
  });

  it("stays quiet when SSPR is off or methodsRequired is unmanaged", async () => {
    await assertNoViolations(policy, args(resetPolicy({ methodsRequired: 1, enablement: "none" })));
    await assertNoViolations(policy, args(resetPolicy({ methodsRequired: undefined })));
  });

  it("config: minimumMethods 1 accepts one method", async () => {
    await assertNoViolations(policy, args(resetPolicy({ methodsRequired: 1 }), { minimumMethods: 1 }));
  });
});

describe("sspr-no-security-questions", () => {
  const policy = ssprNoSecurityQuestions;

  it("is advisory", () => expect(policy.enforcementLevel).toBe("advisory"));

  it("accepts security questions off or unmanaged", async () => {
    await assertNoViolations(policy, args(resetPolicy({ securityQuestionsEnabled: false })));
    await assertNoViolations(policy, args(resetPolicy({ securityQuestionsEnabled: undefined })));
  });

  it("warns when security questions are enabled", async () => {
    await assertHasViolation(policy, args(resetPolicy({ securityQuestionsEnabled: true })), {
      message: ["securityQuestionsEnabled is true", "Set securityQuestionsEnabled to false", "concept-authentication-security-questions"],
    });
  });
});

describe("sspr-no-phone-or-email-codes", () => {
  const policy = ssprNoPhoneOrEmailCodes;
  const strongLegacy = { emailEnabled: false, mobilePhoneEnabled: false, officePhoneEnabled: false };

  it("is advisory with no method allowed by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.allowedMethods.default).toEqual([]);
  });

  describe("legacy password reset policy", () => {
    const legacy = { includeLegacyPolicy: true };
    it("is not judged by default (Microsoft needs phone or email next to Authenticator there)", async () => {
      await assertNoViolations(policy, args(resetPolicy()));
    });

    it("accepts no phone or email methods", async () => {
      await assertNoViolations(policy, args(resetPolicy(strongLegacy), legacy));
    });

    it("with includeLegacyPolicy: warns on email and mobile phone, citing CISA MS.AAD.3.5", async () => {
      await assertHasViolation(policy, args(resetPolicy(), legacy), {
        message: ["mobilePhoneEnabled (SMS and voice call), emailEnabled (email one-time code)", "set to true", "MS.AAD.3.5", "ScubaGear"],
        count: 1,
      });
    });

    it("warns on office phone", async () => {
      await assertHasViolation(policy, args(resetPolicy({ ...strongLegacy, officePhoneEnabled: true }), legacy), { message: "officePhoneEnabled (voice call)" });
    });

    it("config: allowedMethods tolerates Email; mobile phone needs both Sms and Voice", async () => {
      await assertHasViolation(policy, args(resetPolicy(), { ...legacy, allowedMethods: ["Email", "Sms"] }), { message: "has mobilePhoneEnabled (SMS and voice call) set" });
      const v = await runPolicy(policy, args(resetPolicy(), { ...legacy, allowedMethods: ["Email", "Sms"] }));
      expect(v[0].message).not.toContain("emailEnabled");
      await assertNoViolations(policy, args(resetPolicy(), { ...legacy, allowedMethods: ["Email", "Sms", "Voice"] }));
    });
  });

  describe("Authentication methods policy", () => {
    it("accepts SMS, voice and email disabled, or not managed", async () => {
      await assertNoViolations(policy, methodArgs(methodsPolicy()));
      await assertNoViolations(policy, methodArgs(methodsPolicy({ methods: undefined })));
    });

    it("warns on each enabled one", async () => {
      await assertHasViolation(policy, methodArgs(methodsPolicy({ methods: { Sms: { state: "enabled" }, Voice: { state: "enabled" }, Email: { state: "disabled" } } })), {
        message: ["SMS one-time codes (methods.Sms.state: \"enabled\"), voice calls (methods.Voice.state: \"enabled\")", "Set their state to \"disabled\""],
        count: 1,
      });
    });

    it("config: allowedMethods", async () => {
      await assertNoViolations(policy, methodArgs(methodsPolicy({ methods: { Email: { state: "enabled" } } }), { allowedMethods: ["Email"] }));
    });
  });
});
