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
 * Flagged as Pulumi's RunError (the flag is how Pulumi recognizes one): the engine then prints the message
 * alone, not the error object with its fields and stack.
 */
export function tenantError(message: string, status?: number, code?: string): Error & { status?: number; code?: string } {
  return Object.assign(new Error(message), { status, code, __pulumiRunError: true });
}

/** Ends a sentence with one period: Microsoft's messages often bring their own. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Where the user sets the tenant and its cloud, for messages: the example program's config key and the component argument. */
const TENANT_ID_SETTING = "sspr:tenantId (component argument tenant.tenantId)";
const CLOUD_SETTING = "sspr:cloud (component argument tenant.cloud)";
const CLOUD_VALUES = "worldwide, usgov (US Government GCC High), usdod (US Government DoD) or china (21Vianet)";

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

/** Retries of one request (Graph, portal API or sign-in): 429 and transient 5xx, honouring Retry-After, and network errors. */
const MAX_RETRIES = 4;

function retryDelayMs(res: Response | undefined, attempt: number): number {
  const header = res?.headers.get("retry-after");
  const seconds = header !== null && header !== undefined ? Number(header) : NaN;
  // Retry-After may be fractional ("2.128"); cap so a bad header cannot stall a deployment.
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return Math.min(1000 * 2 ** attempt, 30_000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sign-in answers worth retrying: throttling and server errors, except 501/505, which a retry does not change. */
function transientSignIn(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** What the sign-in service (or the way to it) answered last, for the message of a failed sign-in. */
interface SignInFailure {
  status?: number;
  /** OAuth error (`invalid_grant`, `invalid_tenant`, ...) and the AADSTS number of Microsoft's error body. */
  error?: string;
  aadsts?: number;
  /** First line of the description, e.g. "AADSTS90002: Tenant '...' not found. ...". */
  description?: string;
  attempts: number;
  /** The network error, when no answer came at all. */
  network?: string;
}

/** Microsoft's sign-in error body (`{error, error_description, error_codes}`); a Graph-shaped body is read too. */
function signInErrorBody(text: string | undefined): Pick<SignInFailure, "error" | "aadsts" | "description"> {
  let b: { error?: unknown; error_description?: unknown; error_codes?: unknown } = {};
  try { b = text ? JSON.parse(text) : {}; } catch { return { description: text?.slice(0, 300) }; }
  if (b.error && typeof b.error === "object") {
    const g = b.error as { code?: unknown; message?: unknown };
    return { error: typeof g.code === "string" ? g.code : undefined, description: typeof g.message === "string" ? g.message : undefined };
  }
  const description = typeof b.error_description === "string" ? b.error_description.split(/\r?\n/)[0].trim() : undefined;
  const code = Array.isArray(b.error_codes) && typeof b.error_codes[0] === "number" ? b.error_codes[0] : Number(/AADSTS(\d+)/.exec(description ?? "")?.[1]);
  return { error: typeof b.error === "string" ? b.error : undefined, aadsts: Number.isFinite(code) ? code : undefined, description };
}

/** The credential of the refresh-token grant, as the user configures it (see signInError's `how`). */
const REFRESH_TOKEN_CREDENTIAL = `the refresh token in ${CREDENTIAL_ENV.portalRefreshToken}`;

/**
 * The message for a failed sign-in, by what went wrong rather than by where: the service unavailable, a
 * tenant id it does not know, a tenant in another cloud, a refused refresh token, else Microsoft's words.
 * `how` names the credential as the user configured it.
 */
function signInError(conn: ConnectionInputs, resource: string, how: string, f: SignInFailure): Error {
  const ep = resolveEndpoints(conn);
  const service = conn.endpoint ? `the sign-in service at ${ep.login} (cloud ${conn.cloud})` : `the ${conn.cloud} cloud's sign-in service (${new URL(ep.login).host})`;
  const aadsts = f.aadsts ?? Number(/AADSTS(\d+)/.exec(f.description ?? "")?.[1]);
  const failed = `Sign-in to tenant ${conn.tenantId} failed`;
  if (f.network !== undefined) {
    return tenantError(`${failed}: ${service} could not be reached (${f.network}) after ${f.attempts} attempts. ` +
      `Check this machine's network and proxy, then try again.`);
  }
  if (f.status !== undefined && transientSignIn(f.status)) {
    const code = [f.error, Number.isFinite(aadsts) ? `AADSTS${aadsts}` : undefined].filter(Boolean).join(" ");
    return tenantError(`${failed}: ${service} was unavailable: it answered ${f.status}${code ? ` ${code}` : ""} to all ${f.attempts} attempts ` +
      `(Retry-After honoured). Your credentials and settings were not refused; try again later.`, f.status, f.error);
  }
  if (aadsts === 90002 || f.error === "invalid_tenant") {
    return tenantError(`${failed}: ${service} does not know tenant "${conn.tenantId}" (AADSTS90002), the tenant set in ${TENANT_ID_SETTING}. ` +
      `Check that it is the tenant's id (Entra admin center > Overview > Tenant ID) or one of its verified domains, ` +
      `and that ${CLOUD_SETTING}, "${conn.cloud}" now, is the tenant's cloud: ${CLOUD_VALUES}.`, f.status, "AADSTS90002");
  }
  if (aadsts === 500011 || aadsts === 900382 || f.error === "invalid_resource") {
    const what = resource === ep.graphResource ? `Microsoft Graph (${resource})` : `the portal IAM API (app ${resource})`;
    const code = `AADSTS${Number.isFinite(aadsts) ? aadsts : 500011}`;
    return tenantError(`${failed}: ${what} is not found in the ${conn.cloud} cloud for this tenant (${code}), so the tenant is most likely ` +
      `in another national cloud. Set ${CLOUD_SETTING}, "${conn.cloud}" now, to the tenant's cloud: ${CLOUD_VALUES}.`, f.status, code);
  }
  const detail = f.description ?? (f.status !== undefined ? `HTTP ${f.status}` : "no token returned");
  if (how === REFRESH_TOKEN_CREDENTIAL && (f.error === "invalid_grant" || f.error === "interaction_required")) {
    return tenantError(`${failed}: ${service} refused ${REFRESH_TOKEN_CREDENTIAL}: ${sentence(detail)} Refresh tokens expire or are revoked ` +
      `(password change, sign-out, inactivity); create a new one by signing in as an administrator (see README "Credentials").`, f.status, f.error);
  }
  return tenantError(`${failed} with ${how}: ${sentence(detail)}`, f.status, f.error);
}

async function refreshTokenGrant(conn: ConnectionInputs, resource: string, refreshToken: string): Promise<{ token: string; expiresOn: number }> {
  // @azure/identity has no refresh-token credential, so this one grant, and its retries, are written by hand.
  const ep = resolveEndpoints(conn);
  const url = `${ep.login}/${encodeURIComponent(conn.tenantId)}/oauth2/v2.0/token`;
  const body = new URLSearchParams({
    grant_type: "refresh_token",
    client_id: process.env.SSPR_PORTAL_CLIENT_ID || DEFAULT_PORTAL_CLIENT_ID,
    refresh_token: refreshToken,
    scope: `${resource}/.default offline_access`,
  }).toString();
  const fail = (f: SignInFailure) => signInError(conn, resource, REFRESH_TOKEN_CREDENTIAL, f);
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    } catch (e) {
      if (attempt < MAX_RETRIES) { await sleep(retryDelayMs(undefined, attempt)); continue; }
      throw fail({ attempts: attempt + 1, network: ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message });
    }
    const text = await res.text();
    if (transientSignIn(res.status) && attempt < MAX_RETRIES) { await sleep(retryDelayMs(res, attempt)); continue; }
    let json: Record<string, unknown> = {};
    try { json = JSON.parse(text); } catch { /* not JSON: reported by status below */ }
    if (res.ok && typeof json.access_token === "string") {
      return { token: json.access_token, expiresOn: Date.now() + Number(json.expires_in ?? 3600) * 1000 };
    }
    // Only error bodies reach the message: a success body holds tokens.
    throw fail({ status: res.status, attempts: attempt + 1, ...(res.ok ? { description: `the answer (HTTP ${res.status}) held no access token` } : signInErrorBody(text)) });
  }
}

type CredentialOptions = import("@azure/identity").ClientSecretCredentialOptions;
type PipelinePolicy = NonNullable<CredentialOptions["additionalPolicies"]>[number]["policy"];

async function identityToken(conn: ConnectionInputs, scope: string, useApp: boolean): Promise<{ token: string; expiresOn: number } | undefined> {
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const env = process.env;
  const ep = resolveEndpoints(conn);
  // MSAL's error keeps neither the status nor Microsoft's error body, so each sign-in answer is noted here
  // (perRetry: every attempt). Error bodies only: a success body holds tokens. Retry-After is capped as for
  // Graph, since the library's retry waits for whatever the header says.
  const answers: { url: string; status?: number; body?: string; network?: string }[] = [];
  const noteAnswers: PipelinePolicy = {
    name: "ssprSignInAnswers",
    async sendRequest(request, next) {
      try {
        const res = await next(request);
        answers.push({ url: request.url, status: res.status, body: res.status >= 400 ? res.bodyAsText ?? undefined : undefined });
        if (Number(res.headers.get("retry-after")) > 60) res.headers.set("retry-after", "60");
        return res;
      } catch (e) {
        answers.push({ url: request.url, network: String((e as Error).message) });
        throw e;
      }
    },
  };
  const common: CredentialOptions = {
    authorityHost: ep.login,
    // Custom authority (emulator) is not in Microsoft's instance-discovery list; Microsoft clouds are.
    disableInstanceDiscovery: !!conn.endpoint,
    // The library's own retry (429/503 after Retry-After, other 5xx and network errors with backoff), bounded as Graph's.
    retryOptions: { maxRetries: MAX_RETRIES, maxRetryDelayInMs: 30_000 },
    additionalPolicies: [{ policy: noteAnswers, position: "perRetry" }],
  };
  const tenantId = conn.tenantId;
  let credential: import("@azure/identity").TokenCredential | undefined;
  let how = "";
  if (useApp && env.AZURE_CLIENT_ID) {
    if (env.AZURE_CLIENT_SECRET) {
      credential = new identity.ClientSecretCredential(tenantId, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, common);
      how = "the app credential in AZURE_CLIENT_ID + AZURE_CLIENT_SECRET";
    } else if (env.AZURE_CLIENT_CERTIFICATE_PATH) {
      credential = new identity.ClientCertificateCredential(tenantId, env.AZURE_CLIENT_ID,
        { certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH, certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD }, common);
      how = "the app credential in AZURE_CLIENT_ID + AZURE_CLIENT_CERTIFICATE_PATH";
    } else if (env.AZURE_FEDERATED_TOKEN_FILE) {
      credential = new identity.WorkloadIdentityCredential({ tenantId, clientId: env.AZURE_CLIENT_ID, tokenFilePath: env.AZURE_FEDERATED_TOKEN_FILE, ...common });
      how = "the workload identity in AZURE_CLIENT_ID + AZURE_FEDERATED_TOKEN_FILE";
    }
  }
  if (!credential && env.SSPR_USE_AZURE_CLI !== "false" && !conn.endpoint) {
    credential = new identity.AzureCliCredential({ tenantId });
    how = "Azure CLI (`az login`)";
  }
  if (!credential) return undefined;
  try {
    const t = await credential.getToken(scope);
    if (!t) throw new Error("no token returned");
    return { token: t.token, expiresOn: t.expiresOnTimestamp };
  } catch (e) {
    const resource = scope.replace(/\/\.default$/, "");
    const last = answers[answers.length - 1];
    const failed = last && (last.network !== undefined || (last.status ?? 0) >= 400) ? last : undefined;
    const attempts = failed ? answers.filter((a) => a.url === failed.url).length : 1;
    if (failed?.network !== undefined) throw signInError(conn, resource, how, { attempts, network: failed.network });
    if (failed) throw signInError(conn, resource, how, { status: failed.status, attempts, ...signInErrorBody(failed.body) });
    // No answer from the service to blame (Azure CLI, an unreadable certificate, ...): the library's first line
    // names the cause (and the AADSTS code, which signInError reads).
    throw signInError(conn, resource, how, { attempts, description: String((e as Error).message ?? e).split("\n")[0] });
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

function errorText(body: unknown): { code?: string; message?: string } {
  const b = body as { error?: { code?: string; message?: string } | string; message?: string; error_description?: string; errorCode?: string };
  if (b && typeof b.error === "object") return { code: b.error.code, message: b.error.message };
  if (b && typeof b.error === "string") return { code: b.error, message: b.error_description };
  // The portal API's shape: {errorCode, message}.
  if (b && typeof b.message === "string") return { code: typeof b.errorCode === "string" ? b.errorCode : undefined, message: b.message };
  return {};
}

/**
 * Settings Microsoft licenses separately, by the path that writes them: what a licence refusal names, since
 * it is not fixed by a permission or role.
 */
const LICENSED_SETTINGS: { path: RegExp; setting: string; licence: string; otherwise: string }[] = [
  { path: /\/OnPremisesPasswordResetPolicies\b/i, setting: 'onPremises.passwordWriteback (admin center: "Write back passwords to your on-premises directory")',
    licence: "Microsoft Entra ID P1 or P2, or Microsoft 365 Business Premium", otherwise: "leave onPremises.passwordWriteback off" },
  { path: /\/roleEligibilityScheduleRequests\b/i, setting: 'roleAssignments with assignment "eligible" and an expiresOn (PIM eligibility with an end date)',
    licence: "Microsoft Entra ID P2 (or Microsoft Entra ID Governance)", otherwise: "make the assignment permanent" },
];

function licenceRefusal(status: number, code: string | undefined, message: string | undefined): boolean {
  return (status === 400 || status === 403) && /licen[cs]e/i.test(`${code ?? ""} ${message ?? ""}`);
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
      if (attempt < MAX_RETRIES) { await sleep(retryDelayMs(undefined, attempt)); continue; }
      throw tenantError(`${method} ${url} failed: ${(e as Error).message} (after ${attempt + 1} attempts)`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = text; }
    if (res.ok) return { status: res.status, body: parsed as T };

    if ((res.status === 429 || res.status === 503 || res.status === 504) && attempt < MAX_RETRIES) {
      await sleep(retryDelayMs(res, attempt));
      continue;
    }
    if (res.status === 401 && !freshToken) { freshToken = true; continue; }
    const { code, message } = errorText(parsed);
    const what = sentence(`${method} ${path} (${kind === "graph" ? "Microsoft Graph" : "portal IAM API"}) answered ${res.status}${code ? ` ${code}` : ""}: ${message ?? text.slice(0, 300)}`);
    if (licenceRefusal(res.status, code, message)) {
      const s = LICENSED_SETTINGS.find((l) => l.path.test(path));
      throw tenantError(`${what} This is a licence problem, not a missing permission: ` +
        (s ? `${s.setting} needs ${s.licence}, which tenant ${conn.tenantId} does not have. Assign one in the tenant (Microsoft 365 admin center > Billing > Licenses), or ${s.otherwise}.`
          : `tenant ${conn.tenantId} lacks the licence Microsoft names above for this setting; assign one (Microsoft 365 admin center > Billing > Licenses) or leave the setting out.`),
      res.status, code);
    }
    if (res.status === 401 || res.status === 403) {
      throw tenantError([what, opts.needs ? `This call needs ${opts.needs}.` : "",
        "Grant it to the identity in the environment and admin-consent it, or sign in as an administrator with that role."].filter(Boolean).join(" "), res.status, code);
    }
    if (res.status === 429 || res.status === 503 || res.status === 504) {
      throw tenantError(`${what} Still throttled or unavailable after ${MAX_RETRIES} retries; try again later.`, res.status, code);
    }
    throw tenantError(what, res.status, code);
  }
}
