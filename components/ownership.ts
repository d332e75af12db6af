/**
 * Which stack manages each tenant object, recorded in the tenant itself so that two stacks (or two
 * people's laptops) never silently take turns rewriting the same singleton: a Graph v1.0 open extension on
 * the organization object (`/organization/{id}/extensions/{name}`), one property per tenant object, whose
 * value names the managing stack ("<project>/<stack>"). Adopting an object another stack manages is refused;
 * `pulumi destroy` (restore or retain) releases it.
 *
 * Needs: Graph Organization.ReadWrite.All (application), or delegated with Global Administrator. Runs inside
 * dynamic-provider processes (serialized by value): no module state, no classes.
 */
import { tenantError, tenantRequest } from "./connection";
import type { ConnectionInputs } from "./model";

/** Reverse-DNS name Microsoft recommends for open extensions, so it cannot clash with another app's. */
export const OWNERSHIP_EXTENSION = "com.sspr-as-code.managedBy";

const READ = "Graph permission Organization.Read.All";
const WRITE = "Graph permission Organization.ReadWrite.All (it records which stack manages each SSPR setting)";

interface Owners { orgId: string; exists: boolean; owners: Record<string, string> }

async function readOwners(conn: ConnectionInputs): Promise<Owners> {
  const org = await tenantRequest<{ value: { id: string }[] }>(conn, "graph", "GET", "/organization?$select=id", undefined, { needs: READ });
  const orgId = org.body.value?.[0]?.id;
  if (!orgId) throw tenantError(`Microsoft Graph returned no organization for tenant ${conn.tenantId}.`);
  try {
    const ext = await tenantRequest<Record<string, unknown>>(conn, "graph", "GET", `/organization/${orgId}/extensions/${OWNERSHIP_EXTENSION}`, undefined, { needs: READ });
    const owners: Record<string, string> = {};
    for (const [k, v] of Object.entries(ext.body ?? {})) if (!k.includes("@") && k !== "id" && k !== "extensionName" && typeof v === "string" && v) owners[k] = v;
    return { orgId, exists: true, owners };
  } catch (e) {
    if ((e as { status?: number }).status === 404) return { orgId, exists: false, owners: {} };
    throw e;
  }
}

/** Writes the whole property set (open extensions on directory objects replace their properties); null = released. */
async function writeOwners(conn: ConnectionInputs, o: Owners, owners: Record<string, string | null>): Promise<void> {
  const body = { "@odata.type": "microsoft.graph.openTypeExtension", extensionName: OWNERSHIP_EXTENSION, ...owners };
  if (o.exists) await tenantRequest(conn, "graph", "PATCH", `/organization/${o.orgId}/extensions/${OWNERSHIP_EXTENSION}`, body, { needs: WRITE });
  else await tenantRequest(conn, "graph", "POST", `/organization/${o.orgId}/extensions`, body, { needs: WRITE });
}

/** The stack recorded as managing `object` when it is not `owner` (and not the stack being taken over from). */
export async function otherManager(conn: ConnectionInputs, object: string, owner: string, takeOverFrom?: string): Promise<string | undefined> {
  const current = (await readOwners(conn)).owners[object];
  return current && current !== owner && current !== takeOverFrom ? current : undefined;
}

/** The refusal, naming the managing stack and how to hand over (at preview and before a write alike). */
export function managedElsewhere(conn: ConnectionInputs, title: string, current: string): string {
  return (`${title} in tenant ${conn.tenantId} is managed by stack "${current}" (recorded in the tenant's organization object, ` +
    `open extension ${OWNERSHIP_EXTENSION}). Nothing was changed. To hand it over: in stack "${current}" run \`pulumi destroy\` ` +
    `(with retainOnDelete: true to keep the tenant's settings), which releases it; or, if that stack no longer exists, set ` +
    `takeOverFrom: "${current}" on this stack's resource (config sspr:takeOverFrom) to take it over deliberately.`);
}

/**
 * Records `owner` as the manager of `object` before the first write. Refuses when another stack is recorded,
 * unless `takeOverFrom` names exactly that stack (a deliberate hand-over). Returns whether the record is new,
 * so a failed first write can give it back.
 */
export async function claimTenantObject(conn: ConnectionInputs, object: string, title: string, owner: string, takeOverFrom?: string): Promise<boolean> {
  const o = await readOwners(conn);
  const current = o.owners[object];
  if (current === owner) return false;
  if (current && current !== takeOverFrom) throw tenantError(managedElsewhere(conn, title, current));
  await writeOwners(conn, o, { ...o.owners, [object]: owner });
  return true;
}

/** Clears the record if `owner` holds it (destroy, or a failed first write). Someone else's record is left alone. */
export async function releaseTenantObject(conn: ConnectionInputs, object: string, owner: string): Promise<void> {
  const o = await readOwners(conn);
  if (o.owners[object] !== owner) return;
  await writeOwners(conn, o, { ...o.owners, [object]: null });
}

/** The program's own stack, "<project>/<stack>": the default manager recorded for the objects it declares. */
export function managingStack(): string {
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  return `${pulumi.getProject()}/${pulumi.getStack()}`;
}
