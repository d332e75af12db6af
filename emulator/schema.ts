/**
 * A validator for Microsoft Graph v1.0 JSON bodies against Microsoft's own schema (the v1.0 CSDL extracted to
 * JSON in `graph-v1.0-schema.json`, copied from the shared reference so a fresh clone has it).
 *
 * It checks what a client can rely on: every property name exists on the type or one of its base types
 * (navigation properties included), values have the declared Edm/enum/complex type, non-nullable properties
 * are not null, and `@odata.type` names a type derived from the declared one. Instance annotations
 * (`@odata.context`, `includeTargets@odata.context`, ...) are skipped.
 *
 * The emulator uses it twice: tests validate every body it serves, and write handlers use it to refuse
 * unknown properties and wrong types with 400 the way Graph does. The product may use it on real responses.
 */
import schemaDocument from "./graph-v1.0-schema.json";

interface PropertyDef {
  type: string;
  nullable?: boolean;
}
interface StructuredTypeDef {
  abstract?: boolean;
  baseType: string | null;
  properties: Record<string, PropertyDef>;
  navigationProperties: Record<string, string>;
}
interface SchemaDocument {
  entityTypes: Record<string, StructuredTypeDef>;
  complexTypes: Record<string, StructuredTypeDef>;
  enumTypes: Record<string, string[]>;
}

export interface SchemaIssue {
  /** JSON path of the offending value, e.g. `authenticationMethodConfigurations[2].includeTargets[0].targetType`. */
  path: string;
  kind: "unknownProperty" | "navigationNotWritable" | "type" | "null" | "enum" | "unknownType" | "abstract";
  message: string;
}

export interface ValidateOptions {
  /**
   * Write mode (request bodies): navigation properties are refused unless named here (Graph accepts e.g.
   * `includeTargets` in a method-configuration PATCH). Responses may carry any expanded navigation property.
   */
  writableNavigation?: string[];
}

/**
 * Types the extract lacks because it only followed structural properties: the `includeTargets` navigation
 * targets of the method configurations. Definitions from the v1.0 CSDL as published in Microsoft's Graph
 * SDKs (msgraph-sdk-typescript models); nullability there is not visible, so they are left nullable.
 * `passkeyAuthenticationMethodTarget` is assumed to add nothing to its base.
 */
const SUPPLEMENT: SchemaDocument = {
  entityTypes: {
    authenticationMethodTarget: {
      baseType: "entity",
      properties: {
        isRegistrationRequired: { type: "Edm.Boolean", nullable: true },
        targetType: { type: "graph.authenticationMethodTargetType", nullable: true },
      },
      navigationProperties: {},
    },
    smsAuthenticationMethodTarget: {
      baseType: "authenticationMethodTarget",
      properties: { isUsableForSignIn: { type: "Edm.Boolean", nullable: true } },
      navigationProperties: {},
    },
    microsoftAuthenticatorAuthenticationMethodTarget: {
      baseType: "authenticationMethodTarget",
      properties: { authenticationMode: { type: "graph.microsoftAuthenticatorAuthenticationMode", nullable: true } },
      navigationProperties: {},
    },
    passkeyAuthenticationMethodTarget: { baseType: "authenticationMethodTarget", properties: {}, navigationProperties: {} },
  },
  complexTypes: {},
  enumTypes: { microsoftAuthenticatorAuthenticationMode: ["deviceBasedPush", "push", "any"] },
};

/** Enums declared IsFlags="true" in the CSDL: their values may be comma-separated member lists. */
const FLAG_ENUMS = new Set(["conditionalAccessGuestOrExternalUserTypes", "conditionalAccessTransferMethods"]);

const PRIMITIVE_CHECKS: Record<string, (v: unknown) => boolean> = {
  "Edm.String": (v) => typeof v === "string",
  "Edm.Boolean": (v) => typeof v === "boolean",
  "Edm.Int16": (v) => isInteger(v, 2 ** 15),
  "Edm.Int32": (v) => isInteger(v, 2 ** 31),
  "Edm.Int64": (v) => typeof v === "number" && Number.isSafeInteger(v),
  "Edm.Byte": (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 255,
  "Edm.SByte": (v) => isInteger(v, 2 ** 7),
  "Edm.Double": (v) => typeof v === "number" || v === "NaN" || v === "INF" || v === "-INF",
  "Edm.Single": (v) => typeof v === "number" || v === "NaN" || v === "INF" || v === "-INF",
  "Edm.Decimal": (v) => typeof v === "number",
  "Edm.Guid": (v) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  "Edm.DateTimeOffset": (v) =>
    typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$/.test(v),
  "Edm.Date": (v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v),
  "Edm.TimeOfDay": (v) => typeof v === "string" && /^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$/.test(v),
  "Edm.Duration": (v) =>
    typeof v === "string" && /^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(v),
  "Edm.Binary": (v) => typeof v === "string" && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v),
  "Edm.Stream": () => true,
};

