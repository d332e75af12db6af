/**
 * The HTTPS server: one origin for login, Graph, the portal API and the control API (their paths do not
 * collide). Every API request is logged with its templated route; queued faults are applied before the
 * route runs. Listens on 127.0.0.1 only.
 */
import * as https from "node:https";
import type * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerCertificate } from "./ca";
import { allCredentials } from "./credentials";
import { graphRoutes, graphUnknownSegment } from "./graph";
import { Area, Ctx, graphErrorBody, jsonBody, matchTemplate, newRequestId, pathSegments, Route, sendJson, sendEmpty } from "./http";
import { bearerClaim, loginRoutes } from "./login";
import { portalNotFound, portalRoutes } from "./portal";
import { EmulatorStore, isPlainObject, StateError } from "./state";
import { FAULT_KINDS, FaultKind, FaultQueue, FaultSpec, RequestLog } from "./traffic";

const ROUTES: Route[] = [...graphRoutes, ...portalRoutes, ...loginRoutes];
const MAX_BODY = 1024 * 1024;

export class EmulatorServer {
  readonly log = new RequestLog();
  readonly faults = new FaultQueue();
  private server!: https.Server;
  url = "";

  private constructor(readonly store: EmulatorStore) {}

  static async start(opts: { port: number; store: EmulatorStore; certificate: ServerCertificate }): Promise<EmulatorServer> {
    const s = new EmulatorServer(opts.store);
    s.server = https.createServer({ key: opts.certificate.keyPem, cert: opts.certificate.certPem }, (req, res) => {
      s.handle(req, res).catch((e: unknown) => {
        process.stderr.write(`emulator: ${req.method} ${req.url} failed: ${e instanceof Error ? e.stack : String(e)}\n`);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ error: { code: "InternalServerError", message: "The emulator failed on this request (see its stderr)." } }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.server.once("error", (e: NodeJS.ErrnoException) =>
        reject(e.code === "EADDRINUSE" ? new Error(`emulator: port ${opts.port} on 127.0.0.1 is in use`) : e),
      );
      s.server.listen(opts.port, "127.0.0.1", () => resolve());
    });
    s.url = `https://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    this.store.save();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const method = (req.method ?? "GET").toUpperCase();
    const rawBody = await readBody(req);
    const ctx: Ctx = {
      req,
      res,
      method,
      url,
      params: {},
      rawBody: rawBody ?? Buffer.alloc(0),
      requestId: newRequestId(),
      clientRequestId: headerValue(req, "client-request-id") ?? headerValue(req, "x-ms-client-request-id") ?? newRequestId(),
      baseUrl: this.url,
      store: this.store,
      forceExpired: false,
    };
    if (rawBody === undefined) return sendJson(ctx, 413, { error: { code: "RequestEntityTooLarge", message: "Request body over 1 MB." } });
    const segments = pathSegments(url.pathname);
    if (segments[0] === "_emulator") return this.control(ctx, segments.slice(1));

    // Route lookup: a path that matches with another method is a 405, not an unknown path.
    let route: Route | undefined;
    let otherMethod = false;
    for (const r of ROUTES) {
      const params = matchTemplate(r.template, segments);
      if (!params) continue;
      if (r.method === method) {
        route = r;
        ctx.params = params;
        break;
      }
      otherMethod = true;
    }
    const area: Area = route?.area ?? (/^(v1\.0|beta)$/i.test(segments[0] ?? "") ? "graph" : segments[0]?.toLowerCase() === "api" ? "portal" : "login");
    const tenantHint = area === "login" ? (ctx.params.tenant ? this.store.find(ctx.params.tenant)?.secrets.tenantId : undefined) : bearerClaim(ctx, "tid");
    const routeName = `${method} ${route?.template ?? "(unmatched)"}`;
    res.on("finish", () =>
      this.log.add({
        time: new Date().toISOString(),
        tenantId: ctx.tenantId ?? tenantHint ?? null,
        method,
        path: url.pathname + url.search,
        route: routeName,
        status: res.statusCode,
      }),
    );

    const fault = this.faults.take({ area, tenantId: tenantHint, method, path: url.pathname + url.search });
    if (fault?.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 2000));
    if (fault?.kind === "throttle") {
      return sendJson(ctx, 429, graphErrorBody(ctx, "TooManyRequests", "Please retry again later.", { code: "429", message: "Please retry after", status: "429" }), {
        "Retry-After": String(fault.retryAfterSeconds ?? 1),
        "request-id": ctx.requestId,
        "client-request-id": ctx.clientRequestId,
        "x-ms-throttle-information": "ResourceUnitLimitExceeded",
        "x-ms-throttle-scope": `Tenant_Application/ReadWrite/${bearerClaim(ctx, "appid") ?? "unknown"}/${tenantHint ?? "unknown"}`,
      });
    }
    if (fault?.kind === "unavailable") {
      return sendJson(ctx, 503, graphErrorBody(ctx, "serviceNotAvailable", "The service is temporarily unavailable. Please retry after the time given in Retry-After."), {
        "Retry-After": String(fault.retryAfterSeconds ?? 1),
        "request-id": ctx.requestId,
        "client-request-id": ctx.clientRequestId,
      });
    }
    if (fault?.kind === "expiredToken") ctx.forceExpired = true;

    if (route) return route.handle(ctx);
    if (otherMethod) {
      return sendJson(ctx, 405, graphErrorBody(ctx, "Request_BadRequest", `Specified HTTP method is not allowed for the request target: ${method} ${url.pathname}.`));
    }
    if (area === "graph") return graphUnknownSegment(ctx, segments);
    if (area === "portal") return portalNotFound(ctx);
    return sendJson(ctx, 404, { error: "not_found", error_description: `The emulator serves no ${method} ${url.pathname}.` });
  }

  /** The control API: state, drift, reset, faults, request log. Not logged, never faulted. */
  private control(ctx: Ctx, segments: string[]): void {
    const at = (template: string, method: string) => {
      const params = ctx.method === method ? matchTemplate(template, segments) : undefined;
      if (params) ctx.params = params;
      return !!params;
    };
    const q = ctx.url.searchParams;
    try {
      if (at("/health", "GET")) return sendJson(ctx, 200, { ok: true, url: this.url });
      if (at("/tenants", "GET")) return sendJson(ctx, 200, allCredentials(this.store));
      if (at("/tenants/{tenant}/state", "GET")) return sendJson(ctx, 200, this.store.get(ctx.params.tenant).state);
      if (at("/tenants/{tenant}/state", "PATCH")) return sendJson(ctx, 200, this.store.drift(ctx.params.tenant, jsonBody(ctx)));
      if (at("/tenants/{tenant}/reset", "POST")) return sendJson(ctx, 200, this.store.reset(ctx.params.tenant));
      if (at("/faults", "GET")) return sendJson(ctx, 200, this.faults.list());
      if (at("/faults", "DELETE")) {
        this.faults.clear();
        return sendEmpty(ctx, 204);
      }
      if (at("/faults", "POST")) {
        const spec = validFault(jsonBody(ctx));
        const tenantId = spec.tenantId ? this.store.get(spec.tenantId).secrets.tenantId : undefined;
        return sendJson(ctx, 201, this.faults.add(spec, tenantId));
      }
      if (at("/requests", "GET")) {
        const filter = { tenantId: q.get("tenantId") ?? undefined, method: q.get("method") ?? undefined, pathContains: q.get("pathContains") ?? undefined };
        return sendJson(ctx, 200, this.log.list(filter, (ref) => this.store.find(ref)?.secrets.tenantId ?? ref));
      }
      if (at("/requests", "DELETE")) {
        this.log.clear();
        return sendEmpty(ctx, 204);
      }
      if (at("/counters", "GET")) return sendJson(ctx, 200, this.log.counters());
      sendJson(ctx, 404, { error: `no control route ${ctx.method} /_emulator/${segments.join("/")}` });
    } catch (e) {
      if (e instanceof StateError) return sendJson(ctx, e.status, { error: e.message });
      throw e;
    }
  }
}

function validFault(body: unknown): FaultSpec {
  if (!isPlainObject(body)) throw new StateError(400, "fault: the body must be a JSON object");
  const f = body as Partial<FaultSpec>;
  if (!FAULT_KINDS.includes(f.kind as FaultKind)) throw new StateError(400, `fault: kind must be one of ${FAULT_KINDS.join(", ")}`);
  if (typeof f.count !== "number" || !Number.isInteger(f.count) || f.count < 1) throw new StateError(400, "fault: count must be a whole number >= 1");
  if (f.retryAfterSeconds !== undefined && (typeof f.retryAfterSeconds !== "number" || f.retryAfterSeconds < 0)) {
    throw new StateError(400, "fault: retryAfterSeconds must be a number >= 0");
  }
  if (f.delayMs !== undefined && (typeof f.delayMs !== "number" || f.delayMs < 0)) throw new StateError(400, "fault: delayMs must be a number >= 0");
  for (const k of ["tenantId", "method", "pathContains"] as const) {
    if (f[k] !== undefined && typeof f[k] !== "string") throw new StateError(400, `fault: ${k} must be a string`);
  }
  return f as FaultSpec;
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The whole body, or undefined when it is over the limit. */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
