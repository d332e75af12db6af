/**
 * The lifecycle every tenant-setting singleton shares (DESIGN.md decision 3), as a dynamic provider:
 *
 *   create  = adopt: read the tenant, keep the declared settings' current values as `prior`, write, read back
 *   read    = what the tenant has now (refresh; `pulumi preview --refresh` shows drift)
 *   diff    = field by field, only the settings the program declares
 *   update  = refuses when the tenant changed since the last refresh, so nobody's change is overwritten unseen
 *   delete  = restore `prior`, or leave the tenant as it is when `retainOnDelete` is set
 *
 * Inputs name settings in the admin's vocabulary; an undefined input is not managed and is never written.
 * Outputs are the inputs with each declared setting replaced by what the tenant really has.
 */
import type * as pulumi from "@pulumi/pulumi";
import { tenantError } from "./connection";
import type { ConnectionInputs, TenantFacts } from "./model";
import { claimTenantObject, managedElsewhere, otherManager, releaseTenantObject } from "./ownership";
import { verifyDeclaredFacts } from "./tenantFacts";
import { checkBoolean, checkConnection, problem } from "./validation";

export type SettingValues = Record<string, unknown>;

/** A resource's args: each input may be a plain value or a Pulumi Output. */
export type ResourceArgs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export interface TenantSnapshot<Raw> {
  /** The object as the API returned it (kept for read-modify-write). */
  raw: Raw;
  /** Every setting this resource can manage, in the admin's vocabulary. */
  values: SettingValues;
}

export interface CheckFailure { property: string; reason: string }

export interface SettingSpec<Raw> {
  /** Admin-center name of the object, for messages. */
  title: string;
  /** The resource type ("PasswordResetPolicy"): the object's key in the tenant's ownership record. */
  type: string;
  /** Input keys that are tenant settings. */
  settings: readonly string[];
  /** The settings' own rules; the connection and retainOnDelete are checked by the provider for every resource. */
  validate(inputs: SettingValues): CheckFailure[];
  read(conn: ConnectionInputs): Promise<TenantSnapshot<Raw>>;
  /** Settings that only move forward (e.g. a migration): delete does not put them back. */
  oneWay?: readonly string[];
  /**
   * Settings that belong together (enablement with its group, security questions with their counts and
   * texts): declaring one keeps the prior value of all, so that destroy can put back a state the API accepts.
   */
  related?: readonly (readonly string[])[];
  /**
   * What Microsoft would refuse, given the tenant as it is now (`current`) and its facts: checked at preview
   * (`check`, when the tenant can be read) and always before the first write. Empty = nothing to refuse.
   */
  refuse?(conn: ConnectionInputs, desired: SettingValues, current: TenantSnapshot<Raw>, facts: TenantFacts | undefined): Promise<CheckFailure[]> | CheckFailure[];
  /** Writes the given settings (only those) onto the object read just before. */
  write(conn: ConnectionInputs, desired: SettingValues, current: TenantSnapshot<Raw>): Promise<void>;
}

/** Plain objects only (not arrays, not null): settings with sub-settings, such as per-method targeting. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True when every declared (non-undefined) part of `declared` equals `observed`; arrays compare as sets. */
export function matches(declared: unknown, observed: unknown): boolean {
  if (declared === undefined) return true;
  if (Array.isArray(declared)) {
    if (!Array.isArray(observed) || declared.length !== observed.length) return false;
    const key = (x: unknown) => JSON.stringify(x);
    const a = declared.map(key).sort(), b = observed.map(key).sort();
    return a.every((x, i) => x === b[i]);
  }
  if (isPlainObject(declared)) {
    if (!isPlainObject(observed)) return false;
    return Object.keys(declared).every((k) => matches(declared[k], observed[k]));
  }
  return declared === observed;
}

/** The declared shape filled with observed values: what the outputs hold after a read. */
export function overlay(declared: unknown, observed: unknown): unknown {
  if (observed === undefined) return declared;
  if (isPlainObject(declared) && isPlainObject(observed)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(declared)) out[k] = overlay(declared[k], observed[k]);
    return out;
  }
  return observed;
}

/** Paths (dot-separated) of declared settings whose values differ. */
export function changedPaths(settings: readonly string[], declared: SettingValues, observed: SettingValues): string[] {
  const out: string[] = [];
  const walk = (d: unknown, o: unknown, path: string) => {
    if (d === undefined) return;
    if (isPlainObject(d) && isPlainObject(o)) { for (const k of Object.keys(d)) walk(d[k], o[k], `${path}.${k}`); return; }
    if (!matches(d, o)) out.push(path);
  };
  for (const k of settings) walk(declared[k], observed[k], k);
  return out;
}

