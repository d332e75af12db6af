/**
 * Configuration: PasswordResetPolicy values the admin center (and its API) refuses or can't act on
 * (mandatory by default). Sources: Microsoft Learn "How it works: Microsoft Entra self-service password reset"
 * (Authenticator rules, ranges), "Enable self-service password reset" (one group when "Selected"),
 * "Customize the user experience for SSPR" (helpdesk link).
 */
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import type { PasswordResetPolicyInputs } from "../components/model";
import { isHelpdeskLink, TYPE } from "../components/model";
import { DOCS, forType, NO_CONFIG, Props, show } from "./common";

type ResetPolicy = Props<PasswordResetPolicyInputs>;

/** "Selected" must name exactly one group. */
export const ssprSelectedNeedsOneGroup: ResourceValidationPolicy = {
  name: "sspr-selected-needs-one-group",
  description: "When self-service password reset is enabled for \"Selected\" users, exactly one target group must be chosen.",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    if (p.enablement !== "selected") return;
    const groups = p.targetGroupIds;
    const count = Array.isArray(groups) ? groups.length : 0;
    if (count === 1) return;
    const found = groups === undefined ? "targetGroupIds is not set" : `targetGroupIds has ${count} group${count === 1 ? "" : "s"}`;
    report(
      `SSPR is enabled for "Selected" users but ${found}. The admin center takes exactly one group for "Selected" ` +
      "(members of nested groups are included). Put the users in one group and set targetGroupIds to that group's object id, " +
      `or set enablement to "all". See ${DOCS.enable}`,
    );
  }),
};

interface MethodCount {
  /** Methods declared on, other than Microsoft Authenticator. */
  others: string[];
  /** Methods not declared (tenant value kept): they may or may not be on. */
  undeclared: string[];
  /** Microsoft Authenticator declared on (notification or code). */
  authenticator: boolean;
}

function countMethods(p: ResetPolicy): MethodCount {
  const others: string[] = [];
  const undeclared: string[] = [];
  const flag = (value: boolean | undefined, label: string) => {
    if (value === true) others.push(label);
    else if (value === undefined) undeclared.push(label);
  };
  flag(p.emailEnabled, "email (emailEnabled)");
  flag(p.mobilePhoneEnabled, "mobile phone (mobilePhoneEnabled)");
  flag(p.officePhoneEnabled, "office phone (officePhoneEnabled)");
  flag(p.securityQuestionsEnabled, "security questions (securityQuestionsEnabled)");
  const authOn = p.authenticatorNotificationEnabled === true || p.authenticatorCodeEnabled === true;
  const authUnknown = !authOn && (p.authenticatorNotificationEnabled === undefined || p.authenticatorCodeEnabled === undefined);
  if (authUnknown) undeclared.push("Microsoft Authenticator (authenticatorNotificationEnabled/authenticatorCodeEnabled)");
  return { others, undeclared, authenticator: authOn };
}

/** More methods required than enabled, and the Authenticator-only combinations Microsoft rejects. */
export const ssprMethodsAchievable: ResourceValidationPolicy = {
  name: "sspr-methods-achievable",
  description: "The number of methods required to reset must be achievable with the methods enabled, without relying on Microsoft Authenticator alone.",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    const required = p.methodsRequired;
    if (required !== 1 && required !== 2) return; // not managed, or out of range (sspr-settings-in-range reports it)
    const m = countMethods(p);
    const enabled = m.others.concat(m.authenticator ? ["Microsoft Authenticator"] : []);
    const atMost = enabled.length + m.undeclared.length;
    if (required > atMost) {
      report(
        `methodsRequired is ${required} but only ${enabled.length} method${enabled.length === 1 ? " is" : "s are"} enabled ` +
        `(${enabled.length > 0 ? enabled.join(", ") : "none"}). Users could never reset. Enable more methods, or lower methodsRequired. ` +
        `See ${DOCS.howItWorks}`,
      );
      return;
    }
    if (!m.authenticator || m.undeclared.length > 0) return;
    if (required === 1 && m.others.length === 0) {
      report(
        "Microsoft Authenticator is the only method enabled while methodsRequired is 1. Microsoft doesn't allow Authenticator as the only " +
        "method when one method is required. Enable another method too (for example emailEnabled or mobilePhoneEnabled). " +
        `See ${DOCS.howItWorks}`,
      );
    } else if (required === 2 && m.others.length === 1) {
      report(
        `Microsoft Authenticator plus only one other method (${m.others[0]}) is enabled while methodsRequired is 2. Microsoft doesn't allow ` +
        "Authenticator and just one other method when two methods are required. Enable a third method, or set methodsRequired to 1. " +
        `See ${DOCS.howItWorks}`,
      );
    }
  }),
};

