import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { expectTableClose } from "../../training/schedules/expectClose";
import { scheduleFixture } from "../../training/schedules/fixtures";
import { testDataDir } from "../../training/testing/dataDir";

/** Runs the CLI exactly as users do (`npm run --silent lrlab -- …` runs this same entry). */
function lrlab(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe("lrlab schedule", () => {
  it("prints exactly the lr of every step, epoch by epoch", () => {
    const r = lrlab("schedule", "--spec", '{"kind":"step","lr":0.1,"drop":0.5,"epochsDrop":2}', "--epochs", "4", "--steps-per-epoch", "3");
    expect(r.code).toBe(0);
    const expected = [0, 1, 2, 3].map((epoch) => Array<number>(3).fill(0.1 * 0.5 ** Math.floor((1 + epoch) / 2)));
    expect(r.stdout).toBe(JSON.stringify({ lr: expected }) + "\n");
  });

  it("per-step schedules change within the epoch", () => {
    const r = lrlab("schedule", "--spec", '{"kind":"timeBased","lr":0.1,"decay":0.5}', "--epochs", "2", "--steps-per-epoch", "2");
    expect(JSON.parse(r.stdout)).toEqual({
      lr: [
        [0.1, 0.1 / 1.5],
        [0.1 / 2, 0.1 / 2.5],
      ],
    });
  });

  it("feeds --monitor values to reduceOnPlateau, one per epoch", () => {
    const spec = '{"kind":"reduceOnPlateau","lr":0.1,"patience":1,"factor":0.5,"minDelta":0,"monitor":"val_loss"}';
    const r = lrlab("schedule", "--spec", spec, "--epochs", "5", "--steps-per-epoch", "1", "--monitor", "1,0.9,0.95,0.96");
    expect(r.code).toBe(0);
    // Epochs 2 and 3 do not improve on 0.9: with patience 1 and no cooldown the lr halves after
    // each of them, taking effect from the next epoch.
    expect(JSON.parse(r.stdout)).toEqual({ lr: [[0.1], [0.1], [0.1], [0.05], [0.025]] });
  });

  it("prints the cycled momentum beside the lr, matching PyTorch 1.13 to 1e-9", () => {
    // One process per case is slow; these cover momentum on SGD and β1, exp_range, continuous time and PyTorch's plateau rules.
    for (const name of [
      "oneCycle three-phase, cycled momentum (SGD)",
      "cyclic exp_range, cycled momentum",
      "cosineRestarts T0 3 ×2, per step",
      "reduceOnPlateau pytorch rel",
    ]) {
      const c = scheduleFixture(name);
      const args = ["--spec", JSON.stringify(c.spec), "--epochs", String(c.epochs), "--steps-per-epoch", String(c.stepsPerEpoch)];
      const r = lrlab("schedule", ...args, ...(c.monitor ? ["--monitor", c.monitor.join(",")] : []));
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { lr: number[][]; momentum?: number[][] };
      expect(Object.keys(out)).toEqual(c.momentum ? ["lr", "momentum"] : ["lr"]);
      expectTableClose(out.lr, c.lr);
      if (c.momentum) expectTableClose(out.momentum!, c.momentum);
    }
  });

  it("rejects bad input with exit code 2 and one line per problem naming the field", () => {
    const nested =
      '{"kind":"sequence","parts":[{"epochs":1,"schedule":{"kind":"constant","lr":0.1}},{"schedule":{"kind":"multiStep","lr":0.1,"milestones":[1],"gamma":-1}}]}';
    const r = lrlab("schedule", "--spec", nested, "--epochs", "4", "--steps-per-epoch", "2");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe("schedule.parts[1].schedule.gamma: must be > 0");

    const formula = lrlab(
      "schedule",
      "--spec",
      '{"kind":"expression","expr":"0.1 * foo(epoch)"}',
      "--epochs",
      "2",
      "--steps-per-epoch",
      "1",
    );
    expect(formula.code).toBe(2);
    expect(formula.stderr).toMatch(/^schedule\.expr: .*'foo'.* position 7/m);

    const negative = lrlab(
      "schedule",
      "--spec",
      '{"kind":"expression","expr":"0.1 - epoch * 0.05"}',
      "--epochs",
      "4",
      "--steps-per-epoch",
      "1",
    );
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/^schedule\.expr: .*negative.*epoch 3/m);

    for (const bad of [
      ["--spec", "{nope", "--epochs", "2", "--steps-per-epoch", "1"],
      ["--spec", '{"kind":"constant","lr":0.1}', "--epochs", "two", "--steps-per-epoch", "1"],
      ["--spec", '{"kind":"constant","lr":0.1}', "--epochs", "2"],
      ["--spec", '{"kind":"constant","lr":0.1}', "--epochs", "2", "--steps-per-epoch", "1", "--bogus"],
    ]) {
      const res = lrlab("schedule", ...bad);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/--(spec|epochs|steps-per-epoch|bogus)|Unknown option/);
      noStackTrace(res.stderr);
    }
  });
});

