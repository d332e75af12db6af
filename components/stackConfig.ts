/**
 * Stack config (`sspr:*` keys) -> the component's arguments, for programs that are driven by config (the
 * example program, CI stacks). Every key is known here: an unknown key (a typo), a value of the wrong shape
 * or a missing required key is reported in config words (`sspr:methods.required`), never replaced by a default.
 */
import { closest } from "./validation";

const NAMESPACE = "sspr:";
const STRING_KEYS = ["cloud", "tenantId", "endpoint", "enablement", "targetGroupId", "targetGroupName", "helpdeskLink", "takeOverFrom"] as const;
const BOOLEAN_KEYS = ["administratorsCanResetPassword", "manageAzureAd", "retainOnDelete"] as const;
const OBJECT_KEYS = ["tenantFacts", "methods", "registration", "notifications", "onPremises", "authenticationMethods", "roleAssignments",
  "protectRegistration", "auditTrail"] as const;
const REQUIRED = ["tenantId", "enablement"] as const;
export const CONFIG_KEYS: readonly string[] = [...STRING_KEYS, ...BOOLEAN_KEYS, ...OBJECT_KEYS];

/** Component argument paths that come from a differently named key. */
const RENAMED: [argument: string, key: string][] = [
  ["tenant.cloud", "cloud"], ["tenant.tenantId", "tenantId"], ["tenant.endpoint", "endpoint"],
  ["targetGroup.existingGroupId", "targetGroupId"], ["targetGroup.create.displayName", "targetGroupName"], ["targetGroup", "targetGroupId"],
];

export interface ProgramArgs {
  args: Record<string, unknown>;
  problems: string[];
  /** Rewrites a component message about `property` so that it names the config key the user wrote. */
  configWords(reason: string, property: string): string;
}

export function programArgsFromConfig(all: Record<string, string>): ProgramArgs {
  const problems: string[] = [];
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (k.startsWith(NAMESPACE)) raw[k.slice(NAMESPACE.length)] = v;

  for (const [k, v] of Object.entries(raw)) {
    if (CONFIG_KEYS.includes(k)) continue;
    const near = closest(k, [...CONFIG_KEYS]);
    problems.push(`${NAMESPACE}${k} is ${JSON.stringify(v)}; not a setting of this program` +
      (near ? ` (did you mean ${NAMESPACE}${near}?)` : `; the keys are: ${CONFIG_KEYS.map((c) => NAMESPACE + c).join(", ")}`));
  }
  for (const k of REQUIRED) {
    if (raw[k] === undefined || raw[k] === "") {
      problems.push(`${NAMESPACE}${k} is not set; it is required (${k === "tenantId" ? "the tenant id (GUID) or a verified domain" : 'use "none", "selected" or "all"'}): ` +
        `\`pulumi config set ${NAMESPACE}${k} <value>\``);
    }
  }
  const values: Record<string, unknown> = {};
  for (const k of STRING_KEYS) if (raw[k] !== undefined) values[k] = raw[k];
  for (const k of BOOLEAN_KEYS) {
    if (raw[k] === undefined) continue;
    if (raw[k] === "true" || raw[k] === "false") values[k] = raw[k] === "true";
    else problems.push(`${NAMESPACE}${k} is ${JSON.stringify(raw[k])}; use true or false`);
  }
  for (const k of OBJECT_KEYS) {
    if (raw[k] === undefined) continue;
    // Objects arrive as JSON (config set --path, or YAML maps); anything else goes on as the string it is,
    // and the component's shape check names it.
    try { values[k] = JSON.parse(raw[k]); } catch { values[k] = raw[k]; }
  }

  const args: Record<string, unknown> = {
    tenant: { cloud: values.cloud ?? "worldwide", tenantId: values.tenantId, ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}) },
  };
  if (values.targetGroupId !== undefined && values.targetGroupName !== undefined) {
    problems.push(`${NAMESPACE}targetGroupId and ${NAMESPACE}targetGroupName are both set; use one: an existing group's object id, or the name of a group to create`);
  }
  if (values.targetGroupId !== undefined) args.targetGroup = { existingGroupId: values.targetGroupId };
  else if (values.targetGroupName !== undefined) args.targetGroup = { create: { displayName: values.targetGroupName } };
  for (const k of [...STRING_KEYS, ...BOOLEAN_KEYS, ...OBJECT_KEYS]) {
    if (["cloud", "tenantId", "endpoint", "targetGroupId", "targetGroupName"].includes(k) || values[k] === undefined) continue;
    args[k] = values[k];
  }

  const configWords = (reason: string, property: string) => {
    const renamed = RENAMED.find(([arg]) => property === arg || property.startsWith(`${arg}.`) || property.startsWith(`${arg}[`));
    const key = renamed ? NAMESPACE + renamed[1] + property.slice(renamed[0].length) : NAMESPACE + property;
    const text = reason.startsWith(property) ? key + reason.slice(property.length) : `${key}: ${reason}`;
    return text.replace(/\(did you mean ([\w.[\]]+)\?\)/, (_m, p: string) => `(did you mean ${NAMESPACE}${p}?)`);
  };
  return { args, problems, configWords };
}
