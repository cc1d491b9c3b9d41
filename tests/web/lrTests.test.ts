import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lrTests } from "../../db/schema";
import { MAX_ACTIVE_LR_TESTS } from "../../server/api/routers/lrTests";
import type { SessionUser } from "../../server/api/trpc";
import { failure } from "./errors";
import { callerFor, createUser, draft, startTestDb, type TestDb } from "./harness";

let t: TestDb;
let alice: SessionUser;
let bob: SessionUser;

beforeAll(async () => {
  t = await startTestDb();
  alice = await createUser(t.db, "alice");
  bob = await createUser(t.db, "bob");
});
afterAll(() => t.close());

const config = { ...draft().config, model: "tiny-cnn" as const, seed: 7 };

describe("lrTests router", () => {
  it("queues a test with fastai's default ramp, private to its owner", async () => {
    const { testId } = await callerFor(t.db, alice).lrTests.queue({ config });
    expect(await callerFor(t.db, alice).lrTests.get({ testId })).toEqual({
      id: testId,
      status: "queued",
      error: null,
      settings: { startLr: 1e-7, endLr: 10, numIt: 100 },
      result: null,
    });
    const [stored] = await t.db.select().from(lrTests).where(eq(lrTests.id, testId));
    expect(stored!.config).toMatchObject({ model: "tiny-cnn", batchSize: 32, seed: 7, optimizer: { kind: "sgd" } });
    expect((await failure(callerFor(t.db, bob).lrTests.get({ testId }))).code).toBe("NOT_FOUND");
    expect((await failure(callerFor(t.db, bob).lrTests.cancel({ testId }))).code).toBe("NOT_FOUND");
    expect((await failure(callerFor(t.db, null).lrTests.queue({ config }))).code).toBe("UNAUTHORIZED");
    await callerFor(t.db, alice).lrTests.cancel({ testId });
  });

  it("rejects bad input naming the field", async () => {
    const badRamp = await failure(callerFor(t.db, alice).lrTests.queue({ config, settings: { startLr: 1e-3, endLr: 1e-4, numIt: 100 } }));
    expect(badRamp.code).toBe("BAD_REQUEST");
    expect(badRamp.issues).toEqual(["settings.endLr: must be greater than the start lr"]);
    const badConfig = await failure(callerFor(t.db, alice).lrTests.queue({ config: { ...config, batchSize: 0 } }));
    expect(badConfig.code).toBe("BAD_REQUEST");
    expect(badConfig.issues).toHaveLength(1);
    expect(badConfig.issues[0]).toMatch(/^config\.batchSize: /);
    expect((await failure(callerFor(t.db, alice).lrTests.get({ testId: "nope" }))).issues).toEqual([
      "testId: must be an LR test id (a UUID)",
    ]);
  });

  it("cancels a queued test once, and limits how many one user has waiting", async () => {
    const caller = callerFor(t.db, bob);
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_LR_TESTS; i++) ids.push((await caller.lrTests.queue({ config })).testId);
    const over = await failure(caller.lrTests.queue({ config }));
    expect(over.code).toBe("TOO_MANY_REQUESTS");
    expect(await caller.lrTests.cancel({ testId: ids[0]! })).toEqual({ canceled: true });
    expect((await caller.lrTests.get({ testId: ids[0]! })).status).toBe("canceled");
    const again = await failure(caller.lrTests.cancel({ testId: ids[0]! }));
    expect(again).toMatchObject({ code: "CONFLICT", message: "This LR test has already finished (canceled)." });
    // The canceled one no longer counts.
    await caller.lrTests.queue({ config });
  });
});
