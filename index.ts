/**
 * Example program: stack config -> the SelfServicePasswordReset component.
 * Pulumi.dev.yaml targets the offline tenant emulator; examples/Pulumi.prod.yaml shows a real tenant.
 * Each `sspr:*` key maps to the component argument of the same name (`sspr:cloud`, `sspr:tenantId` and
 * `sspr:endpoint` to `tenant.*`; `sspr:targetGroupId` / `sspr:targetGroupName` to `targetGroup`).
 * `sspr:tenantId` and `sspr:enablement` are required. An unknown key, a wrong shape or a bad value fails the
 * preview naming the key, and nothing is sent to the tenant.
 */
import * as pulumi from "@pulumi/pulumi";
import { SelfServicePasswordReset, SelfServicePasswordResetArgs, validateSelfServicePasswordReset } from "./components";
import { programArgsFromConfig } from "./components/stackConfig";

const fromConfig = programArgsFromConfig(pulumi.runtime.allConfig());
if (fromConfig.problems.length > 0) {
  throw new pulumi.RunError(`Stack config is invalid, nothing was sent to the tenant:\n${fromConfig.problems.map((p) => `  - ${p}`).join("\n")}`);
}
const args = fromConfig.args as unknown as SelfServicePasswordResetArgs;
const argumentProblems = validateSelfServicePasswordReset(args);
if (argumentProblems.length > 0) {
  throw new pulumi.RunError(`Stack config is invalid, nothing was sent to the tenant:\n${argumentProblems.map((p) => `  - ${fromConfig.configWords(p.reason, p.property)}`).join("\n")}`);
}

const sspr = new SelfServicePasswordReset("sspr", args);

export const effectiveEnablement = sspr.effectiveEnablement;
export const targetGroup = sspr.targetGroupId.apply((id) => id ?? "(none: enablement is not \"selected\")");
export const roleAssignments = sspr.roleAssignments;
export const tenantFacts = sspr.tenantFacts;
