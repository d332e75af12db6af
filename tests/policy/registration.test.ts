import { ssprNotificationsOn } from "../../policy/notifications";
import { ssprReconfirmInterval, ssprRegistrationOnSignIn } from "../../policy/registration";
import { resetPolicy, resetPolicyArgs as args, TYPE } from "./fixtures";
import { assertHasViolation, assertNoViolations, createResourceValidationArgs, runPolicy, runRemediation } from "./util";

describe("sspr-registration-on-sign-in", () => {
  const policy = ssprRegistrationOnSignIn;

  it("is advisory and offers a remediation", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(typeof policy.remediateResource).toBe("function");
  });

  it("accepts registration on sign-in, or SSPR off", async () => {
    await assertNoViolations(policy, args(resetPolicy()));
    await assertNoViolations(policy, args(resetPolicy({ enablement: "none", requireRegistrationOnSignIn: false })));
  });

  it("warns when registration on sign-in is off", async () => {
    await assertHasViolation(policy, args(resetPolicy({ requireRegistrationOnSignIn: false })), {
      message: ["requireRegistrationOnSignIn is false", "Set requireRegistrationOnSignIn to true", "remediate"],
    });
  });

  it("remediation turns it on and keeps every other input, including the serialized provider", async () => {
    const before = resetPolicy({ requireRegistrationOnSignIn: false });
    const after = await runRemediation(policy, args(before));
    expect(after).toEqual({ ...before, requireRegistrationOnSignIn: true });
    await assertNoViolations(policy, args(after!));
  });

  it("remediation leaves a compliant resource, or another type, alone", async () => {
    expect(await runRemediation(policy, args(resetPolicy()))).toBeUndefined();
    expect(await runRemediation(policy, createResourceValidationArgs(TYPE.OnPremisesPasswordReset, { requireRegistrationOnSignIn: false, enablement: "all" }))).toBeUndefined();
  });
});

describe("sspr-reconfirm-interval", () => {
  const policy = ssprReconfirmInterval;

  it("is advisory with maxReconfirmDays 180 by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.maxReconfirmDays.default).toBe(180);
  });

  it("accepts up to 180 days", async () => {
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 180 })));
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 30 })));
  });

  it("warns above the maximum", async () => {
    await assertHasViolation(policy, args(resetPolicy({ reconfirmAfterDays: 365 })), {
      message: ["reconfirmAfterDays is 365 days, above the maximum of 180 days", "Set reconfirmAfterDays to 180 or less"],
    });
  });

  it("warns on 0 (never re-confirm)", async () => {
    await assertHasViolation(policy, args(resetPolicy({ reconfirmAfterDays: 0 })), { message: "0 (users are never asked to re-confirm)" });
  });

  it("stays quiet when registration is off (sspr-registration-on-sign-in reports that) or the value is out of range", async () => {
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 0, requireRegistrationOnSignIn: false })));
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 1000 })));
  });

  it("config: maxReconfirmDays", async () => {
    await assertHasViolation(policy, args(resetPolicy({ reconfirmAfterDays: 180 }), { maxReconfirmDays: 90 }), { message: "above the maximum of 90 days" });
    await assertNoViolations(policy, args(resetPolicy({ reconfirmAfterDays: 365 }), { maxReconfirmDays: 365 }));
  });

  it("remediation sets the configured maximum", async () => {
    const after = await runRemediation(policy, args(resetPolicy({ reconfirmAfterDays: 0 }), { maxReconfirmDays: 90 }));
    expect(after?.reconfirmAfterDays).toBe(90);
    expect(await runRemediation(policy, args(resetPolicy({ reconfirmAfterDays: 400 })))).toMatchObject({ reconfirmAfterDays: 180 });
    expect(await runRemediation(policy, args(resetPolicy()))).toBeUndefined();
  });
});

describe("sspr-notifications-on", () => {
  const policy = ssprNotificationsOn;

  it("is advisory and offers a remediation", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(typeof policy.remediateResource).toBe("function");
  });

  it("accepts both notifications on", async () => {
    await assertNoViolations(policy, args(resetPolicy()));
  });

  it("warns on each notification that is off", async () => {
    const violations = await runPolicy(policy, args(resetPolicy({ notifyUsersOnReset: false, notifyAdminsOnAdminReset: false })));
    expect(violations.map((v) => v.message)).toEqual([
      expect.stringContaining("notifyUsersOnReset is false: users aren't told"),
      expect.stringContaining("notifyAdminsOnAdminReset is false: other admins aren't told"),
    ]);
  });

  it("still warns about admin notifications when user SSPR is off (admins can always reset)", async () => {
    await assertHasViolation(policy, args(resetPolicy({ enablement: "none", notifyUsersOnReset: false, notifyAdminsOnAdminReset: false })), {
      message: "notifyAdminsOnAdminReset is false", count: 1,
    });
  });

  it("remediation turns both on", async () => {
    const before = resetPolicy({ notifyUsersOnReset: false, notifyAdminsOnAdminReset: false });
    const after = await runRemediation(policy, args(before));
    expect(after).toEqual({ ...before, notifyUsersOnReset: true, notifyAdminsOnAdminReset: true });
    await assertNoViolations(policy, args(after!));
  });

  it("remediation changes only what is off", async () => {
    const after = await runRemediation(policy, args(resetPolicy({ notifyAdminsOnAdminReset: false, notifyUsersOnReset: undefined })));
    expect(after?.notifyAdminsOnAdminReset).toBe(true);
    expect(after?.notifyUsersOnReset).toBeUndefined();
    expect(await runRemediation(policy, args(resetPolicy()))).toBeUndefined();
  });
});
