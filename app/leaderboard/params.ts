/**
 * The leaderboard's URL parameters ⇄ the procedure's input. Each parameter is checked on its own
 * with the procedure's schema: a bad one is dropped and reported, the rest still apply.
 */
import { leaderboardInput, type LeaderboardInput } from "../../server/leaderboard/query";

type Raw = Record<string, string | string[] | undefined>;

const NUMERIC = new Set(["target", "epochs", "page"]);
const FIELDS = ["track", "sort", "dir", "target", "optimizer", "scheduleKind", "model", "epochs", "q", "page"] as const;
type Field = (typeof FIELDS)[number];

export function parseLeaderboardParams(raw: Raw): { input: LeaderboardInput; issues: string[] } {
  const input: Record<string, unknown> = {};
  const issues: string[] = [];
  const shape = leaderboardInput.shape;
  for (const field of FIELDS) {
    const value = raw[field];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === "") continue;
    const candidate = NUMERIC.has(field) ? (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text) : text;
    const parsed = shape[field].safeParse(candidate);
    if (parsed.success) input[field] = parsed.data;
    else issues.push(`${field}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  return { input: input, issues };
}

/** A link to the same view with some parameters changed (undefined removes one). */
export function hrefWith(current: LeaderboardInput, changes: Partial<Record<Field, string | number | undefined>>): string {
  const params = new URLSearchParams();
  const merged: Record<string, string | number | boolean | undefined> = { ...current, ...changes };
  for (const field of FIELDS) {
    const value = merged[field];
    if (value !== undefined && value !== "") params.set(field, String(value));
  }
  const query = params.toString();
  return query ? `/leaderboard?${query}` : "/leaderboard";
}
