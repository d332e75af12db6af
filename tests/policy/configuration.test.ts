import {
  isValidHelpdeskLink,
  ssprHelpdeskLinkValid,
  ssprMethodsAchievable,
  ssprSelectedNeedsOneGroup,
  ssprSettingsInRange,
} from "../../policy/configuration";
import { checkHelpdeskLink } from "../../components/validation";
import { GROUP_ID, resetPolicy, resetPolicyArgs as args } from "./fixtures";
import { assertHasViolation, assertNoViolations, runPolicy, UNKNOWN } from "./util";

describe("sspr-selected-needs-one-group", () => {
  const policy = ssprSelectedNeedsOneGroup;

  it("is mandatory", () => expect(policy.enforcementLevel).toBe("mandatory"));

  it("accepts one group, and enablement all/none without one", async () => {
    await assertNoViolations(policy, args(resetPolicy()));
    await assertNoViolations(policy, args(resetPolicy({ enablement: "all", targetGroupIds: [] })));
    await assertNoViolations(policy, args(resetPolicy({ enablement: "none", targetGroupIds: undefined })));
  });

  it("accepts one group whose id isn't known until the group is created", async () => {
    await assertNoViolations(policy, args(resetPolicy({ targetGroupIds: [UNKNOWN] })));
  });

  it.each([
    [[], "targetGroupIds has 0 groups"],
    [[GROUP_ID, "33333333-3333-3333-3333-333333333333"], "targetGroupIds has 2 groups"],
    [undefined, "targetGroupIds is not set"],
  ])("rejects %j for Selected", async (targetGroupIds, found) => {
    await assertHasViolation(policy, args(resetPolicy({ targetGroupIds })), {
      message: [found, "exactly one group", "tutorial-enable-sspr"],
    });
  });
});

describe("sspr-methods-achievable", () => {
  const policy = ssprMethodsAchievable;
  const onlyAuthenticator = {
    emailEnabled: false, mobilePhoneEnabled: false, officePhoneEnabled: false, securityQuestionsEnabled: false,
    authenticatorNotificationEnabled: true, authenticatorCodeEnabled: true,
  };

  it("is mandatory", () => expect(policy.enforcementLevel).toBe("mandatory"));

  it("accepts two required out of email, mobile phone and Authenticator", async () => {
    await assertNoViolations(policy, args(resetPolicy()));
  });

  it("accepts one required with Authenticator and another method", async () => {
    await assertNoViolations(policy, args(resetPolicy({ ...onlyAuthenticator, methodsRequired: 1, emailEnabled: true })));
  });

  it("accepts two required with two methods that aren't Authenticator", async () => {
    await assertNoViolations(policy, args(resetPolicy({ ...onlyAuthenticator, authenticatorNotificationEnabled: false, authenticatorCodeEnabled: false, emailEnabled: true, officePhoneEnabled: true })));
  });

  it("rejects more methods required than enabled, listing them", async () => {
    await assertHasViolation(policy, args(resetPolicy({
      ...onlyAuthenticator, authenticatorNotificationEnabled: false, authenticatorCodeEnabled: false, emailEnabled: true,
    })), { message: ["methodsRequired is 2 but only 1 method is enabled (email (emailEnabled))", "Enable more methods"], count: 1 });
  });

  it("rejects no method at all", async () => {
    await assertHasViolation(policy, args(resetPolicy({ ...onlyAuthenticator, authenticatorNotificationEnabled: false, authenticatorCodeEnabled: false, methodsRequired: 1 })), {
      message: "only 0 methods are enabled (none)",
    });
  });

  it("rejects Authenticator as the only method when one is required", async () => {
    await assertHasViolation(policy, args(resetPolicy({ ...onlyAuthenticator, methodsRequired: 1 })), {
      message: "Microsoft Authenticator is the only method enabled while methodsRequired is 1", count: 1,
    });
  });

  it("rejects Authenticator plus only one other when two are required", async () => {
    await assertHasViolation(policy, args(resetPolicy({ ...onlyAuthenticator, securityQuestionsEnabled: true })), {
      message: ["Microsoft Authenticator plus only one other method (security questions (securityQuestionsEnabled))", "methodsRequired is 2"], count: 1,
    });
  });

  it("doesn't guess about methods the stack leaves unmanaged", async () => {
    await assertNoViolations(policy, args(resetPolicy({ ...onlyAuthenticator, emailEnabled: undefined, methodsRequired: 1 })));
    await assertNoViolations(policy, args(resetPolicy({ methodsRequired: undefined })));
  });
});