function declaredSettings(settings: readonly string[], inputs: SettingValues): SettingValues {
  const out: SettingValues = {};
  for (const k of settings) if (inputs[k] !== undefined) out[k] = inputs[k];
  return out;
}

function observedOutputs(settings: readonly string[], inputs: SettingValues, snapshot: SettingValues): SettingValues {
  const out: SettingValues = {};
  for (const k of settings) if (inputs[k] !== undefined) out[k] = overlay(inputs[k], snapshot[k]);
  return out;
}

/** A different tenant (or cloud) is a different object: the resource is replaced, never moved. */
export function sameTenant(a: ConnectionInputs, b: ConnectionInputs): boolean {
  return a.tenantId === b.tenantId && a.cloud === b.cloud;
}

/** What every tenant resource's provider checks besides its own settings. */
export function checkProviderInputs(inputs: SettingValues): CheckFailure[] {
  const out: CheckFailure[] = [];
  checkConnection(out, "connection", inputs.connection);
  checkBoolean(out, "retainOnDelete", inputs.retainOnDelete);
  for (const k of ["managedBy", "takeOverFrom"]) {
    const v = inputs[k];
    if (v !== undefined && (typeof v !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(v))) out.push(problem(k, v, 'use a stack as "<project>/<stack>"'));
  }
  return out;
}

/** The tenant's current values of the declared settings and of every setting related to one (what destroy restores). */
function priorValues(spec: SettingSpec<unknown>, desired: SettingValues, observed: SettingValues): SettingValues {
  const keys = new Set(Object.keys(desired));
  for (const group of spec.related ?? []) if (group.some((k) => keys.has(k))) group.forEach((k) => keys.add(k));
  const out: SettingValues = {};
  for (const k of spec.settings) if (keys.has(k) && observed[k] !== undefined) out[k] = observed[k];
  return out;
}

/** Throws (before anything is written) when Microsoft would refuse `desired` on the tenant as it is now. */
async function refuseOrThrow<Raw>(spec: SettingSpec<Raw>, conn: ConnectionInputs, desired: SettingValues, current: TenantSnapshot<Raw>, facts: unknown): Promise<void> {
  const failures = spec.refuse ? await spec.refuse(conn, desired, current, facts as TenantFacts | undefined) : [];
  if (failures.length > 0) {
    throw tenantError(`${spec.title} in tenant ${conn.tenantId}: Microsoft would refuse this change, so nothing was written:\n` +
      failures.map((f) => `  - ${f.reason}`).join("\n"));
  }
}

/** The stack recorded in the tenant as this object's manager ("<project>/<stack>"; set by the resource's constructor). */
function ownerOf(inputs: SettingValues): string | undefined {
  return typeof inputs.managedBy === "string" && inputs.managedBy ? inputs.managedBy : undefined;
}

/**
 * Writes `desired` when the tenant differs, then returns what the tenant has: read back after a write, or
 * `current` when nothing needed writing. Everything that can be checked is checked first (what Microsoft
 * would refuse, declared tenant facts, who manages the object); a write that fails gives back an ownership
 * record it created, so the tenant is as it was.
 */
async function converge<Raw>(spec: SettingSpec<Raw>, conn: ConnectionInputs, inputs: SettingValues, desired: SettingValues,
  current: TenantSnapshot<Raw>, takeOverFrom: string | undefined): Promise<TenantSnapshot<Raw>> {
  if (changedPaths(spec.settings, desired, current.values).length === 0) return current;
  await refuseOrThrow(spec, conn, desired, current, inputs.tenantFacts);
  await verifyDeclaredFacts(conn, inputs.tenantFacts as TenantFacts | undefined);
  const owner = ownerOf(inputs);
  const claimed = owner ? await claimTenantObject(conn, spec.type, spec.title, owner, takeOverFrom) : false;
  try {
    await spec.write(conn, desired, current);
  } catch (e) {
    if (claimed && owner) await releaseTenantObject(conn, spec.type, owner).catch(() => undefined);
    throw e;
  }
  return spec.read(conn);
}

