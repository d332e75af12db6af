/**
 * `npm run emulator`: the package.json script's command, spawned as a process, prints one JSON line with
 * the URL, CA file and credentials, serves, and stops on SIGTERM.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { TenantCredentials } from "../../emulator";
import { appToken, call, tempDir } from "./helpers";

const root = path.resolve(__dirname, "../..");

/** The "emulator" script of package.json, run without npm or a shell (so the pid is the emulator's). */
function spawnEmulator(args: string[]): ChildProcess {
  const script = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.emulator;
  const [command, ...scriptArgs] = script.split(/\s+/);
  expect(command).toBe("node");
  return spawn(process.execPath, [...scriptArgs, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.on("exit", (code) => reject(new Error(`emulator exited (${code}) before printing: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", (code) => resolve(code))));
}

test("prints one JSON line, serves the presets asked for, and stops on SIGTERM", async () => {
  const stateFile = path.join(tempDir("emu-cli-"), "state.json");
  const child = spawnEmulator(["--port", "0", "--preset", "trial", "--preset", "china", "--state", stateFile]);
  try {
    const line = JSON.parse(await firstLine(child)) as { url: string; caCertFile: string; tenants: Record<string, TenantCredentials> };
    expect(line.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(line.caCertFile)).toBe(true);
    expect(Object.keys(line.tenants).sort()).toEqual(["china", "trial"]);
    const emu = { url: line.url, caCertFile: line.caCertFile };
    const token = await appToken(emu, line.tenants.trial);
    const subs = await call(emu, "GET", "/v1.0/directory/subscriptions", { token });
    expect(subs.body.value.every((s: { isTrial: boolean }) => s.isTrial)).toBe(true);
    expect(line.tenants.china.cloud).toBe("china");
    expect(fs.existsSync(stateFile)).toBe(true);
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited(child)).toBe(0);
});

test("bad arguments exit with code 2 and the usage", async () => {
  const child = spawnEmulator(["--preset", "germany"]);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  expect(await exited(child)).toBe(2);
  expect(err).toMatch(/unknown preset 'germany'.*usage:/s);
});
