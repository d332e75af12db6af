/** HTTPS calls to an emulator (trusting its CA explicitly) and token helpers for the emulator tests. */
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator, TenantCredentials } from "../../emulator";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes, inspected by the tests
  text: string;
}

const caCache = new Map<string, string>();

/** Where an emulator is: a RunningEmulator, or the URL and CA file printed by the CLI. */
export type Emulator = Pick<RunningEmulator, "url" | "caCertFile">;

export function call(
  emu: Emulator,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Reply> {
  if (!caCache.has(emu.caCertFile)) caCache.set(emu.caCertFile, fs.readFileSync(emu.caCertFile, "utf8"));
  const payload =
    opts.json !== undefined ? Buffer.from(typeof opts.json === "string" ? opts.json : JSON.stringify(opts.json))
    : opts.form ? Buffer.from(new URLSearchParams(opts.form).toString())
    : undefined;
  const headers: Record<string, string | number> = { Accept: "application/json", ...(opts.headers ?? {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (payload) {
    headers["Content-Type"] = opts.form ? "application/x-www-form-urlencoded" : "application/json";
    headers["Content-Length"] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, emu.url), { method, headers, ca: caCache.get(emu.caCertFile), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = undefined;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export const GRAPH = "https://graph.microsoft.com";
export const PORTAL = "74658136-14ec-4630-ad9b-26e160ff0fc6";
export const AZURE_POWERSHELL = "1950a258-227b-4e31-a9cf-717495945fc2";

/** Graph resource of a tenant's cloud. */
export function graphResource(t: TenantCredentials): string {
  return { worldwide: GRAPH, usgov: "https://graph.microsoft.us", usdod: "https://dod-graph.microsoft.us", china: "https://microsoftgraph.chinacloudapi.cn" }[t.cloud];
}

export function portalResource(t: TenantCredentials): string {
  return t.cloud === "usgov" || t.cloud === "usdod" ? "ee62de39-b9b0-4886-aa58-08b89c4e3db3" : PORTAL;
}

/** Client-credentials token (main or read-only app) for a resource. */
export async function appToken(emu: Emulator, t: TenantCredentials, resource = graphResource(t), app: "main" | "readOnly" = "main"): Promise<string> {
  const r = await call(emu, "POST", `/${t.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: "client_credentials",
      client_id: app === "main" ? t.clientId : t.readOnlyClientId,
      client_secret: app === "main" ? t.clientSecret : t.readOnlyClientSecret,
      scope: `${resource}/.default`,
    },
  });
  if (r.status !== 200) throw new Error(`app token: ${r.status} ${r.text}`);
  return r.body.access_token as string;
}

/** Refresh-token grant (as the project's portal client does it) for the admin or the plain user. */
export async function userToken(emu: Emulator, t: TenantCredentials, resource = portalResource(t), who: "admin" | "user" = "admin"): Promise<string> {
  const r = await call(emu, "POST", `/${t.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: "refresh_token",
      client_id: AZURE_POWERSHELL,
      refresh_token: who === "admin" ? t.adminRefreshToken : t.userRefreshToken,
      scope: `${resource}/.default offline_access`,
    },
  });
  if (r.status !== 200) throw new Error(`user token: ${r.status} ${r.text}`);
  return r.body.access_token as string;
}

/** The claims of a JWT (no verification; for assertions on what the emulator issued). */
export function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Graph's error body: code, message and innerError with date and request ids. */
export function expectGraphError(r: Reply, status: number, code: string, message?: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  if (message) expect(r.body.error.message).toMatch(message);
  expect(r.body.error.innerError).toEqual(
    expect.objectContaining({ date: expect.any(String), "request-id": expect.any(String), "client-request-id": expect.any(String) }),
  );
}

const tempDirs: string[] = [];
/** A fresh temporary folder, removed after the test file (the hook below runs in every file that imports this). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
