/**
 * Real-engine smoke test: the built pulumi CLI, the Node language host and the dynamic-provider plugin
 * run a program offline. preview -> create; up -> creates; preview --expect-no-changes -> clean; destroy.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestStack } from "../harness/engine";

describe("real engine (smoke)", () => {
  let stack: TestStack;
  const marker = path.join(os.tmpdir(), `sspr-smoke-${process.pid}.txt`);

  beforeAll(async () => {
    stack = await TestStack.create(path.join(__dirname, "../fixtures/smoke"), { config: { "engine-smoke:markerPath": marker } });
  });
  afterAll(async () => {
    await stack?.cleanup();
    fs.rmSync(marker, { force: true });
  });

  test("preview shows one dynamic resource to create and changes nothing", async () => {
    const r = await stack.check(["preview", "--json"]);
    const steps = (r.json as { steps: { op: string; newState?: { type: string } }[] }).steps;
    expect(steps.filter((s) => s.op === "create").map((s) => s.newState?.type)).toContain("pulumi-nodejs:dynamic/smoke:Marker");
    expect(fs.existsSync(marker)).toBe(false);
  });

  test("up creates the resource through the dynamic provider", async () => {
    const r = await stack.check(["up", "--yes"]);
    expect(r.stdout).toMatch(/\+ 2 created|2 created/);
    expect(fs.readFileSync(marker, "utf8")).toBe("hello");
  });

  test("a second preview with --expect-no-changes passes", async () => {
    const r = await stack.pulumi(["preview", "--expect-no-changes"]);
    expect(r.code).toBe(0);
  });

  test("a changed input shows as an update and fails --expect-no-changes", async () => {
    await stack.check(["config", "set", "engine-smoke:content", "changed"]);
    const changed = await stack.pulumi(["preview", "--expect-no-changes", "--diff"]);
    expect(changed.code).not.toBe(0);
    expect(changed.stdout).toContain('~ content: "hello" => "changed"');
    await stack.check(["config", "rm", "engine-smoke:content"]);
  });

  test("destroy deletes it", async () => {
    const r = await stack.check(["destroy", "--yes"]);
    expect(r.stdout).toMatch(/deleted/);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
