/**
 * The alert queries, parsed and analysed by Microsoft's own Kusto language service (@kusto/language-service-next,
 * the engine behind the Log Analytics editor) against the AuditLogs schema declared below: no syntax or
 * semantic errors, and every column they read exists in the real table.
 */
import * as fs from "fs";
import * as path from "path";
import {
  OPERATION,
  SECURITY_INFO_CHANGES,
  SERVICE,
  passwordResetActivityQuery,
  privilegedUserSelfServiceResetQuery,
  securityInfoRegistrationSpikeQuery,
  selfServiceResetBurstQuery,
} from "../../components/auditQueries";
import { ALERT_SCHEDULE, ALERT_WINDOW_MINUTES } from "../../components/auditTrail";

/**
 * Columns of the Log Analytics AuditLogs table, as Microsoft documents them
 * (MicrosoftDocs/azure-monitor-docs, articles/azure-monitor/reference/tables/auditlogs.md).
 */
const AUDIT_LOGS_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["AADOperationType", "string"],
  ["AADTenantId", "string"],
  ["ActivityDateTime", "datetime"],
  ["ActivityDisplayName", "string"],
  ["AdditionalDetails", "dynamic"],
  ["_BilledSize", "real"],
  ["Category", "string"],
  ["CorrelationId", "string"],
  ["DurationMs", "long"],
  ["Id", "string"],
  ["Identity", "string"],
  ["InitiatedBy", "dynamic"],
  ["_IsBillable", "string"],
  ["Level", "string"],
  ["Location", "string"],
  ["LoggedByService", "string"],
  ["OperationName", "string"],
  ["OperationVersion", "string"],
  ["Resource", "string"],
  ["ResourceGroup", "string"],
  ["ResourceId", "string"],
  ["ResourceProvider", "string"],
  ["Result", "string"],
  ["ResultDescription", "string"],
  ["ResultReason", "string"],
  ["ResultSignature", "string"],
  ["ResultType", "string"],
  ["SourceSystem", "string"],
  ["TargetResources", "dynamic"],
  ["TimeGenerated", "datetime"],
  ["Type", "string"],
];

/**
 * Activities of the "Self-service password management" and "Authentication Methods" (UserManagement) services
 * (MicrosoftDocs/entra-docs, docs/identity/monitoring-health/reference-audit-activities.md).
 */
const DOCUMENTED_ACTIVITIES = [
  "Blocked from self-service password reset",
  "Change password (self-service)",
  "Reset password (by admin)",
  "Reset password (self-service)",
  "Security info saved for self-service password reset",
  "Self-service password reset flow activity progress",
  "Unlock user account (self-service)",
  "Admin deleted security info",
  "Admin registered security info",
  "Admin started password reset",
  "Admin updated security info",
  "User canceled security info registration",
  "User changed default security info",
  "User deleted security info",
  "User registered all required security info",
  "User registered security info",
  "User reviewed security info",
  "User started password change",
  "user started password reset",
  "User started security info registration",
  "User updated security info",
];

// ---- a small typed view of the Bridge.NET-generated API (it only exposes a global `Kusto` namespace) ----
interface BridgeList<T> { Count: number; getItem(i: number): T }
interface KSymbol { Name: string; Type?: KSymbol }
interface KDiagnostic { Severity: string; Code: string; Message: string; Start: number; Length: number }
interface KElement { ReferencedSymbol?: KSymbol | null; SimpleName?: string; Parent?: KElement | null; Selector?: KElement }
interface KCode { Syntax: { WalkElements(fn: (e: KElement) => void): void }; GetDiagnostics(): BridgeList<KDiagnostic> }
interface KustoLanguage {
  KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KCode };
  GlobalState: { Default: { WithDatabase(db: unknown): unknown } };
  Syntax: { NameReference: new (...a: never[]) => KElement; PathExpression: new (...a: never[]) => KElement };
  Symbols: {
    TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => KSymbol & { Columns: BridgeList<KSymbol> } };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => KSymbol };
    ColumnSymbol: new (...a: never[]) => KSymbol;
  };
}

let K: KustoLanguage;
let globals: unknown;
let auditLogsColumns: Set<KSymbol>;

