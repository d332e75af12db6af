/**
 * The small HTTP toolkit the route modules share: the request context, route templates, and the response
 * shapes (Graph's OData JSON and error body, plain JSON).
 */
import type * as http from "node:http";
import * as crypto from "node:crypto";
import type { EmulatorStore } from "./state";

export type Area = "login" | "graph" | "portal";

export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  url: URL;
  /** Values of the `{name}` segments of the matched template. */
  params: Record<string, string>;
  rawBody: Buffer;
  requestId: string;
  /** Echo of the caller's `client-request-id` (Graph) or a new one. */
  clientRequestId: string;
  /** "https://127.0.0.1:<port>": the one origin for login, Graph, portal API and control API. */
  baseUrl: string;
  store: EmulatorStore;
  /** An `expiredToken` fault applies: refuse the bearer token as expired whatever its `exp`. */
  forceExpired: boolean;
  /** Set by handlers when they know the tenant, for the request log. */
  tenantId?: string;
}

export interface Route {
  area: Area;
  method: string;
  /** Path template, e.g. `/v1.0/groups/{id}`; also the request log's route name. */
  template: string;
  handle(ctx: Ctx): Promise<void> | void;
}

/**
 * Splits a path into segments, turning OData key syntax `configs('Sms')` into `configs/Sms` so both
 * spellings hit the same route.
 */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split("/")
    .filter((s) => s.length > 0)
    .flatMap((s) => {
      const key = /^([^(]+)\('?([^')]*)'?\)$/.exec(s);
      return key ? [key[1], key[2]] : [s];
    })
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Literal segments match case-insensitively, as Graph's URL segments do. */
export function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").filter((s) => s.length > 0);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.startsWith("{") && p.endsWith("}")) params[p.slice(1, -1)] = segments[i];
    else if (p.toLowerCase() !== segments[i].toLowerCase()) return undefined;
  }
  return params;
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendEmpty(ctx: Ctx, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, headers);
  ctx.res.end();
}

/** Headers Graph puts on every response. */
export function graphHeaders(ctx: Ctx): Record<string, string> {
  return {
    "request-id": ctx.requestId,
    "client-request-id": ctx.clientRequestId,
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "EMU" } }),
  };
}

export function sendGraph(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(ctx, status, body, {
    ...graphHeaders(ctx),
    "Content-Type": "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
    "OData-Version": "4.0",
    ...headers,
  });
}

export function sendGraphEmpty(ctx: Ctx): void {
  sendEmpty(ctx, 204, graphHeaders(ctx));
}

/** Graph's error body: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
export function graphErrorBody(ctx: Ctx, code: string, message: string, inner: Record<string, string> = {}) {
  return {
    error: {
      code,
      message,
      innerError: { ...inner, date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": ctx.requestId, "client-request-id": ctx.clientRequestId },
    },
  };
}

export function sendGraphError(ctx: Ctx, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendGraph(ctx, status, graphErrorBody(ctx, code, message), headers);
}

/** Parses a JSON request body; undefined when it is not JSON. An empty body is `{}`. */
export function jsonBody(ctx: Ctx): unknown {
  const text = ctx.rawBody.toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function formBody(ctx: Ctx): URLSearchParams {
  return new URLSearchParams(ctx.rawBody.toString("utf8"));
}

export function newRequestId(): string {
  return crypto.randomUUID();
}
