/**
 * Registration: users must register methods before they need them, and re-confirm them now and then
 * (advisory by default; both offer a remediation, applied when the policy's level is "remediate").
 * Source: Microsoft Learn "How it works: Microsoft Entra self-service password reset" (Registration).
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import type { PasswordResetPolicyInputs } from "../components/model";
import { TYPE } from "../components/model";
import { configOf, DOCS, forType, NO_CONFIG, Props, remediateType, ssprOn, strictSchema } from "./common";

type ResetPolicy = Props<PasswordResetPolicyInputs>;

/** Registration on sign-in off while SSPR is on. */
export const ssprRegistrationOnSignIn: ResourceValidationPolicy = {
  name: "sspr-registration-on-sign-in",
  description: "Users in scope of self-service password reset should be asked to register their methods when they sign in.",
  enforcementLevel: "advisory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    if (!ssprOn(p) || p.requireRegistrationOnSignIn !== false) return;
    report(
      "requireRegistrationOnSignIn is false: users are never prompted to register methods, so most find out they can't reset " +
      "on the day they forget their password (and call the helpdesk). Set requireRegistrationOnSignIn to true. " +
      `Remediation: with this policy at level "remediate" the pack sets it to true for you. See ${DOCS.howItWorks}`,
    );
  }),
  remediateResource: remediateType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p) =>
    ssprOn(p) && p.requireRegistrationOnSignIn === false ? { requireRegistrationOnSignIn: true } : undefined),
};

interface ReconfirmConfig {
  maxReconfirmDays: number;
}
const RECONFIRM_SCHEMA: PolicyConfigSchema = strictSchema({
  maxReconfirmDays: {
    type: "integer",
    minimum: 1,
    maximum: 730,
    default: 180,
    description: "Longest accepted re-confirmation interval in days (Microsoft's default is 180; 0, never, is always reported).",
  },
});

/** True when users re-confirm less often than every `max` days (0 = never re-confirm). */
function reconfirmTooRare(p: ResetPolicy, max: number): boolean {
  if (!ssprOn(p) || p.requireRegistrationOnSignIn === false) return false; // without registration there is nothing to re-confirm
  const days = p.reconfirmAfterDays;
  if (typeof days !== "number" || days < 0 || days > 730) return false; // not managed, or sspr-settings-in-range reports it
  return days === 0 || days > max;
}

/** Re-confirmation interval above the configured maximum, or never. */
export const ssprReconfirmInterval: ResourceValidationPolicy = {
  name: "sspr-reconfirm-interval",
  description: "Users should re-confirm their registered methods at least every maxReconfirmDays days, so stale phone numbers and mailboxes get noticed.",
  enforcementLevel: "advisory",
  configSchema: RECONFIRM_SCHEMA,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, args, report) => {
    const { maxReconfirmDays } = configOf<ReconfirmConfig>(args, RECONFIRM_SCHEMA);
    if (!reconfirmTooRare(p, maxReconfirmDays)) return;
    const found = p.reconfirmAfterDays === 0 ? "0 (users are never asked to re-confirm)" : `${p.reconfirmAfterDays} days`;
    report(
      `reconfirmAfterDays is ${found}, above the maximum of ${maxReconfirmDays} days set for this policy. Phone numbers and mailboxes ` +
      `registered long ago may no longer belong to the user. Set reconfirmAfterDays to ${maxReconfirmDays} or less. ` +
      `Remediation: with this policy at level "remediate" the pack sets it to ${maxReconfirmDays}. See ${DOCS.howItWorks}`,
    );
  }),
  remediateResource: remediateType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, args) => {
    const { maxReconfirmDays } = configOf<ReconfirmConfig>(args, RECONFIRM_SCHEMA);
    return reconfirmTooRare(p, maxReconfirmDays) ? { reconfirmAfterDays: maxReconfirmDays } : undefined;
  }),
};

export const registrationPolicies: ResourceValidationPolicy[] = [ssprRegistrationOnSignIn, ssprReconfirmInterval];
