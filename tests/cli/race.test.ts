import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Runs the CLI exactly as users do (`npm run --silent lrlab -- race …` runs this same entry). */
function race(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/cli/main.ts", "race", ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("lrlab race", () => {
  it("prints exactly {x, y, loss} with N+1 float32 positions; SGD on the quadratic halves x at lr 0.5", () => {
    const r = race(
      "--function",
      "quadratic",
      "--start",
      "3,0.1",
      "--steps",
      "4",
      "--optimizer",
      '{"kind":"sgd"}',
      "--schedule",
      '{"kind":"constant","lr":0.5}',
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { x: number[]; y: number[]; loss: number[] };
    expect(Object.keys(out)).toEqual(["x", "y", "loss"]);
    // x ← x(1 − 0.5), y ← y(1 − 10·0.5) = −4y; 0.1 is not a float32, so y carries its float32 value.
    const y0 = Math.fround(0.1);
    expect(out.x).toEqual([3, 1.5, 0.75, 0.375, 0.1875]);
    expect(out.y).toEqual([y0, -4 * y0, 16 * y0, -64 * y0, 256 * y0].map(Math.fround));
    expect(out.loss[0]).toBeCloseTo(0.5 * 9 + 5 * 0.01, 6);
  });

  it("exits 2 naming each bad field, without a stack trace", () => {
    const r = race(
      "--function",
      "himmelblau",
      "--start",
      "0,0",
      "--steps",
      "3",
      "--optimizer",
      '{"kind":"adamw","beta1":1.5}',
      "--schedule",
      '{"kind":"constant","lr":0}',
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "function: must be one of rosenbrock, beale, quadratic",
      "optimizer.beta1: must be in [0, 1)",
      "schedule.lr: must be > 0",
    ]);
    for (const [bad, flag] of [
      [["--start", "1", "--steps", "3"], "--start"],
      [["--start", "1,2"], "--steps"],
      [["--start", "1,2", "--steps", "0"], "steps"],
      [["--start", "1,2", "--steps", "2.5"], "steps"],
      [["--start", "1,2", "--steps", "3", "--optimizer", "{nope"], "--optimizer"],
    ] as const) {
      const res = race("--function", "beale", "--optimizer", '{"kind":"sgd"}', "--schedule", '{"kind":"constant","lr":0.1}', ...bad);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^${flag}: `));
      expect(res.stderr).not.toMatch(/^\s+at /m);
    }
  });
});
