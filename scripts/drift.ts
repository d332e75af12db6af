/**
 * `npm run drift -- --stack NAME [--cwd DIR] [--config-file FILE]`: has the tenant drifted from the declared
 * SSPR settings?
 *
 * Runs `pulumi preview --refresh --json` and prints each setting that differs, in admin-center words
 * (scripts/adminCenterLabels.ts), with what the stack declares and what the tenant has, and says whether the
 * tenant or the program changed. Exit code 0 = no changes, 1 = drift (or changes pending), 2 = error.
 * The dev stack runs against the local emulator, started here like `npm run demo` does; any other stack
 * runs against the backend and credentials of the environment (CI: `pulumi login`, AZURE_*, ...).
 */
import * as path from "path";
import { isPlainObject, matches } from "../components/tenantSetting";
import { adminCenterLabel, labelledSettings } from "./adminCenterLabels";
import { runPulumi } from "./pulumiCli";
import { withDevStack } from "./devStack";

/** What the drift check reads of `pulumi preview --json` (display.PreviewDigest of CLI v3.188.0). */
export interface PreviewDigest {
  steps?: PreviewStep[];
  diagnostics?: { urn?: string; message?: string; severity?: string }[];
}

/**
 * A step of the preview. For an update after a refresh, oldState is the refreshed state (inputs: what the
 * program declared at the last `up`; outputs: what the tenant has now) and newState.inputs what the program
 * declares now. The refresh steps themselves carry the state from before the refresh in both (v3.188.0), so
 * they are not read.
 */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { type?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { type?: string; inputs?: Record<string, unknown> };
}

/** "tenant": changed by hand in the tenant; "program": the stack declares something new; "both". */
export type ChangedBy = "tenant" | "program" | "both";

export interface DriftedSetting {
  /** Resource type without the dynamic-provider prefix, e.g. "sspr:PasswordResetPolicy". */
  resource: string;
  /** Resource name (last part of the URN), e.g. "sspr-policy". */
  name: string;
  /** Input path: "targetGroupIds", "methods.Sms.state". */
  setting: string;
  /** The same in admin-center words. */
  label: string;
  /** What the program declares now. */
  declared: unknown;
  /** What the program declared at the last `up`. */
  applied: unknown;
  /** What the tenant has (after the refresh). */
  tenant: unknown;
  changedBy: ChangedBy;
}

/** A pending change that is not a tenant setting: a resource to create, delete or replace, or other updates. */
export interface OtherChange { resource: string; name: string; op: string }

export interface DriftReport { settings: DriftedSetting[]; otherChanges: OtherChange[] }

/** Steps that change nothing. */
const NO_CHANGE = new Set(["same", "refresh", "read"]);
/** A replacement comes as up to three steps of one resource; it is reported once, as "replace". */
const REPLACEMENT = new Set(["replace", "create-replacement", "delete-replaced"]);

/** The engine's placeholder for a value known only after apply (preview of a group still to be created). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The engine's marker of a secret value in serialized state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

/**
 * Every declared setting the tenant does not have, per leaf (sub-settings such as per-method targeting are
 * named one by one), judged with the providers' own comparison (lists compare as sets).
 */
function settingDifferences(type: string, name: string, declared: Record<string, unknown>, applied: Record<string, unknown>, tenant: Record<string, unknown>): DriftedSetting[] {
  const out: DriftedSetting[] = [];
  const walk = (d: unknown, a: unknown, t: unknown, setting: string) => {
    // Undeclared: the providers never write it, so it cannot differ.
    if (d === undefined) return;
    if (isPlainObject(d) && isPlainObject(t)) {
      const aObj = isPlainObject(a) ? a : {};
      for (const k of Object.keys(d)) walk(d[k], aObj[k], t[k], `${setting}.${k}`);
      return;
    }
    if (matches(d, t)) return;
    const tenantChanged = !matches(a, t);
    const programChanged = !matches(d, a);
    const changedBy: ChangedBy = tenantChanged && programChanged ? "both" : tenantChanged ? "tenant" : "program";
    out.push({ resource: shortType(type), name, setting, label: adminCenterLabel(type, setting), declared: d, applied: a, tenant: t, changedBy });
  };
  for (const k of labelledSettings(type)) walk(declared[k], applied[k], tenant[k], k);
  return out;
}