describe("lrlab train", () => {
  it("validates the whole config before loading anything, naming every bad field", () => {
    const r = lrlab(
      "train",
      "--config",
      '{"epochs":0,"batchSize":32,"optimizer":{"kind":"adam","beta1":2},"schedule":{"kind":"constant","lr":-1},"extra":1}',
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n").sort()).toEqual([
      "epochs: must be ≥ 1",
      "extra: unknown field",
      "optimizer.beta1: must be in [0, 1)",
      "schedule.lr: must be > 0",
    ]);
    noStackTrace(r.stderr);
  });

  it("rejects cycling momentum with an optimizer that has none, naming the field", () => {
    const config = {
      epochs: 2,
      batchSize: 32,
      optimizer: { kind: "rmsprop" },
      schedule: { kind: "oneCycle", maxLr: 0.01, cycleMomentum: true },
    };
    const r = lrlab("train", "--config", JSON.stringify(config));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("schedule.cycleMomentum: optimizer rmsprop has no momentum or β1 to cycle");
  });

  it("trains a tiny run and prints one JSON metrics line per epoch, reporting the backend", () => {
    const config = {
      model: "tiny-cnn",
      epochs: 2,
      batchSize: 32,
      optimizer: { kind: "sgd", momentum: 0.9 },
      schedule: { kind: "exponential", lr: 0.05, k: 0.5 },
      seed: 3,
    };
    const r = lrlab("train", "--config", JSON.stringify(config), "--train-limit", "128", "--test-limit", "64", "--data-dir", testDataDir());
    expect(r.stderr).toMatch(/^backend: wasm/m);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines.map((l) => l.epoch)).toEqual([0, 1]);
    expect(lines.map((l) => l.lr)).toEqual([0.05, 0.05 * Math.exp(-0.5)]);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual([
        "acc",
        "epoch",
        "imagesPerSec",
        "loss",
        "lr",
        "seconds",
        "testAcc",
        "testLoss",
        "valAcc",
        "valLoss",
      ]);
      // No validation split: validation is the test set.
      expect([l.testAcc, l.testLoss]).toEqual([l.valAcc, l.valLoss]);
    }
  });

  it("names an unavailable backend plainly", () => {
    const config = { model: "tiny-cnn", epochs: 1, batchSize: 32, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } };
    const r = lrlab("train", "--config", JSON.stringify(config), "--backend", "tensorflow", "--train-limit", "32");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backend 'tensorflow' unavailable: .*not installed/);
    noStackTrace(r.stderr);
  });
});

describe("lrlab data", () => {
  it("info reports the prepared cache", () => {
    const r = lrlab("data", "info", "--data-dir", testDataDir());
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as { prepared: boolean; splits: { train: { count: number }; test: { count: number } } };
    expect(info.prepared).toBe(true);
    expect(info.splits.train.count).toBe(50_000);
    expect(info.splits.test.count).toBe(10_000);
  });

  it("prepare names every place it looked when there is no source", () => {
    const r = lrlab("data", "prepare", "--source", "/nonexistent/cifar", "--data-dir", "/tmp/lrlab-no-such-dir");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\/nonexistent\/cifar/);
    noStackTrace(r.stderr);
  });
});

