import * as tf from "@tensorflow/tfjs-core";
import type { Rule } from "./engine";
import type { OptimizerSpec } from "./spec";

/**
 * Ports of PyTorch 1.13's AdamW, NAdam and RAdam (torch/optim/{adamw,nadam,radam}.py, the
 * single-tensor paths except where noted). Per-step constants are computed in float64 as PyTorch
 * does in Python, the tensor arithmetic in float32. `momentum` replaces β1 for the step.
 */
type Spec<K extends OptimizerSpec["kind"]> = Extract<OptimizerSpec, { kind: K }>;
const { add, sub, mul, div, sqrt, square } = tf;

const ema = (avg: tf.Tensor, value: tf.Tensor, beta: number) => add(mul(avg, beta), mul(value, 1 - beta));

/** Adam's moments: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², stored and returned. */
function moments(m: tf.Variable, v: tf.Variable, g: tf.Tensor, beta1: number, beta2: number) {
  const mNew = ema(m, g, beta1);
  const vNew = ema(v, square(g), beta2);
  m.assign(mNew);
  v.assign(vNew);
  return { m: mNew, v: vNew };
}

/** w ← w·(1 − lr·wd);  Adam with bias corrections: w ← w − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε). */
export function adamwRule(spec: Spec<"adamw">): Rule {
  const { beta2, epsilon, weightDecay } = spec;
  let c = { beta1: spec.beta1, decay: 1, stepSize: 0, bc2Sqrt: 1 };
  return {
    slotInit: [0, 0],
    ownsDecay: true,
    prepare(t, lr, momentum) {
      const beta1 = momentum ?? spec.beta1;
      c = { beta1, decay: 1 - lr * weightDecay, stepSize: lr / (1 - beta1 ** t), bc2Sqrt: Math.sqrt(1 - beta2 ** t) };
    },
    update(p, g, [m, v]) {
      const next = moments(m!, v!, g, c.beta1, beta2);
      const denom = add(div(sqrt(next.v), c.bc2Sqrt), epsilon);
      return sub(mul(p, c.decay), mul(div(next.m, denom), c.stepSize));
    },
  };
}

/**
 * μ_t = β1(1 − ½·0.96^(tψ)), Π_t = Π_{t−1}·μ_t;
 * w ← w − lr(1−μ_t)/(1−Π_t) · g/d − lr·μ_{t+1}/(1−Π_t·μ_{t+1}) · m/d, d = √(v/(1−β2ᵗ)) + ε.
 * 1.13's single-tensor path multiplies μ_t into the second denominator twice (fixed in 2.0); we
 * follow the documented algorithm, which is also 1.13's foreach path and every later release.
 */
export function nadamRule(spec: Spec<"nadam">): Rule {
  const { beta2, epsilon, momentumDecay } = spec;
  let muProduct = 1;
  let c = { beta1: spec.beta1, bc2Sqrt: 1, gradScale: 0, avgScale: 0 };
  return {
    slotInit: [0, 0],
    scalars: {
      get: () => [muProduct],
      set: ([value]) => {
        muProduct = value!;
      },
    },
    prepare(t, lr, momentum) {
      const beta1 = momentum ?? spec.beta1;
      const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
      muProduct *= mu;
      c = {
        beta1,
        bc2Sqrt: Math.sqrt(1 - beta2 ** t),
        gradScale: (lr * (1 - mu)) / (1 - muProduct),
        avgScale: (lr * muNext) / (1 - muProduct * muNext),
      };
    },
    update(p, g, [m, v]) {
      const next = moments(m!, v!, g, c.beta1, beta2);
      const denom = add(div(sqrt(next.v), c.bc2Sqrt), epsilon);
      return sub(sub(p, mul(div(g, denom), c.gradScale)), mul(div(next.m, denom), c.avgScale));
    },
  };
}

/**
 * ρ∞ = 2/(1−β2) − 1, ρ_t = ρ∞ − 2tβ2ᵗ/(1−β2ᵗ); m̂ = m/(1−β1ᵗ). When ρ_t > 5:
 * w ← w − lr·m̂·r_t·√(1−β2ᵗ)/(√v + ε) with the rectification r_t; otherwise w ← w − lr·m̂.
 */
export function radamRule(spec: Spec<"radam">): Rule {
  const { beta2, epsilon } = spec;
  /** Past the switch the step lr carries r_t and bc2Sqrt is √(1−β2ᵗ); below it bc2Sqrt is null. */
  let c = { beta1: spec.beta1, bc1: 1, lr: 0, bc2Sqrt: null as number | null };
  return {
    slotInit: [0, 0],
    prepare(t, lr, momentum) {
      const beta1 = momentum ?? spec.beta1;
      const bc2 = 1 - beta2 ** t;
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      c =
        rhoT > 5
          ? { beta1, bc1: 1 - beta1 ** t, lr: lr * rect, bc2Sqrt: Math.sqrt(bc2) }
          : { beta1, bc1: 1 - beta1 ** t, lr, bc2Sqrt: null };
    },
    update(p, g, [m, v]) {
      const next = moments(m!, v!, g, c.beta1, beta2);
      const corrected = div(next.m, c.bc1);
      if (c.bc2Sqrt === null) return sub(p, mul(corrected, c.lr));
      return sub(p, mul(div(mul(corrected, c.bc2Sqrt), add(sqrt(next.v), epsilon)), c.lr));
    },
  };
}
