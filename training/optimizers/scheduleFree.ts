import * as tf from "@tensorflow/tfjs-core";
import type { Rule } from "./engine";
import type { OptimizerSpec } from "./spec";

/**
 * Schedule-Free SGD and AdamW (Defazio et al. 2024), ports of facebookresearch/schedule_free
 * schedulefree/sgd_schedulefree.py and adamw_schedulefree.py (commit 0083572) with r = 0 and
 * weight_lr_power = 2. The parameters hold y = (1−β)·z + β·x while training; z is slot 0; the
 * step's lr (from the schedule, warmed up over `warmupSteps`) weights the running average x.
 */
type Spec<K extends OptimizerSpec["kind"]> = Extract<OptimizerSpec, { kind: K }>;

/** The reference's linear warm-up factor at step t (1-based). */
const warmup = (t: number, warmupSteps: number) => (t <= warmupSteps ? t / warmupSteps : 1);

/** Running average weights: ckp1 = lr_max² / Σ lr_max², with lr_max the largest step lr so far. */
function averaging() {
  let lrMax = -1;
  let weightSum = 0;
  return {
    scalars: {
      get: () => [lrMax, weightSum],
      set: ([max, sum]: number[]) => {
        lrMax = max!;
        weightSum = sum!;
      },
    },
    /** The next step's interpolation weight ckp1 at step lr `stepLr`. */
    next(stepLr: number) {
      lrMax = Math.max(stepLr, lrMax);
      const weight = lrMax ** 2;
      weightSum += weight;
      return { lr: stepLr, ckp1: weightSum === 0 ? 0 : weight / weightSum };
    },
  };
}

const lerp = (from: tf.Tensor, to: tf.Tensor, weight: number) => tf.add(from, tf.mul(tf.sub(to, from), weight));

/** y ← lerp(y, z, ckp1) + lr·(β(1−ckp1) − 1)·d;  z ← z − lr·d, with d the (normalised) gradient. */
function interpolate(y: tf.Tensor, z: tf.Variable, d: tf.Tensor, beta: number, c: { lr: number; ckp1: number }) {
  const yNew = tf.add(lerp(y, z, c.ckp1), tf.mul(d, c.lr * (beta * (1 - c.ckp1) - 1)));
  z.assign(tf.sub(z, tf.mul(d, c.lr)));
  return yNew;
}

/** Weight decay is coupled (g ← g + wd·y), the engine's default. */
export function scheduleFreeSgdRule(spec: Spec<"scheduleFreeSgd">): Rule {
  const { momentum } = spec;
  const avg = averaging();
  let c = { lr: 0, ckp1: 0 };
  return {
    slotInit: ["param"],
    scalars: avg.scalars,
    prepare(t, lr) {
      c = avg.next(lr * warmup(t, spec.warmupSteps));
    },
    update: (y, g, [z]) => interpolate(y, z!, g, momentum, c),
    evalPoint: (y, [z]) => lerp(y, z!, 1 - 1 / momentum),
  };
}

/** d = g/(√v + ε) + wd·y; the lr is scaled by √(1−β2ᵗ). */
export function scheduleFreeAdamwRule(spec: Spec<"scheduleFreeAdamw">): Rule {
  const { beta1, beta2, epsilon, weightDecay } = spec;
  const avg = averaging();
  let c = { lr: 0, ckp1: 0 };
  return {
    slotInit: ["param", 0],
    ownsDecay: true,
    scalars: avg.scalars,
    prepare(t, lr) {
      c = avg.next(lr * warmup(t, spec.warmupSteps) * Math.sqrt(1 - beta2 ** t));
    },
    update(y, g, [z, v]) {
      const vNew = tf.add(tf.mul(v!, beta2), tf.mul(tf.square(g), 1 - beta2));
      v!.assign(vNew);
      const normalised = tf.div(g, tf.add(tf.sqrt(vNew), epsilon));
      const d = weightDecay === 0 ? normalised : tf.add(normalised, tf.mul(y, weightDecay));
      return interpolate(y, z!, d, beta1, c);
    },
    evalPoint: (y, [z]) => lerp(y, z!, 1 - 1 / beta1),
  };
}