beforeAll(() => {
  // bridge.js is the Bridge.NET runtime the language service is compiled against; it must load first.
  require("@kusto/language-service-next/bridge.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.js");
  K = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
  const schema = `(${AUDIT_LOGS_COLUMNS.map(([n, t]) => `${n}:${t}`).join(", ")})`;
  const table = new K.Symbols.TableSymbol.$ctor7("AuditLogs", schema, null);
  auditLogsColumns = new Set(Array.from({ length: table.Columns.Count }, (_, i) => table.Columns.getItem(i)));
  globals = K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.ctor("workspace", [table]));
});

interface Analysis {
  errors: string[];
  warnings: string[];
  /** AuditLogs columns the query reads. */
  tableColumns: Set<string>;
  /** Names that resolved to nothing (unknown columns, functions, tables). */
  unresolved: string[];
}

function analyse(query: string): Analysis {
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const diags = code.GetDiagnostics();
  const errors: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    const at = `${d.Code} ${d.Message} at "${query.substr(d.Start, Math.max(d.Length, 1))}"`;
    (d.Severity === "Error" ? errors : warnings).push(at);
  }
  const tableColumns = new Set<string>();
  const unresolved: string[] = [];
  code.Syntax.WalkElements((e) => {
    if (!(e instanceof K.Syntax.NameReference)) return;
    // `InitiatedBy.user.ipAddress`: members of a dynamic value have no schema, so nothing to resolve.
    if (e.Parent instanceof K.Syntax.PathExpression && e.Parent.Selector === e) return;
    const s = e.ReferencedSymbol;
    if (!s || s.Name === undefined) unresolved.push(String(e.SimpleName));
    else if (s instanceof K.Symbols.ColumnSymbol && auditLogsColumns.has(s)) tableColumns.add(s.Name);
  });
  return { errors, warnings, tableColumns, unresolved };
}

const documentedColumns = new Set(AUDIT_LOGS_COLUMNS.map(([n]) => n));
/** Columns the brief's detections rely on. */
const CORE = ["Category", "OperationName", "LoggedByService", "Result", "InitiatedBy", "TargetResources"];

const alertQueries: Array<[string, string, string[]]> = [
  ["self-service reset burst (defaults)", selfServiceResetBurstQuery({ threshold: 10, windowMinutes: 60 }), CORE],
  ["self-service reset burst (custom)", selfServiceResetBurstQuery({ threshold: 3, windowMinutes: 2880 }), CORE],
  [
    "privileged user self-service reset",
    privilegedUserSelfServiceResetQuery({
      privilegedUsers: ["admin@contoso.com", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "ext_user_fabrikam.com#ext#@contoso.onmicrosoft.com"],
      evaluationFrequencyMinutes: ALERT_SCHEDULE.privilegedEvaluationFrequencyMinutes,
    }),
    [...CORE, "CorrelationId", "TimeGenerated"],
  ],
  ["security info registration spike (defaults)", securityInfoRegistrationSpikeQuery({ threshold: 50, windowMinutes: 60 }), CORE],
  ["security info registration spike (custom)", securityInfoRegistrationSpikeQuery({ threshold: 500, windowMinutes: 5 }), CORE],
];

/** The ```kusto blocks of the README fragment, so what users copy also parses. */
function readmeQueries(): Array<[string, string]> {
  const md = fs.readFileSync(path.join(__dirname, "../../docs/audit-trail.md"), "utf8");
  return [...md.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m, i) => [`docs/audit-trail.md block ${i + 1}`, m[1]]);
}

