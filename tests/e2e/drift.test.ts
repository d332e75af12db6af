/**
 * `npm run drift` under the real engine against the emulator, on list-valued drift: the example program
 * targets one existing group of the paid-cloud-only preset; the portal's target group is then changed by
 * hand; the check must exit 1 and name the change as the tenant's, in admin-center words, with both ids
 * (it used to say "the program changed, not the tenant" and name nothing).
 */
import * as path from "path";
import { RunningEmulator, startEmulator, TenantCredentials } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { wellKnownIds } from "../../emulator/presets";
import { TestStack } from "../harness/engine";

const repoRoot = path.resolve(__dirname, "../..");
let emu: RunningEmulator;
let tenant: TenantCredentials;
let stack: TestStack;
let groups: ReturnType<typeof wellKnownIds>["groups"];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: ["paid-cloud-only"] });
  tenant = emu.tenants["paid-cloud-only"];
  groups = wellKnownIds(tenant.tenantId).groups;
  stack = await TestStack.create(repoRoot, {
    // Not "e2e": that is exampleProgram.test.ts's, and both may run at once in the same program folder.
    stackName: "e2e-drift",
    config: {
      "sspr:tenantId": tenant.tenantId,
      "sspr:endpoint": emu.url,
      "sspr:manageAzureAd": "false",
      "sspr:enablement": "selected",
      "sspr:targetGroupId": groups.ssprUsers,
    },
    env: credentialEnv(tenant),
  });
});

afterAll(async () => {
  await stack?.cleanup();
  await emu?.stop();
});

test("a target group changed by hand is named as a tenant change, with both ids", async () => {
  await stack.check(["up", "--yes"]);
  const policy = async () => ((await emu.control.getState(tenant.tenantId)) as { passwordResetPolicy: Record<string, unknown> }).passwordResetPolicy;
  expect(await policy()).toMatchObject({ enablementType: 1, passwordResetEnabledGroupIds: [groups.ssprUsers] });
  const clean = await stack.drift();
  if (clean.code !== 0) console.log(clean.out);
  expect(clean.code).toBe(0);

  await emu.control.drift(tenant.tenantId, { passwordResetPolicy: { passwordResetEnabledGroupIds: [groups.helpdesk] } });
  const r = await stack.drift();
  if (r.code !== 1) console.log(r.out);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/the tenant differs from stack "e2e-drift" in 1 setting\(s\), changed in the tenant/);
  expect(r.out).toContain(`Properties > "Select group", targetGroupIds: declared ["${groups.ssprUsers}"], tenant has ["${groups.helpdesk}"]`);
  expect(r.out).not.toMatch(/the program changed/);
});
