/**
 * Tenant facts (trial, directory sync, Entra ID P1/P2, Business Premium) discovered from Microsoft Graph,
 * compared with declared ones, and passed to the tenant-setting resources so the policy pack can judge
 * them (DESIGN.md decision 5). Read-only: Organization.Read.All is the least permission.
 */
import { tenantError, tenantRequest } from "./connection";
import { ConnectionInputs, LICENCE, TenantFacts } from "./model";

interface GraphList<T> { value: T[] }
interface Organization { onPremisesSyncEnabled?: boolean | null }
interface CompanySubscription { isTrial?: boolean | null; status?: string | null; skuId?: string | null }
interface SubscribedSku {
  skuId?: string | null;
  capabilityStatus?: string | null;
  servicePlans?: { servicePlanId?: string | null; provisioningStatus?: string | null }[];
}

const READ_FACTS = "Graph permission Organization.Read.All (or Directory.Read.All)";

export async function discoverTenantFacts(conn: ConnectionInputs): Promise<TenantFacts> {
  const [org, subs, skus] = await Promise.all([
    tenantRequest<GraphList<Organization>>(conn, "graph", "GET", "/organization", undefined, { needs: READ_FACTS }),
    tenantRequest<GraphList<CompanySubscription>>(conn, "graph", "GET", "/directory/subscriptions", undefined, { needs: READ_FACTS }),
    tenantRequest<GraphList<SubscribedSku>>(conn, "graph", "GET", "/subscribedSkus", undefined, { needs: READ_FACTS }),
  ]);
  // Only subscriptions and SKUs that are in force count: suspended or deleted ones grant nothing.
  const live = (subs.body.value ?? []).filter((s) => (s.status ?? "Enabled") === "Enabled" || s.status === "Warning");
  const liveSkus = (skus.body.value ?? []).filter((s) => (s.capabilityStatus ?? "Enabled") === "Enabled" || s.capabilityStatus === "Warning");
  const hasPlan = (planId: string) => liveSkus.some((s) => (s.servicePlans ?? []).some((p) =>
    p.servicePlanId === planId && (p.provisioningStatus ?? "Success") !== "Disabled"));
  return {
    source: "graph",
    trialOnly: !live.some((s) => s.isTrial === false),
    directorySync: (org.body.value ?? []).some((o) => o.onPremisesSyncEnabled === true),
    entraIdP1: hasPlan(LICENCE.servicePlanEntraIdP1) || hasPlan(LICENCE.servicePlanEntraIdP2),
    entraIdP2: hasPlan(LICENCE.servicePlanEntraIdP2),
    businessPremium: liveSkus.some((s) => s.skuId === LICENCE.skuBusinessPremium),
  };
}

/** The five facts the policy pack judges (what stack config must declare, all or none). */
export const FACT_KEYS: (keyof Omit<TenantFacts, "source">)[] = ["trialOnly", "directorySync", "entraIdP1", "entraIdP2", "businessPremium"];

/**
 * Before a write: facts declared in stack config must match the tenant, or the write is refused, since the
 * policy pack approved the change on the strength of those facts.
 */
export async function verifyDeclaredFacts(conn: ConnectionInputs, declared: TenantFacts | undefined): Promise<void> {
  if (!declared || declared.source !== "declared") return;
  const actual = await discoverTenantFacts(conn);
  const wrong = FACT_KEYS.filter((k) => declared[k] !== actual[k]);
  if (wrong.length > 0) {
    throw tenantError(`The tenant facts declared in stack config do not match tenant ${conn.tenantId}: ` +
      wrong.map((k) => `${k} declared ${declared[k]}, tenant has ${actual[k]}`).join("; ") +
      `. Nothing was changed. Correct the declared facts (config sspr:tenantFacts) or remove them to discover them from Graph.`);
  }
}
