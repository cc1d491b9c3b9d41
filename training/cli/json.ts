import { readFile } from "node:fs/promises";
import { UsageError } from "./command";

/** An option that holds JSON inline, or names a file with it. */
export async function readJsonOption(flag: string, value: string): Promise<unknown> {
  const inline = value.trimStart().startsWith("{") || value.trimStart().startsWith("[");
  let text = value;
  if (!inline) {
    try {
      text = await readFile(value, "utf8");
    } catch {
      throw new UsageError(`--${flag}: not JSON and no readable file '${value}'`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--${flag}: invalid JSON (${(error as Error).message})`);
  }
}
