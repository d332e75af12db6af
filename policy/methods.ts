/**
 * Methods: configurations that work but are weak (advisory by default).
 * Sources: CIS Microsoft Azure Foundations ("Number of methods required to reset" = 2), Microsoft Learn on
 * security questions, CISA ScubaGear MS.AAD.3.5v2 ("SMS, Voice Call, and Email One-Time Passcode (OTP)
 * authentication methods SHALL be disabled").
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import type { AuthenticationMethodsPolicyInputs, PasswordResetPolicyInputs } from "../components/model";
import { TYPE } from "../components/model";
import { configOf, DOCS, forType, NO_CONFIG, show, ssprOn, strictSchema } from "./common";

interface MinimumMethodsConfig {
  minimumMethods: number;
}
const MINIMUM_METHODS_SCHEMA: PolicyConfigSchema = strictSchema({
  minimumMethods: {
    type: "integer",
    minimum: 1,
    maximum: 2,
    default: 2,
    description: "Fewest methods a reset may require (Microsoft allows 1 or 2).",
  },
});

/** Fewer than two methods required to reset. */
export const ssprRequireTwoMethods: ResourceValidationPolicy = {
  name: "sspr-require-two-methods",
  description: "Self-service password reset should require two methods, so one stolen factor (a phone, a mailbox) isn't enough to take over an account.",
  enforcementLevel: "advisory",
  configSchema: MINIMUM_METHODS_SCHEMA,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, args, report) => {
    if (!ssprOn(p)) return;
    const { minimumMethods } = configOf<MinimumMethodsConfig>(args, MINIMUM_METHODS_SCHEMA);
    const required = p.methodsRequired;
    if (typeof required !== "number" || required >= minimumMethods) return;
    report(
      `methodsRequired is ${required}: one verified method is enough to reset a password, so whoever gets hold of that phone or mailbox ` +
      `can take over the account. Set methodsRequired to ${minimumMethods}, with enough methods enabled for it (see sspr-methods-achievable). ` +
      `CIS Microsoft Azure Foundations recommends 2. See ${DOCS.howItWorks}`,
    );
  }),
};

/** Security questions enabled. */
export const ssprNoSecurityQuestions: ResourceValidationPolicy = {
  name: "sspr-no-security-questions",
  description: "Security questions are the weakest SSPR method: answers can be guessed or looked up. Microsoft recommends using them only with another method.",
  enforcementLevel: "advisory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    if (p.securityQuestionsEnabled !== true) return;
    report(
      "securityQuestionsEnabled is true. Answers to security questions are often public or guessable, and they can't be protected by " +
      "Conditional Access. Set securityQuestionsEnabled to false and offer Microsoft Authenticator or another method instead; if you keep them, " +
      `require two methods (methodsRequired: 2). See ${DOCS.securityQuestions}`,
    );
  }),
};

type WeakMethod = "Sms" | "Voice" | "Email";
const WEAK_METHODS: WeakMethod[] = ["Sms", "Voice", "Email"];

interface WeakMethodsConfig {
  allowedMethods: WeakMethod[];
  includeLegacyPolicy: boolean;
}

const WEAK_METHODS_SCHEMA: PolicyConfigSchema = strictSchema({
  allowedMethods: {
    type: "array",
    items: { type: "string", enum: WEAK_METHODS },
    default: [],
    description: "Methods to tolerate anyway: any of \"Sms\", \"Voice\", \"Email\" (the legacy mobile phone option counts as both Sms and Voice).",
  },
  includeLegacyPolicy: {
    type: "boolean",
    default: false,
    description: "Also flag the legacy password reset policy's mobile phone, office phone and email options. Off by default: with two methods " +
      "required, Microsoft accepts Authenticator only next to at least one of them, and CISA defines MS.AAD.3.5 on the Authentication methods policy.",
  },
});

const WEAK_LABEL: { [m in WeakMethod]: string } = {
  Sms: "SMS one-time codes",
  Voice: "voice calls",
  Email: "email one-time codes",
};

function cisaAdvice(): string {
  return "These codes can be intercepted (SIM swap, phishing, mailbox takeover). Offer Microsoft Authenticator or software OATH tokens instead. " +
    `CISA SCuBA MS.AAD.3.5v2: SMS, voice call and email one-time passcodes SHALL be disabled. See ${DOCS.methods} and ${DOCS.cisaAad}`;
}

/** SMS, voice or email one-time codes enabled, in the legacy SSPR policy or the Authentication methods policy. */
export const ssprNoPhoneOrEmailCodes: ResourceValidationPolicy = {
  name: "sspr-no-phone-or-email-codes",
  description: "SMS, voice call and email one-time codes should be disabled in the Authentication methods policy (CISA SCuBA MS.AAD.3.5v2); " +
    "the legacy SSPR method flags are checked only with includeLegacyPolicy, because Microsoft rejects every legacy combination without them.",
  enforcementLevel: "advisory",
  configSchema: WEAK_METHODS_SCHEMA,
  validateResource: [
    forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, args, report) => {
      const { allowedMethods, includeLegacyPolicy } = configOf<WeakMethodsConfig>(args, WEAK_METHODS_SCHEMA);
      if (!includeLegacyPolicy) return;
      const allowed = (m: WeakMethod) => allowedMethods.indexOf(m) >= 0;
      const found: string[] = [];
      if (p.mobilePhoneEnabled === true && !(allowed("Sms") && allowed("Voice"))) found.push("mobilePhoneEnabled (SMS and voice call)");
      if (p.officePhoneEnabled === true && !allowed("Voice")) found.push("officePhoneEnabled (voice call)");
      if (p.emailEnabled === true && !allowed("Email")) found.push("emailEnabled (email one-time code)");
      if (found.length === 0) return;
      report(
        `The password reset policy has ${found.join(", ")} set to true. Set ${found.length === 1 ? "it" : "them"} to false. ${cisaAdvice()}`,
      );
    }),
    forType<AuthenticationMethodsPolicyInputs>(TYPE.AuthenticationMethodsPolicy, (p, args, report) => {
      const { allowedMethods } = configOf<WeakMethodsConfig>(args, WEAK_METHODS_SCHEMA);
      const methods = p.methods || {};
      const found = WEAK_METHODS.filter((m) => {
        const config = methods[m];
        return config !== undefined && config.state === "enabled" && allowedMethods.indexOf(m) < 0;
      });
      if (found.length === 0) return;
      report(
        `The Authentication methods policy enables ${found.map((m) => `${WEAK_LABEL[m]} (methods.${m}.state: ${show("enabled")})`).join(", ")}. ` +
        `Set their state to "disabled". ${cisaAdvice()}`,
      );
    }),
  ],
};

export const methodPolicies: ResourceValidationPolicy[] = [ssprRequireTwoMethods, ssprNoSecurityQuestions, ssprNoPhoneOrEmailCodes];
