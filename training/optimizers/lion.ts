import * as tf from "@tensorflow/tfjs-core";
import type { Rule } from "./engine";
import type { OptimizerSpec } from "./spec";

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2; as
 * lucidrains/lion-pytorch lion_pytorch.py): c = β1·m + (1−β1)·g; w ← w·(1 − lr·wd) − lr·sign(c);
 * m ← β2·m + (1−β2)·g. `momentum` replaces β1 for the step.
 */
export function lionRule(spec: Extract<OptimizerSpec, { kind: "lion" }>): Rule {
  const { beta2, weightDecay } = spec;
  let c = { beta1: spec.beta1, decay: 1, lr: 0 };
  return {
    slotInit: [0],
    ownsDecay: true,
    prepare(_t, lr, momentum) {
      c = { beta1: momentum ?? spec.beta1, decay: 1 - lr * weightDecay, lr };
    },
    update(p, g, [m]) {
      const direction = tf.sign(tf.add(tf.mul(m!, c.beta1), tf.mul(g, 1 - c.beta1)));
      m!.assign(tf.add(tf.mul(m!, beta2), tf.mul(g, 1 - beta2)));
      return tf.sub(tf.mul(p, c.decay), tf.mul(direction, c.lr));
    },
  };
}
