/** A throwaway embedded database and tRPC callers acting as given users, for router tests. */
import { createDbClient, type Db } from "../../db/client";
import { user } from "../../db/schema";
import { startEmbeddedDatabase } from "../../db/embedded/server";
import type { Limits } from "../../lib/limits";
import { createCaller } from "../../server/api/root";
import type { RunDraftInput } from "../../lib/schemas";
import type { SessionUser } from "../../server/api/trpc";

export const TEST_LIMITS: Limits = { maxQueuedRuns: 50, maxEpochs: 200, maxRunsPerComparison: 32 };

export interface TestDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

export async function startTestDb(): Promise<TestDb> {
  const embedded = await startEmbeddedDatabase({ dataDir: "memory://", maxConnections: 16 });
  const client = createDbClient(embedded.url, { max: 4 });
  return {
    db: client.db,
    url: embedded.url,
    close: async () => {
      await client.close();
      await embedded.stop();
    },
  };
}

let userCount = 0;

/** A user row, as sign-up would leave it. */
export async function createUser(db: Db, name: string): Promise<SessionUser> {
  userCount += 1;
  const row = { id: `user-${userCount}-${name}`, name, email: `${name}-${userCount}@example.test` };
  await db.insert(user).values(row);
  return row;
}

export function callerFor(db: Db, as: SessionUser | null, limits: Limits = TEST_LIMITS) {
  return createCaller({ db, user: as, limits });
}

/** A small valid run draft; `overrides` replace config fields. */
export function draft(overrides: Record<string, unknown> = {}, seeds: number[] = [0]): RunDraftInput {
  return {
    config: {
      epochs: 3,
      batchSize: 32,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.1 },
      trainLimit: 64,
      testLimit: 32,
      ...overrides,
    },
    seeds,
  };
}