function isInteger(v: unknown, bound: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= -bound && v < bound;
}

/** "#microsoft.graph.x", "microsoft.graph.x", "graph.x" and "x" all name the type "x". */
export function shortTypeName(name: string): string {
  return name.replace(/^#/, "").replace(/^microsoft\.graph\./, "").replace(/^graph\./, "");
}

interface MergedProperties {
  properties: Readonly<Record<string, PropertyDef>>;
  navigationProperties: Readonly<Record<string, string>>;
}

export class GraphSchema {
  private readonly structured = new Map<string, StructuredTypeDef & { kind: "entity" | "complex" }>();
  private readonly enums = new Map<string, string[]>();
  private readonly mergedByType = new Map<string, MergedProperties>();

  constructor(...documents: SchemaDocument[]) {
    for (const doc of documents) {
      for (const [n, t] of Object.entries(doc.entityTypes)) this.structured.set(n, { ...t, kind: "entity" });
      for (const [n, t] of Object.entries(doc.complexTypes)) this.structured.set(n, { ...t, kind: "complex" });
      for (const [n, members] of Object.entries(doc.enumTypes)) this.enums.set(n, members);
    }
  }

  /** True when `type` is `base` or derives from it. */
  isDerivedFrom(type: string, base: string): boolean {
    let t: string | null = shortTypeName(type);
    const b = shortTypeName(base);
    while (t) {
      if (t === b) return true;
      t = this.structured.get(t)?.baseType ?? null;
    }
    return false;
  }

  /** Structural properties of a type and its base types (navigation properties excluded). */
  properties(typeName: string): Readonly<Record<string, PropertyDef>> {
    return this.merged(typeName).properties;
  }

  navigationProperties(typeName: string): Readonly<Record<string, string>> {
    return this.merged(typeName).navigationProperties;
  }

  /** Validates one value of `typeName` (an entity, complex, enum or Edm type, or Collection(...)). */
  validate(typeName: string, value: unknown, options: ValidateOptions = {}, path = "$"): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.check(typeName.startsWith("Collection(") || typeName.startsWith("Edm.") ? typeName : `graph.${shortTypeName(typeName)}`, value, true, path, issues, options, true);
    return issues;
  }

  /** Properties of a type merged down its base-type chain: computed once per type (the schema never changes). */
  private merged(typeName: string): MergedProperties {
    const name = shortTypeName(typeName);
    let m = this.mergedByType.get(name);
    if (!m) {
      const chain = this.chain(name).reverse();
      m = {
        // Frozen: callers share these objects.
        properties: Object.freeze(Object.assign({}, ...chain.map((t) => t.properties)) as Record<string, PropertyDef>),
        navigationProperties: Object.freeze(Object.assign({}, ...chain.map((t) => t.navigationProperties)) as Record<string, string>),
      };
      this.mergedByType.set(name, m);
    }
    return m;
  }

  private chain(name: string): StructuredTypeDef[] {
    const out: StructuredTypeDef[] = [];
    let t: string | null = name;
    while (t) {
      const def = this.structured.get(t);
      if (!def) break;
      out.push(def);
      t = def.baseType;
    }
    return out;
  }

  private check(
    type: string,
    value: unknown,
    nullable: boolean,
    path: string,
    issues: SchemaIssue[],
    options: ValidateOptions,
    topLevel = false,
  ): void {
    if (value === null) {
      if (!nullable) issues.push({ path, kind: "null", message: `${path}: null is not allowed (${type} is not nullable)` });
      return;
    }
    const collection = /^Collection\((.+)\)$/.exec(type);
    if (collection) {
      if (!Array.isArray(value)) {
        issues.push({ path, kind: "type", message: `${path}: expected an array of ${collection[1]}, got ${describe(value)}` });
        return;
      }
      // In CSDL, Nullable on a collection property speaks about its items.
      value.forEach((item, i) => this.check(collection[1], item, nullable, `${path}[${i}]`, issues, options));
      return;
    }
    if (type.startsWith("Edm.")) {
      const ok = PRIMITIVE_CHECKS[type];
      if (!ok) issues.push({ path, kind: "unknownType", message: `${path}: primitive type ${type} is not known to the validator` });
      else if (!ok(value)) issues.push({ path, kind: "type", message: `${path}: expected ${type}, got ${describe(value)}` });
      return;
    }
    const name = shortTypeName(type);
    const members = this.enums.get(name);
    if (members) {
      const parts = typeof value === "string" ? (FLAG_ENUMS.has(name) ? value.split(",") : [value]) : [];
      if (typeof value !== "string" || parts.some((p) => !members.includes(p.trim()))) {
        issues.push({ path, kind: "enum", message: `${path}: ${JSON.stringify(value)} is not a member of ${name} (${members.join(", ")})` });
      }
      return;
    }
    if (!this.structured.has(name)) {
      issues.push({ path, kind: "unknownType", message: `${path}: type ${name} is not in the schema` });
      return;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      issues.push({ path, kind: "type", message: `${path}: expected an object of type ${name}, got ${describe(value)}` });
      return;
    }
    this.checkObject(name, value as Record<string, unknown>, path, issues, options, topLevel);
  }

  private checkObject(
    declared: string,
    value: Record<string, unknown>,
    path: string,
    issues: SchemaIssue[],
    options: ValidateOptions,
    topLevel: boolean,
  ): void {
    let actual = declared;
    const odataType = value["@odata.type"];
    if (odataType !== undefined) {
      const named = typeof odataType === "string" ? shortTypeName(odataType) : "";
      if (!this.structured.has(named)) {
        issues.push({ path, kind: "unknownType", message: `${path}: @odata.type ${JSON.stringify(odataType)} is not a type in the schema` });
        return;
      }
      if (!this.isDerivedFrom(named, declared)) {
        issues.push({ path, kind: "type", message: `${path}: @odata.type ${named} does not derive from ${declared}` });
        return;
      }
      actual = named;
    }
    if (this.structured.get(actual)?.abstract) {
      issues.push({ path, kind: "abstract", message: `${path}: ${actual} is abstract; a value needs @odata.type naming a concrete type` });
    }
    const props = this.properties(actual);
    const navs = this.navigationProperties(actual);
    const writeMode = options.writableNavigation !== undefined;
    for (const [key, v] of Object.entries(value)) {
      if (key.includes("@")) continue; // instance annotations
      const p = `${path}.${key}`;
      if (props[key]) {
        this.check(props[key].type, v, props[key].nullable !== false, p, issues, options);
      } else if (navs[key]) {
        if (writeMode && !(topLevel && options.writableNavigation!.includes(key))) {
          issues.push({ path: p, kind: "navigationNotWritable", message: `${p}: navigation property '${key}' of ${actual} cannot be written here` });
        } else {
          this.check(navs[key], v, true, p, issues, options);
        }
      } else if (OPEN_TYPES.has(actual)) {
        // Dynamic properties of an open type: primitives or arrays of primitives (what Graph stores for them).
        const primitive = (x: unknown) => x === null || ["string", "number", "boolean"].includes(typeof x);
        if (!(primitive(v) || (Array.isArray(v) && v.every(primitive)))) {
          issues.push({ path: p, kind: "type", message: `${p}: a dynamic property of ${actual} must be a primitive or an array of primitives` });
        }
      } else {
        issues.push({
          path: p,
          kind: "unknownProperty",
          message: `The property '${key}' does not exist on type 'microsoft.graph.${actual}'. Make sure to only use property names that are defined by the type.`,
        });
      }
    }
  }
}

