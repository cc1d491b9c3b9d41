/**
 * The authorization matrix, through server-side callers: owner / other user / anonymous ×
 * public / unlisted / private × read / edit / cancel / delete. Private comparisons answer
 * NOT_FOUND to everyone but the owner, so their existence never leaks.
 */
import { eq } from "drizzle-orm";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { comparisons, runs } from "../../db/schema";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, type TestDb } from "./harness";

type Viewer = "owner" | "other" | "anonymous";
type Visibility = "public" | "unlisted" | "private";
type Action = "read" | "edit" | "cancel" | "delete";

let t: TestDb;
let owner: SessionUser;
let other: SessionUser;

beforeAll(async () => {
  t = await startTestDb();
  owner = await createUser(t.db, "owner");
  other = await createUser(t.db, "other");
});
afterAll(() => t.close());

const expected: Record<Viewer, Record<Visibility, Record<Action, string>>> = {
  owner: {
    public: { read: "ok", edit: "ok", cancel: "ok", delete: "ok" },
    unlisted: { read: "ok", edit: "ok", cancel: "ok", delete: "ok" },
    private: { read: "ok", edit: "ok", cancel: "ok", delete: "ok" },
  },
  other: {
    public: { read: "ok", edit: "FORBIDDEN", cancel: "FORBIDDEN", delete: "FORBIDDEN" },
    unlisted: { read: "ok", edit: "FORBIDDEN", cancel: "FORBIDDEN", delete: "FORBIDDEN" },
    private: { read: "NOT_FOUND", edit: "NOT_FOUND", cancel: "NOT_FOUND", delete: "NOT_FOUND" },
  },
  anonymous: {
    public: { read: "ok", edit: "UNAUTHORIZED", cancel: "UNAUTHORIZED", delete: "UNAUTHORIZED" },
    unlisted: { read: "ok", edit: "UNAUTHORIZED", cancel: "UNAUTHORIZED", delete: "UNAUTHORIZED" },
    private: { read: "NOT_FOUND", edit: "UNAUTHORIZED", cancel: "UNAUTHORIZED", delete: "UNAUTHORIZED" },
  },
};

const cases = (Object.keys(expected) as Viewer[]).flatMap((viewer) =>
  (["public", "unlisted", "private"] as const).flatMap((visibility) =>
    (["read", "edit", "cancel", "delete"] as const).map((action) => ({
      viewer,
      visibility,
      action,
      outcome: expected[viewer][visibility][action],
    })),
  ),
);

async function attempt(viewer: Viewer, visibility: Visibility, action: Action): Promise<{ outcome: string; slug: string; runId: string }> {
  const { slug } = await callerFor(t.db, owner).comparisons.create({ title: `${visibility} one`, visibility, runs: [draft()] });
  const [row] = await t.db
    .select({ id: runs.id })
    .from(runs)
    .innerJoin(comparisons, eq(runs.comparisonId, comparisons.id))
    .where(eq(comparisons.shareSlug, slug));
  const runId = row!.id;
  const as = viewer === "owner" ? owner : viewer === "other" ? other : null;
  const api = callerFor(t.db, as);
  const calls: Record<Action, () => Promise<unknown>> = {
    read: async () => {
      await api.comparisons.bySlug({ slug });
      await api.metrics.forComparison({ slug });
      await api.metrics.stepsSince({ slug, cursor: {} });
      await api.runs.get({ runId });
    },
    edit: () => api.comparisons.update({ slug, title: "renamed", visibility }),
    cancel: () => api.runs.cancel({ runId }),
    delete: () => api.comparisons.delete({ slug }),
  };
  const call = calls[action]();
  try {
    await call;
    return { outcome: "ok", slug, runId };
  } catch {
    return { outcome: (await failure(call)).code, slug, runId };
  }
}

describe("authorization matrix", () => {
  it.each(cases)("$viewer × $visibility × $action → $outcome", async ({ viewer, visibility, action, outcome }) => {
    const result = await attempt(viewer, visibility, action);
    expect(result.outcome).toBe(outcome);

    // The effect happened exactly when it was allowed.
    const [comparison] = await t.db.select().from(comparisons).where(eq(comparisons.shareSlug, result.slug));
    const [run] = await t.db.select().from(runs).where(eq(runs.id, result.runId));
    if (action === "delete") expect(comparison === undefined).toBe(outcome === "ok");
    if (action === "edit") expect(comparison!.title === "renamed").toBe(outcome === "ok");
    if (action === "cancel") expect(run!.status).toBe(outcome === "ok" ? "canceled" : "queued");
  });

  it("answers a private comparison's link exactly like an unknown one", async () => {
    const { slug } = await callerFor(t.db, owner).comparisons.create({ title: "hidden", visibility: "private", runs: [draft()] });
    const hidden = await failure(callerFor(t.db, other).comparisons.bySlug({ slug }));
    const unknown = await failure(callerFor(t.db, other).comparisons.bySlug({ slug: "zzzzzzzzzz" }));
    expect(hidden).toEqual(unknown);
  });

  it("re-run and fork follow the same rules", async () => {
    const { slug } = await callerFor(t.db, owner).comparisons.create({ title: "p", visibility: "private", runs: [draft()] });
    const [row] = await t.db
      .select({ id: runs.id })
      .from(runs)
      .innerJoin(comparisons, eq(runs.comparisonId, comparisons.id))
      .where(eq(comparisons.shareSlug, slug));
    expect((await failure(callerFor(t.db, other).runs.rerun({ runId: row!.id }))).code).toBe("NOT_FOUND");
    expect((await failure(callerFor(t.db, other).comparisons.fork({ slug }))).code).toBe("NOT_FOUND");
    expect((await failure(callerFor(t.db, null).comparisons.fork({ slug }))).code).toBe("UNAUTHORIZED");
  });
});
