/**
 * The emulated identity platform: the real @azure/identity client authenticates against it (in a child
 * process that trusts the emulator CA through NODE_EXTRA_CA_CERTS, as every process of the project does),
 * AAD-shaped errors, the refresh-token grant for the portal API, and the tokens' claims and signatures.
 */
import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { appToken, AZURE_POWERSHELL, call, claims, GRAPH, PORTAL, userToken, tempDir } from "./helpers";

let emu: RunningEmulator;
let paid: TenantCredentials;
let gov: TenantCredentials;
let china: TenantCredentials;

beforeAll(async () => {
  emu = await startEmulator({ presets: ["paid-cloud-only", "usgov", "trial", "china"] });
  paid = emu.tenants["paid-cloud-only"];
  gov = emu.tenants.usgov;
  china = emu.tenants.china;
});
afterAll(() => emu?.stop());

/** Runs @azure/identity in a fresh Node process and calls Graph with the token it gets. */
function identityClient(args: { mode: "secret" | "federated" | "certificate"; tenantId: string; clientId: string; secret?: string; tokenFile?: string; certificatePath?: string; scope: string }) {
  const script = `
    const identity = require("@azure/identity");
    const a = JSON.parse(process.argv[1]);
    const common = { authorityHost: a.url, disableInstanceDiscovery: true };
    const cred = a.mode === "federated"
      ? new identity.WorkloadIdentityCredential({ tenantId: a.tenantId, clientId: a.clientId, tokenFilePath: a.tokenFile, ...common })
      : a.mode === "certificate"
      ? new identity.ClientCertificateCredential(a.tenantId, a.clientId, { certificatePath: a.certificatePath }, common)
      : new identity.ClientSecretCredential(a.tenantId, a.clientId, a.secret, common);
    cred.getToken(a.scope)
      .then(async (t) => {
        const res = await fetch(a.url + "/v1.0/organization", { headers: { Authorization: "Bearer " + t.token } });
        console.log(JSON.stringify({ ok: true, token: t.token, status: res.status, body: await res.json() }));
      })
      .catch((e) => console.log(JSON.stringify({ ok: false, name: e.name, message: String(e.message) })));`;
  return new Promise<{ ok: boolean; token?: string; status?: number; body?: any; name?: string; message?: string }>((resolve, reject) => {
    execFile(process.execPath, ["-e", script, JSON.stringify({ ...args, url: emu.url })],
      { cwd: path.resolve(__dirname, "../.."), env: { ...process.env, NODE_EXTRA_CA_CERTS: emu.caCertFile }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()!));
      });
  });
}

