/**
 * Argument checks shared by the component constructor and the providers' `check` (DESIGN.md decision 7):
 * bad input never reaches the tenant, and the message names the argument, the value and what is allowed.
 */
import type { CheckFailure } from "./tenantSetting";
import { CLOUDS, isHelpdeskLink } from "./model";

export function problem(property: string, value: unknown, allowed: string): CheckFailure {
  const shown = value === undefined ? "undefined" : JSON.stringify(value);
  return { property, reason: `${property} is ${shown}; ${allowed}` };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isGuid(v: unknown): v is string {
  return typeof v === "string" && GUID.test(v);
}

export function checkBoolean(out: CheckFailure[], property: string, v: unknown): void {
  if (v !== undefined && typeof v !== "boolean") out.push(problem(property, v, "use true or false"));
}

export function checkInteger(out: CheckFailure[], property: string, v: unknown, min: number, max: number, label: string): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    out.push(problem(property, v, `use a whole number from ${min} to ${max} (${label})`));
  }
}

export function checkOneOf(out: CheckFailure[], property: string, v: unknown, allowed: readonly string[], label: string): void {
  if (v === undefined) return;
  if (typeof v !== "string" || !allowed.includes(v)) out.push(problem(property, v, `use one of ${allowed.map((a) => `"${a}"`).join(", ")} (${label})`));
}

export function checkGroupIds(out: CheckFailure[], property: string, v: unknown, allowAllUsers = false): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) { out.push(problem(property, v, "use a list of group object ids (GUIDs)")); return; }
  v.forEach((id, i) => {
    if (!(isGuid(id) || (allowAllUsers && id === "all_users"))) {
      out.push(problem(`${property}[${i}]`, id, `use a group object id (GUID)${allowAllUsers ? ' or "all_users"' : ""}`));
    }
  });
}

/** "" (not customized), an https URL, or an email address: what the admin center accepts (the rule is isHelpdeskLink in model.ts, shared with the policy pack). */
export function checkHelpdeskLink(out: CheckFailure[], property: string, v: unknown): void {
  if (v === undefined || v === "") return;
  if (typeof v !== "string") { out.push(problem(property, v, 'use an https URL, an email address, or "" for none')); return; }
  if (!isHelpdeskLink(v)) {
    out.push(problem(property, v, 'use an https URL (https://...) or an email address (Customization > "Custom helpdesk email or URL")'));
  }
}

/** Connection: cloud, tenant id (GUID or verified domain) and optional emulator/endpoint URL. */
export function checkConnection(out: CheckFailure[], property: string, v: unknown): void {
  if (typeof v !== "object" || v === null) { out.push(problem(property, v, "give { cloud, tenantId }")); return; }
  const c = v as Record<string, unknown>;
  if (c.cloud === "germany") {
    out.push(problem(`${property}.cloud`, c.cloud, 'Microsoft Cloud Deutschland was closed on 2021-10-29; tenants moved to "worldwide"'));
  } else {
    checkOneOf(out, `${property}.cloud`, c.cloud, CLOUDS, "national cloud");
    if (c.cloud === undefined) out.push(problem(`${property}.cloud`, c.cloud, `use one of ${CLOUDS.join(", ")}`));
  }
  if (!(isGuid(c.tenantId) || (typeof c.tenantId === "string" && DOMAIN.test(c.tenantId)))) {
    out.push(problem(`${property}.tenantId`, c.tenantId, "use the tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com"));
  }
  if (c.endpoint !== undefined) {
    let ok = false;
    try { ok = new URL(String(c.endpoint)).protocol === "https:"; } catch { /* not a URL */ }
    if (!ok) out.push(problem(`${property}.endpoint`, c.endpoint, "use an https:// base URL (the tenant emulator), or leave it unset for Microsoft's endpoints"));
  }
}

/**
 * The keys an argument object may have: `true` for a value checked elsewhere, a nested Shape for an object,
 * `[Shape]` for a list of such objects, and the key "*" for objects keyed by name (e.g. method ids).
 */
export type Shape = { [key: string]: true | Shape | [Shape] };

/** Names the closest allowed key when a typo is one or two edits away (enablment -> enablement). */
export function closest(key: string, allowed: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
    return d[a.length][b.length];
  };
  const best = allowed.map((k) => [k, distance(key, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

/** Unknown keys and wrong shapes (an object where a list is needed, a string where an object is), by path. */
export function checkShape(out: CheckFailure[], path: string, value: unknown, shape: Shape): void {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const allowed = Object.keys(shape).filter((k) => k !== "*");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    out.push(problem(path || "args", value, `use an object with ${allowed.length ? allowed.join(", ") : "one key per name"}`));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const rule = shape[k] ?? shape["*"];
    if (rule === undefined) {
      const near = closest(k, allowed);
      out.push(problem(at(k), v, `not a setting${near ? ` (did you mean ${at(near)}?)` : ""}; allowed here: ${allowed.join(", ")}`));
      continue;
    }
    if (v === undefined || rule === true) continue;
    if (Array.isArray(rule)) {
      if (!Array.isArray(v)) { out.push(problem(at(k), v, `use a list of objects with ${Object.keys(rule[0]).join(", ")}`)); continue; }
      v.forEach((item, n) => checkShape(out, `${at(k)}[${n}]`, item, rule[0]));
    } else {
      checkShape(out, at(k), v, rule);
    }
  }
}

/**
 * Throws one error listing every problem, for constructors (the providers return them from check). A
 * pulumi.RunError, so the engine prints the message alone, without a stack trace.
 */
export function throwIfProblems(where: string, problems: CheckFailure[], headline = "invalid arguments, nothing was created"): void {
  if (problems.length > 0) {
    const { RunError } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    throw new RunError(`${where}: ${headline}:\n${problems.map((p) => `  - ${p.reason}`).join("\n")}`);
  }
}
