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