describe("@azure/identity against the emulator", () => {
  test("ClientSecretCredential gets a Graph token, and Graph accepts it", async () => {
    const r = await identityClient({ mode: "secret", tenantId: paid.tenantId, clientId: paid.clientId, secret: paid.clientSecret, scope: `${GRAPH}/.default` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(r.body.value[0].id).toBe(paid.tenantId);
    expect(claims(r.token!)).toMatchObject({ tid: paid.tenantId, aud: GRAPH, appid: paid.clientId });
  });

  test("a wrong secret fails with the AAD error", async () => {
    const r = await identityClient({ mode: "secret", tenantId: paid.tenantId, clientId: paid.clientId, secret: "not-the-secret", scope: `${GRAPH}/.default` });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/AADSTS7000215: Invalid client secret provided/);
  });

  test("WorkloadIdentityCredential signs in with the federated token (CI's OIDC route)", async () => {
    const file = path.join(tempDir("emu-fed-"), "token");
    fs.writeFileSync(file, paid.federatedToken);
    const r = await identityClient({ mode: "federated", tenantId: paid.tenantId, clientId: paid.clientId, tokenFile: file, scope: `${GRAPH}/.default` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(claims(r.token!)).toMatchObject({ appid: paid.clientId, appidacr: "2" });
  });

  test("ClientCertificateCredential signs in with the app's registered certificate (AZURE_CLIENT_CERTIFICATE_PATH)", async () => {
    const file = path.join(tempDir("emu-cert-"), "app.pem");
    fs.writeFileSync(file, paid.clientCertificatePem!);
    const r = await identityClient({ mode: "certificate", tenantId: paid.tenantId, clientId: paid.clientId, certificatePath: file, scope: `${GRAPH}/.default` });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(claims(r.token!)).toMatchObject({ appid: paid.clientId, appidacr: "2" });
  });

  test("a certificate that is not registered on the app is refused with AADSTS700027", async () => {
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const otherPem = `${privateKey.export({ type: "pkcs8", format: "pem" })}${paid.clientCertificatePem!.slice(paid.clientCertificatePem!.indexOf("-----BEGIN CERTIFICATE"))}`;
    const file = path.join(tempDir("emu-cert-"), "other.pem");
    fs.writeFileSync(file, otherPem);
    // Same certificate, wrong key: the thumbprint matches, the signature cannot.
    const r = await identityClient({ mode: "certificate", tenantId: paid.tenantId, clientId: paid.clientId, certificatePath: file, scope: `${GRAPH}/.default` });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/AADSTS700027: Client assertion failed signature validation/);
  });
});

describe("certificate client assertions (RFC 7523, as Microsoft documents them)", () => {
  const endpoint = () => `${emu.url}/${paid.tenantId}/oauth2/v2.0/token`;
  const pem = () => paid.clientCertificatePem!;
  /** An assertion signed RS256 with the SHA-1 thumbprint in x5t: what older MSALs and hand-written clients send. */
  function assertion(over: { claims?: Record<string, unknown>; thumbprint?: string; key?: crypto.KeyObject } = {}) {
    const cert = new crypto.X509Certificate(pem());
    const x5t = over.thumbprint ?? Buffer.from(cert.fingerprint.replace(/:/g, ""), "hex").toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", x5t })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ aud: endpoint(), iss: paid.clientId, sub: paid.clientId, jti: crypto.randomUUID(), nbf: now, exp: now + 600, ...over.claims })).toString("base64url");
    const sig = crypto.sign("sha256", Buffer.from(`${header}.${body}`), over.key ?? crypto.createPrivateKey(pem()));
    return `${header}.${body}.${sig.toString("base64url")}`;
  }
  const tokenWith = (a: string, clientId = paid.clientId) => call(emu, "POST", `/${paid.tenantId}/oauth2/v2.0/token`, {
    form: { grant_type: "client_credentials", client_id: clientId, scope: `${GRAPH}/.default`,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: a },
  });

  test("RS256 with x5t (SHA-1 thumbprint) is accepted", async () => {
    const r = await tokenWith(assertion());
    expect(r.status).toBe(200);
    expect(claims(r.body.access_token)).toMatchObject({ appid: paid.clientId, appidacr: "2", tid: paid.tenantId });
  });

  test("an unknown thumbprint names the thumbprint and the app", async () => {
    const r = await tokenWith(assertion({ thumbprint: Buffer.alloc(20, 7).toString("base64url") }));
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("invalid_client");
    expect(r.body.error_description).toMatch(/AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application/);
    expect(r.body.error_description).toContain(paid.clientId);
  });

  test("the read-only app has no certificate registered", async () => {
    const r = await tokenWith(assertion({ claims: { iss: paid.readOnlyClientId, sub: paid.readOnlyClientId } }), paid.readOnlyClientId);
    expect(r.status).toBe(401);
    expect(r.body.error_description).toMatch(/AADSTS700027/);
  });

  test("an assertion for another audience, another issuer, or expired is refused", async () => {
    const other = await tokenWith(assertion({ claims: { aud: "https://login.microsoftonline.com/common/oauth2/v2.0/token" } }));
    expect(other.status).toBe(400);
    expect(other.body.error_description).toMatch(/audience/);
    const issuer = await tokenWith(assertion({ claims: { iss: paid.readOnlyClientId } }));
    expect(issuer.body.error_description).toMatch(/AADSTS700021/);
    const expired = await tokenWith(assertion({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } }));
    expect(expired.body.error_description).toMatch(/AADSTS700024/);
  });

  test("the tenant's domain in the token endpoint is the same audience as its id", async () => {
    const r = await tokenWith(assertion({ claims: { aud: `${emu.url}/${paid.defaultDomain}/oauth2/v2.0/token` } }));
    expect(r.status).toBe(200);
  });
});

describe("token endpoint", () => {
  const tokenAt = (tenant: string, form: Record<string, string>) => call(emu, "POST", `/${tenant}/oauth2/v2.0/token`, { form });

  test("an app-only Graph token carries tid, aud, iss, exp, iat, appid, oid and roles (no scp)", async () => {
    const c = claims(await appToken(emu, paid));
    expect(c).toMatchObject({ tid: paid.tenantId, aud: GRAPH, iss: `https://sts.windows.net/${paid.tenantId}/`, appid: paid.clientId, idtyp: "app" });
    expect(c.roles).toEqual(expect.arrayContaining(["Policy.ReadWrite.Authorization", "Policy.ReadWrite.AuthenticationMethod", "Organization.Read.All"]));
    expect(c.scp).toBeUndefined();
    expect(typeof c.oid).toBe("string");
    expect((c.exp as number) - (c.iat as number)).toBeGreaterThan(3000);
    const readOnly = claims(await appToken(emu, paid, GRAPH, "readOnly"));
    expect((readOnly.roles as string[]).sort()).toEqual(["Directory.Read.All", "Organization.Read.All", "Policy.Read.All"]);
  });

  test("the tenant may be named by its default domain; the Graph app id works as scope", async () => {
    const r = await tokenAt(paid.defaultDomain, { grant_type: "client_credentials", client_id: paid.clientId, client_secret: paid.clientSecret, scope: "00000003-0000-0000-c000-000000000000/.default" });
    expect(r.status).toBe(200);
    expect(claims(r.body.access_token)).toMatchObject({ tid: paid.tenantId, aud: "00000003-0000-0000-c000-000000000000" });
    expect(r.body).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number) });
  });

  test("audiences follow the tenant's cloud; another cloud's Graph is not a resource there", async () => {
    expect(claims(await appToken(emu, gov, "https://graph.microsoft.us")).aud).toBe("https://graph.microsoft.us");
    const wrongCloud = await tokenAt(gov.tenantId, { grant_type: "client_credentials", client_id: gov.clientId, client_secret: gov.clientSecret, scope: `${GRAPH}/.default` });
    expect(wrongCloud.status).toBe(400);
    expect(wrongCloud.body.error_codes).toEqual([500011]);
    const wrongPortal = await tokenAt(gov.tenantId, { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: gov.adminRefreshToken, scope: `${PORTAL}/.default` });
    expect(wrongPortal.body).toMatchObject({ error: "invalid_resource", error_codes: [500011] });
  });

  test("21Vianet runs its own directory: a request meant for another cloud finds no China tenant (AADSTS90002), and the reverse", async () => {
    const fromChina = await tokenAt(china.tenantId, { grant_type: "client_credentials", client_id: china.clientId, client_secret: china.clientSecret, scope: `${GRAPH}/.default` });
    expect(fromChina.status).toBe(400);
    expect(fromChina.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    expect(fromChina.body.error_description).toMatch(new RegExp(`^AADSTS90002: Tenant '${china.tenantId}' not found\\. .*signing into the correct cloud`));
    const fromGov = await tokenAt(china.tenantId, { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: china.adminRefreshToken, scope: "ee62de39-b9b0-4886-aa58-08b89c4e3db3/.default" });
    expect(fromGov.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    const toChina = await tokenAt(paid.tenantId, { grant_type: "client_credentials", client_id: paid.clientId, client_secret: paid.clientSecret, scope: "https://microsoftgraph.chinacloudapi.cn/.default" });
    expect(toChina.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    // China's own Graph, and the portal app id China shares with worldwide, are served.
    expect((await tokenAt(china.tenantId, { grant_type: "client_credentials", client_id: china.clientId, client_secret: china.clientSecret, scope: "https://microsoftgraph.chinacloudapi.cn/.default" })).status).toBe(200);
  });

  test.each([
    ["unknown tenant", "contoso-nowhere.example", {}, 400, "invalid_tenant", 90002],
    ["unknown app", "paid", { client_id: "11111111-2222-3333-4444-555555555555" }, 400, "unauthorized_client", 700016],
    ["wrong secret", "paid", { client_secret: "nope" }, 401, "invalid_client", 7000215],
    ["no secret", "paid", { client_secret: "" }, 401, "invalid_client", 7000218],
    ["missing grant_type", "paid", { grant_type: "" }, 400, "invalid_request", 900144],
    ["scope without /.default", "paid", { scope: `${GRAPH}/Policy.Read.All` }, 400, "invalid_scope", 1002012],
    ["unsupported grant", "paid", { grant_type: "password" }, 400, "unsupported_grant_type", 70003],
  ])("%s: AAD error body", async (_what, tenant, override, status, error, code) => {
    const form: Record<string, string> = { grant_type: "client_credentials", client_id: paid.clientId, client_secret: paid.clientSecret, scope: `${GRAPH}/.default`, ...override };
    for (const k of Object.keys(form)) if (form[k] === "") delete form[k];
    const r = await tokenAt(tenant === "paid" ? paid.tenantId : tenant, form);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({
      error,
      error_description: expect.stringMatching(new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: .*\\r\\nCorrelation ID: .*\\r\\nTimestamp: `, "s")),
      error_codes: [code],
      timestamp: expect.any(String),
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
      error_uri: expect.any(String),
    });
  });

  test("refresh-token grant yields a delegated portal token (scp, wids with Global Administrator)", async () => {
    const r = await tokenAt(paid.tenantId, { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: paid.adminRefreshToken, scope: `${PORTAL}/.default offline_access openid` });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: "Bearer", refresh_token: paid.adminRefreshToken, id_token: expect.any(String) });
    const c = claims(r.body.access_token);
    expect(c).toMatchObject({ aud: PORTAL, tid: paid.tenantId, scp: "user_impersonation", idtyp: "user", appid: AZURE_POWERSHELL });
    expect(c.wids).toContain("62e90394-69f5-4237-9190-012177145e10");
    const user = claims(await userToken(emu, paid, PORTAL, "user"));
    expect(user.wids).toEqual(["b79fbf4d-3ef9-4689-8143-76b194e85509"]);
    expect(claims(await userToken(emu, gov)).aud).toBe("ee62de39-b9b0-4886-aa58-08b89c4e3db3");
  });

  test("refresh grant through /organizations, and the v1 endpoint with resource=", async () => {
    const viaAlias = await tokenAt("organizations", { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: paid.adminRefreshToken, scope: `${GRAPH}/.default` });
    expect(claims(viaAlias.body.access_token)).toMatchObject({ tid: paid.tenantId, aud: GRAPH });
    const v1 = await call(emu, "POST", `/${paid.tenantId}/oauth2/token`, { form: { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: paid.adminRefreshToken, resource: PORTAL } });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ resource: PORTAL, expires_in: expect.stringMatching(/^\d+$/), scope: "user_impersonation" });
    const v1app = await call(emu, "POST", `/${paid.tenantId}/oauth2/token`, { form: { grant_type: "client_credentials", client_id: paid.clientId, client_secret: paid.clientSecret, resource: GRAPH } });
    expect(claims(v1app.body.access_token).aud).toBe(GRAPH);
  });

  test("a refresh token is bound to its tenant; unknown ones are invalid_grant", async () => {
    const trial = emu.tenants.trial;
    const foreign = await tokenAt(trial.tenantId, { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: paid.adminRefreshToken, scope: `${PORTAL}/.default` });
    expect(foreign.body.error).toBe("invalid_grant");
    const bogus = await tokenAt(paid.tenantId, { grant_type: "refresh_token", client_id: AZURE_POWERSHELL, refresh_token: "emu-rt.unknown", scope: `${PORTAL}/.default` });
    expect(bogus.body.error).toBe("invalid_grant");
  });

  test("an app-only token for the portal audience is issued, without any role", async () => {
    const c = claims(await appToken(emu, paid, PORTAL));
    expect(c).toMatchObject({ aud: PORTAL, idtyp: "app" });
    expect(c.roles).toBeUndefined();
    expect(c.scp).toBeUndefined();
  });
});

describe("metadata MSAL reads", () => {
  test("OpenID configuration (v2 and v1) points at the emulator; JWKS verifies the issued tokens", async () => {
    const v2 = await call(emu, "GET", `/${paid.defaultDomain}/v2.0/.well-known/openid-configuration`);
    expect(v2.body).toMatchObject({
      issuer: `${emu.url}/${paid.tenantId}/v2.0`,
      token_endpoint: `${emu.url}/${paid.tenantId}/oauth2/v2.0/token`,
      authorization_endpoint: expect.any(String),
      jwks_uri: `${emu.url}/${paid.tenantId}/discovery/v2.0/keys`,
    });
    const v1 = await call(emu, "GET", `/${paid.tenantId}/.well-known/openid-configuration`);
    expect(v1.body.token_endpoint).toBe(`${emu.url}/${paid.tenantId}/oauth2/token`);
    const jwks = await call(emu, "GET", v2.body.jwks_uri);
    const token = await appToken(emu, paid);
    const [h, p, sig] = token.split(".");
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(header.alg).toBe("RS256");
    expect(crypto.verify("sha256", Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(sig, "base64url"))).toBe(true);
  });

  test("instance discovery answers in the shape MSAL accepts; unknown tenants get AADSTS90002", async () => {
    const r = await call(emu, "GET", `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emu.url}/${paid.tenantId}/oauth2/v2.0/authorize`)}`);
    const host = new URL(emu.url).host;
    expect(r.body).toEqual({
      tenant_discovery_endpoint: `${emu.url}/${paid.tenantId}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    const unknown = await call(emu, "GET", "/no-such-tenant.example/v2.0/.well-known/openid-configuration");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });
});
