/**
 * The example program under the real engine with `sspr:tenantId` missing (issue 11, item 6, point 5): the preview
 * fails with the config message alone. It used to print it and then, about 40 s later,
 * "RangeError: Invalid string length": config.require's error has stack frames that @pulumi/pulumi's source
 * maps place at node_modules/@pulumi/<file>.ts, Pulumi's uncaught-error handler util.inspect()s every error
 * (RunErrors too, for its trace span), and Node 20's util.inspect loops on such a frame until the string
 * overflows (nodejs/node#64011; the fix, nodejs/node#64022, is not in Node 20.20). A real-engine test: it
 * lives beside the provider tests only until tests/e2e takes it.
 */
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { credentialEnv } from "../../emulator/credentials";
import { TestStack } from "../harness/engine";

const repoRoot = path.resolve(__dirname, "../..");
let emu: RunningEmulator;
let stack: TestStack;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, presets: ["paid-cloud-only"] });
  stack = await TestStack.create(repoRoot, {
    stackName: "no-tenant-id",
    config: { "sspr:endpoint": emu.url, "sspr:manageAzureAd": "false", "sspr:enablement": "all" },
    env: credentialEnv(emu.tenants["paid-cloud-only"]),
  });
});

afterAll(async () => {
  await stack?.cleanup();
  await emu?.stop();
});

test("preview without sspr:tenantId: the message naming the key, no RangeError after it, nothing sent", async () => {
  await emu.control.clearRequests();
  const r = await stack.pulumi(["preview"]);
  const out = `${r.stdout}\n${r.stderr}`;
  expect(r.code).not.toBe(0);
  expect(out).toMatch(/sspr:tenantId/);
  expect(out).toMatch(/pulumi config set sspr:tenantId/);
  expect(out).not.toMatch(/RangeError|Invalid string length|unhandled exception/);
  expect(await emu.control.requests()).toHaveLength(0);
});
