/**
 * AdminPasswordResetPolicy: whether administrators may reset their own password (the fixed two-gate
 * administrator policy). Graph v1.0 `authorizationPolicy.allowedToUseSSPR`; only that field is written.
 *
 * Needs: Graph Policy.Read.All and Policy.ReadWrite.Authorization (application), or delegated with the
 * Privileged Role Administrator role.
 */
import * as pulumi from "@pulumi/pulumi";
import { tenantRequest } from "./connection";
import { managingStack } from "./ownership";
import { AdminPasswordResetPolicyInputs, RESOURCE_MODULE } from "./model";
import { CheckFailure, ResourceArgs, SettingValues, singletonProvider } from "./tenantSetting";
import { problem } from "./validation";

interface AuthorizationPolicy { allowedToUseSSPR?: boolean; [other: string]: unknown }

const PATH = "/policies/authorizationPolicy";

export function validateAdminPasswordResetPolicy(i: SettingValues): CheckFailure[] {
  const out: CheckFailure[] = [];
  if (typeof i.administratorsCanResetPassword !== "boolean") {
    out.push(problem("administratorsCanResetPassword", i.administratorsCanResetPassword, "use true or false"));
  }
  return out;
}

const adminPolicyProvider = singletonProvider<AuthorizationPolicy>({
  title: "Administrator password reset policy",
  type: "AdminPasswordResetPolicy",
  settings: ["administratorsCanResetPassword"],
  validate: validateAdminPasswordResetPolicy,
  async read(conn) {
    const r = await tenantRequest<AuthorizationPolicy>(conn, "graph", "GET", PATH, undefined, { needs: "Graph permission Policy.Read.All" });
    return { raw: r.body, values: { administratorsCanResetPassword: r.body.allowedToUseSSPR } };
  },
  async write(conn, desired) {
    // PATCH with the one field: every other authorization setting stays as the tenant has it.
    await tenantRequest(conn, "graph", "PATCH", PATH, { allowedToUseSSPR: desired.administratorsCanResetPassword },
      { needs: "Graph permission Policy.ReadWrite.Authorization (delegated: Privileged Role Administrator)" });
  },
});


export class AdminPasswordResetPolicy extends pulumi.dynamic.Resource {
  declare readonly administratorsCanResetPassword: pulumi.Output<boolean>;
  declare readonly prior: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: ResourceArgs<AdminPasswordResetPolicyInputs>, opts?: pulumi.CustomResourceOptions) {
    super(adminPolicyProvider, name, { ...args, managedBy: args.managedBy ?? managingStack(), prior: undefined }, opts, RESOURCE_MODULE, "AdminPasswordResetPolicy");
  }
}

export const _provider = adminPolicyProvider;
