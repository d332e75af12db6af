/** What a program needs to sign in to one emulated tenant (the CLI prints these; the control API serves them). */
import { mintFederatedToken } from "./login";
import type { PresetName } from "./presets";
import type { EmulatorStore, TenantRecord } from "./state";

export interface TenantCredentials {
  preset: PresetName;
  tenantId: string;
  cloud: "worldwide" | "usgov" | "usdod" | "china";
  defaultDomain: string;
  /** app registration with the application permissions the project needs (client credentials) */
  clientId: string;
  clientSecret: string;
  /** app with only Policy.Read.All + Organization.Read.All + Directory.Read.All (for missing-permission tests) */
  readOnlyClientId: string;
  readOnlyClientSecret: string;
  /** a delegated admin user's refresh token (roles: Global Administrator), for the portal API */
  adminRefreshToken: string;
  /** a delegated user without admin roles */
  userRefreshToken: string;
  /** a federated (workload identity / OIDC) assertion the emulator trusts for clientId; write it to a file for AZURE_FEDERATED_TOKEN_FILE */
  federatedToken: string;
  /**
   * Private key and certificate (PEM) of the certificate credential registered on clientId: write it to a
   * file for AZURE_CLIENT_CERTIFICATE_PATH. Absent when the store was opened without one.
   */
  clientCertificatePem?: string;
}

/** Credentials of a tenant; the federated token is minted now (valid 24 hours). */
export function credentialsOf(store: EmulatorStore, t: TenantRecord): TenantCredentials {
  const { main, readOnly } = t.secrets.apps;
  return {
    preset: t.secrets.preset,
    tenantId: t.secrets.tenantId,
    cloud: t.state.cloud,
    defaultDomain: t.state.defaultDomain,
    clientId: main.appId,
    clientSecret: main.secret,
    readOnlyClientId: readOnly.appId,
    readOnlyClientSecret: readOnly.secret,
    adminRefreshToken: t.secrets.refreshTokens.admin,
    userRefreshToken: t.secrets.refreshTokens.user,
    federatedToken: mintFederatedToken(store, main.federatedCredential!),
    clientCertificatePem: store.appCertificate ? `${store.appCertificate.keyPem.trim()}\n${store.appCertificate.certPem.trim()}\n` : undefined,
  };
}

export function allCredentials(store: EmulatorStore): Record<string, TenantCredentials> {
  const out: Record<string, TenantCredentials> = {};
  for (const t of store.tenants.values()) out[t.secrets.preset] = credentialsOf(store, t);
  return out;
}

/**
 * The environment a program (or a pulumi process) needs to sign in to this tenant as a CI job would: the app's
 * client credentials for Graph, the admin's refresh token for the portal API, and no Azure CLI fallback.
 * `app: "readOnly"` signs in as the read-only app, `app: "none"` sets no client credentials; `delegated: false`
 * leaves out the portal refresh token.
 */
export function credentialEnv(t: TenantCredentials, o: { app?: "full" | "readOnly" | "none"; delegated?: boolean } = {}): Record<string, string> {
  const env: Record<string, string> = {};
  const app = o.app ?? "full";
  if (app === "full") Object.assign(env, { AZURE_CLIENT_ID: t.clientId, AZURE_CLIENT_SECRET: t.clientSecret });
  if (app === "readOnly") Object.assign(env, { AZURE_CLIENT_ID: t.readOnlyClientId, AZURE_CLIENT_SECRET: t.readOnlyClientSecret });
  if (o.delegated ?? true) env.SSPR_PORTAL_REFRESH_TOKEN = t.adminRefreshToken;
  env.SSPR_USE_AZURE_CLI = "false";
  return env;
}
