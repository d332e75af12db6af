/**
 * `npm run emulator -- --port N --preset NAME [--preset NAME2 ...] [--state FILE]`
 *
 * Prints ONE JSON line on stdout ({url, caCertFile, tenants}) once it serves, then runs until SIGINT or
 * SIGTERM. Diagnostics go to stderr so the line can be read by a parent process.
 */
import { PresetName, PRESET_NAMES, startEmulator } from "./index";

const USAGE = `usage: npm run emulator -- [--port N] [--preset NAME ...] [--state FILE]
  --port N       port on 127.0.0.1 (default 0 = a free one)
  --preset NAME  tenant(s) to serve, repeatable (default: all): ${PRESET_NAMES.join(", ")}
  --state FILE   load tenants from FILE when present, save after every write`;

function parseArgs(argv: string[]): { port: number; presets?: PresetName[]; stateFile?: string } {
  const out: { port: number; presets?: PresetName[]; stateFile?: string } = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--port") {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be 0-65535`);
    } else if (flag === "--preset") {
      const p = value();
      if (!PRESET_NAMES.includes(p as PresetName)) throw new Error(`unknown preset '${p}' (known: ${PRESET_NAMES.join(", ")})`);
      (out.presets ??= []).push(p as PresetName);
    } else if (flag === "--state") {
      out.stateFile = value();
    } else if (flag === "--help" || flag === "-h") {
      process.stderr.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${arg}'`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`emulator: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(args);
  process.stdout.write(`${JSON.stringify({ url: emulator.url, caCertFile: emulator.caCertFile, tenants: emulator.tenants })}\n`);
  process.stderr.write(`emulator: serving ${Object.keys(emulator.tenants).join(", ")} at ${emulator.url} (Ctrl-C to stop)\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
