/**
 * Errors that used to mislead (issue 11, item 6), against the emulator over real HTTPS with the code that
 * talks to Microsoft: sign-in 429/5xx retried and then reported as the sign-in service being unavailable
 * (not as an expired refresh token), a licence refusal reported as a licence problem (not a missing role),
 * an unknown tenant and a wrong cloud in one line naming the setting to fix (`sspr:tenantId`, `sspr:cloud`),
 * never an internal input name.
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { _provider as passwordReset } from "../../components/passwordResetPolicy";
import { _provider as onPremises } from "../../components/onPremisesPasswordReset";
import { _provider as adminPolicy } from "../../components/adminPasswordResetPolicy";
import { discoverTenantFacts } from "../../components/tenantFacts";
import type { Cloud, ConnectionInputs, TenantFacts } from "../../components/model";
import { useTenant } from "./helpers";

let emu: RunningEmulator;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: ["paid-cloud-only", "hybrid-no-p1", "usgov", "china"] });
});
afterAll(async () => {
  process.env = savedEnv;
  await emu?.stop();
});
afterEach(() => emu.control.clearFaults());


const conn = (t: TenantCredentials, o: Partial<ConnectionInputs> = {}): ConnectionInputs => ({ cloud: t.cloud, tenantId: t.tenantId, endpoint: emu.url, ...o });

const discovered = (o: Partial<TenantFacts> = {}): TenantFacts => ({
  source: "graph", trialOnly: false, directorySync: false, entraIdP1: false, entraIdP2: false, businessPremium: false, ...o,
});

/** Portal API read (delegated token from the refresh-token grant) and Graph read (app credential). */
const readPortal = (c: ConnectionInputs) => passwordReset.read!("id", { connection: c, tenantFacts: discovered(), enablement: "all" });
const readGraph = (c: ConnectionInputs) => adminPolicy.read!("id", { connection: c, administratorsCanResetPassword: true });

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}

/** Statuses of the token requests since the last clearRequests(). */
async function tokenStatuses(): Promise<number[]> {
  return (await emu.control.requests({ pathContains: "/oauth2/" })).filter((r) => r.method === "POST").map((r) => r.status);
}

const TOKEN_PATH = "/oauth2/v2.0/token";

