/**
 * Offline Microsoft tenant emulator: login (identity platform), Microsoft Graph v1.0 and the portal
 * PasswordReset API for several preset tenants at once, over HTTPS on 127.0.0.1, with a control API for
 * drift, faults and the request log. The dev stack runs against it by default; tests use it as a double.
 *
 * The server's certificate is signed by a per-user CA (emulator/ca.ts); processes that call the emulator
 * must trust it through NODE_EXTRA_CA_CERTS=<caCertFile>, set before they start.
 */
import { ensureClientCertificate, ensureEmulatorCa, ensureServerCertificate } from "./ca";
import { EmulatorControl } from "./control";
import { allCredentials, TenantCredentials } from "./credentials";
import { PresetName, PRESET_NAMES } from "./presets";
import { EmulatorServer } from "./server";
import { EmulatorStore } from "./state";

export type { PresetName } from "./presets";
export type { TenantCredentials } from "./credentials";
export type { TenantState } from "./state";
export { EmulatorControl, EmulatorControlError } from "./control";
export type { ActiveFault, DriftPatch, FaultSpec, RequestFilter, RequestLogEntry } from "./control";
export { ensureEmulatorCa } from "./ca";
export { PRESET_NAMES } from "./presets";

export interface RunningEmulator {
  /** "https://127.0.0.1:<port>": login, Graph, portal API and control API all under it. */
  url: string;
  caCertFile: string;
  /** Keyed by preset name. */
  tenants: Record<string, TenantCredentials>;
  control: EmulatorControl;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default: all presets. */
  presets?: PresetName[];
  /** Load at start when present, save after every write: tenants, credentials and keys survive a restart. */
  stateFile?: string;
}

export async function startEmulator(opts: StartOptions = {}): Promise<RunningEmulator> {
  const ca = await ensureEmulatorCa();
  const certificate = await ensureServerCertificate(ca);
  const store = EmulatorStore.open(opts.presets ?? PRESET_NAMES, opts.stateFile, await ensureClientCertificate(ca));
  const server = await EmulatorServer.start({ port: opts.port ?? 0, store, certificate });
  return {
    url: server.url,
    caCertFile: ca.certFile,
    tenants: allCredentials(store),
    control: new EmulatorControl(server.url, { ca: ca.certPem }),
    stop: () => server.stop(),
  };
}
