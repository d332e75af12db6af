/**
 * The connection to a tenant: cloud endpoints, tokens and HTTP with retry.
 *
 * This module runs inside dynamic-provider processes, where its functions arrive serialized by value
 * (DESIGN.md pitfalls). So: no module-level state, third-party modules are required inside functions,
 * and credentials are read from the environment at call time. Nothing here ever returns a token to a
 * caller that could put it in state or a log.
 */
import type { Cloud, ConnectionInputs } from "./model";

export interface CloudEndpoints {
  login: string;
  graph: string;
  portal: string;
  /** Token resource of Microsoft Graph in this cloud (scope `<graphResource>/.default`). */
  graphResource: string;
  /** Token resource (app id) of the Azure portal's IAM API that holds the SSPR policy. */
  portalResource: string;
}

/** Microsoft's endpoints per national cloud (reference/entra-sspr-api.md section 7). */
export function cloudEndpoints(cloud: Cloud): CloudEndpoints {
  switch (cloud) {
    case "worldwide":
      return { login: "https://login.microsoftonline.com", graph: "https://graph.microsoft.com", portal: "https://main.iam.ad.ext.azure.com",
        graphResource: "https://graph.microsoft.com", portalResource: "74658136-14ec-4630-ad9b-26e160ff0fc6" };
    case "usgov":
      return { login: "https://login.microsoftonline.us", graph: "https://graph.microsoft.us", portal: "https://main.iam.ad.ext.azure.us",
        graphResource: "https://graph.microsoft.us", portalResource: "ee62de39-b9b0-4886-aa58-08b89c4e3db3" };
    case "usdod":
      return { login: "https://login.microsoftonline.us", graph: "https://dod-graph.microsoft.us", portal: "https://main.iam.ad.ext.azure.us",
        graphResource: "https://dod-graph.microsoft.us", portalResource: "ee62de39-b9b0-4886-aa58-08b89c4e3db3" };
    case "china":
      // The portal API's app id in 21Vianet is not published; the worldwide id is the best public lead.
      return { login: "https://login.chinacloudapi.cn", graph: "https://microsoftgraph.chinacloudapi.cn", portal: "https://main.iam.ad.ext.azure.cn",
        graphResource: "https://microsoftgraph.chinacloudapi.cn", portalResource: "74658136-14ec-4630-ad9b-26e160ff0fc6" };
    default:
      throw new Error(`cloud: unknown cloud "${String(cloud)}"`);
  }
}

/** Hosts to call: Microsoft's for the cloud, or every host replaced by the emulator's base URL. */
export function resolveEndpoints(conn: ConnectionInputs): CloudEndpoints {
  const e = cloudEndpoints(conn.cloud);
  if (!conn.endpoint) return e;
  const base = conn.endpoint.replace(/\/+$/, "");
  return { ...e, login: base, graph: base, portal: base };
}

/** Public client that the Azure PowerShell module uses; accepted for the portal API's delegated refresh grant. */
export const DEFAULT_PORTAL_CLIENT_ID = "1950a258-227b-4e31-a9cf-717495945fc2";

export type TokenKind = "graph" | "portal";

/** Environment variables the providers read credentials from (never resource inputs, never state). */
export const CREDENTIAL_ENV = {
  tenantId: "AZURE_TENANT_ID",
  clientId: "AZURE_CLIENT_ID",
  clientSecret: "AZURE_CLIENT_SECRET",
  certificatePath: "AZURE_CLIENT_CERTIFICATE_PATH",
  certificatePassword: "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  federatedTokenFile: "AZURE_FEDERATED_TOKEN_FILE",
  /** A delegated admin's refresh token for the portal API (secret; e.g. from a CI secret). */
  portalRefreshToken: "SSPR_PORTAL_REFRESH_TOKEN",
  portalClientId: "SSPR_PORTAL_CLIENT_ID",
  /** Set to "false" to never fall back to `az` (Azure CLI) for tokens. */
  useAzureCli: "SSPR_USE_AZURE_CLI",
} as const;

/**
 * An error for problems the user fixes (credentials, permissions, input); the message says what and how.
 * A plain Error with fields rather than a subclass: classes do not survive closure serialization well.
 */
export function tenantError(message: string, status?: number, code?: string): Error & { status?: number; code?: string } {
  return Object.assign(new Error(message), { status, code });
}

interface CachedToken { token: string; expiresOn: number }

/**
 * Token cache for the life of one process: global, never serialized, never persisted. It holds the pending
 * request too, so parallel calls (e.g. the three tenant-fact reads) share one sign-in.
 */
function tokenCache(): Map<string, Promise<CachedToken>> {
  const g = globalThis as unknown as { __ssprTokenCache?: Map<string, Promise<CachedToken>> };
  if (!g.__ssprTokenCache) g.__ssprTokenCache = new Map();
  return g.__ssprTokenCache;
}

