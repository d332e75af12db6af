/**
 * OnPremisesPasswordReset: Password reset > On-premises integration ("Write back passwords to your
 * on-premises directory", "Allow users to unlock accounts without resetting their password").
 * Portal IAM API `/api/PasswordReset/OnPremisesPasswordResetPolicies`; needs Entra ID P1/P2 (or Business
 * Premium), directory sync with writeback enabled in Entra Connect, and a delegated admin token.
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { OnPremisesPasswordResetInputs, RESOURCE_MODULE } from "./model";
import { CheckFailure, ResourceArgs, SettingValues, singletonProvider } from "./tenantSetting";
import { checkBoolean, problem } from "./validation";

export interface PortalOnPremisesPasswordResetPolicy {
  passwordWritebackSupported?: boolean;
  accountUnlockEnabled?: boolean;
  accountUnlockSupported?: boolean;
  enablementForTenant?: boolean;
  [other: string]: unknown;
}

const PATH = "/api/PasswordReset/OnPremisesPasswordResetPolicies";
const NEEDS = "a delegated token of an Authentication Policy Administrator or Global Administrator (portal IAM API)";

export function validateOnPremisesPasswordReset(i: SettingValues): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (typeof i.passwordWriteback !== "boolean") out.push(problem("passwordWriteback", i.passwordWriteback, "use true or false"));
  checkBoolean(out, "unlockWithoutReset", i.unlockWithoutReset);
  if (i.unlockWithoutReset === true && i.passwordWriteback === false) {
    out.push(problem("unlockWithoutReset", true, "unlocking on-premises accounts needs passwordWriteback: true"));
  }
  return out;
}

const onPremisesProvider = singletonProvider<PortalOnPremisesPasswordResetPolicy>({
  title: "On-premises password reset integration",
  settings: ["passwordWriteback", "unlockWithoutReset"],
  validate: validateOnPremisesPasswordReset,
  async read(conn) {
    const r = await tenantRequest<PortalOnPremisesPasswordResetPolicy>(conn, "portal", "GET", PATH, undefined, { needs: NEEDS });
    return { raw: r.body, values: { passwordWriteback: !!r.body.passwordWritebackSupported, unlockWithoutReset: !!r.body.accountUnlockEnabled } };
  },
  async write(conn, desired, current) {
    const next = { ...current.raw };
    if (desired.passwordWriteback !== undefined) next.passwordWritebackSupported = desired.passwordWriteback as boolean;
    if (desired.unlockWithoutReset !== undefined) next.accountUnlockEnabled = desired.unlockWithoutReset as boolean;
    await tenantRequest(conn, "portal", "PUT", PATH, next, { needs: NEEDS });
  },
});


export class OnPremisesPasswordReset extends pulumi.dynamic.Resource {
  declare readonly passwordWriteback: pulumi.Output<boolean>;
  declare readonly unlockWithoutReset: pulumi.Output<boolean | undefined>;
  declare readonly prior: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: ResourceArgs<OnPremisesPasswordResetInputs>, opts?: pulumi.CustomResourceOptions) {
    super(onPremisesProvider, name, { ...args, prior: undefined }, opts, RESOURCE_MODULE, "OnPremisesPasswordReset");
  }
}

export const _provider = onPremisesProvider;
