/**
 * What a client needs besides the lock file to reach the embedded server: the password of the
 * data directory, and the port it last listened on (so a restarted server comes back where its
 * clients' pools look). Kept in `<dataDir>.credentials`, mode 0600: readable by the user who owns
 * the data, the same boundary as the data files themselves.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const credentialsSchema = z.object({ password: z.string().min(16), port: z.number().int().min(1).max(65535).nullable() });
export type Credentials = z.output<typeof credentialsSchema>;

export function credentialsPath(dataDir: string): string {
  return `${dataDir}.credentials`;
}

export function newPassword(): string {
  return randomBytes(24).toString("hex");
}

/** The directory's credentials, created with a fresh password the first time. */
export function loadCredentials(dataDir: string): Credentials {
  const existing = readCredentials(dataDir);
  if (existing) return existing;
  const file = credentialsPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify({ password: newPassword(), port: null }), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error; // another process created it first
  }
  const created = readCredentials(dataDir);
  if (!created) throw new Error(`cannot read the database credentials ${file}`);
  return created;
}

/** The credentials, or null when the directory has none yet. */
export function readCredentials(dataDir: string): Credentials | null {
  const file = credentialsPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  // A copy or an old umask may have widened it; the password is only as private as its file.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const parsed = credentialsSchema.safeParse(safeJson(text));
  if (!parsed.success) throw new Error(`the database credentials ${file} are corrupt; delete the file to get a new password`);
  return parsed.data;
}

/** Records the port the owner listens on, for its next start. */
export function rememberPort(dataDir: string, credentials: Credentials, port: number): void {
  if (credentials.port === port) return;
  const file = credentialsPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...credentials, port }), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
