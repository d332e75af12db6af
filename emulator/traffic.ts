/**
 * What the control API observes and injects: the request log (with per-route counters) and queued faults.
 * Control API calls themselves are neither logged nor faulted.
 */
import type { Area } from "./http";

export const FAULT_KINDS = ["throttle", "unavailable", "slow", "expiredToken"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** Tenant id, default domain or preset name; omitted = any tenant. */
  tenantId?: string;
  method?: string;
  /** Substring of the request path (query string included). */
  pathContains?: string;
  kind: FaultKind;
  /** How many matching requests it applies to; then it is used up. */
  count: number;
  /** Retry-After for throttle/unavailable (seconds; fractions allowed). Default 1. */
  retryAfterSeconds?: number;
  /** Delay for slow. Default 2000. */
  delayMs?: number;
}

export interface RequestLogEntry {
  time: string;
  tenantId: string | null;
  method: string;
  path: string;
  /** Templated route, e.g. "PUT /api/PasswordReset/PasswordResetPolicies". */
  route: string;
  status: number;
}

export interface RequestFilter {
  tenantId?: string;
  method?: string;
  pathContains?: string;
}

const MAX_LOG = 20_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts: Record<string, number> = {};

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG) this.entries.splice(0, this.entries.length - MAX_LOG);
    this.counts[entry.route] = (this.counts[entry.route] ?? 0) + 1;
  }

  /** `resolveTenant` turns a domain or preset name in the filter into the tenant id the log holds. */
  list(filter: RequestFilter = {}, resolveTenant: (ref: string) => string = (r) => r): RequestLogEntry[] {
    const tenantId = filter.tenantId ? resolveTenant(filter.tenantId).toLowerCase() : undefined;
    return this.entries.filter(
      (e) =>
        (!tenantId || e.tenantId?.toLowerCase() === tenantId) &&
        (!filter.method || e.method.toUpperCase() === filter.method.toUpperCase()) &&
        (!filter.pathContains || e.path.includes(filter.pathContains)),
    );
  }

  counters(): Record<string, number> {
    return { ...this.counts };
  }

  clear(): void {
    this.entries = [];
    this.counts = {};
  }
}

export interface ActiveFault extends FaultSpec {
  id: string;
  remaining: number;
}

export class FaultQueue {
  private faults: ActiveFault[] = [];
  private next = 1;

  add(spec: FaultSpec, resolvedTenantId?: string): ActiveFault {
    const fault: ActiveFault = { ...spec, tenantId: resolvedTenantId ?? spec.tenantId, id: String(this.next++), remaining: spec.count };
    this.faults.push(fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * The first fault that matches this request, with one use taken off. Faults aim at the APIs the program
   * calls (Graph, portal); the login endpoint is hit only by a fault whose `pathContains` names its path,
   * so a tenant-wide fault does not break sign-in instead. `expiredToken` needs a bearer token to expire.
   */
  take(req: { area: Area | undefined; tenantId: string | undefined; method: string; path: string }): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (req.area === "graph" || req.area === "portal" || (req.area === "login" && !!f.pathContains && f.kind !== "expiredToken")) &&
        (!f.tenantId || f.tenantId.toLowerCase() === req.tenantId?.toLowerCase()) &&
        (!f.method || f.method.toUpperCase() === req.method.toUpperCase()) &&
        (!f.pathContains || req.path.includes(f.pathContains)),
    );
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }
}
