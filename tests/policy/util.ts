/**
 * Runs CrossGuard policies without the Pulumi CLI, in the style of pulumi/pulumi-policy-aws `src/tests/util.ts`:
 * the test builds the validation args, calls the policy, and asserts on the violations it reported.
 *
 * Differences from that helper:
 * - Types are strings (our tenant settings are dynamic resources: no class with `__pulumiType`).
 * - Props go through @pulumi/policy's own unknown-checking proxy, exactly as the analyzer server hands them to
 *   policies, so a policy that trips over the proxy (array methods, unknown values) fails here and not in CI.
 *   Use `UNKNOWN` for a value not known during preview.
 * - Args also carry `notApplicable` (throws; counted as "no violation") and `stackTags`, which newer
 *   @pulumi/policy versions add; the pinned 1.15.0 has neither, so policies must not rely on them.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "../../policy/node_modules/@pulumi/policy";

/** @pulumi/policy 1.15.0's internal proxy module (not in its typings): the same code the analyzer server runs. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxyModule = require("../../policy/node_modules/@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  unknownStringValue: string;
};

/** A value the engine doesn't know yet during `pulumi preview` (an id of a resource still to be created). */
export const UNKNOWN: any = proxyModule.unknownStringValue;

export class NotApplicableError extends Error {
  constructor(reason?: string) {
    super(reason ?? "not applicable");
    this.name = "NotApplicableError";
  }
}

export type PolicyConfig = Record<string, unknown>;

export interface TestResourceValidationArgs extends ResourceValidationArgs {
  /** As in @pulumi/policy >= 1.18: marks the policy not applicable to this resource. Throws. */
  notApplicable(reason?: string): never;
  /** As in @pulumi/policy >= 1.19. */
  stackTags: ReadonlyMap<string, string>;
}

export interface TestStackValidationArgs extends StackValidationArgs {
  notApplicable(reason?: string): never;
  stackTags: ReadonlyMap<string, string>;
}

/** A resource of the stack under test: its type token, its props, and optionally its logical name. */
export interface TestResource {
  type: string;
  props: Record<string, any>;
  name?: string;
}

const STACK = "dev";
const PROJECT = "sspr-as-code";

/** The URN the test args give a resource of `type` named `name`. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function defaultOptions(): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
}

/** Like the analyzer's getConfig: the policy's config without `enforcementLevel`, {} when none. */
function getConfigOf(config?: PolicyConfig) {
  return <T extends object>(): T => {
    const { enforcementLevel: _ignored, ...rest } = config ?? {};
    return rest as T;
  };
}

