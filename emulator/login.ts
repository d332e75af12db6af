/**
 * The slice of the Microsoft identity platform (login.microsoftonline.*) the project uses: the v2 and v1
 * token endpoints (client credentials with a secret or a federated assertion, refresh token), the OpenID
 * metadata and instance discovery MSAL fetches, and the signing keys. Also the bearer-token check that the
 * Graph and portal routes share, since it is the inverse of what is issued here.
 */
import * as crypto from "node:crypto";
import { CLOUD, GRAPH_APP_ID, MEMBER_ROLE_TEMPLATE, wellKnownIds } from "./presets";
import { Ctx, formBody, Route, sendJson } from "./http";
import type { AppRegistration, TenantRecord } from "./state";
import { base64url, Claims, decodeJwt, DecodedJwt, nowSeconds, publicJwk, signJwt, verifySignature } from "./tokens";
import type { Cloud } from "../components/model";

const TOKEN_LIFETIME_S = 3599;
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
/** Token responses must not be cached. */
const NO_CACHE = { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" };

/**
 * First-party public clients whose refresh tokens are interchangeable (Microsoft's "family of client ids"):
 * the project's portal grant uses Azure PowerShell's; the Azure CLI and portal ones work the same.
 */
const PUBLIC_CLIENTS: Record<string, string> = {
  "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
  "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
  "d3590ed6-52b3-4102-aeff-aad2292ab01c": "Microsoft Office",
  "c44b4083-3bb0-49c1-b47d-974e53cbdf3c": "Azure Portal",
};

/** Delegated Graph permissions consented for the public clients (what lands in `scp`; roles are checked separately). */
const DELEGATED_GRAPH_SCOPES = [
  "Directory.AccessAsUser.All",
  "Group.Read.All",
  "Organization.Read.All",
  "Organization.ReadWrite.All",
  "Policy.Read.All",
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.Authorization",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "RoleManagement.ReadWrite.Directory",
  "User.Read",
  "User.Read.All",
];

// ---------------------------------------------------------------------------------------------------------
// AAD errors: `{error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri}`.

class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function sendAadError(ctx: Ctx, e: AadError): void {
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
  const correlationId = crypto.randomUUID();
  sendJson(ctx, e.status, {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${ctx.requestId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: ctx.requestId,
    correlation_id: correlationId,
    error_uri: `${ctx.baseUrl}/error?code=${e.code}`,
  });
}

const missing = (param: string) => new AadError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${param}'.`);

/** A login route: an AadError thrown by `handle` is answered as AAD answers errors. */
function route(method: string, template: string, handle: (ctx: Ctx) => void): Route {
  return {
    area: "login",
    method,
    template,
    handle: (ctx) => {
      try {
        handle(ctx);
      } catch (e) {
        if (e instanceof AadError) sendAadError(ctx, e);
        else throw e;
      }
    },
  };
}

/** AADSTS90002 as Microsoft answers it today (`invalid_tenant`; older answers said `invalid_request`). */
const tenantNotFound = (ref: string) => new AadError(400, "invalid_tenant", 90002,
  `Tenant '${ref}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);

function resolveTenant(ctx: Ctx, ref: string): TenantRecord {
  const t = ctx.store.find(ref);
  if (!t) throw tenantNotFound(ref);
  ctx.tenantId = t.secrets.tenantId;
  return t;
}

const isMultiTenantAlias = (ref: string) => ["common", "organizations", "consumers"].includes(ref.toLowerCase());

// ---------------------------------------------------------------------------------------------------------
// Resources and audiences.

type ResourceKind = "graph" | "portal";

/**
 * Maps a requested resource (URL or app id) to the token audience, per the tenant's cloud. Another cloud's
 * resource means the client believes the tenant is in that cloud: the US clouds and worldwide answer
 * AADSTS500011 (resource not found in the tenant); 21Vianet (China) runs a directory of its own, so a request
 * across that line finds no tenant at all, AADSTS90002, as Microsoft answers it. `tenantRef`: the tenant as
 * the request named it.
 */
function resolveResource(tenant: TenantRecord, requested: string, tenantRef: string): { kind: ResourceKind; aud: string } {
  const cloud = CLOUD[tenant.state.cloud];
  const r = requested.replace(/\/+$/, "").toLowerCase();
  if (r === cloud.graphResource.toLowerCase()) return { kind: "graph", aud: cloud.graphResource };
  if (r === GRAPH_APP_ID) return { kind: "graph", aud: GRAPH_APP_ID };
  if (r === cloud.portalResource) return { kind: "portal", aud: cloud.portalResource };
  const meant = (Object.keys(CLOUD) as Cloud[]).filter((c) => CLOUD[c].graphResource.toLowerCase() === r || CLOUD[c].portalResource === r);
  const isChina = (c: Cloud) => c === "china";
  if (meant.length > 0 && meant.every((c) => isChina(c) !== isChina(tenant.state.cloud))) throw tenantNotFound(tenantRef);
  throw new AadError(400, "invalid_resource", 500011,
    `The resource principal named ${requested} was not found in the tenant named ${tenant.state.organization.displayName as string}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
}

/** Audiences Graph accepts from a tenant in `cloud`. */
export function graphAudiences(cloud: Cloud): string[] {
  const g = CLOUD[cloud].graphResource;
  return [g, `${g}/`, GRAPH_APP_ID];
}

export function portalAudiences(cloud: Cloud): string[] {
  return [CLOUD[cloud].portalResource];
}

/** `<resource>/.default offline_access` -> resource; `<resource>/<Permission>` -> resource as well. */
function resourceFromScopes(scope: string): { resource: string | undefined; openid: boolean; dotDefault: boolean } {
  const parts = scope.split(/\s+/).filter(Boolean);
  const resources = parts.filter((p) => !OIDC_SCOPES.has(p.toLowerCase()));
  const openid = parts.some((p) => p.toLowerCase() === "openid");
  if (resources.length === 0) return { resource: undefined, openid, dotDefault: false };
  const owners = new Set(resources.map((p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : p)));
  if (owners.size > 1) {
    throw new AadError(400, "invalid_scope", 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`);
  }
  return { resource: [...owners][0], openid, dotDefault: resources.every((p) => p.endsWith("/.default")) };
}

// ---------------------------------------------------------------------------------------------------------
// Token issuance.

function baseClaims(tenant: TenantRecord, aud: string): Claims {
  const now = nowSeconds();
  return {
    aud,
    iss: CLOUD[tenant.state.cloud].issuer(tenant.secrets.tenantId),
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_S,
    aio: base64url(crypto.randomBytes(24)),
    rh: `0.${base64url(crypto.randomBytes(18))}.`,
    tid: tenant.secrets.tenantId,
    uti: base64url(crypto.randomBytes(16)),
    ver: "1.0",
    xms_tcdt: 1709283600,
  };
}

function appToken(ctx: Ctx, tenant: TenantRecord, app: AppRegistration, resource: { kind: ResourceKind; aud: string }, appidacr: "1" | "2"): string {
  const claims: Claims = {
    ...baseClaims(tenant, resource.aud),
    app_displayname: app.displayName,
    appid: app.appId,
    appidacr,
    idp: CLOUD[tenant.state.cloud].issuer(tenant.secrets.tenantId),
    idtyp: "app",
    oid: app.servicePrincipalId,
    sub: app.servicePrincipalId,
  };
  // App roles exist only on Graph; the portal API has none to grant, so an app token for it carries no roles.
  if (resource.kind === "graph") claims.roles = [...app.roles];
  return signJwt(claims, ctx.store.keys.signing);
}

/** Directory role template ids of a user, from the tenant's current role assignments (scope "/"). */
function userWids(tenant: TenantRecord, userId: string): string[] {
  const roles = tenant.state.roleAssignments
    .filter((a) => a.principalId === userId && (a.directoryScopeId ?? "/") === "/")
    .map((a) => {
      const def = tenant.state.roleDefinitions.find((d) => d.id === a.roleDefinitionId || d.templateId === a.roleDefinitionId);
      return String(def?.templateId ?? a.roleDefinitionId);
    });
  return [...new Set(roles), MEMBER_ROLE_TEMPLATE];
}

function userToken(ctx: Ctx, tenant: TenantRecord, userId: string, clientId: string, clientName: string, resource: { kind: ResourceKind; aud: string }): { token: string; scp: string } {
  const user = tenant.state.users.find((u) => u.id === userId);
  if (!user) throw new AadError(400, "invalid_grant", 50034, `The user account does not exist in the ${tenant.secrets.tenantId} directory.`);
  const scp = resource.kind === "graph" ? DELEGATED_GRAPH_SCOPES.join(" ") : "user_impersonation";
  const claims: Claims = {
    ...baseClaims(tenant, resource.aud),
    acct: 0,
    acr: "1",
    amr: ["pwd", "mfa"],
    app_displayname: clientName,
    appid: clientId,
    appidacr: PUBLIC_CLIENTS[clientId] ? "0" : "1",
    family_name: user.surname,
    given_name: user.givenName,
    idtyp: "user",
    ipaddr: "127.0.0.1",
    name: user.displayName,
    oid: user.id,
    puid: crypto.createHash("sha256").update(String(user.id)).digest("hex").slice(0, 16).toUpperCase(),
    scp,
    sub: pairwiseSub(user.id, clientId),
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    wids: userWids(tenant, userId),
  };
  return { token: signJwt(claims, ctx.store.keys.signing), scp };
}

/** `sub` is pairwise: the same user has a different subject per client. */
function pairwiseSub(userId: unknown, clientId: string): string {
  return base64url(crypto.createHash("sha256").update(`${String(userId)}|${clientId}`).digest());
}

function idToken(ctx: Ctx, tenant: TenantRecord, userId: string, clientId: string): string {
  const user = tenant.state.users.find((u) => u.id === userId)!;
  const now = nowSeconds();
  return signJwt(
    {
      aud: clientId,
      iss: `${ctx.baseUrl}/${tenant.secrets.tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_S,
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      sub: pairwiseSub(user.id, clientId),
      tid: tenant.secrets.tenantId,
      ver: "2.0",
    },
    ctx.store.keys.signing,
  );
}

function constantTimeEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** client_secret_post, client_secret_basic, or a client assertion (certificate or federated). Returns appidacr. */
function authenticateClient(ctx: Ctx, form: URLSearchParams, tenant: TenantRecord, app: AppRegistration): "1" | "2" {
  let secret = form.get("client_secret");
  const basic = /^Basic\s+(.+)$/i.exec(ctx.req.headers.authorization ?? "");
  if (!secret && basic) secret = decodeURIComponent(Buffer.from(basic[1], "base64").toString("utf8").split(":").slice(1).join(":"));
  const assertion = form.get("client_assertion");
  if (assertion) {
    if (form.get("client_assertion_type") !== JWT_BEARER) {
      throw new AadError(400, "invalid_request", 50027, `client_assertion_type must be '${JWT_BEARER}'.`);
    }
    const jwt = decodeJwt(assertion);
    if (!jwt) throw new AadError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
    if (jwt.header["x5t"] !== undefined || jwt.header["x5t#S256"] !== undefined) verifyCertificateAssertion(ctx, jwt, tenant, app);
    else verifyFederatedAssertion(ctx, jwt, app);
    return "2";
  }
  if (!secret) {
    throw new AadError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (!constantTimeEquals(secret, app.secret)) {
    throw new AadError(401, "invalid_client", 7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`);
  }
  return "1";
}

/**
 * Certificate credential: the assertion names the certificate by thumbprint (x5t = SHA-1, or x5t#S256 as
 * MSAL sends it now), is signed with its key (RS256, or PS256 with x5t#S256), has iss = sub = the client id
 * and the token endpoint as audience. Only the main app has a certificate registered.
 */
function verifyCertificateAssertion(ctx: Ctx, jwt: DecodedJwt, tenant: TenantRecord, app: AppRegistration): void {
  const registered = app === tenant.secrets.apps.main ? ctx.store.appCertificateX509 : undefined;
  const sha256 = jwt.header["x5t#S256"];
  const presented = String(sha256 ?? jwt.header["x5t"]);
  const expected = registered && Buffer.from((sha256 !== undefined ? registered.fingerprint256 : registered.fingerprint).replace(/:/g, ""), "hex").toString("base64url");
  if (!registered || presented !== expected) {
    throw new AadError(401, "invalid_client", 700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${presented}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.appId}'.]`);
  }
  const c = jwt.claims;
  if (c.iss !== app.appId || c.sub !== app.appId) {
    throw new AadError(400, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  const aud = audiencesOf(c);
  if (!aud.some((a) => isTokenEndpointOf(ctx, a, tenant))) {
    throw new AadError(400, "invalid_client", 700021,
      `Client assertion audience '${aud.join(",")}' is not a token endpoint of this tenant (${ctx.baseUrl}/${tenant.secrets.tenantId}/oauth2/v2.0/token).`);
  }
  if (!verifySignature(jwt, registered.publicKey, ["RS256", "PS256"])) throw badAssertionSignature();
  checkNotExpired(c);
}

/** A client assertion's `aud`: one audience or several. */
function audiencesOf(c: Claims): string[] {
  return Array.isArray(c.aud) ? (c.aud as unknown[]).map(String) : [String(c.aud)];
}

function checkNotExpired(c: Claims): void {
  if (typeof c.exp !== "number" || c.exp <= nowSeconds()) {
    throw new AadError(400, "invalid_client", 700024, "Client assertion is not within its valid time range.");
  }
}

const badAssertionSignature = () => new AadError(401, "invalid_client", 700027, "Client assertion failed signature validation.");

/** `<base>/<tenant id or domain>/oauth2[/v2.0]/token`: MSAL puts the token endpoint it posts to in `aud`. */
function isTokenEndpointOf(ctx: Ctx, aud: string, tenant: TenantRecord): boolean {
  let u: URL;
  try {
    u = new URL(aud);
  } catch {
    return false;
  }
  const m = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/i.exec(u.pathname);
  return u.origin === new URL(ctx.baseUrl).origin && !!m && ctx.store.find(decodeURIComponent(m[1])) === tenant;
}

/** Workload identity federation: the assertion must come from the trusted issuer and match the app's record. */
function verifyFederatedAssertion(ctx: Ctx, jwt: DecodedJwt, app: AppRegistration): void {
  const c = jwt.claims;
  const fic = app.federatedCredential;
  const aud = audiencesOf(c);
  if (!fic || c.iss !== fic.issuer || c.sub !== fic.subject || !aud.includes(fic.audience)) {
    throw new AadError(400, "invalid_client", 70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(c.iss)}'. Assertion Subject: '${String(c.sub)}'. Assertion Audience: '${aud.join(",")}'.`);
  }
  if (!verifySignature(jwt, ctx.store.keys.federation)) throw badAssertionSignature();
  checkNotExpired(c);
}

/** The federated token CI would hold (as a GitHub Actions OIDC token looks), valid for 24 hours. */
export function mintFederatedToken(store: { keys: { federation: import("./tokens").SigningKey } }, fic: NonNullable<AppRegistration["federatedCredential"]>): string {
  const now = nowSeconds();
  return signJwt(
    { iss: fic.issuer, sub: fic.subject, aud: fic.audience, iat: now, nbf: now, exp: now + 24 * 3600, jti: crypto.randomUUID() },
    store.keys.federation,
  );
}

interface Grant {
  tenant: TenantRecord;
  resource: { kind: ResourceKind; aud: string };
  accessToken: string;
  scope: string;
  refreshToken?: string;
  idToken?: string;
  clientInfo?: string;
}

function findApp(tenant: TenantRecord, clientId: string): AppRegistration | undefined {
  return Object.values(tenant.secrets.apps).find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
}

function unknownApp(clientId: string, tenantRef: string): AadError {
  return new AadError(400, "unauthorized_client", 700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenantRef}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
}

function grant(ctx: Ctx, form: URLSearchParams, requestedResource: (tenant: TenantRecord) => { resource: string | undefined; openid: boolean; dotDefault: boolean }): Grant {
  const tenantRef = ctx.params.tenant;
  const grantType = form.get("grant_type");
  if (!grantType) throw missing("grant_type");
  const clientId = form.get("client_id");

  if (grantType === "client_credentials") {
    if (isMultiTenantAlias(tenantRef)) {
      throw new AadError(400, "invalid_request", 50059, "No tenant-identifying information found in either the request or implied by any provided credentials.");
    }
    const tenant = resolveTenant(ctx, tenantRef);
    if (!clientId) throw missing("client_id");
    const app = findApp(tenant, clientId);
    if (!app) throw unknownApp(clientId, tenantRef);
    const appidacr = authenticateClient(ctx, form, tenant, app);
    const req = requestedResource(tenant);
    if (!req.resource) throw missing("scope");
    if (!req.dotDefault) {
      throw new AadError(400, "invalid_scope", 1002012,
        `The provided value for scope ${form.get("scope") ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = resolveResource(tenant, req.resource, tenantRef);
    return { tenant, resource, accessToken: appToken(ctx, tenant, app, resource, appidacr), scope: `${resource.aud}/.default` };
  }

  if (grantType === "refresh_token") {
    const rt = form.get("refresh_token");
    if (!rt) throw missing("refresh_token");
    if (!clientId) throw missing("client_id");
    let owner: { tenant: TenantRecord; userId: string } | undefined;
    for (const t of ctx.store.tenants.values()) {
      const ids = wellKnownIds(t.secrets.tenantId);
      if (constantTimeEquals(rt, t.secrets.refreshTokens.admin)) owner = { tenant: t, userId: ids.adminUser };
      else if (constantTimeEquals(rt, t.secrets.refreshTokens.user)) owner = { tenant: t, userId: ids.plainUser };
    }
    const tenant = isMultiTenantAlias(tenantRef) ? owner?.tenant : resolveTenant(ctx, tenantRef);
    if (!owner || !tenant || owner.tenant !== tenant) {
      throw new AadError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
    }
    ctx.tenantId = tenant.secrets.tenantId;
    const app = findApp(tenant, clientId);
    const clientName = PUBLIC_CLIENTS[clientId] ?? app?.displayName;
    if (!clientName) throw unknownApp(clientId, tenantRef);
    if (app) authenticateClient(ctx, form, tenant, app); // a confidential client proves itself as well
    const req = requestedResource(tenant);
    // With only OIDC scopes, the identity platform issues a Graph token, as Microsoft's does.
    const resource = resolveResource(tenant, req.resource ?? CLOUD[tenant.state.cloud].graphResource, tenantRef);
    const { token, scp } = userToken(ctx, tenant, owner.userId, clientId, clientName, resource);
    const scopeOut = resource.kind === "graph" ? scp.split(" ").map((s) => `${resource.aud}/${s}`).join(" ") : `${resource.aud}/user_impersonation`;
    return {
      tenant,
      resource,
      accessToken: token,
      scope: req.openid ? `${scopeOut} openid profile offline_access` : scopeOut,
      refreshToken: rt,
      idToken: req.openid ? idToken(ctx, tenant, owner.userId, clientId) : undefined,
      clientInfo: form.get("client_info") === "1" ? base64url(JSON.stringify({ uid: owner.userId, utid: tenant.secrets.tenantId })) : undefined,
    };
  }

  throw new AadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
}

function tokenV2(ctx: Ctx): void {
  const form = formBody(ctx);
  const g = grant(ctx, form, () => resourceFromScopes(form.get("scope") ?? ""));
  sendJson(ctx, 200, {
    token_type: "Bearer",
    scope: g.scope,
    expires_in: TOKEN_LIFETIME_S,
    ext_expires_in: TOKEN_LIFETIME_S,
    access_token: g.accessToken,
    ...(g.refreshToken ? { refresh_token: g.refreshToken } : {}),
    ...(g.idToken ? { id_token: g.idToken } : {}),
    ...(g.clientInfo ? { client_info: g.clientInfo } : {}),
  }, NO_CACHE);
}

/** v1 endpoint: `resource=` instead of scope, numbers as strings (as the v1 endpoint answers). */
function tokenV1(ctx: Ctx): void {
  const form = formBody(ctx);
  const resource = form.get("resource");
  // A refresh grant without resource gets a Graph token; client credentials must name one.
  if (!resource && form.get("grant_type") === "client_credentials") throw missing("resource");
  const g = grant(ctx, form, () => ({ resource: resource ?? undefined, openid: false, dotDefault: true }));
  const now = nowSeconds();
  sendJson(ctx, 200, {
    token_type: "Bearer",
    ...(g.refreshToken ? { scope: g.resource.kind === "portal" ? "user_impersonation" : g.scope } : {}),
    expires_in: String(TOKEN_LIFETIME_S),
    ext_expires_in: String(TOKEN_LIFETIME_S),
    expires_on: String(now + TOKEN_LIFETIME_S),
    not_before: String(now),
    resource: resource ?? g.resource.aud,
    access_token: g.accessToken,
    ...(g.refreshToken ? { refresh_token: g.refreshToken } : {}),
  }, NO_CACHE);
}

/** OpenID metadata, as MSAL reads it for a custom authority (requires authorization/token endpoints, issuer, jwks_uri). */
function openIdConfiguration(ctx: Ctx, v2: boolean): void {
  const ref = ctx.params.tenant;
  const tid = isMultiTenantAlias(ref) ? "{tenantid}" : resolveTenant(ctx, ref).secrets.tenantId;
  const base = `${ctx.baseUrl}/${tid}`;
  const oauth = v2 ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
  sendJson(ctx, 200, {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: v2 ? `${base}/v2.0` : `${base}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    end_session_endpoint: `${oauth}/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    tenant_region_scope: "NA",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
}

/** Instance discovery: the emulator's host is its own (only) alias. */
function instanceDiscovery(ctx: Ctx): void {
  const host = new URL(ctx.baseUrl).host;
  const authorize = ctx.url.searchParams.get("authorization_endpoint") ?? "";
  const tenant = /\/([^/]+)\/oauth2\//.exec(authorize)?.[1] ?? "common";
  sendJson(ctx, 200, {
    tenant_discovery_endpoint: `${ctx.baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function keys(ctx: Ctx): void {
  sendJson(ctx, 200, { keys: [publicJwk(ctx.store.keys.signing)] });
}

export const loginRoutes: Route[] = [
  route("GET", "/common/discovery/instance", instanceDiscovery),
  route("POST", "/{tenant}/oauth2/v2.0/token", tokenV2),
  route("POST", "/{tenant}/oauth2/token", tokenV1),
  route("GET", "/{tenant}/v2.0/.well-known/openid-configuration", (ctx) => openIdConfiguration(ctx, true)),
  route("GET", "/{tenant}/.well-known/openid-configuration", (ctx) => openIdConfiguration(ctx, false)),
  route("GET", "/{tenant}/discovery/v2.0/keys", keys),
  route("GET", "/{tenant}/discovery/keys", keys),
];

// ---------------------------------------------------------------------------------------------------------
// Bearer tokens presented to Graph and the portal API.

export type BearerCheck =
  | { ok: true; tenant: TenantRecord; claims: Claims; appOnly: boolean }
  | { ok: false; message: string };

/** The token of an `Authorization: Bearer ...` header (possibly empty), or undefined without one. */
function bearerToken(req: Ctx["req"]): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1].trim();
}

/** A claim of the request's bearer token, unverified (for the request log, fault matching and headers). */
export function bearerClaim(ctx: Pick<Ctx, "req">, name: string): string | undefined {
  const token = bearerToken(ctx.req);
  const value = token !== undefined ? decodeJwt(token)?.claims[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * Validates a bearer token the way the resource would: signature, lifetime, issuer (the tenant must exist
 * here and the issuer must be its cloud's), audience. Messages are those Graph uses.
 */
export function checkBearer(ctx: Ctx, audiences: (cloud: Cloud) => string[]): BearerCheck {
  const token = bearerToken(ctx.req);
  if (token === undefined) return { ok: false, message: "Access token is empty." };
  const jwt = decodeJwt(token);
  if (!jwt) return { ok: false, message: "Invalid JWT token. The token is not in JWS Compact Serialization Format." };
  if (!verifySignature(jwt, ctx.store.keys.signing)) return { ok: false, message: "Access token validation failure. Invalid signature." };
  const c = jwt.claims;
  const now = nowSeconds();
  if (ctx.forceExpired || typeof c.exp !== "number" || c.exp <= now) return { ok: false, message: "Lifetime validation failed, the token is expired." };
  if (typeof c.nbf === "number" && c.nbf > now + 300) return { ok: false, message: "Lifetime validation failed, the token is not yet valid." };
  const tenant = typeof c.tid === "string" ? ctx.store.tenants.get(c.tid) : undefined;
  if (!tenant || c.iss !== CLOUD[tenant.state.cloud].issuer(tenant.secrets.tenantId)) {
    return { ok: false, message: "Access token validation failure. Invalid issuer." };
  }
  ctx.tenantId = tenant.secrets.tenantId;
  if (!audiences(tenant.state.cloud).includes(String(c.aud))) return { ok: false, message: "Access token validation failure. Invalid audience." };
  return { ok: true, tenant, claims: c, appOnly: c.idtyp === "app" || typeof c.scp !== "string" };
}
