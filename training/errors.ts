import type { z } from "zod";

/** One problem with user input: the JSON path of the field and why it was rejected. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Thrown for bad user input through any door (CLI, API, worker); never for bugs. */
export class ValidationError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ValidationError";
    this.issues = issues;
  }
}

export function formatIssue(issue: FieldIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** `["schedule", "parts", 1, "gamma"]` → `schedule.parts[1].gamma`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Field issues from a zod error, with every path under `prefix` (e.g. "schedule"). */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const at = [...prefix, ...issue.path];
    // One line per unknown key, at the key itself, so typos are named where they are.
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ path: formatPath([...at, key]), message: "unknown field" }));
    if (issue.code === "invalid_type") {
      // zod leaves `input` out of issues unless asked; its message names what it received.
      const missing = issue.message.endsWith("received undefined");
      const message = missing ? "is required" : `must be ${article(issue.expected)}`;
      return [{ path: formatPath(at), message }];
    }
    return [{ path: formatPath(at), message: issue.message }];
  });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Parse `input` with `schema` or throw a ValidationError whose paths start at `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssues(result.error, prefix));
  return result.data;
}
