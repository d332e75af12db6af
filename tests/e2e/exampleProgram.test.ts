/**
 * The example program (index.ts + the component) under the real engine against the emulator, azuread
 * parts off (that plugin cannot be downloaded here): up; no-change preview; a hand-made change detected by
 * `npm run drift` naming the setting; up converges; a second check is clean; destroy restores the preset's
 * original settings; and the state file holds no token, secret or refresh token.
 */
import * as path from "path";
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { TestStack } from "../harness/engine";

const repoRoot = path.resolve(__dirname, "../..");
let emu: RunningEmulator;
let tenant: TenantCredentials;
let stack: TestStack;
let original: Record<string, unknown>;

async function policy(): Promise<Record<string, unknown>> {
  return ((await emu.control.getState(tenant.tenantId)) as { passwordResetPolicy: Record<string, unknown> }).passwordResetPolicy;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: ["paid-cloud-only"] });
  tenant = emu.tenants["paid-cloud-only"];
  original = await policy();
  stack = await TestStack.create(repoRoot, {
    stackName: "e2e",
    config: {
      "sspr:tenantId": tenant.tenantId,
      "sspr:endpoint": emu.url,
      "sspr:manageAzureAd": "false",
      "sspr:enablement": "all",
      "sspr:helpdeskLink": "https://help.contoso.com/password",
    },
    env: credentialEnv(tenant),
  });
});

afterAll(async () => {
  await stack?.cleanup();
  await emu?.stop();
});

describe("example program on the emulator, real engine", () => {
  test("up applies the declared SSPR policy to the tenant", async () => {
    const up = await stack.check(["up", "--yes"]);
    expect(up.stdout).toMatch(/created/);
    expect(await policy()).toMatchObject({
      enablementType: 2, numberOfAuthenticationMethodsRequired: 2, registrationRequiredOnSignIn: true,
      notifyUsersOnPasswordReset: true, notifyOnAdminPasswordReset: true, customizeHelpdeskLink: true,
      customHelpdeskEmailOrUrl: "https://help.contoso.com/password",
    });
  });

  test("a second preview shows no changes", async () => {
    const r = await stack.pulumi(["preview", "--expect-no-changes"]);
    expect(r.code).toBe(0);
  });

  test("npm run drift reports a setting changed by hand, naming it", async () => {
    const clean = await stack.drift();
    expect(clean.out).toMatch(/No drift/);
    expect(clean.code).toBe(0);
    await emu.control.drift(tenant.tenantId, { passwordResetPolicy: { notifyUsersOnPasswordReset: false } });
    const r = await stack.drift();
    if (r.code !== 1) console.log(r.out);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/notifyUsersOnReset: declared true, tenant has false/);
  });

  test("up converges the tenant back, and the next check is clean", async () => {
    await stack.check(["up", "--yes"]);
    expect((await policy()).notifyUsersOnPasswordReset).toBe(true);
    const r = await stack.drift();
    expect(r.code).toBe(0);
  });

  test("the state file holds no token, secret or refresh token", () => {
    const state = stack.stateFileText();
    for (const secret of [tenant.clientSecret, tenant.adminRefreshToken, tenant.readOnlyClientSecret]) expect(state).not.toContain(secret);
    // No JWT (access or id token) of any kind; the provider code itself names grant types, so match shapes, not words.
    expect(state).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });

  test("a bad argument in config fails the preview with its message and writes nothing", async () => {
    await emu.control.clearRequests();
    await stack.check(["config", "set", "--path", "sspr:methods.required", "3"]);
    const r = await stack.pulumi(["preview"]);
    await stack.check(["config", "rm", "sspr:methods"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/methods\.required is 3; use a whole number from 1 to 2/);
    const writes = (await emu.control.requests({ tenantId: tenant.tenantId })).filter((x) => x.method !== "GET" && !x.route.includes("/oauth2/"));
    expect(writes).toEqual([]);
  });

  test("destroy restores the preset's original settings", async () => {
    await stack.check(["destroy", "--yes"]);
    expect(await policy()).toEqual(original);
  });
});
