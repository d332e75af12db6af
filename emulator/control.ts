/**
 * Typed client of the emulator's control API (`/_emulator/...`): tests and scripts use it to read and
 * drift tenant state, inject faults and read the request log. It works against any emulator URL, including
 * one running in another process (`npm run emulator`).
 */
import * as fs from "node:fs";
import * as https from "node:https";
import { defaultCaCertFile } from "./ca";
import type { TenantCredentials } from "./credentials";
import type { TenantState } from "./state";
import type { ActiveFault, FaultSpec, RequestFilter, RequestLogEntry } from "./traffic";

export type { ActiveFault, FaultSpec, RequestFilter, RequestLogEntry } from "./traffic";

/** A partial tenant state, merged key by key into the tenant's objects (arrays replace). */
export type DriftPatch = { [K in keyof TenantState]?: unknown };

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class EmulatorControl {
  private readonly base: string;
  private readonly ca: string | undefined;

  /**
   * @param url the emulator's base URL ("https://127.0.0.1:<port>")
   * @param opts.ca PEM of the CA to trust; default: the emulator CA in the default CA folder, when present
   */
  constructor(url: string, opts: { ca?: string } = {}) {
    this.base = url.replace(/\/+$/, "");
    const defaultCaFile = defaultCaCertFile();
    this.ca = opts.ca ?? (fs.existsSync(defaultCaFile) ? fs.readFileSync(defaultCaFile, "utf8") : undefined);
  }

  /** Restores the tenant's objects to its preset (ids and credentials stay). `tenantId` may also be a domain or preset name. */
  reset(tenantId: string): Promise<TenantState> {
    return this.call("POST", `/tenants/${encodeURIComponent(tenantId)}/reset`);
  }

  getState(tenantId: string): Promise<TenantState> {
    return this.call("GET", `/tenants/${encodeURIComponent(tenantId)}/state`);
  }

  /** Changes the tenant behind the program's back, e.g. `{ passwordResetPolicy: { notifyUsersOnPasswordReset: false } }`. */
  drift(tenantId: string, patch: DriftPatch | Record<string, unknown>): Promise<TenantState> {
    return this.call("PATCH", `/tenants/${encodeURIComponent(tenantId)}/state`, patch);
  }

  /**
   * Makes the next `count` matching Graph/portal requests fail (or slow down, or see their token as expired);
   * sign-in requests only when `pathContains` names the login path, e.g. "/oauth2/v2.0/token".
   */
  injectFault(spec: FaultSpec): Promise<ActiveFault> {
    return this.call("POST", "/faults", spec);
  }

  faults(): Promise<ActiveFault[]> {
    return this.call("GET", "/faults");
  }

  clearFaults(): Promise<void> {
    return this.call("DELETE", "/faults");
  }

  requests(filter: RequestFilter = {}): Promise<RequestLogEntry[]> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return this.call("GET", `/requests${qs ? `?${qs}` : ""}`);
  }

  /** Requests per route since start or the last clearRequests(), e.g. `{"PUT /api/PasswordReset/PasswordResetPolicies": 2}`. */
  counters(): Promise<Record<string, number>> {
    return this.call("GET", "/counters");
  }

  clearRequests(): Promise<void> {
    return this.call("DELETE", "/requests");
  }

  /** Credentials of every tenant served, keyed by preset (the federated token is freshly minted). */
  tenants(): Promise<Record<string, TenantCredentials>> {
    return this.call("GET", "/tenants");
  }

  private call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const url = new URL(`${this.base}/_emulator${route}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.ca,
          agent: false,
          headers: { Accept: "application/json", ...(payload ? { "Content-Type": "application/json", "Content-Length": payload.length } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const parsed = text ? (JSON.parse(text) as unknown) : undefined;
            if ((res.statusCode ?? 500) >= 400) {
              const message = (parsed as { error?: string } | undefined)?.error ?? text;
              reject(new EmulatorControlError(res.statusCode ?? 500, `emulator control ${method} ${route}: ${res.statusCode} ${message}`));
            } else {
              resolve(parsed as T);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
}
