/** `npm run engine` on a machine with neither a Pulumi CLI nor Go: it says how to get one, and builds nothing. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

test("without pulumi and go on PATH it fails with install instructions", () => {
  const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "sspr-engine-"));
  const repoRoot = path.resolve(__dirname, "../..");
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "scripts/engine.ts")], {
    cwd: repoRoot, encoding: "utf8", env: { ...process.env, PATH: "", SSPR_ENGINE_CACHE: emptyCache },
  });
  fs.rmSync(emptyCache, { recursive: true, force: true });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/No Pulumi CLI >= v3\.188\.0 on PATH and no Go toolchain/);
  expect(r.stderr).toMatch(/https:\/\/www\.pulumi\.com\/docs\/iac\/download-install\//);
  expect(r.stderr).toMatch(/Go >= 1\.24/);
  expect(r.stdout).toBe("");
});
