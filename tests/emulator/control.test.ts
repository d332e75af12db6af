/**
 * The control API: drift, reset, faults (429 with Retry-After, 503, slow, expired token) used up after N
 * requests, the request log and per-route counters, and persistence across a restart with a state file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorControl, RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { appToken, call, expectGraphError, GRAPH, userToken, tempDir } from "./helpers";

let emu: RunningEmulator;
let t: TenantCredentials;
let token: string;
let portalToken: string;

beforeAll(async () => {
  emu = await startEmulator({ presets: ["paid-cloud-only", "hybrid-p1"] });
  t = emu.tenants["paid-cloud-only"];
  token = await appToken(emu, t);
  portalToken = await userToken(emu, t);
});
afterAll(() => emu?.stop());
beforeEach(async () => {
  await emu.control.clearFaults();
  await emu.control.clearRequests();
  await emu.control.reset(t.tenantId);
});

const authz = () => call(emu, "GET", "/v1.0/policies/authorizationPolicy", { token });

describe("state: drift and reset", () => {
  test("getState holds the Graph and portal objects; drift deep-merges behind the program's back", async () => {
    const state = await emu.control.getState(t.tenantId);
    expect(Object.keys(state)).toEqual(expect.arrayContaining(["passwordResetPolicy", "onPremisesPasswordResetPolicy", "authorizationPolicy", "authenticationMethodsPolicy"]));
    await emu.control.drift(t.tenantId, { passwordResetPolicy: { notifyUsersOnPasswordReset: false } });
    await emu.control.drift(t.tenantId, { authenticationMethodsPolicy: { authenticationMethodConfigurations: { sms: { state: "enabled" } } } });
    const portal = await call(emu, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken });
    expect(portal.body).toMatchObject({ notifyUsersOnPasswordReset: false, notifyOnAdminPasswordReset: true });
    const sms = await call(emu, "GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", { token });
    expect(sms.body).toMatchObject({ state: "enabled", includeTargets: [expect.objectContaining({ id: "all_users" })] });
    // Tenants are independent.
    const other = emu.tenants["hybrid-p1"];
    expect((await emu.control.getState(other.tenantId)).passwordResetPolicy.notifyUsersOnPasswordReset).toBe(true);
  });

  test("reset restores the preset with the same ids; drift refuses unknown and identifying keys", async () => {
    const before = await emu.control.getState(t.tenantId);
    await emu.control.drift(t.tenantId, { authorizationPolicy: { allowedToUseSSPR: false } });
    const after = await emu.control.reset(t.tenantId);
    expect(after).toEqual(before);
    await expect(emu.control.drift(t.tenantId, { passwordResetPolicys: {} })).rejects.toThrow(/400.*no 'passwordResetPolicys'/);
    await expect(emu.control.drift(t.tenantId, { tenantId: "x" })).rejects.toThrow(/400.*identifies the tenant/);
    await expect(emu.control.getState("no-such-tenant")).rejects.toThrow(/404/);
    // Tenants can be named by preset or domain as well.
    expect((await emu.control.getState("paid-cloud-only")).tenantId).toBe(t.tenantId);
    expect((await emu.control.getState(t.defaultDomain)).tenantId).toBe(t.tenantId);
  });
});

describe("faults", () => {
  test("throttle: N requests get 429 with Retry-After and Graph's TooManyRequests body, then it is used up", async () => {
    await emu.control.injectFault({ tenantId: t.tenantId, method: "GET", pathContains: "authorizationPolicy", kind: "throttle", count: 2, retryAfterSeconds: 2.5 });
    for (let i = 0; i < 2; i++) {
      const r = await authz();
      expectGraphError(r, 429, "TooManyRequests", /Please retry again later/);
      expect(r.headers["retry-after"]).toBe("2.5");
      expect(r.body.error.innerError).toMatchObject({ code: "429", status: "429" });
    }
    expect((await authz()).status).toBe(200);
    expect(await emu.control.faults()).toEqual([]);
  });

  test("faults only hit matching requests: other tenant, other method, other path pass", async () => {
    await emu.control.injectFault({ tenantId: t.tenantId, method: "PUT", kind: "unavailable", count: 1, retryAfterSeconds: 0 });
    expect((await authz()).status).toBe(200);
    const other = emu.tenants["hybrid-p1"];
    const otherPortal = await userToken(emu, other);
    const policy = (await call(emu, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: otherPortal })).body;
    expect((await call(emu, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: otherPortal, json: policy })).status).toBe(200);
    const mine = (await call(emu, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken })).body;
    const failed = await call(emu, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken, json: mine });
    expect(failed.status).toBe(503);
    expect(failed.headers["retry-after"]).toBe("0");
    expect(failed.body.error.code).toBe("serviceNotAvailable");
    expect((await call(emu, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken, json: mine })).status).toBe(200);
  });

  test("slow: the response waits delayMs, once", async () => {
    await emu.control.injectFault({ kind: "slow", count: 1, delayMs: 400, pathContains: "/v1.0/" });
    let start = Date.now();
    expect((await authz()).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(390);
    start = Date.now();
    await authz();
    expect(Date.now() - start).toBeLessThan(300);
  });

  test("expiredToken: the next request's token is refused as expired, a new request passes", async () => {
    await emu.control.injectFault({ tenantId: t.tenantId, kind: "expiredToken", count: 1 });
    // Signing in is not an API call with a token: it passes and does not use the fault up.
    const fresh = await appToken(emu, t);
    expectGraphError(await call(emu, "GET", "/v1.0/organization", { token: fresh }), 401, "InvalidAuthenticationToken", /^Lifetime validation failed, the token is expired\.$/);
    expect((await call(emu, "GET", "/v1.0/organization", { token: fresh })).status).toBe(200);
  });

  test("a tenant-wide fault leaves sign-in alone; a fault naming the login path hits it", async () => {
    await emu.control.injectFault({ tenantId: t.tenantId, kind: "throttle", count: 1 });
    await expect(appToken(emu, t)).resolves.toEqual(expect.any(String));
    expect((await authz()).status).toBe(429);
    await emu.control.injectFault({ tenantId: t.tenantId, pathContains: "/oauth2/v2.0/token", kind: "unavailable", count: 1 });
    await expect(appToken(emu, t)).rejects.toThrow(/503/);
    await expect(appToken(emu, t)).resolves.toEqual(expect.any(String));
  });

  test("bad fault specs are refused", async () => {
    await expect(emu.control.injectFault({ kind: "meteor" as never, count: 1 })).rejects.toThrow(/400.*kind/);
    await expect(emu.control.injectFault({ kind: "throttle", count: 0 })).rejects.toThrow(/400.*count/);
    await expect(emu.control.injectFault({ kind: "throttle", count: 1, tenantId: "nowhere" })).rejects.toThrow(/404/);
  });
});

describe("request log", () => {
  test("entries with tenant, method, path, templated route and status; counters per route; filters", async () => {
    await authz();
    await call(emu, "PATCH", "/v1.0/policies/authorizationPolicy", { token, json: { allowedToUseSSPR: false } });
    await call(emu, "GET", "/v1.0/groups/not-a-guid", { token });
    const policy = (await call(emu, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken })).body;
    await call(emu, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken, json: policy });
    await call(emu, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: portalToken, json: { ...policy, enablementType: 9 } });
    await emu.control.getState(t.tenantId); // control calls are not logged

    const log = await emu.control.requests({ tenantId: t.tenantId });
    expect(log.map((e) => [e.route, e.status])).toEqual([
      ["GET /v1.0/policies/authorizationPolicy", 200],
      ["PATCH /v1.0/policies/authorizationPolicy", 204],
      ["GET /v1.0/groups/{id}", 400],
      ["GET /api/PasswordReset/PasswordResetPolicies", 200],
      ["PUT /api/PasswordReset/PasswordResetPolicies", 200],
      ["PUT /api/PasswordReset/PasswordResetPolicies", 400],
    ]);
    expect(log[2]).toEqual({ time: expect.any(String), tenantId: t.tenantId, method: "GET", path: "/v1.0/groups/not-a-guid", route: "GET /v1.0/groups/{id}", status: 400 });
    expect((await emu.control.requests({ tenantId: "paid-cloud-only", method: "put" })).map((e) => e.status)).toEqual([200, 400]);
    expect(await emu.control.requests({ pathContains: "groups" })).toHaveLength(1);
    expect(await emu.control.counters()).toEqual({
      "GET /v1.0/policies/authorizationPolicy": 1,
      "PATCH /v1.0/policies/authorizationPolicy": 1,
      "GET /v1.0/groups/{id}": 1,
      "GET /api/PasswordReset/PasswordResetPolicies": 1,
      "PUT /api/PasswordReset/PasswordResetPolicies": 2,
    });
    await emu.control.clearRequests();
    expect(await emu.control.requests()).toEqual([]);
    expect(await emu.control.counters()).toEqual({});
  });

  test("sign-in requests are logged under the tenant named in the URL", async () => {
    await appToken(emu, t);
    const [entry] = await emu.control.requests({ tenantId: t.tenantId });
    expect(entry).toMatchObject({ route: "POST /{tenant}/oauth2/v2.0/token", status: 200, method: "POST" });
  });
});

describe("persistence", () => {
  test("a restart with the same state file keeps tenants, credentials, keys and every write", async () => {
    const stateFile = path.join(tempDir("emu-state-"), "tenant.json");
    const first = await startEmulator({ presets: ["hybrid-p1"], stateFile });
    const c1 = first.tenants["hybrid-p1"];
    const portal1 = await userToken(first, c1);
    const graph1 = await appToken(first, c1);
    const policy = (await call(first, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: portal1 })).body;
    expect((await call(first, "PUT", "/api/PasswordReset/PasswordResetPolicies", { token: portal1, json: { ...policy, enablementType: 2 } })).status).toBe(200);
    expect((await call(first, "PATCH", "/v1.0/policies/authorizationPolicy", { token: graph1, json: { allowedToUseSSPR: false } })).status).toBe(204);
    await first.control.drift(c1.tenantId, { onPremisesPasswordResetPolicy: { cloudProvisioningEnablementForTenant: true } });
    await first.stop();

    const second = await startEmulator({ presets: ["hybrid-p1"], stateFile });
    try {
      const c2 = second.tenants["hybrid-p1"];
      expect({ ...c2, federatedToken: "" }).toEqual({ ...c1, federatedToken: "" });
      expect(second.url).not.toBe("");
      // A token from before the restart is still valid (same signing key), and so is the refresh token.
      expect((await call(second, "GET", "/v1.0/policies/authorizationPolicy", { token: graph1 })).body.allowedToUseSSPR).toBe(false);
      const portal2 = await userToken(second, c2);
      expect((await call(second, "GET", "/api/PasswordReset/PasswordResetPolicies", { token: portal2 })).body.enablementType).toBe(2);
      expect((await second.control.getState(c2.tenantId)).onPremisesPasswordResetPolicy.cloudProvisioningEnablementForTenant).toBe(true);
    } finally {
      await second.stop();
    }
  });

  test("the control client works against an emulator URL alone (as from another process)", async () => {
    const remote = new EmulatorControl(emu.url, { ca: fs.readFileSync(emu.caCertFile, "utf8") });
    const tenants = await remote.tenants();
    expect(tenants["paid-cloud-only"]).toMatchObject({ tenantId: t.tenantId, clientId: t.clientId, clientSecret: t.clientSecret });
    expect((await remote.getState(t.tenantId)).cloud).toBe("worldwide");
    expect((await call(emu, "GET", "/v1.0/organization", { token: await appToken(emu, t, GRAPH) })).status).toBe(200);
  });
});