/** True for "" (not customized), or a link isHelpdeskLink accepts (the rule the provider's check applies too). */
export function isValidHelpdeskLink(link: string): boolean {
  return link === "" || isHelpdeskLink(link);
}

/** A customized helpdesk link that is neither an https URL nor an email address. */
export const ssprHelpdeskLinkValid: ResourceValidationPolicy = {
  name: "sspr-helpdesk-link-valid",
  description: "The custom helpdesk link shown on the password reset page must be an https URL or an email address.",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    const link = p.helpdeskLink;
    if (link === undefined) return;
    if (typeof link === "string" && isValidHelpdeskLink(link)) return;
    const hint = typeof link === "string" && /^http:\/\//i.test(link) ? " Plain http isn't accepted: use https." : "";
    report(
      `helpdeskLink is ${show(link)}, which is neither an https URL nor an email address.${hint} Users who can't reset see this link as ` +
      "\"Contact your administrator\". Set it to an https URL (for example https://support.contoso.com/password) or an email address " +
      `(for example helpdesk@contoso.com), or to "" to keep Microsoft's default. See ${DOCS.customize}`,
    );
  }),
};

function checkRange(report: ReportViolation, field: string, value: number | undefined, min: number, max: number, meaning: string) {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    report(`${field} is ${show(value)}, outside Microsoft's range: ${meaning} must be a whole number from ${min} to ${max}. Set ${field} within ${min}-${max}. See ${DOCS.howItWorks}`);
  }
}

/** Values outside the ranges the admin center accepts. */
export const ssprSettingsInRange: ResourceValidationPolicy = {
  name: "sspr-settings-in-range",
  description: "Password reset policy values must be within the ranges Microsoft accepts (methods 1-2, questions 3-5, re-confirmation 0-730 days, skip 1-30 days).",
  enforcementLevel: "mandatory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    const enablement = p.enablement as unknown;
    if (enablement !== undefined && enablement !== "none" && enablement !== "selected" && enablement !== "all") {
      report(`enablement is ${show(enablement)}; Microsoft knows "none", "selected" (one group) and "all". Set one of those. See ${DOCS.enable}`);
    }
    checkRange(report, "methodsRequired", p.methodsRequired, 1, 2, "the number of methods required to reset");
    checkRange(report, "securityQuestionsToRegister", p.securityQuestionsToRegister, 3, 5, "the number of security questions required to register");
    checkRange(report, "securityQuestionsToReset", p.securityQuestionsToReset, 3, 5, "the number of security questions required to reset");
    const reg = p.securityQuestionsToRegister, reset = p.securityQuestionsToReset;
    if (typeof reg === "number" && typeof reset === "number" && reset > reg) {
      report(
        `securityQuestionsToReset (${reset}) is more than securityQuestionsToRegister (${reg}). Users can't answer more questions at reset ` +
        `than they registered. Set securityQuestionsToReset to ${reg} or less. See ${DOCS.securityQuestions}`,
      );
    }
    checkRange(report, "reconfirmAfterDays", p.reconfirmAfterDays, 0, 730, "the number of days before users re-confirm their methods (0 = never)");
    checkRange(report, "skipRegistrationDays", p.skipRegistrationDays, 1, 30, "the number of days users may skip registration");
    const questions = p.securityQuestions;
    if (Array.isArray(questions)) {
      questions.forEach((q, i) => {
        if (typeof q !== "string" || q.trim().length === 0 || q.length > 200) {
          const len = typeof q === "string" ? `${q.length} characters` : show(q);
          report(`securityQuestions[${i}] is ${len}; a custom security question must have 1 to 200 characters. Shorten or fill it in. See ${DOCS.securityQuestions}`);
        }
      });
    }
  }),
};

export const configurationPolicies: ResourceValidationPolicy[] = [
  ssprSelectedNeedsOneGroup,
  ssprMethodsAchievable,
  ssprHelpdeskLinkValid,
  ssprSettingsInRange,
];
