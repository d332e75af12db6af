/** File helpers the CA cache and the state file share. */
import * as crypto from "node:crypto";
import * as fs from "node:fs";

/** Writes `text` to a temporary file beside `file`, then renames it over `file`: a crash never leaves half a file. */
export function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}
