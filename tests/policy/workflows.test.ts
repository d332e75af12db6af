/**
 * The GitHub Actions workflows users copy (.github/workflows/*.yml): actionlint finds nothing, and each workflow
 * does what the README promises. actionlint is built once from its Go module (tools/actionlint) into the
 * per-user cache; it runs shellcheck on the `run:` scripts too when shellcheck is on PATH.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensureActionlint } from "../../tools/actionlint/actionlint";

const root = path.resolve(__dirname, "../..");
const workflowDir = path.join(root, ".github", "workflows");
const workflows = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (name: string) => fs.readFileSync(path.join(workflowDir, name), "utf8");

interface Finding { message: string; filepath: string; line: number; column: number; kind: string }

function lint(binary: string, args: string[], input?: string): Finding[] {
  const r = spawnSync(binary, ["-no-color", "-format", "{{json .}}", ...args], { cwd: root, encoding: "utf8", input, timeout: 120000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`actionlint exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim() || "[]") as Finding[];
}

describe("GitHub Actions workflows", () => {
  let actionlint: string;
  beforeAll(() => {
    actionlint = ensureActionlint().path;
  });

  it("are the three the README describes, plus the fork-comment companion", () => {
    expect(workflows).toEqual(["deploy.yml", "drift.yml", "preview-comment.yml", "preview.yml"]);
  });

  it("pass actionlint with no findings", () => {
    const findings = lint(actionlint, workflows.map((w) => path.join(".github", "workflows", w)));
    expect(findings.map((f) => `${f.filepath}:${f.line}:${f.column} [${f.kind}] ${f.message}`)).toEqual([]);
  });

  it("actionlint really lints (a broken workflow gets findings)", () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n";
    const findings = lint(actionlint, ["-stdin-filename", "broken.yml", "-"], broken);
    expect(findings.map((f) => f.kind)).toEqual(expect.arrayContaining(["action", "expression"]));
  });

  it("preview.yml previews every pull request with the policy pack and posts the result", () => {
    const y = read("preview.yml");
    expect(y).toMatch(/^on:\n\s+pull_request:/m);
    expect(y).toContain("pulumi preview --stack \"$STACK\" --policy-pack policy");
    expect(y).toContain("pull-requests: write");
    expect(y).toMatch(/gh pr comment "\$PR"/);
    // forks: no credentials, declared tenant facts, local throw-away state
    expect(y).toContain("sspr:tenantFacts");
    expect(y).toMatch(/pulumi login "file:\/\//);
    expect(read("preview-comment.yml")).toMatch(/workflow_run:\n\s+workflows: \[preview\]/);
  });

  it("deploy.yml runs pulumi up on main with OIDC and no stored secret but the portal refresh token", () => {
    const y = read("deploy.yml");
    expect(y).toMatch(/push:\n\s+branches: \[main\]/);
    expect(y).toContain("id-token: write");
    expect(y).toContain("pulumi up --yes --stack \"$STACK\" --policy-pack policy");
    expect(y).toContain("AZURE_FEDERATED_TOKEN_FILE");
    expect(y).toMatch(/uses: azure\/login@v2\n\s+with:\n\s+client-id: \$\{\{ vars\.AZURE_CLIENT_ID \}\}\n\s+tenant-id:/);
    const secrets = [...new Set(workflows.flatMap((w) => [...read(w).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1])))];
    expect(secrets).toEqual(["SSPR_PORTAL_REFRESH_TOKEN"]);
    for (const w of workflows) expect([w, /client-secret|AZURE_CLIENT_SECRET|PULUMI_ACCESS_TOKEN:/.test(read(w))]).toEqual([w, false]);
  });

  it("drift.yml runs npm run drift on a schedule and reports drift in an issue", () => {
    const y = read("drift.yml");
    expect(y).toMatch(/schedule:\n\s+- cron: "[^"]+"/);
    expect(y).toContain("npm run drift -- --stack \"$STACK\"");
    expect(y).toContain("gh issue create");
    expect(y).toContain("issues: write");
  });

  it("install the Pulumi CLI at the @pulumi/pulumi version of package-lock.json", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    const sdk: string = lock.packages["node_modules/@pulumi/pulumi"].version;
    for (const w of ["preview.yml", "deploy.yml", "drift.yml"]) expect([w, read(w).match(/PULUMI_VERSION: (\S+)/)?.[1]]).toEqual([w, sdk]);
  });
});
