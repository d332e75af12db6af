/**
 * Notifications: a reset nobody hears about is how an account takeover goes unnoticed (advisory by default;
 * remediation turns the notifications on when the policy's level is "remediate").
 * Sources: Microsoft Learn "How it works: Microsoft Entra self-service password reset" (Notifications);
 * Microsoft Zero Trust Assessment 21890/21891 ("Require password reset notifications for user/administrator roles").
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PasswordResetPolicyInputs } from "../components/model";
import { TYPE } from "../components/model";
import { DOCS, forType, NO_CONFIG, Props, remediateType, ssprOn } from "./common";

type ResetPolicy = Props<PasswordResetPolicyInputs>;

interface Finding {
  field: "notifyUsersOnReset" | "notifyAdminsOnAdminReset";
  what: string;
}

function findings(p: ResetPolicy): Finding[] {
  const out: Finding[] = [];
  // User notifications matter where users can reset; admins can reset their own password (two-gate admin policy)
  // whatever the user enablement, so the admin notification always matters.
  if (ssprOn(p) && p.notifyUsersOnReset === false) {
    out.push({ field: "notifyUsersOnReset", what: "users aren't told when their own password is reset, so they can't report a reset they didn't make" });
  }
  if (p.notifyAdminsOnAdminReset === false) {
    out.push({ field: "notifyAdminsOnAdminReset", what: "other admins aren't told when an administrator resets their password" });
  }
  return out;
}

/** Either notification off. */
export const ssprNotificationsOn: ResourceValidationPolicy = {
  name: "sspr-notifications-on",
  description: "Users should be notified when their password is reset, and all admins when another admin resets theirs.",
  enforcementLevel: "advisory",
  configSchema: NO_CONFIG,
  validateResource: forType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p, _args, report) => {
    for (const f of findings(p)) {
      report(
        `${f.field} is false: ${f.what}. Set ${f.field} to true. ` +
        `Remediation: with this policy at level "remediate" the pack turns it on for you. See ${DOCS.howItWorks}`,
      );
    }
  }),
  remediateResource: remediateType<PasswordResetPolicyInputs>(TYPE.PasswordResetPolicy, (p) => {
    const found = findings(p);
    if (found.length === 0) return undefined;
    const changes: Partial<PasswordResetPolicyInputs> = {};
    for (const f of found) changes[f.field] = true;
    return changes;
  }),
};

export const notificationPolicies: ResourceValidationPolicy[] = [ssprNotificationsOn];