describe("alert queries against the AuditLogs schema", () => {
  test.each(alertQueries)("%s: no syntax or semantic errors, reads only real AuditLogs columns", (_label, query, mustRead) => {
    const a = analyse(query);
    expect(a.errors).toEqual([]);
    expect(a.warnings).toEqual([]);
    expect(a.unresolved).toEqual([]);
    for (const c of a.tableColumns) expect(documentedColumns).toContain(c);
    for (const c of mustRead) expect(a.tableColumns).toContain(c);
  });

  test.each(alertQueries)("%s: only names activities and services Entra documents", (_label, query) => {
    const literals = [...query.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    const activityLike = literals.filter((l) => /\(self-service\)|security info|password reset/i.test(l));
    for (const l of activityLike) expect(DOCUMENTED_ACTIVITIES).toContain(l);
    for (const op of SECURITY_INFO_CHANGES) expect(DOCUMENTED_ACTIVITIES).toContain(op);
    for (const op of Object.values(OPERATION)) expect(DOCUMENTED_ACTIVITIES).toContain(op);
    expect(Object.values(SERVICE)).toEqual(["Self-service Password Management", "Authentication Methods"]);
  });

  test.each(alertQueries)("%s: respects log search alert limits", (_label, query) => {
    // Unsupported in log search alerts: bag_unpack, pivot, narrow, the reserved AggregatedValue, and ago()
    // with anything but a timespan literal. Every query reads AuditLogs and fits the 64 KB property limit.
    expect(query).not.toMatch(/bag_unpack|pivot\(|narrow\(|AggregatedValue/);
    for (const m of query.matchAll(/ago\(([^)]*)\)/g)) expect(m[1]).toMatch(/^\d+[mhd]$/);
    expect(query).toMatch(/^AuditLogs$/m);
    expect(Buffer.byteLength(query)).toBeLessThan(64 * 1024);
  });

  test("thresholds and windows reach the query text", () => {
    expect(selfServiceResetBurstQuery({ threshold: 7, windowMinutes: 45 })).toMatch(/ago\(45m\)[\s\S]*ResetCount >= 7$/);
    expect(securityInfoRegistrationSpikeQuery({ threshold: 120, windowMinutes: 1440 })).toMatch(/ago\(1440m\)[\s\S]*ChangeCount >= 120$/);
    expect(privilegedUserSelfServiceResetQuery({ privilegedUsers: ["Admin@Contoso.com"], evaluationFrequencyMinutes: 5 })).toContain(
      'dynamic(["admin@contoso.com"])',
    );
  });

  test("every alert window Azure accepts yields a parsable query", () => {
    for (const w of ALERT_WINDOW_MINUTES) {
      expect(analyse(selfServiceResetBurstQuery({ threshold: 1, windowMinutes: w })).errors).toEqual([]);
      expect(analyse(securityInfoRegistrationSpikeQuery({ threshold: 1, windowMinutes: w })).errors).toEqual([]);
    }
  });

  test("query builders refuse values that would make a broken query", () => {
    expect(() => selfServiceResetBurstQuery({ threshold: 0, windowMinutes: 60 })).toThrow("threshold is 0");
    expect(() => securityInfoRegistrationSpikeQuery({ threshold: 5, windowMinutes: 1.5 })).toThrow("windowMinutes is 1.5");
    expect(() => privilegedUserSelfServiceResetQuery({ privilegedUsers: [], evaluationFrequencyMinutes: 5 })).toThrow("privilegedUsers is []");
  });
});

describe("investigation queries", () => {
  test("the activity query parses and reads only real columns", () => {
    const a = analyse(passwordResetActivityQuery(30));
    expect(a.errors).toEqual([]);
    expect(a.unresolved).toEqual([]);
    for (const c of a.tableColumns) expect(documentedColumns).toContain(c);
  });

  test("every kusto block in docs/audit-trail.md parses against the schema", () => {
    const blocks = readmeQueries();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [label, q] of blocks) {
      const a = analyse(q);
      expect({ label, errors: a.errors, unresolved: a.unresolved }).toEqual({ label, errors: [], unresolved: [] });
      for (const c of a.tableColumns) expect(documentedColumns).toContain(c);
    }
  });

  test("the README shows the same activity query the module exports", () => {
    expect(readmeQueries().map(([, q]) => q.trim())).toContain(passwordResetActivityQuery(30));
  });
});

describe("the checker itself catches what it is meant to catch", () => {
  test.each([
    // A column that does not exist anywhere (the "ActivityType" of a long-lived public Sigma rule).
    ['AuditLogs | where ActivityType == "Reset password (self-service)"', "KS142"],
    // A SigninLogs column, not an AuditLogs one.
    ["AuditLogs | where UserPrincipalName has \"admin\"", "KS142"],
    // A syntax error.
    ["AuditLogs | where Category == ", ""],
    // A table that is not AuditLogs.
    ["AuditLog | take 1", "KS"],
  ])("rejects %s", (query, code) => {
    const a = analyse(query);
    expect(a.errors.length).toBeGreaterThan(0);
    expect(a.errors.join("\n")).toContain(code);
  });
});