function hasAppCredential(env: NodeJS.ProcessEnv): boolean {
  return !!env.AZURE_CLIENT_ID && !!(env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH || env.AZURE_FEDERATED_TOKEN_FILE);
}

/** Decodes a JWT payload without verifying it: only to tell app-only from delegated tokens. */
function tokenClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
  } catch {
    return {};
  }
}

async function refreshTokenGrant(conn: ConnectionInputs, resource: string, refreshToken: string): Promise<{ token: string; expiresOn: number }> {
  // @azure/identity has no refresh-token credential, so this one grant is written by hand.
  const ep = resolveEndpoints(conn);
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: process.env.SSPR_PORTAL_CLIENT_ID || DEFAULT_PORTAL_CLIENT_ID,
    refresh_token: refreshToken,
    scope: `${resource}/.default offline_access`,
  });
  const res = await fetch(`${ep.login}/${encodeURIComponent(conn.tenantId)}/oauth2/v2.0/token`, {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body,
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json.access_token !== "string") {
    const detail = typeof json.error_description === "string" ? json.error_description.split("\n")[0] : `HTTP ${res.status}`;
    throw tenantError(`Could not get a delegated token from ${CREDENTIAL_ENV.portalRefreshToken}: ${detail}. ` +
      `Refresh tokens expire; create a new one by signing in as an administrator (see README "Credentials").`, res.status);
  }
  return { token: json.access_token, expiresOn: Date.now() + Number(json.expires_in ?? 3600) * 1000 };
}

async function identityToken(conn: ConnectionInputs, scope: string, useApp: boolean): Promise<{ token: string; expiresOn: number } | undefined> {
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const env = process.env;
  const ep = resolveEndpoints(conn);
  // Custom authority (emulator) is not in Microsoft's instance-discovery list; Microsoft clouds are.
  const common = { authorityHost: ep.login, disableInstanceDiscovery: !!conn.endpoint };
  const tenantId = conn.tenantId;
  const credentials: import("@azure/identity").TokenCredential[] = [];
  if (useApp && env.AZURE_CLIENT_ID) {
    if (env.AZURE_CLIENT_SECRET) credentials.push(new identity.ClientSecretCredential(tenantId, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, common));
    else if (env.AZURE_CLIENT_CERTIFICATE_PATH) credentials.push(new identity.ClientCertificateCredential(tenantId, env.AZURE_CLIENT_ID,
      { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD }, common));
    else if (env.AZURE_FEDERATED_TOKEN_FILE) credentials.push(new identity.WorkloadIdentityCredential({
      tenantId, clientId: env.AZURE_CLIENT_ID, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE, ...common }));
  }
  if (credentials.length === 0 && env.SSPR_USE_AZURE_CLI !== "false" && !conn.endpoint) {
    credentials.push(new identity.AzureCliCredential({ tenantId }));
  }
  if (credentials.length === 0) return undefined;
  try {
    const t = await credentials[0].getToken(scope);
    if (!t) throw new Error("no token returned");
    return { token: t.token, expiresOn: t.expiresOnTimestamp };
  } catch (e) {
    // @azure/identity messages can be long; keep the first line, it names the AADSTS code and cause.
    const first = String((e as Error).message ?? e).split("\n")[0];
    throw tenantError(`Sign-in to tenant ${tenantId} failed (${credentials[0].constructor.name}): ${first}`);
  }
}

/**
 * A bearer token for Graph or the portal API. Graph: app credential from the environment (secret,
 * certificate or workload identity), else the delegated refresh token, else Azure CLI. Portal API:
 * delegated only (refresh token, else Azure CLI user); an app-only credential is refused up front.
 */
export async function getToken(conn: ConnectionInputs, kind: TokenKind, opts: { fresh?: boolean } = {}): Promise<string> {
  const key = `${conn.endpoint ?? conn.cloud}|${conn.tenantId}|${kind}`;
  const cache = tokenCache();
  const hit = cache.get(key);
  if (!opts.fresh && hit) {
    const t = await hit.catch(() => undefined);
    if (t && t.expiresOn - Date.now() > 120_000) return t.token;
  }
  const pending = acquireToken(conn, kind);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return (await pending).token;
}

