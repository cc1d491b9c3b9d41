/**
 * Contention: 4 worker processes drain 40 one-epoch jobs; every job is claimed and finished
 * exactly once (one claim line in all the logs, attempts 1, one epoch row).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDbTargets, type TestDatabase } from "../../db/testing/testDatabase";
import { submitRun } from "../../server/queue/service";
import { tinyConfig } from "../../server/queue/testRuns";
import { childEnv, killAll, startCli, until } from "./processes";

const JOBS = 40;
const WORKERS = 4;

describe.each(testDbTargets())("contention on %s", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await killAll();
    await t?.drop();
  });

  it(`${WORKERS} workers, ${JOBS} jobs: each claimed and finished exactly once`, async () => {
    const ids = new Set<string>();
    for (let seed = 0; seed < JOBS; seed++) {
      ids.add((await submitRun(t.db, { config: tinyConfig({ epochs: 1, trainLimit: 64, testLimit: 64, seed }) })).id);
    }
    const env = childEnv({ DATABASE_URL: t.url });
    const workers = Array.from({ length: WORKERS }, () => startCli(["worker", "--poll-ms", "50"], env));
    await Promise.all(workers.map((w) => w.waitFor(/ready: backend/)));
    const started = Date.now();
    await until(
      async () => {
        const { rows } = await t.db.execute<{ n: number }>(
          sql`select count(*)::int as n from runs where status not in ('queued', 'running')`,
        );
        return rows[0]!.n === JOBS;
      },
      240_000,
      200,
    );
    const seconds = (Date.now() - started) / 1000;
    for (const w of workers) w.child.kill("SIGTERM");
    for (const w of workers) expect((await w.exit).code).toBe(0);

    const claims = workers.flatMap((w) => w.out.flatMap((l) => /claimed run (\S+) \(attempt (\d+)\)/.exec(l)?.slice(1) ?? []));
    const claimed = claims.filter((_, i) => i % 2 === 0);
    expect(claimed).toHaveLength(JOBS);
    expect(new Set(claimed)).toEqual(ids);
    const finished = workers.flatMap((w) => w.out.flatMap((l) => /finished run (\S+): succeeded/.exec(l)?.[1] ?? []));
    expect(finished.sort()).toEqual([...ids].sort());

    const { rows } = await t.db.execute<{ status: string; attempts: number; epochs: number; n: number }>(sql`
      select r.status, r.attempts, (select count(*)::int from epoch_metrics m where m.run_id = r.id) as epochs, count(*)::int as n
      from runs r group by 1, 2, 3`);
    expect(rows).toEqual([{ status: "succeeded", attempts: 1, epochs: 1, n: JOBS }]);
    const perWorker = workers.map((w) => w.out.filter((l) => l.includes("claimed run")).length);
    console.log(`${target}: ${JOBS} jobs on ${WORKERS} workers in ${seconds.toFixed(1)} s; claims per worker ${perWorker.join(", ")}`);
  });
});
