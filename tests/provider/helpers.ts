/** Shared by the provider tests: one emulated tenant's credentials in the environment, as a CI job has them. */
import { credentialEnv } from "../../emulator/credentials";
import type { TenantCredentials } from "../../emulator";

export function useTenant(t: TenantCredentials, o: Parameters<typeof credentialEnv>[1] = {}): void {
  for (const k of ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "SSPR_PORTAL_REFRESH_TOKEN", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_CERTIFICATE_PATH"]) delete process.env[k];
  Object.assign(process.env, credentialEnv(t, o));
  // Tokens are cached per provider process; a test that switches identity starts clean.
  (globalThis as { __ssprTokenCache?: Map<string, unknown> }).__ssprTokenCache?.clear();
}
