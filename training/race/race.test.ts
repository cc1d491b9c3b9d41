import { beforeAll, describe, expect, it } from "vitest";
import fixtures from "../optimizers/fixtures/optimizers.json";
import { initRaceBackend } from "./backend";
import { runRace } from "./race";
import { parseRaceSpec, type RaceInput } from "./spec";

beforeAll(async () => {
  await initRaceBackend();
});

const race = (input: RaceInput) => runRace(parseRaceSpec(input));
const close = (got: number | null, want: number, rel = 1e-6) =>
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));

describe("optimizer race", () => {
  it("plain SGD on the quadratic follows the closed form x_k = x₀Π(1 − lr_i), y_k = y₀Π(1 − 10·lr_i)", () => {
    // exponential: lr_i = 0.05·e^(−0.1·i), step i being epoch i of a 12-epoch run.
    const path = race({
      function: "quadratic",
      start: [2.5, -1.5],
      steps: 12,
      optimizer: { kind: "sgd" },
      schedule: { kind: "exponential", lr: 0.05, k: 0.1 },
    });
    expect(path.x).toHaveLength(13);
    let [x, y] = [2.5, -1.5];
    for (let k = 0; k <= 12; k++) {
      close(path.x[k]!, x);
      close(path.y[k]!, y);
      close(path.loss[k]!, 0.5 * x * x + 5 * y * y);
      const lr = 0.05 * Math.exp(-0.1 * k);
      [x, y] = [x * (1 - lr), y * (1 - 10 * lr)];
    }
  });

  it("takes the hand-worked first step on Rosenbrock and Beale", () => {
    // Rosenbrock at (−1.5, 2): f = 6.25 + 6.25; ∇f = (−2(1−x) − 400x(y−x²), 200(y−x²)) = (−155, −50).
    const rosen = race({
      function: "rosenbrock",
      start: [-1.5, 2],
      steps: 1,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.001 },
    });
    close(rosen.loss[0]!, 12.5);
    close(rosen.x[1]!, -1.345);
    close(rosen.y[1]!, 2.05);
    // Beale at (1, 1): the three terms are 1.5, 2.25, 2.625; ∂f/∂x = 0, ∂f/∂y = 2(1.5 + 2·2.25 + 3·2.625) = 27.75.
    const beale = race({
      function: "beale",
      start: [1, 1],
      steps: 1,
      optimizer: { kind: "sgd" },
      schedule: { kind: "constant", lr: 0.01 },
    });
    close(beale.loss[0]!, 1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2);
    close(beale.x[1]!, 1);
    close(beale.y[1]!, 1 - 0.2775);
    // Both minima are zeros.
    expect(
      race({ function: "beale", start: [3, 0.5], steps: 1, optimizer: { kind: "adam" }, schedule: { kind: "constant", lr: 0.1 } }).loss,
    ).toEqual([0, 0]);
  });

  it("AdamW on Rosenbrock matches PyTorch 1.13 over 80 steps with a decaying lr", () => {
    const want = fixtures.race;
    const path = race({
      function: "rosenbrock",
      start: want.start as [number, number],
      steps: want.steps,
      optimizer: want.optimizer as RaceInput["optimizer"],
      schedule: want.schedule as RaceInput["schedule"],
    });
    want.x.forEach((x, i) => close(path.x[i]!, x, 1e-5));
    want.y.forEach((y, i) => close(path.y[i]!, y, 1e-5));
    want.loss.forEach((loss, i) => close(path.loss[i]!, loss, 1e-4));
  });

  it("a plateau schedule watches the function value", () => {
    // Rosenbrock from (−1.5, 2) with a tiny lr barely improves: minDelta 1 makes every step after the first a plateau,
    // so lr halves from step 2 on (piecewise counts boundaries strictly below the epoch).
    const spec = { function: "rosenbrock", start: [-1.5, 2], steps: 4, optimizer: { kind: "sgd" } } satisfies Partial<RaceInput>;
    const plateau = race({
      ...spec,
      schedule: { kind: "reduceOnPlateau", lr: 1e-5, factor: 0.5, patience: 0, minDelta: 1, monitor: "loss" },
    });
    const halving = race({ ...spec, schedule: { kind: "piecewise", boundaries: [1, 2], values: [1e-5, 5e-6, 2.5e-6] } });
    expect(plateau).toEqual(halving);
  });

  it("names every bad field", () => {
    expect(() =>
      parseRaceSpec({
        function: "himmelblau",
        start: [0, 1e9],
        steps: 0,
        optimizer: { kind: "lion", beta2: 1 },
        schedule: { kind: "constant", lr: 0.1 },
      }),
    ).toThrow(
      /function: must be one of rosenbrock, beale, quadratic\nstart\[1\]: must be within ±100\nsteps: must be ≥ 1\noptimizer.beta2: must be in \[0, 1\)/,
    );
    expect(() =>
      parseRaceSpec({
        function: "beale",
        start: [0, 0],
        steps: 5,
        optimizer: { kind: "sgd" },
        schedule: { kind: "expression", expr: "0.1 - 0.05*epoch" },
      }),
    ).toThrow(/^schedule\.expr: .*negative/);
  });
});
