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
import type { ConnectionInputs, TenantFacts } from "./model";
import { verifyDeclaredFacts } from "./tenantFacts";
import { checkBoolean, checkConnection } from "./validation";

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
  /** Input keys that are tenant settings. */
  settings: readonly string[];
  /** The settings' own rules; the connection and retainOnDelete are checked by the provider for every resource. */
  validate(inputs: SettingValues): CheckFailure[];
  read(conn: ConnectionInputs): Promise<TenantSnapshot<Raw>>;
  /** Settings that only move forward (e.g. a migration): delete does not put them back. */
  oneWay?: readonly string[];
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
  return out;
}

/**
 * Writes `desired` when the tenant differs, then returns what the tenant has: read back after a write, or
 * `current` when nothing needed writing. Declared tenant facts are re-checked only before a write.
 */
async function converge<Raw>(spec: SettingSpec<Raw>, conn: ConnectionInputs, facts: unknown, desired: SettingValues, current: TenantSnapshot<Raw>): Promise<TenantSnapshot<Raw>> {
  if (changedPaths(spec.settings, desired, current.values).length === 0) return current;
  await verifyDeclaredFacts(conn, facts as TenantFacts | undefined);
  await spec.write(conn, desired, current);
  return spec.read(conn);
}

export function singletonProvider<Raw>(spec: SettingSpec<Raw>): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds: SettingValues, news: SettingValues) {
      return { inputs: news, failures: [...checkProviderInputs(news), ...spec.validate(news)] };
    },

    async create(inputs: SettingValues) {
      const conn = inputs.connection as ConnectionInputs;
      const before = await spec.read(conn);
      const desired = declaredSettings(spec.settings, inputs);
      // Keep what the tenant had for each setting we take over: delete puts it back.
      const prior = declaredSettings(spec.settings, Object.fromEntries(Object.keys(desired).map((k) => [k, before.values[k]])));
      const after = await converge(spec, conn, inputs.tenantFacts, desired, before);
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
      const bookkeeping = oldConn.endpoint !== newConn.endpoint || !!olds.retainOnDelete !== !!news.retainOnDelete;
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
      for (const k of Object.keys(desired)) if (!(k in prior)) prior[k] = now.values[k];
      const after = await converge(spec, conn, news.tenantFacts, desired, now);
      return { outs: { ...news, ...observedOutputs(spec.settings, news, after.values), prior } };
    },

    async delete(_id: string, props: SettingValues) {
      if (props.retainOnDelete) return;
      const conn = props.connection as ConnectionInputs;
      const prior = declaredSettings(spec.settings.filter((k) => !spec.oneWay?.includes(k)), (props.prior as SettingValues | undefined) ?? {});
      if (Object.keys(prior).length === 0) return;
      const now = await spec.read(conn);
      if (changedPaths(spec.settings, prior, now.values).length > 0) await spec.write(conn, prior, now);
    },
  };
}