/**
 * Types the CSDL marks OpenType="true" (the extracted JSON does not carry the flag): they take properties the
 * schema does not name. openTypeExtension is the one the emulator serves.
 */
const OPEN_TYPES = new Set(["openTypeExtension"]);

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** Microsoft Graph v1.0 as extracted, plus the few types the extract misses (see SUPPLEMENT). */
export const graphSchema = new GraphSchema(schemaDocument as unknown as SchemaDocument, SUPPLEMENT);

/**
 * Validates a whole Graph response body: an entity (`{"@odata.context", ...properties}`) or a collection
 * (`{"@odata.context", "value": [...]}`), which must carry `@odata.context` like Graph's do.
 */
export function validateGraphResponse(
  body: unknown,
  expected: { type: string; collection?: boolean },
  schema: GraphSchema = graphSchema,
): SchemaIssue[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return [{ path: "$", kind: "type", message: "$: a Graph response body is a JSON object" }];
  }
  const b = body as Record<string, unknown>;
  const issues: SchemaIssue[] = [];
  if (typeof b["@odata.context"] !== "string") {
    issues.push({ path: "$['@odata.context']", kind: "type", message: "$: @odata.context is missing" });
  }
  if (!expected.collection) return issues.concat(schema.validate(expected.type, body));
  for (const key of Object.keys(b)) {
    if (key !== "value" && !key.startsWith("@")) {
      issues.push({ path: `$.${key}`, kind: "unknownProperty", message: `$.${key}: a collection response has only 'value' and annotations` });
    }
  }
  return issues.concat(schema.validate(`Collection(graph.${shortTypeName(expected.type)})`, b.value, {}, "$.value"));
}