async function acquireToken(conn: ConnectionInputs, kind: TokenKind): Promise<CachedToken> {
  const ep = resolveEndpoints(conn);
  const resource = kind === "graph" ? ep.graphResource : ep.portalResource;
  const env = process.env;
  let got: { token: string; expiresOn: number } | undefined;
  if (kind === "graph") {
    got = hasAppCredential(env) ? await identityToken(conn, `${resource}/.default`, true) : undefined;
    if (!got && env.SSPR_PORTAL_REFRESH_TOKEN) got = await refreshTokenGrant(conn, resource, env.SSPR_PORTAL_REFRESH_TOKEN);
    if (!got) got = await identityToken(conn, `${resource}/.default`, false);
    if (!got) {
      throw tenantError(`No credential for Microsoft Graph in tenant ${conn.tenantId}. Set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, ` +
        `AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE (workload identity in CI), or sign in with \`az login\`.`);
    }
  } else {
    if (env.SSPR_PORTAL_REFRESH_TOKEN) got = await refreshTokenGrant(conn, resource, env.SSPR_PORTAL_REFRESH_TOKEN);
    else got = await identityToken(conn, `${resource}/.default`, false);
    if (!got || !("scp" in tokenClaims(got.token))) {
      const appOnly = hasAppCredential(env) ? " The environment holds only an app-only credential (AZURE_CLIENT_ID + secret/certificate/federated token), and the portal API refuses service principals." : "";
      throw tenantError(`The self-service password reset policy lives in the Azure portal's IAM API, which accepts only delegated (signed-in user) tokens.${appOnly} ` +
        `Fix: sign in with \`az login\` as an Authentication Policy Administrator (or Global Administrator), or set ${CREDENTIAL_ENV.portalRefreshToken} ` +
        `(a secret) to such an administrator's refresh token.`);
    }
  }
  return got;
}

export interface TenantResponse<T = unknown> {
  status: number;
  body: T;
}

export interface RequestOptions {
  /** What the caller needs, named in 403 errors: e.g. "Graph permission Policy.ReadWrite.Authorization". */
  needs?: string;
}

/** Retries on 429/503/504 (honouring Retry-After) and network errors. */
const MAX_RETRIES = 4;

function retryDelayMs(res: Response | undefined, attempt: number): number {
  const header = res?.headers.get("retry-after");
  const seconds = header !== null && header !== undefined ? Number(header) : NaN;
  // Retry-After may be fractional ("2.128"); cap so a bad header cannot stall a deployment.
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.min(1000 * 2 ** attempt, 30_000);
}

function errorText(body: unknown): { code?: string; message?: string } {
  const b = body as { error?: { code?: string; message?: string } | string; message?: string; error_description?: string };
  if (b && typeof b.error === "object") return { code: b.error.code, message: b.error.message };
  if (b && typeof b.error === "string") return { code: b.error, message: b.error_description };
  if (b && typeof b.message === "string") return { message: b.message };
  return {};
}

/**
 * One HTTPS call to Graph or the portal API with bounded retries: 429/503/504 wait for Retry-After,
 * a 401 is retried once with a fresh token (expired or revoked), other errors become errors from tenantError().
 */
export async function tenantRequest<T = unknown>(conn: ConnectionInputs, kind: TokenKind, method: string, path: string,
  body?: unknown, opts: RequestOptions = {}): Promise<TenantResponse<T>> {
  const ep = resolveEndpoints(conn);
  const url = (kind === "graph" ? `${ep.graph}/v1.0` : ep.portal) + path;
  let freshToken = false;
  for (let attempt = 0; ; attempt++) {
    const token = await getToken(conn, kind, { fresh: freshToken });
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json", "x-ms-client-request-id": require("crypto").randomUUID() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (kind === "portal") headers["X-Requested-With"] = "XMLHttpRequest";
    let res: Response | undefined;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      if (attempt < MAX_RETRIES) { await new Promise((r) => setTimeout(r, retryDelayMs(undefined, attempt))); continue; }
      throw tenantError(`${method} ${url} failed: ${(e as Error).message} (after ${attempt + 1} attempts)`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
    if (res.ok) return { status: res.status, body: parsed as T };

    if ((res.status === 429 || res.status === 503 || res.status === 504) && attempt < MAX_RETRIES) {
      await new Promise((r) => setTimeout(r, retryDelayMs(res, attempt)));
      continue;
    }
    if (res.status === 401 && !freshToken) { freshToken = true; continue; }
    const { code, message } = errorText(parsed);
    const what = `${method} ${path} (${kind === "graph" ? "Microsoft Graph" : "portal IAM API"}) answered ${res.status}${code ? ` ${code}` : ""}: ${message ?? text.slice(0, 300)}`;
    if (res.status === 401 || res.status === 403) {
      throw tenantError(`${what}. ${opts.needs ? `This call needs ${opts.needs}.` : ""} Grant it to the identity in the environment and admin-consent it, or sign in as an administrator with that role.`.trim(), res.status, code);
    }
    if (res.status === 429 || res.status === 503 || res.status === 504) {
      throw tenantError(`${what} (still throttled or unavailable after ${MAX_RETRIES} retries; try again later)`, res.status, code);
    }
    throw tenantError(what, res.status, code);
  }
}