export function singletonProvider<Raw>(spec: SettingSpec<Raw>): pulumi.dynamic.ResourceProvider {
  return {
    async check(olds: SettingValues, news: SettingValues) {
      const failures = [...checkProviderInputs(news), ...spec.validate(news)];
      // What the tenant had at adoption stays as the first check recorded it.
      const inputs: SettingValues = { ...news, ...(olds.tenantBefore !== undefined ? { tenantBefore: olds.tenantBefore } : {}) };
      const creating = olds.connection === undefined;
      const desired = declaredSettings(spec.settings, news);
      const unchanged = !creating && changedPaths(spec.settings, desired, declaredSettings(spec.settings, olds)).length === 0;
      if (failures.length > 0 || unchanged) return { inputs, failures };
      // A new object, or declared settings that changed: read the tenant so that the preview already says what
      // Microsoft would refuse, and a first adoption shows what the tenant has now next to what it will be.
      const conn = news.connection as ConnectionInputs;
      let current: TenantSnapshot<Raw>;
      try {
        current = await spec.read(conn);
      } catch {
        return { inputs, failures }; // no credential at preview (a fork's pull request): create and update re-check
      }
      if (creating) {
        inputs.tenantBefore = priorValues(spec as SettingSpec<unknown>, desired, current.values);
        const owner = ownerOf(news);
        const other = owner ? await otherManager(conn, spec.type, owner, news.takeOverFrom as string | undefined).catch(() => undefined) : undefined;
        if (other) failures.push({ property: "managedBy", reason: managedElsewhere(conn, spec.title, other) });
      }
      if (changedPaths(spec.settings, desired, current.values).length > 0 && spec.refuse) {
        failures.push(...await spec.refuse(conn, desired, current, news.tenantFacts as TenantFacts | undefined));
      }
      return { inputs, failures };
    },

    async create(inputs: SettingValues) {
      const conn = inputs.connection as ConnectionInputs;
      const before = await spec.read(conn);
      const desired = declaredSettings(spec.settings, inputs);
      // Keep what the tenant had for each setting we take over (and the ones that belong with it): delete puts it back.
      const prior = priorValues(spec as SettingSpec<unknown>, desired, before.values);
      const takeOverFrom = inputs.takeOverFrom as string | undefined;
      const after = await converge(spec, conn, inputs, desired, before, takeOverFrom);
      // Adopted as it is: nothing was written, but the object is this stack's from now on.
      const owner = ownerOf(inputs);
      if (after === before && owner) await claimTenantObject(conn, spec.type, spec.title, owner, takeOverFrom);
      return { id: `${conn.tenantId}/${spec.title.replace(/\s+/g, "")}`, outs: { ...inputs, ...observedOutputs(spec.settings, inputs, after.values), prior } };
    },

    async read(id: string, props: SettingValues) {
      const now = await spec.read(props.connection as ConnectionInputs);
      return { id, props: { ...props, ...observedOutputs(spec.settings, props, now.values) } };
    },

    async diff(_id: string, olds: SettingValues, news: SettingValues) {
      const oldConn = olds.connection as ConnectionInputs, newConn = news.connection as ConnectionInputs;
      const replaces = sameTenant(oldConn, newConn) ? [] : ["connection"];
      const changed = changedPaths(spec.settings, news, olds);
      const bookkeeping = oldConn.endpoint !== newConn.endpoint || !!olds.retainOnDelete !== !!news.retainOnDelete || olds.managedBy !== news.managedBy;
      return { changes: replaces.length > 0 || changed.length > 0 || bookkeeping, replaces, deleteBeforeReplace: true };
    },

    async update(_id: string, olds: SettingValues, news: SettingValues) {
      const conn = news.connection as ConnectionInputs;
      const now = await spec.read(conn);
      // State holds what the tenant had at the last apply or refresh. If the tenant differs now, someone
      // changed it by hand: say so instead of overwriting it silently.
      const drifted = changedPaths(spec.settings, declaredSettings(spec.settings, olds), now.values);
      if (drifted.length > 0) {
        throw new Error(`${spec.title} in tenant ${conn.tenantId} was changed outside Pulumi since the last refresh (${drifted.join(", ")}). ` +
          `Nothing was written. Review the change with \`pulumi preview --refresh\`, then apply with \`pulumi up --refresh\`.`);
      }
      const desired = declaredSettings(spec.settings, news);
      const prior = { ...(olds.prior as SettingValues | undefined) };
      for (const [k, v] of Object.entries(priorValues(spec as SettingSpec<unknown>, desired, now.values))) if (!(k in prior)) prior[k] = v;
      // Before a write: still ours? (Another stack may have taken it over deliberately since.) A renamed stack hands over to itself.
      const after = await converge(spec, conn, news, desired, now, ownerOf(olds) ?? (news.takeOverFrom as string | undefined));
      return { outs: { ...news, ...observedOutputs(spec.settings, news, after.values), prior } };
    },

    async delete(_id: string, props: SettingValues) {
      const conn = props.connection as ConnectionInputs;
      const owner = ownerOf(props);
      if (!props.retainOnDelete) {
        const prior = declaredSettings(spec.settings.filter((k) => !spec.oneWay?.includes(k)), (props.prior as SettingValues | undefined) ?? {});
        if (Object.keys(prior).length > 0) {
          const now = await spec.read(conn);
          if (changedPaths(spec.settings, prior, now.values).length > 0) await spec.write(conn, prior, now);
        }
      }
      if (owner) await releaseTenantObject(conn, spec.type, owner);
    },
  };
}
