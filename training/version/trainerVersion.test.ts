import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeTrainerVersion, readNumericSources } from "./node";
import { isNumericSource, trainerVersion } from "./trainerVersion";

const TRAINING = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("trainer version", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "lrlab-version-"));
    await cp(TRAINING, root, { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("is the backend family and 12 hex digits, equal for an identical copy of the code", async () => {
    const here = await nodeTrainerVersion("wasm");
    expect(here).toMatch(/^wasm-[0-9a-f]{12}$/);
    expect(await nodeTrainerVersion("wasm", root)).toBe(here);
    expect(await nodeTrainerVersion("cpu", root)).toMatch(/^cpu-/);
    expect((await nodeTrainerVersion("cpu", root)).slice(4)).toBe(here.slice(5));
  });

  it.each([
    ["a kernel", "backend/kernels/conv2dBackpropFilterWasm.ts"],
    ["an optimizer", "optimizers/keras.ts"],
    ["the model", "model/model.ts"],
    ["the data pipeline", "data/batches.ts"],
    ["a schedule", "schedules/formulas.ts"],
    ["the trainer", "trainer/step.ts"],
  ])("changes when %s changes (%s)", async (_what, file) => {
    const before = await nodeTrainerVersion("wasm", root);
    await appendFile(path.join(root, file), "\n// edited\n");
    const after = await nodeTrainerVersion("wasm", root);
    expect(after).not.toBe(before);
  });

  it.each([["cli/run.ts"], ["worker/worker.ts"], ["trainer/train.test.ts"], ["presets.ts"]])(
    "does not change when non-numeric code changes (%s)",
    async (file) => {
      const before = await nodeTrainerVersion("wasm", root);
      await appendFile(path.join(root, file), "\n// edited\n");
      expect(await nodeTrainerVersion("wasm", root)).toBe(before);
    },
  );

  it("covers the numeric directories and leaves out tests and helpers", async () => {
    const paths = (await readNumericSources(TRAINING)).map((f) => f.path);
    for (const p of ["trainer/train.ts", "optimizers/keras.ts", "model/model.ts", "data/batches.ts", "rng.ts", "config.ts"])
      expect(paths).toContain(p);
    expect(paths.some((p) => p.endsWith(".test.ts"))).toBe(false);
    expect(isNumericSource("backend/testing/x.ts")).toBe(false);
    expect(isNumericSource("worker/worker.ts")).toBe(false);
  });

  it("changes with the tfjs version and with a file's path, not with the order files are given in", async () => {
    const files = [
      { path: "rng.ts", text: "a" },
      { path: "config.ts", text: "b" },
    ];
    const base = await trainerVersion({ backend: "cpu", tfjsVersion: "4.22.0", files });
    expect(await trainerVersion({ backend: "cpu", tfjsVersion: "4.22.0", files: [...files].reverse() })).toBe(base);
    expect(await trainerVersion({ backend: "cpu", tfjsVersion: "4.23.0", files })).not.toBe(base);
    const moved = [{ path: "model/rng.ts", text: "a" }, files[1]!];
    expect(await trainerVersion({ backend: "cpu", tfjsVersion: "4.22.0", files: moved })).not.toBe(base);
    // Text moved across a file boundary is a different file set.
    const shifted = [
      { path: "rng.ts", text: "ab" },
      { path: "config.ts", text: "" },
    ];
    expect(await trainerVersion({ backend: "cpu", tfjsVersion: "4.22.0", files: shifted })).not.toBe(base);
  });
});