describe("sspr-helpdesk-link-valid", () => {
  const policy = ssprHelpdeskLinkValid;

  it("is mandatory", () => expect(policy.enforcementLevel).toBe("mandatory"));

  it.each(["", "https://support.contoso.com/password", "https://contoso.com", "https://help.contoso.co.uk:8443/a?b=c#d", "helpdesk@contoso.com", "first.last+it@sub.contoso.com",
    "https://intranet/help", "https://localhost", "https://[::1]/x"])(
    "accepts %j", async (helpdeskLink) => {
      expect(isValidHelpdeskLink(helpdeskLink)).toBe(true);
      await assertNoViolations(policy, args(resetPolicy({ helpdeskLink })));
    });

  it("accepts an unmanaged link", async () => {
    await assertNoViolations(policy, args(resetPolicy({ helpdeskLink: undefined })));
  });

  it.each(["support.contoso.com", "ftp://contoso.com", "https://", "http://localhost", "helpdesk@", "call 555-0100", " https://contoso.com",
    "https://contoso.com/a b", "help@contoso.c0m", "help@intranet", "https:contoso.com"])(
    "rejects %j", async (helpdeskLink) => {
      await assertHasViolation(policy, args(resetPolicy({ helpdeskLink })), {
        message: [`helpdeskLink is ${JSON.stringify(helpdeskLink)}`, "neither an https URL nor an email address", "howto-sspr-customization"],
      });
    });

  it("applies the same rule as the provider's check (isHelpdeskLink in components/model.ts)", () => {
    const providerAccepts = (link: string) => {
      const out: { property: string; reason: string }[] = [];
      checkHelpdeskLink(out, "helpdeskLink", link);
      return out.length === 0;
    };
    for (const link of ["", "https://intranet/help", "https://localhost", "https://[::1]/x", "helpdesk@contoso.com",
      "https://contoso.com/a b", "help@contoso.c0m", "http://contoso.com", "https://", " https://contoso.com", "call 555-0100"]) {
      expect([link, providerAccepts(link)]).toEqual([link, isValidHelpdeskLink(link)]);
    }
  });

  it("tells plain http apart", async () => {
    await assertHasViolation(policy, args(resetPolicy({ helpdeskLink: "http://support.contoso.com" })), { message: "Plain http isn't accepted: use https." });
  });
});

describe("sspr-settings-in-range", () => {
  const policy = ssprSettingsInRange;

  it("is mandatory", () => expect(policy.enforcementLevel).toBe("mandatory"));

  it("accepts the compliant fixture and the range ends", async () => {
    await assertNoViolations(policy, args(resetPolicy()));
    await assertNoViolations(policy, args(resetPolicy({
      methodsRequired: 1, securityQuestionsToRegister: 5, securityQuestionsToReset: 3, reconfirmAfterDays: 0, skipRegistrationDays: 30,
      securityQuestions: ["What was the name of your first manager?", "x".repeat(200)],
    })));
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 730, skipRegistrationDays: 1, securityQuestionsToRegister: 3, securityQuestionsToReset: 3 })));
  });

  it.each([
    ["methodsRequired", 3, "1 to 2"],
    ["methodsRequired", 0, "1 to 2"],
    ["securityQuestionsToRegister", 6, "3 to 5"],
    ["securityQuestionsToReset", 2, "3 to 5"],
    ["reconfirmAfterDays", 731, "0 to 730"],
    ["reconfirmAfterDays", -1, "0 to 730"],
    ["reconfirmAfterDays", 1.5, "0 to 730"],
    ["skipRegistrationDays", 0, "1 to 30"],
    ["skipRegistrationDays", 31, "1 to 30"],
  ])("rejects %s = %p", async (field, value, range) => {
    await assertHasViolation(policy, args(resetPolicy({ [field]: value })), {
      message: [`${field} is ${value}, outside Microsoft's range`, `whole number from ${range}`, `Set ${field} within`],
      count: 1,
    });
  });

  it("rejects more questions to reset than to register", async () => {
    await assertHasViolation(policy, args(resetPolicy({ securityQuestionsToRegister: 3, securityQuestionsToReset: 4 })), {
      message: "securityQuestionsToReset (4) is more than securityQuestionsToRegister (3)", count: 1,
    });
  });

  it("rejects an unknown enablement and over-long or empty questions", async () => {
    const a = args(resetPolicy({ enablement: "everyone" as never, securityQuestions: ["ok?", "", "y".repeat(201)] }));
    const violations = await runPolicy(policy, a);
    expect(violations.map((v) => v.message)).toEqual([
      expect.stringContaining("enablement is \"everyone\""),
      expect.stringContaining("securityQuestions[1] is 0 characters"),
      expect.stringContaining("securityQuestions[2] is 201 characters"),
    ]);
  });
});
