/**
 * OnPremisesPasswordReset: Password reset > On-premises integration ("Write back passwords to your
 * on-premises directory", "Allow users to unlock accounts without resetting their password").
 * Portal IAM API `/api/PasswordReset/OnPremisesPasswordResetPolicies`; needs Entra ID P1/P2 (or Business
 * Premium), directory sync with writeback enabled in Entra Connect, and a delegated admin token.
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { managingStack } from "./ownership";
import { OnPremisesPasswordResetInputs, RESOURCE_MODULE, TenantFacts } from "./model";
import { discoverTenantFacts } from "./tenantFacts";
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

/**
 * What Microsoft refuses for licence and sync, from the tenant facts (the ones the policy pack judged; declared
 * ones are verified against the tenant before the write): writeback needs directory sync and P1/P2 or
 * Business Premium. The same rule is applied by the component before the stack's first write.
 */
export function onPremisesRefusals(desired: SettingValues, facts: TenantFacts, argument = ""): CheckFailure[] {
  const out: CheckFailure[] = [];
  const wanted = desired.passwordWriteback === true || desired.unlockWithoutReset === true;
  if (!wanted) return out;
  const name = `${argument}passwordWriteback`;
  if (!facts.directorySync) {
    out.push(problem(name, true, "the tenant has no directory synchronization from on-premises AD (Microsoft Entra Connect or cloud sync), so there is nothing to write back to; remove onPremises or set up sync first"));
  }
  if (!facts.entraIdP1 && !facts.entraIdP2 && !facts.businessPremium) {
    out.push(problem(name, true, "password writeback needs a Microsoft Entra ID P1 or P2 licence (or Microsoft 365 Business Premium), and the tenant has none"));
  }
  return out;
}

const onPremisesProvider = singletonProvider<PortalOnPremisesPasswordResetPolicy>({
  title: "On-premises password reset integration",
  type: "OnPremisesPasswordReset",
  settings: ["passwordWriteback", "unlockWithoutReset"],
  related: [["passwordWriteback", "unlockWithoutReset"]],
  validate: validateOnPremisesPasswordReset,
  async refuse(conn, desired, _current, facts) {
    return onPremisesRefusals(desired, facts ?? await discoverTenantFacts(conn));
  },
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
    super(onPremisesProvider, name, { ...args, managedBy: args.managedBy ?? managingStack(), prior: undefined }, opts, RESOURCE_MODULE, "OnPremisesPasswordReset");
  }
}

export const _provider = onPremisesProvider;