/** Reads the stdout of `pulumi preview --refresh --json` (or it parsed): the drifted settings and other pending changes. */
export function parseDrift(preview: string | PreviewDigest): DriftReport {
  const digest: PreviewDigest = typeof preview === "string" ? JSON.parse(preview) : preview;
  const report: DriftReport = { settings: [], otherChanges: [] };
  const replaced = new Set<string>();
  for (const step of digest.steps ?? []) {
    if (NO_CHANGE.has(step.op)) continue;
    if (REPLACEMENT.has(step.op)) {
      if (replaced.has(step.urn)) continue;
      replaced.add(step.urn);
    }
    const type = step.newState?.type ?? step.oldState?.type ?? step.urn.split("::")[2]?.split("$").pop() ?? "";
    const name = step.urn.split("::").pop() ?? step.urn;
    const found = step.op === "update" && labelledSettings(type).length > 0
      ? settingDifferences(type, name, step.newState?.inputs ?? {}, step.oldState?.inputs ?? {}, step.oldState?.outputs ?? {})
      : [];
    report.settings.push(...found);
    // An update with no setting to show changes bookkeeping only (connection endpoint, retainOnDelete, ...).
    if (found.length === 0) report.otherChanges.push({ resource: shortType(type), name, op: REPLACEMENT.has(step.op) ? "replace" : step.op });
  }
  return report;
}

/** A value as the summary prints it: JSON-like, lists on one line, unknowns and secrets in words. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "(not set)";
  if (v === UNKNOWN) return "(known after apply)";
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  if (isPlainObject(v)) {
    if (SECRET_SIG in v) return "[secret]";
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v);
}

function settingLine(d: DriftedSetting): string {
  const line = `  - ${d.label}, ${d.setting}: declared ${formatValue(d.declared)}, tenant has ${formatValue(d.tenant)}`;
  if (d.changedBy === "both") return `${line} (the program changed it too; last applied ${formatValue(d.applied)})`;
  if (d.changedBy === "program") return `${line} (last applied ${formatValue(d.applied)})`;
  return line;
}

/** The text `npm run drift` prints for a report; empty when there is nothing to report. */
export function summarize(report: DriftReport, stack: string): string {
  const tenant = report.settings.filter((d) => d.changedBy !== "program");
  const program = report.settings.filter((d) => d.changedBy === "program");
  const lines: string[] = [];
  if (tenant.length > 0) {
    lines.push(`Drift: the tenant differs from stack "${stack}" in ${tenant.length} setting(s), changed in the tenant:`);
    lines.push(...tenant.map(settingLine));
    lines.push(`Run \`pulumi up --stack ${stack}\` to put the declared settings back, or change the program to accept the tenant's.`);
  }
  if (program.length > 0 || report.otherChanges.length > 0) {
    lines.push(`Changes pending for stack "${stack}" (the program changed, not the tenant):`);
    lines.push(...program.map(settingLine));
    lines.push(...report.otherChanges.map((c) => `  - ${c.resource} ${c.name}: ${c.op}`));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const stack = arg("--stack");
  if (!stack) { process.stderr.write("usage: npm run drift -- --stack NAME [--cwd DIR] [--config-file FILE]\n"); return 2; }
  const configFile = arg("--config-file");
  const cwd = path.resolve(arg("--cwd") ?? path.join(__dirname, ".."));

  const check = async (env: NodeJS.ProcessEnv) => {
    // --json rather than --diff text: values (lists included) come as JSON, with the last applied inputs beside
    // the refreshed outputs, so tenant and program changes can be told apart. No --expect-no-changes: the steps say it.
    const r = await runPulumi(["preview", "--refresh", "--json", "--stack", stack, ...(configFile ? ["--config-file", configFile] : [])], { cwd, env });
    const digest = r.json as PreviewDigest | undefined;
    if (r.code !== 0 || !digest) {
      const errors = (digest?.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message?.trim()).join("\n");
      process.stderr.write(`Drift check failed (exit ${r.code}):\n${errors || r.stdout}\n${r.stderr}\n`);
      return 2;
    }
    const summary = summarize(parseDrift(digest), stack);
    if (!summary) { process.stdout.write(`No drift: tenant matches stack "${stack}".\n`); return 0; }
    process.stdout.write(summary);
    return 1;
  };
  return stack === "dev" ? withDevStack(cwd, (env) => check(env)) : check({ ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" });
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exit(2); });
}