describe("lrlab lr-find", () => {
  const config = { model: "tiny-cnn", epochs: 1, batchSize: 32, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } };

  it("names every bad flag before loading anything", () => {
    const r = lrlab("lr-find", "--config", JSON.stringify(config), "--start-lr", "0", "--num-it", "5");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n").sort()).toEqual(["--num-it: must be ≥ 6", "--start-lr: must be > 0"]);
    expect(lrlab("lr-find", "--config", JSON.stringify(config), "--end-lr", "ten").stderr).toMatch(/^--end-lr: must be a number$/m);
  });

  it("prints the ramp, raw and smoothed losses, suggestions and backend as one JSON object", () => {
    const r = lrlab(
      "lr-find",
      ...["--config", JSON.stringify(config), "--start-lr", "1e-6", "--end-lr", "100", "--num-it", "8"],
      ...["--train-limit", "96", "--data-dir", testDataDir()],
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      lr: number[];
      loss: number[];
      smoothLoss: number[];
      suggestions: Record<string, number>;
      stoppedEarly: boolean;
      backend: string;
    };
    expect(Object.keys(out)).toEqual(["lr", "loss", "smoothLoss", "suggestions", "stoppedEarly", "backend"]);
    expect(out.backend).toBe("wasm");
    // 1e-6 · 1e8^(i/8) = 10^(i − 6)
    out.lr.forEach((lr, i) => expect(Math.abs(lr / 10 ** (i - 6) - 1)).toBeLessThan(1e-12));
    expect(out.loss).toHaveLength(out.lr.length);
    let avg = 0;
    out.loss.forEach((loss, i) => {
      avg = 0.98 * avg + 0.02 * loss;
      expect(out.smoothLoss[i]).toBeCloseTo(avg / (1 - 0.98 ** (i + 1)), 12);
    });
    expect(Object.keys(out.suggestions)).toEqual(["valley", "steep", "minimum"]);
  });
});

describe("lrlab tune", () => {
  const config = {
    model: "tiny-cnn",
    epochs: 1,
    batchSize: 32,
    optimizer: { kind: "sgd" },
    schedule: { kind: "constant", lr: 0.1 },
    seed: 4,
    trainLimit: 100,
    testLimit: 50,
    valSplit: 20,
  };

  it("sweeps on the validation split, then reports the chosen lr's test accuracy per seed", () => {
    const r = lrlab(
      "tune",
      "--config",
      JSON.stringify(config),
      "--n",
      "2",
      "--k",
      "2",
      "--lr-range",
      "0.001,0.1",
      "--data-dir",
      testDataDir(),
    );
    expect(r.stderr).toMatch(/^backend: /m);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { phase: string; lr: number; seed?: number; testAcc?: number | number[] });
    expect(lines.map((l) => l.phase)).toEqual(["sweep", "sweep", "selected", "final", "final", "result"]);
    expect(lines.slice(0, 2).map((l) => l.lr)).toEqual([0.001, 0.1]);
    expect([0.001, 0.1]).toContain(lines[2]!.lr);
    expect(lines.slice(3, 5).map((l) => l.seed)).toEqual([4, 5]);
    const result = lines[5]!;
    expect(result.testAcc).toHaveLength(2);
    // Counts over the 50 test images.
    for (const acc of result.testAcc as number[]) expect(Math.abs(acc * 50 - Math.round(acc * 50))).toBeLessThan(1e-9);
  });

  it("needs a validation split and a sane range, named plainly", () => {
    const { valSplit: _, ...noSplit } = config;
    const a = lrlab("tune", "--config", JSON.stringify(noSplit));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/valSplit: is required/);
    const b = lrlab("tune", "--config", JSON.stringify(config), "--lr-range", "1,0.1");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--lr-range: must be two positive numbers/);
    noStackTrace(a.stderr + b.stderr);
  });
});
