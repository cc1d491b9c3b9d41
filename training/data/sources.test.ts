import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../errors";
import { resolveDataDir } from "./dataDir";
import { defaultSourcePlaces, findSource } from "./sources";
import { makeTempDir } from "./testFixtures";

describe("resolveDataDir", () => {
  it("prefers the argument, then LRLAB_DATA_DIR, then ./.data", () => {
    expect(resolveDataDir({ dataDir: "x", env: { LRLAB_DATA_DIR: "/y" }, cwd: "/w" })).toBe("/w/x");
    expect(resolveDataDir({ env: { LRLAB_DATA_DIR: "/y" }, cwd: "/w" })).toBe("/y");
    expect(resolveDataDir({ env: {}, cwd: "/w" })).toBe("/w/.data");
  });
});

describe("findSource", () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let cwd: string;
  let dataDir: string;
  beforeEach(async () => {
    tmp = await makeTempDir();
    cwd = join(tmp.dir, "repo");
    dataDir = join(cwd, ".data");
    await mkdir(dataDir, { recursive: true });
  });
  afterEach(() => tmp.cleanup());

  const find = (extra: { source?: string; env?: Record<string, string | undefined> } = {}) =>
    findSource({ dataDir, cwd, env: {}, ...extra });

  it("lists every place it looked and how to point at a source when nothing is found", async () => {
    const error = await find().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toContain("CIFAR10_SOURCE (not set)");
    for (const place of defaultSourcePlaces({ dataDir, cwd, env: {} })) expect(message).toContain(place);
    expect(message).toContain(join(dataDir, "cifar-10-batches-bin"));
    expect(message).toContain(resolve(cwd, "../shared/datasets/cifar10-images.tar.gz"));
    expect(message).toContain("--source");
    expect(message).toContain("lrlab data prepare --download");
  });

  it("searches in order: data dir binary folder, official archive, image archive, shared archive", async () => {
    const shared = resolve(cwd, "../shared/datasets/cifar10-images.tar.gz");
    await mkdir(resolve(shared, ".."), { recursive: true });
    await writeFile(shared, "");
    expect(await find()).toEqual({ path: shared, container: "archive" });
    await writeFile(join(dataDir, "cifar10-images.tar.gz"), "");
    expect((await find()).path).toBe(join(dataDir, "cifar10-images.tar.gz"));
    await writeFile(join(dataDir, "cifar-10-binary.tar.gz"), "");
    expect((await find()).path).toBe(join(dataDir, "cifar-10-binary.tar.gz"));
    await mkdir(join(dataDir, "cifar-10-batches-bin"));
    expect(await find()).toEqual({ path: join(dataDir, "cifar-10-batches-bin"), container: "directory" });
  });

  it("uses an explicit source or CIFAR10_SOURCE first, and errors when it does not exist", async () => {
    await mkdir(join(dataDir, "cifar-10-batches-bin"));
    const mine = join(tmp.dir, "mine.tar");
    await writeFile(mine, "");
    expect((await find({ env: { CIFAR10_SOURCE: mine } })).path).toBe(mine);
    expect((await find({ source: join(dataDir, "cifar-10-batches-bin"), env: { CIFAR10_SOURCE: mine } })).container).toBe("directory");
    await expect(find({ source: "nope.tar.gz" })).rejects.toThrow(`--source ${join(cwd, "nope.tar.gz")} does not exist`);
    await expect(find({ env: { CIFAR10_SOURCE: "/no/such" } })).rejects.toThrow("CIFAR10_SOURCE /no/such does not exist");
  });

  it("rejects a file that is not an archive", async () => {
    const file = join(tmp.dir, "data_batch_1.bin");
    await writeFile(file, "x");
    await expect(find({ source: file })).rejects.toThrow(/neither a directory nor a \.tar\/\.tar\.gz archive/);
  });
});
