/**
 * Hostile text and numbers through every tRPC door that takes them: control characters (NUL
 * above all, which Postgres refuses) in titles, descriptions, the leaderboard search, preview
 * backends, expressions and CLI owners are 400s naming the field, never 500s; out-of-range
 * preview metrics are 400s; nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparisons, runs } from "../../db/schema";
import type { SessionUser } from "../../server/api/trpc";
import { submitRun } from "../../server/queue/service";
import { ValidationError } from "../../training/errors";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, type TestDb } from "./harness";

let t: TestDb;
let alice: SessionUser;
let slug: string;

beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
  ({ slug } = await callerFor(t.db, alice).comparisons.create({ title: "mine", visibility: "public", runs: [draft()] }));
});
afterAll(() => t.close());

/** A one-epoch browser preview and a plausible record of its epoch. */
const previewConfig = {
  epochs: 1,
  batchSize: 32,
  optimizer: { kind: "sgd" },
  schedule: { kind: "constant", lr: 0.1 },
  trainLimit: 64,
  testLimit: 32,
  seed: 0,
};
const goodEpoch = { epoch: 0, lr: 0.1, loss: 2, acc: 0.2, valLoss: 2, valAcc: 0.2, seconds: 1, imagesPerSec: 50 };

/** NUL, BEL, ESC, DEL and a C1 control (NEL), by code point. */
const CONTROL = ["0000", "0007", "001B", "007F", "0085"];

describe("control characters", () => {
  it.each(CONTROL)("in a title or description (U+%s) are a 400 naming the field", async (hex) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    const code = `U+${hex}`;
    const caller = callerFor(t.db, alice);
    const title = await failure(caller.comparisons.create({ title: `a${c}b`, visibility: "public", runs: [draft()] }));
    expect(title.code).toBe("BAD_REQUEST");
    expect(title.issues).toEqual([`title: must not contain control characters (found ${code})`]);
    const description = await failure(
      caller.comparisons.update({ slug, title: "ok", description: `line${c}`, visibility: "public", addRuns: [] }),
    );
    expect(description.code).toBe("BAD_REQUEST");
    expect(description.issues).toEqual([`description: must not contain control characters (found ${code})`]);
  });

  it("leave multi-line descriptions their newlines and tabs", async () => {
    const caller = callerFor(t.db, alice);
    await caller.comparisons.update({ slug, title: "ok", description: "one\n\ttwo\r\nthree", visibility: "public", addRuns: [] });
    expect((await caller.comparisons.bySlug({ slug })).description).toBe("one\n\ttwo\r\nthree");
    const title = await failure(caller.comparisons.create({ title: "a\nb", visibility: "public", runs: [draft()] }));
    expect(title.issues).toEqual(["title: must not contain control characters (found U+000A)"]);
  });

  it("in the leaderboard search are a 400 for anonymous callers too", async () => {
    const result = await failure(callerFor(t.db, null).leaderboard.list({ q: "adam\u0000" }));
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toEqual(["q: must not contain control characters (found U+0000)"]);
  });

  it("in a preview's backend label or a schedule expression are a 400", async () => {
    const caller = callerFor(t.db, alice);
    const backend = await failure(caller.previews.attach({ slug, config: previewConfig, metrics: [goodEpoch], backend: "webgl\u0000" }));
    expect(backend.code).toBe("BAD_REQUEST");
    expect(backend.issues).toEqual(["backend: must not contain control characters (found U+0000)"]);
    const expr = await failure(
      caller.comparisons.create({
        title: "x",
        visibility: "public",
        runs: [draft({ schedule: { kind: "expression", expr: "0.1\u0000" } })],
      }),
    );
    expect(expr.code).toBe("BAD_REQUEST");
    expect(expr.issues[0]).toMatch(/^runs\[0\]\.config\.schedule\.expr: /);
  });

  it("in a CLI submit's owner are a ValidationError naming it", async () => {
    const config = { ...previewConfig, trainLimit: undefined, testLimit: undefined };
    await expect(submitRun(t.db, { config, owner: "x\u0000" })).rejects.toThrow(ValidationError);
    await expect(submitRun(t.db, { config, owner: "x\u0000" })).rejects.toThrow(
      "owner: must not contain control characters (found U+0000)",
    );
  });

  it("stored nothing", async () => {
    expect(await t.db.select().from(comparisons)).toHaveLength(1);
    expect((await t.db.select().from(runs)).filter((r) => r.kind === "preview")).toEqual([]);
  });
});

describe("preview metrics out of range", () => {
  it.each([
    [{ seconds: 1e308 }, "metrics[0].seconds: must be ≤ 604800"],
    [{ seconds: -1 }, "metrics[0].seconds: must be ≥ 0"],
    [{ acc: 1.5 }, "metrics[0].acc: must be ≤ 1"],
    [{ valAcc: -0.1 }, "metrics[0].valAcc: must be ≥ 0"],
    [{ loss: -2 }, "metrics[0].loss: must be ≥ 0"],
    [{ imagesPerSec: 1e300 }, "metrics[0].imagesPerSec: must be ≤ 1000000000"],
  ])("%o is a 400 naming the field", async (bad, issue) => {
    const result = await failure(
      callerFor(t.db, alice).previews.attach({ slug, config: previewConfig, metrics: [{ ...goodEpoch, ...bad }], backend: "cpu" }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.issues).toEqual([issue]);
  });

  it("a week-long epoch at the limit is accepted", async () => {
    const attached = await callerFor(t.db, alice).previews.attach({
      slug,
      config: previewConfig,
      metrics: [{ ...goodEpoch, seconds: 604800 }],
      backend: "cpu",
    });
    expect(attached.runId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
