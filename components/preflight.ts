/**
 * What Microsoft would refuse for the whole declaration, checked in the program before the stack's first
 * write, with or without the policy pack: licence, directory sync and tenant state (the target group exists,
 * the migration only moves forward). The component makes every child resource wait for this check, so a
 * refusal registers nothing and the tenant stays as it was; each provider repeats its own part before it
 * writes (for programs that use the resources directly).
 */
import * as pulumi from "@pulumi/pulumi";
import { migrationBackwards } from "./authenticationMethodsPolicy";
import { tenantRequest } from "./connection";
import type { ConnectionInputs, TenantFacts } from "./model";
import { onPremisesRefusals } from "./onPremisesPasswordReset";
import { groupExists } from "./passwordResetPolicy";
import type { SelfServicePasswordResetArgs } from "./selfServicePasswordReset";
import type { CheckFailure } from "./tenantSetting";
import { problem } from "./validation";

/** No Entra ID P1 in any form: Conditional Access and writeback are refused by Microsoft. */
const hasP1 = (f: TenantFacts) => f.entraIdP1 || f.entraIdP2 || f.businessPremium;

/** Refusals that follow from the tenant facts alone (no request): the same whether facts are discovered or declared. */
export function factRefusals(a: SelfServicePasswordResetArgs, facts: TenantFacts): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (a.onPremises) out.push(...onPremisesRefusals({ ...a.onPremises }, facts, "onPremises."));
  (a.roleAssignments ?? []).forEach((r, n) => {
    if (r.assignment === "eligible" && !facts.entraIdP2) {
      out.push(problem(`roleAssignments[${n}].assignment`, "eligible",
        "PIM-eligible assignments need Microsoft Entra ID P2 (or a licence that includes it, such as Microsoft 365 E5), and the tenant has none; use \"permanent\" or license the tenant"));
    }
  });
  if (a.protectRegistration && !hasP1(facts)) {
    out.push(problem("protectRegistration", a.protectRegistration,
      "Conditional Access needs Microsoft Entra ID P1 or P2 (or Microsoft 365 Business Premium), and the tenant has none; remove protectRegistration or use security defaults"));
  }
  return out;
}

/**
 * Refusals that need a look at the tenant. With declared facts and no credential (a fork's pull request) the
 * look is skipped: the providers repeat it before they write.
 */
export async function tenantStateRefusals(a: SelfServicePasswordResetArgs, conn: ConnectionInputs, facts: TenantFacts): Promise<CheckFailure[]> {
  const out: CheckFailure[] = [];
  // A read that fails without an HTTP status had no credential; with declared facts that is a fork's preview.
  const look = <T>(read: () => Promise<T>): Promise<T | undefined> => read().catch((e) => {
    if (facts.source === "declared" && (e as { status?: number }).status === undefined) return undefined;
    throw e;
  });
  const group = a.targetGroup && "existingGroupId" in a.targetGroup ? a.targetGroup.existingGroupId : undefined;
  if (a.enablement === "selected" && group && await look(() => groupExists(conn, group)) === false) {
    out.push(problem("targetGroup.existingGroupId", group, `no group with this object id exists in tenant ${conn.tenantId} (Properties > "Select group")`));
  }
  const wanted = a.authenticationMethods?.migrationState;
  if (wanted !== undefined) {
    const policy = await look(() => tenantRequest<{ policyMigrationState?: string }>(conn, "graph", "GET", "/policies/authenticationMethodsPolicy?$select=policyMigrationState",
      undefined, { needs: "Graph permission Policy.Read.AuthenticationMethod" }));
    const reason = policy && migrationBackwards(wanted, policy.body.policyMigrationState);
    if (reason) out.push({ property: "authenticationMethods.migrationState", reason: `authenticationMethods.${reason}` });
  }
  return out;
}

/** Warnings for what Microsoft accepts but that will not work for users (the pack makes them errors). */
export function preflightWarnings(facts: TenantFacts, resource: pulumi.Resource): void {
  if (facts.trialOnly) {
    pulumi.log.warn("The tenant has no paid subscription (trial-only): Microsoft does not offer self-service password reset to users of " +
      "trial tenants, so this policy will be saved but users cannot reset. Run `pulumi preview --policy-pack policy` for the full review.", resource);
  }
}
