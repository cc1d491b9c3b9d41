import type { ParseArgsConfig } from "node:util";
import { integerText } from "../validation";

/** One `lrlab` sub-command. Options are parsed with node:util parseArgs (strict). */
export interface CliCommand {
  /** e.g. "schedule" or "data prepare". */
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  allowPositionals?: boolean;
  /** Returns the exit code. Throw ValidationError or UsageError for bad input (exit 2). */
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number>;
}

/** Bad command-line usage: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Reads a string option that must be present. */
export function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name}: is required`);
  return value;
}

/** Parses an integer option, naming the flag in the error. */
export function intOption(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const parsed = integerText(min, max).safeParse(typeof value === "string" ? value : "");
  if (!parsed.success) throw new UsageError(`--${name}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
