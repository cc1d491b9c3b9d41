import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dbEnv } from "./config";
import { connectDatabase } from "./connect";
import { acquireLock, lockPath, readLock } from "./embedded/lockFile";
import { comparisons } from "./schema";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrlab-connect-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("connectDatabase", () => {
  it("starts the embedded database when none runs, and later connections share it", async () => {
    const env = dbEnv({ LRLAB_DB_DIR: path.join(tmp, "shared") });
    const owner = await connectDatabase({ env });
    expect(owner.mode).toBe("embedded");
    expect(owner.embedded).toBeDefined();
    expect(readLock(env.dataDir)).toMatchObject({ pid: process.pid, port: owner.embedded!.port });

    const guest = await connectDatabase({ env });
    expect(guest.embedded).toBeUndefined(); // found the running server through the lock file
    await owner.db.insert(comparisons).values({ owner: "u1", title: "t", shareSlug: "s1" });
    expect(await guest.db.$count(comparisons)).toBe(1);
    await guest.close();
    await owner.close();
    expect(fs.existsSync(lockPath(env.dataDir))).toBe(false);

    // The data outlives the server.
    const again = await connectDatabase({ env });
    expect(await again.db.$count(comparisons)).toBe(1);
    await again.close();
  });

  it("names DATABASE_URL when the server there cannot be reached", async () => {
    const env = dbEnv({ DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" });
    await expect(connectDatabase({ env })).rejects.toThrow(
      /cannot reach the database at DATABASE_URL \(postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none\)/,
    );
  });

  it("rejects a malformed LRLAB_DB_PORT by name", () => {
    expect(() => dbEnv({ LRLAB_DB_PORT: "abc" })).toThrow("LRLAB_DB_PORT: must be an integer between 0 and 65535, got 'abc'");
  });
});

describe("database lock file", () => {
  it("is held by one owner at a time and reports the holder", () => {
    const dir = path.join(tmp, "locked");
    const first = acquireLock(dir);
    expect(first.owned).toBe(true);
    const second = acquireLock(dir);
    expect(second).toMatchObject({ owned: false, holder: { pid: process.pid, port: null } });
    if (first.owned) {
      first.publish("127.0.0.1", 4321);
      expect(readLock(dir)).toMatchObject({ pid: process.pid, host: "127.0.0.1", port: 4321 });
      first.release();
    }
    expect(readLock(dir)).toBeNull();
    const third = acquireLock(dir);
    expect(third.owned).toBe(true);
    if (third.owned) third.release();
  });

  it("breaks a lock whose process is gone", () => {
    const dir = path.join(tmp, "stale");
    fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: 2 ** 22 + 12345, host: null, port: null, startedAt: "x" }));
    const lock = acquireLock(dir);
    expect(lock.owned).toBe(true);
    if (lock.owned) lock.release();
  });
});
