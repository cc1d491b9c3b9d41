/** `lrlab data export-slices DIR`, run as users run it, on a small generated cache. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCifar10 } from "../../training/data/node";
import { SliceIndexSchema } from "../../training/data/sliceIndex";
import { binaryReleaseFiles, makeTempDir, writeTree } from "../../training/data/testFixtures";

function lrlab(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
beforeAll(async () => {
  tmp = await makeTempDir();
  // 10 records per file: 50 train and 10 test examples.
  await writeTree(tmp.dir, binaryReleaseFiles(10).files);
  dataDir = join(tmp.dir, "data");
  await prepareCifar10({ source: join(tmp.dir, "cifar-10-batches-bin"), dataDir, env: {} });
});
afterAll(() => tmp.cleanup());

describe("lrlab data export-slices", () => {
  it("writes hashed slice files and index.json into DIR", async () => {
    const out = join(tmp.dir, "out");
    const r = lrlab("data", "export-slices", out, "--slice-size", "16", "--data-dir", dataDir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dir: out, sliceSize: 16, files: 5 });
    const index = SliceIndexSchema.parse(JSON.parse(await readFile(join(out, "index.json"), "utf8")));
    expect(index.splits.train.slices.map((s) => s.count)).toEqual([16, 16, 16, 2]);
    expect(index.splits.test.slices.map((s) => s.count)).toEqual([10]);
    expect((await readdir(out)).length).toBe(6);
    for (const entry of [...index.splits.train.slices, ...index.splits.test.slices]) {
      const hash = createHash("sha256")
        .update(await readFile(join(out, entry.file)))
        .digest("hex");
      expect(entry.file).toContain(`-${hash.slice(0, 16)}.bin`);
    }
  });

  const out = () => join(tmp.dir, "bad");
  it.each([
    [() => [out(), "--slice-size", "0"], "--slice-size"],
    [() => [out(), "--slice-size", "lots"], "--slice-size"],
    [() => [out(), "--slice-size", "10001"], "--slice-size"],
    [() => [], "DIR"],
    [() => [out(), "second"], "DIR"],
    [() => [out(), "--frobnicate"], "frobnicate"],
  ])("bad input (case %#) exits 2 naming %s", (args, named) => {
    const r = lrlab("data", "export-slices", ...args(), "--data-dir", dataDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("without a prepared cache says to prepare one, with no stack trace", () => {
    const r = lrlab("data", "export-slices", join(tmp.dir, "none-out"), "--data-dir", join(tmp.dir, "empty"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("lrlab data prepare");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
