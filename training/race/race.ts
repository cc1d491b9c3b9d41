import * as tf from "@tensorflow/tfjs-core";
import { createOptimizer } from "../optimizers/keras";
import { createScheduler, cyclesMomentum, monitorsOf, type EpochMonitorValues } from "../schedules/scheduler";
import { FORMULAS } from "./formulas";
import type { RaceSpec } from "./spec";

export interface RacePath {
  /** N+1 positions: before each step and after the last (float32 values; null once not finite). */
  x: (number | null)[];
  y: (number | null)[];
  loss: (number | null)[];
}

/**
 * An optimizer on a 2-D function with the training code itself: the point is one float32
 * variable, the gradient comes from tfjs, the schedule sets lr at step k as at epoch k of a run
 * with epochs = steps and one step per epoch (a plateau schedule watches the function value).
 * Schedule-free optimizers report their evaluation point x, as validation does in training.
 * Runs on whatever tfjs backend is active; the CLI and the page use cpu (exact float32).
 */
export function runRace(spec: RaceSpec): RacePath {
  const f = FORMULAS[spec.function];
  const optimizer = createOptimizer(spec.optimizer, { cycledMomentum: cyclesMomentum(spec.schedule) });
  const scheduler = createScheduler(spec.schedule, { epochs: spec.steps, stepsPerEpoch: 1 });
  const monitors = monitorsOf(spec.schedule);
  const point = tf.variable(tf.tensor1d(spec.start, "float32"));
  const lossAt = (p: tf.Tensor) => tf.sum(f(tf.slice(p, 0, 1), tf.slice(p, 1, 1))) as tf.Scalar;
  const path: RacePath = { x: [], y: [], loss: [] };
  const record = () => {
    optimizer.useEvalParams?.([point]);
    const [x, y, loss] = tf.tidy(() => tf.concat([point, tf.reshape(lossAt(point), [1])])).dataSync();
    optimizer.useTrainParams?.([point]);
    path.x.push(finite(x!));
    path.y.push(finite(y!));
    path.loss.push(finite(loss!));
  };
  try {
    for (let step = 0; step < spec.steps; step++) {
      record();
      const lr = scheduler.lr(step, 0);
      const { value, grads } = tf.variableGrads(() => lossAt(point), [point]);
      optimizer.step([point], [grads[point.name]!], lr, scheduler.momentum(step, 0) ?? undefined);
      const values: EpochMonitorValues = {};
      const loss = value.dataSync()[0]!;
      for (const name of monitors) values[name] = loss;
      scheduler.endEpoch(step, values);
      tf.dispose([value, ...Object.values(grads)]);
    }
    record();
    return path;
  } finally {
    optimizer.dispose();
    point.dispose();
  }
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);
