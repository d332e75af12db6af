/**
 * The pack as a whole: names, default levels (as issue 6 asks), config schemas the CLI accepts, the README
 * table in docs/policy-pack.md, and the module boundaries that let the CLI load the pack.
 */
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy } from "../../policy/node_modules/@pulumi/policy";
import { allPolicies } from "../../policy/policies";
import { FACTS, onPremises, resetPolicy, resetPolicyResource, ROLE, roleAssignment, TYPE, USER_A } from "./fixtures";
import type { PackConfig, TestResource } from "./util";
import { createResourceValidationArgs, createStackValidationArgs, NotApplicableError, runPack, runResourcePolicy } from "./util";

const policyDir = path.resolve(__dirname, "../../policy");

const MANDATORY = [
  "sspr-requires-paid-subscription",
  "sspr-hybrid-requires-premium",
  "sspr-eligible-assignment-requires-p2",
  "sspr-selected-needs-one-group",
  "sspr-methods-achievable",
  "sspr-helpdesk-link-valid",
  "sspr-settings-in-range",
];
const REMEDIABLE = ["sspr-registration-on-sign-in", "sspr-reconfirm-interval", "sspr-notifications-on"];

describe("sspr-guardrails pack", () => {
  it("has 19 policies with unique kebab-case names prefixed sspr-", () => {
    const names = allPolicies.map((p) => p.name);
    expect(names).toHaveLength(19);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^sspr-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("makes exactly the issue's Microsoft-won't-honour policies mandatory; the rest advisory", () => {
    for (const p of allPolicies) {
      expect([p.name, p.enforcementLevel]).toEqual([p.name, MANDATORY.includes(p.name) ? "mandatory" : "advisory"]);
    }
    expect(allPolicies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name).sort()).toEqual([...MANDATORY].sort());
  });

  it("offers remediation exactly where the fix is mechanical", () => {
    const remediable = allPolicies.filter((p) => "remediateResource" in p && typeof p.remediateResource === "function").map((p) => p.name);
    expect(remediable.sort()).toEqual([...REMEDIABLE].sort());
  });

  it("describes every policy in full sentences", () => {
    for (const p of allPolicies) expect(p.description).toMatch(/^[A-Z].{30,}\.$/);
  });

  it("has config schemas the CLI accepts: no enforcementLevel key, a default and a description per key", () => {
    for (const p of allPolicies) {
      if (!p.configSchema) continue;
      expect(Object.keys(p.configSchema.properties)).not.toContain("enforcementLevel");
      for (const [key, schema] of Object.entries(p.configSchema.properties)) {
        expect([p.name, key, typeof schema === "object" && schema.default !== undefined && typeof schema.description === "string"]).toEqual([p.name, key, true]);
      }
    }
  });

  it("declares a configSchema with additionalProperties: false on every policy (unknown keys are not ignored)", () => {
    for (const p of allPolicies) {
      const schema = p.configSchema as ({ additionalProperties?: unknown } & typeof p.configSchema) | undefined;
      expect([p.name, schema !== undefined && typeof schema.properties === "object", schema?.additionalProperties]).toEqual([p.name, true, false]);
    }
  });

  it("rejects an unknown config key at run time, for every policy, naming the policy, the key and the keys it takes", async () => {
    // The CLI drops additionalProperties (@pulumi/policy 1.15.0 sends only properties and required), so the pack enforces it.
    for (const p of allPolicies) {
      const run = runPack([p], STACK, { [p.name]: { enforcementLevel: p.enforcementLevel!, globalAdminMaxx: 8 } });
      await expect(run).rejects.toThrow(`Policy ${p.name}: unknown config key "globalAdminMaxx" in the policy pack config`);
      const known = Object.keys(p.configSchema!.properties);
      await expect(runPack([p], STACK, { [p.name]: { globalAdminMaxx: 8 } })).rejects.toThrow(
        known.length > 0 ? `it takes ${known.map((k) => `"${k}"`).join(", ")} and enforcementLevel` : "it takes only enforcementLevel");
    }
  });

  it("rejects an unknown key before any type filter: on a resource the policy doesn't judge, and in remediations", async () => {
    const [policy] = allPolicies.filter((p) => p.name === "sspr-notifications-on") as ResourceValidationPolicy[];
    const other = createResourceValidationArgs(TYPE.OnPremisesPasswordReset, onPremises(), { notifyUsers: true });
    await expect(runResourcePolicy(policy, other)).rejects.toThrow('unknown config key "notifyUsers"');
    await expect(Promise.resolve().then(() => policy.remediateResource!(other))).rejects.toThrow('unknown config key "notifyUsers"');
  });

  it("accepts every key a policy's schema lists, and enforcementLevel", async () => {
    const config: PackConfig = {};
    for (const p of allPolicies) {
      const own: Record<string, unknown> = { enforcementLevel: p.enforcementLevel! };
      for (const [key, schema] of Object.entries(p.configSchema!.properties)) own[key] = (schema as { default: unknown }).default;
      config[p.name] = own;
    }
    await expect(runPack(allPolicies, STACK, config)).resolves.toEqual(expect.any(Array));
  });

  it("is documented in docs/policy-pack.md with its default level and config keys", () => {
    const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/policy-pack.md"), "utf8");
    const rows = new Map<string, string>();
    for (const line of doc.split("\n")) {
      const m = line.match(/^\| `(sspr-[a-z0-9-]+)` \|(.*)$/);
      if (m) rows.set(m[1], m[2]);
    }
    expect([...rows.keys()].sort()).toEqual(allPolicies.map((p) => p.name).sort());
    for (const p of allPolicies) {
      const row = rows.get(p.name)!;
      expect([p.name, row.split("|")[0].trim().startsWith(p.enforcementLevel!)]).toEqual([p.name, true]);
      for (const key of Object.keys(p.configSchema?.properties ?? {})) expect([p.name, row.includes(`\`${key}\``)]).toEqual([p.name, true]);
    }
  });

  it("index.ts only constructs the pack from allPolicies (tests never import it: it starts the analyzer server)", () => {
    const index = fs.readFileSync(path.join(policyDir, "index.ts"), "utf8");
    expect(index).toMatch(/new PolicyPack\("sspr-guardrails", \{[^}]*policies: allPolicies/);
    expect(index.match(/^import .*$/gm)).toEqual([
      'import { PolicyPack } from "@pulumi/policy";',
      'import { allPolicies } from "./policies";',
    ]);
  });

  it("policy modules import only @pulumi/policy types, components/model and each other", () => {
    for (const file of fs.readdirSync(policyDir).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
      const text = fs.readFileSync(path.join(policyDir, file), "utf8");
      const imports = [...text.matchAll(/^import (type )?[^;]*? from "([^"]+)";$/gms)].map((m) => ({ type: !!m[1], from: m[2] }));
      for (const i of imports) {
        const ok = (i.from === "@pulumi/policy" && i.type) || i.from === "../components/model" || /^\.\/[a-zA-Z]+$/.test(i.from);
        expect([file, i.from, ok]).toEqual([file, i.from, true]);
      }
      expect([file, /\brequire\(/.test(text)]).toEqual([file, false]);
    }
  });

  it("type-checks with the TypeScript 3.8.3 the CLI loads it with (vendored in @pulumi/pulumi, options from policy/tsconfig.json)", () => {
    // What `pulumi-analyzer-policy` does: ts-node 7 with typeCheck, the vendored compiler (the pack has no
    // typescript of its own), and {target ES2020, commonjs, ...policy/tsconfig.json compilerOptions}.
    const ts = require(path.join(policyDir, "node_modules/@pulumi/pulumi/vendor/typescript@3.8.3/typescript.js"));
    const tsconfigPath = path.join(policyDir, "tsconfig.json");
    const raw = ts.parseConfigFileTextToJson(tsconfigPath, fs.readFileSync(tsconfigPath, "utf8")).config.compilerOptions;
    const converted = ts.convertCompilerOptionsFromJson({ target: "ES2020", module: "commonjs", moduleResolution: "node", ...raw }, policyDir);
    const text = (d: { messageText: unknown }) => ts.flattenDiagnosticMessageText(d.messageText, "\n") as string;
    expect(converted.errors.map(text)).toEqual([]);
    const program = ts.createProgram([path.join(policyDir, "index.ts")], converted.options);
    const own = program.getSourceFiles().filter((f: { fileName: string }) => !f.fileName.includes("node_modules"));
    expect(own.length).toBeGreaterThan(10);
    const diagnostics: string[] = [];
    for (const f of own) {
      for (const d of [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]) {
        const { line } = f.getLineAndCharacterOfPosition(d.start ?? 0);
        diagnostics.push(`${path.relative(policyDir, f.fileName)}:${line + 1} TS${d.code} ${text(d)}`);
      }
    }
    expect(diagnostics).toEqual([]);
  });
});

/** A stack every policy looks at: each resource type the pack judges, compliant or not. */
const STACK: TestResource[] = [
  resetPolicyResource({ tenantFacts: FACTS.p2 }),
  { type: TYPE.OnPremisesPasswordReset, name: "onprem", props: onPremises() },
  roleAssignment(ROLE.GlobalAdministrator, USER_A),
];

describe("test helper (tests/policy/util.ts)", () => {
  it("builds args like newer @pulumi/policy: notApplicable throws and counts as no violation; stackTags; getConfig without enforcementLevel", async () => {
    const args = createResourceValidationArgs("t", { a: 1 }, { enforcementLevel: "mandatory", k: 2 });
    expect(() => args.notApplicable("other type")).toThrow(NotApplicableError);
    expect(args.stackTags.size).toBe(0);
    expect(args.getConfig()).toEqual({ k: 2 });
    const skipping: ResourceValidationPolicy = { name: "x", description: "X.", validateResource: (a) => (a as typeof args).notApplicable() };
    await expect(runResourcePolicy(skipping, args)).resolves.toEqual([]);
    const stack = createStackValidationArgs([{ type: "t", props: {}, name: "one" }]);
    expect(stack.resources[0].urn).toBe("urn:pulumi:dev::sspr-as-code::t::one");
    expect(() => stack.notApplicable()).toThrow(NotApplicableError);
  });

  it("runPack runs resource policies per resource and stack policies once, at the configured level, skipping disabled ones", async () => {
    const resources: TestResource[] = [{ type: TYPE.PasswordResetPolicy, name: "sspr", props: resetPolicy({ notifyUsersOnReset: false }) }];
    const all = await runPack(allPolicies, resources);
    expect(all.map((v) => [v.policy, v.enforcementLevel, v.urn])).toEqual([["sspr-notifications-on", "advisory", "urn:pulumi:dev::sspr-as-code::" + TYPE.PasswordResetPolicy + "::sspr"]]);
    expect((await runPack(allPolicies, resources, { "sspr-notifications-on": "mandatory" }))[0].enforcementLevel).toBe("mandatory");
    expect(await runPack(allPolicies, resources, { "sspr-notifications-on": "disabled" })).toEqual([]);
  });
});