function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function isTypeOf(type: string) {
  return (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === type;
}

/** Validation args for one resource of `type` with `props` (the resource's inputs) and the policy's `config`. */
export function createResourceValidationArgs(
  type: string,
  props: object,
  config?: PolicyConfig,
  name = "test",
): TestResourceValidationArgs {
  const proxied = proxyModule.unknownCheckingProxy(props);
  const isType = isTypeOf(type);
  return {
    type,
    props: proxied,
    urn: urnOf(type, name),
    name,
    opts: defaultOptions(),
    isType: isType as ResourceValidationArgs["isType"],
    asType: ((cls: unknown) => (isType(cls) ? proxied : undefined)) as ResourceValidationArgs["asType"],
    getConfig: getConfigOf(config),
    notApplicable,
    stackTags: new Map<string, string>(),
  };
}

/** Validation args for a stack made of `resources` (their props are the outputs the engine would pass). */
export function createStackValidationArgs(resources: TestResource[], config?: PolicyConfig): TestStackValidationArgs {
  const policyResources: PolicyResource[] = resources.map((r, i) => {
    const name = r.name ?? `r${i}`;
    const proxied = proxyModule.unknownCheckingProxy(r.props);
    const isType = isTypeOf(r.type);
    return {
      type: r.type,
      props: proxied,
      urn: urnOf(r.type, name),
      name,
      opts: defaultOptions(),
      dependencies: [],
      propertyDependencies: {},
      isType: isType as PolicyResource["isType"],
      asType: ((cls: unknown) => (isType(cls) ? proxied : undefined)) as PolicyResource["asType"],
    };
  });
  return { resources: policyResources, getConfig: getConfigOf(config), notApplicable, stackTags: new Map<string, string>() };
}

export interface Violation {
  message: string;
  urn?: string;
}

/** Runs every validation of a resource policy; a NotApplicableError counts as "no violation". */
export async function runResourcePolicy(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<Violation[]> {
  const violations: Violation[] = [];
  const report = (message: string, urn?: string) => violations.push({ message, urn: urn ?? args.urn });
  const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  for (const validate of validations) {
    try {
      await validate(args, report);
    } catch (e) {
      if (!(e instanceof NotApplicableError)) throw e;
    }
  }
  return violations;
}

async function runStackPolicy(policy: StackValidationPolicy, args: StackValidationArgs): Promise<Violation[]> {
  const violations: Violation[] = [];
  try {
    await policy.validateStack(args, (message, urn) => violations.push({ message, urn }));
  } catch (e) {
    if (!(e instanceof NotApplicableError)) throw e;
  }
  return violations;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
type AnyArgs = ResourceValidationArgs | StackValidationArgs;

function isStackPolicy(p: AnyPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** A violation of a whole-pack run: which policy reported it, at which level. */
export interface PackViolation extends Violation {
  policy: string;
  enforcementLevel: string;
}

/** Per-policy config as in a `--policy-pack-config` file: a level, or an object with `enforcementLevel` and config keys. */
export type PackConfig = Record<string, string | PolicyConfig>;

/**
 * Runs every policy over a stack the way the analyzer does in a preview: each resource policy on each resource (its props
 * as inputs), each stack policy once on the whole stack, at the level the config gives (skipping "disabled"). What the
 * preview would print, so tests can ask what it says as a whole (one coherent story, each fact once).
 */
export async function runPack(policies: AnyPolicy[], resources: TestResource[], config: PackConfig = {}): Promise<PackViolation[]> {
  const out: PackViolation[] = [];
  for (const policy of policies) {
    const given = config[policy.name];
    const own: PolicyConfig = typeof given === "string" ? { enforcementLevel: given } : given ?? {};
    const level = String(own.enforcementLevel ?? policy.enforcementLevel ?? "advisory");
    if (level === "disabled") continue;
    const found = isStackPolicy(policy)
      ? await runStackPolicy(policy, createStackValidationArgs(resources, own))
      : (await Promise.all(resources.map((r, i) =>
        runResourcePolicy(policy, createResourceValidationArgs(r.type, r.props, own, r.name ?? `r${i}`))))).flat();
    for (const v of found) out.push({ ...v, policy: policy.name, enforcementLevel: level });
  }
  return out;
}

export function runPolicy(policy: AnyPolicy, args: AnyArgs): Promise<Violation[]> {
  return isStackPolicy(policy)
    ? runStackPolicy(policy, args as StackValidationArgs)
    : runResourcePolicy(policy, args as ResourceValidationArgs);
}

export async function assertNoViolations(policy: AnyPolicy, args: AnyArgs): Promise<void> {
  const violations = await runPolicy(policy, args);
  expect(violations.map((v) => v.message)).toEqual([]);
}

/**
 * Asserts the policy reported a violation whose message contains every `message` substring (or matches the
 * regexps), and, when given, was reported against `urn`. Returns the matching violation.
 */
export async function assertHasViolation(
  policy: AnyPolicy,
  args: AnyArgs,
  expected: { message: string | RegExp | (string | RegExp)[]; urn?: string; count?: number },
): Promise<Violation> {
  const violations = await runPolicy(policy, args);
  const patterns = Array.isArray(expected.message) ? expected.message : [expected.message];
  const matches = (m: string) => patterns.every((p) => (typeof p === "string" ? m.includes(p) : p.test(m)));
  const found = violations.filter((v) => matches(v.message) && (expected.urn === undefined || v.urn === expected.urn));
  if (found.length === 0) {
    throw new Error(`${policy.name}: no violation matching ${patterns.map(String).join(" & ")}${expected.urn ? ` at ${expected.urn}` : ""}; got:\n` +
      (violations.length ? violations.map((v) => `  - ${v.message}${v.urn ? ` (${v.urn})` : ""}`).join("\n") : "  (no violations)"));
  }
  if (expected.count !== undefined) expect(violations).toHaveLength(expected.count);
  return found[0];
}

/**
 * Runs a policy's remediation as the analyzer does at level "remediate": returns the new props (plain data, the
 * proxy removed) or undefined when the policy leaves the resource alone.
 */
export async function runRemediation(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<Record<string, any> | undefined> {
  if (!policy.remediateResource) throw new Error(`${policy.name} has no remediation`);
  const result = await policy.remediateResource(args);
  return result ? JSON.parse(JSON.stringify(result)) : undefined;
}