describe("sign-in: 429/5xx from the token endpoint", () => {
  let t: TenantCredentials;
  beforeAll(() => { t = emu.tenants["paid-cloud-only"]; });
  beforeEach(() => emu.control.clearRequests());

  test("refresh-token grant: a single 503 is retried and the read succeeds", async () => {
    useTenant(t, { app: "none" });
    await emu.control.injectFault({ tenantId: t.tenantId, pathContains: TOKEN_PATH, kind: "unavailable", count: 1, retryAfterSeconds: 0 });
    await expect(readPortal(conn(t))).resolves.toBeDefined();
    expect(await tokenStatuses()).toEqual([503, 200]);
  });

  test("refresh-token grant: a 429 waits for its Retry-After", async () => {
    useTenant(t, { app: "none" });
    await emu.control.injectFault({ tenantId: t.tenantId, pathContains: TOKEN_PATH, kind: "throttle", count: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    await expect(readPortal(conn(t))).resolves.toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await tokenStatuses()).toEqual([429, 200]);
  });

  test.each([
    ["refresh-token grant (portal API)", { app: "none" } as const, readPortal],
    ["app credential (Graph)", { app: "full", delegated: false } as const, readGraph],
  ])("%s: still 503 after the bounded retries: the sign-in service was unavailable, not an expired token", async (_what, identity, read) => {
    useTenant(t, identity);
    await emu.control.injectFault({ tenantId: t.tenantId, pathContains: TOKEN_PATH, kind: "unavailable", count: 20, retryAfterSeconds: 0 });
    const e = await failure(read(conn(t)));
    expect(e.message).toMatch(/sign-in service .*was unavailable/);
    expect(e.message).toMatch(/503/);
    expect(e.message).toMatch(/try again later/);
    expect(e.message).not.toMatch(/expire|\[object Object\]|Not Available/);
    // Bounded: the first attempt and 4 retries.
    expect(await tokenStatuses()).toEqual([503, 503, 503, 503, 503]);
  });
});

describe("licence refusals", () => {
  test("writeback without P1: a licence problem naming the licence and the setting, not a missing role", async () => {
    const t = emu.tenants["hybrid-no-p1"];
    useTenant(t);
    await emu.control.reset(t.tenantId);
    const e = await failure(onPremises.create!({ connection: conn(t), tenantFacts: discovered({ directorySync: true, entraIdP1: true }), passwordWriteback: true }));
    expect(e.message).toMatch(/OnPremisesPasswordResetPolicies.*answered 403 LicenseRequired/);
    expect(e.message).toMatch(/licen[cs]e/i);
    expect(e.message).toMatch(/Microsoft Entra ID P1 or P2.*Microsoft 365 Business Premium/);
    expect(e.message).toMatch(/onPremises\.passwordWriteback/);
    expect(e.message).not.toMatch(/Authentication Policy Administrator|Grant it|sign in as an administrator/);
    expect(e.message).not.toMatch(/\.\./);
  });

  test("a missing permission still names it, ending its sentences with one period", async () => {
    const t = emu.tenants["paid-cloud-only"];
    useTenant(t, { app: "readOnly", delegated: false });
    const e = await failure(adminPolicy.create!({ connection: conn(t), administratorsCanResetPassword: false }));
    expect(e.message).toMatch(/403.*Policy\.ReadWrite\.Authorization/s);
    expect(e.message).not.toMatch(/\.\./);
  });
});

describe("unknown tenant id", () => {
  const unknown = "11111111-2222-3333-4444-555555555555";

  test.each([
    ["app credential (Graph)", { app: "full", delegated: false } as const, readGraph],
    ["refresh-token grant (portal API)", { app: "none" } as const, readPortal],
    ["tenant facts read by the program", { app: "full" } as const, (c: ConnectionInputs) => discoverTenantFacts(c)],
  ])("%s: one line naming the tenant id as the user set it, AADSTS90002 and what to check", async (_what, identity, read) => {
    useTenant(emu.tenants["paid-cloud-only"], identity);
    const e = await failure(read({ cloud: "worldwide", tenantId: unknown, endpoint: emu.url }));
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).toMatch(new RegExp(`does not know tenant "${unknown}" \\(AADSTS90002\\)`));
    expect(e.message).toMatch(/sspr:tenantId/);
    expect(e.message).toMatch(/tenant\.tenantId/);
    expect(e.message).toMatch(/Check /);
    expect(e.message).not.toMatch(/endpoints_resolution_error|expire|connection\./);
    // The engine prints a RunError's message alone, without the error object and its stack.
    expect(pulumi.RunError.isInstance(e)).toBe(true);
  });
});

describe("cloud mismatch", () => {
  const values = /worldwide.*usgov.*usdod.*china/;

  test.each([
    ["app credential (Graph)", { app: "full", delegated: false } as const, readGraph],
    ["refresh-token grant (portal API)", { app: "none" } as const, readPortal],
  ])("US Government tenant with cloud worldwide, %s: not found in this cloud (AADSTS500011), names sspr:cloud and its values", async (_what, identity, read) => {
    const gov = emu.tenants.usgov;
    useTenant(gov, identity);
    const e = await failure(read(conn(gov, { cloud: "worldwide" })));
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).toMatch(/AADSTS500011/);
    expect(e.message).toMatch(/not found in the worldwide cloud/);
    expect(e.message).toMatch(/sspr:cloud/);
    expect(e.message).toMatch(/tenant\.cloud/);
    expect(e.message).toMatch(values);
    expect(e.message).not.toMatch(/expire|connection\./);
  });

  test.each(["worldwide", "usgov"] as Cloud[])("China (21Vianet) tenant with cloud %s: the other cloud does not know the tenant (AADSTS90002); names sspr:cloud", async (cloud) => {
    const cn = emu.tenants.china;
    useTenant(cn, { app: "full", delegated: false });
    const e = await failure(readGraph(conn(cn, { cloud })));
    expect(e.message).toMatch(new RegExp(`does not know tenant "${cn.tenantId}" \\(AADSTS90002\\)`));
    expect(e.message).toMatch(/sspr:cloud/);
    expect(e.message).toMatch(values);
  });
});
