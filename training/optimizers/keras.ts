import * as tf from "@tensorflow/tfjs-core";
import { createRuleOptimizer, type Optimizer, type Rule } from "./engine";
import { lionRule } from "./lion";
import { adamwRule, nadamRule, radamRule } from "./pytorch";
import { scheduleFreeAdamwRule, scheduleFreeSgdRule } from "./scheduleFree";
import type { OptimizerSpec } from "./spec";

/**
 * The adaptive optimizers with Keras 2's update rules, as the article used them. tfjs's own
 * optimizers differ in ways that matter here: SGD momentum accumulates raw gradients (so a changing
 * lr acts differently), Adagrad's ε sits inside the square root and cannot be set. The learning
 * rate is an argument of every step: the schedule owns it.
 */
export type { Optimizer } from "./engine";

type KerasSpec = Extract<OptimizerSpec, { kind: "sgd" | "adagrad" | "adadelta" | "rmsprop" | "adam" | "adamax" }>;

/** `cycledMomentum`: the schedule passes a momentum every step, so SGD needs its velocity even at momentum 0. */
function ruleFor(spec: KerasSpec, cycledMomentum: boolean): Rule {
  const { add, sub, mul, div, sqrt, square } = tf;
  switch (spec.kind) {
    case "sgd": {
      const { nesterov } = spec;
      if (spec.momentum === 0 && !cycledMomentum) return { slotInit: [], update: (p, g, _s, lr) => sub(p, mul(g, lr)) };
      // v ← m·v − lr·g;  p ← p + v, or with Nesterov p ← p + m·v − lr·g.
      return {
        slotInit: [0],
        update: (p, g, [v], lr, _t, cycled) => {
          const momentum = cycled ?? spec.momentum;
          const vNew = sub(mul(v!, momentum), mul(g, lr));
          v!.assign(vNew);
          return nesterov ? sub(add(p, mul(vNew, momentum)), mul(g, lr)) : add(p, vNew);
        },
      };
    }
    case "adagrad": {
      const { epsilon } = spec;
      // a ← a + g²;  p ← p − lr·g / (√a + ε)
      return {
        slotInit: [spec.initialAccumulator],
        update: (p, g, [a], lr) => {
          const aNew = add(a!, square(g));
          a!.assign(aNew);
          return sub(p, div(mul(g, lr), add(sqrt(aNew), epsilon)));
        },
      };
    }
    case "adadelta": {
      const { rho, epsilon } = spec;
      // a ← ρa + (1−ρ)g²;  u = g·√(d+ε)/√(a+ε);  p ← p − lr·u;  d ← ρd + (1−ρ)u²
      return {
        slotInit: [0, 0],
        update: (p, g, [a, d], lr) => {
          const aNew = add(mul(a!, rho), mul(square(g), 1 - rho));
          const u = div(mul(g, sqrt(add(d!, epsilon))), sqrt(add(aNew, epsilon)));
          a!.assign(aNew);
          d!.assign(add(mul(d!, rho), mul(square(u), 1 - rho)));
          return sub(p, mul(u, lr));
        },
      };
    }
    case "rmsprop": {
      const { rho, epsilon } = spec;
      // a ← ρa + (1−ρ)g²;  p ← p − lr·g / (√a + ε)
      return {
        slotInit: [0],
        update: (p, g, [a], lr) => {
          const aNew = add(mul(a!, rho), mul(square(g), 1 - rho));
          a!.assign(aNew);
          return sub(p, div(mul(g, lr), add(sqrt(aNew), epsilon)));
        },
      };
    }
    case "adam": {
      const { beta2, epsilon } = spec;
      // lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ);  m ← β1m + (1−β1)g;  v ← β2v + (1−β2)g²;  p ← p − lr_t·m/(√v + ε)
      return {
        slotInit: [0, 0],
        update: (p, g, [m, v], lr, t, cycled) => {
          const beta1 = cycled ?? spec.beta1;
          const lrT = mul(lr, Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t));
          const mNew = add(mul(m!, beta1), mul(g, 1 - beta1));
          const vNew = add(mul(v!, beta2), mul(square(g), 1 - beta2));
          m!.assign(mNew);
          v!.assign(vNew);
          return sub(p, div(mul(mNew, lrT), add(sqrt(vNew), epsilon)));
        },
      };
    }
    case "adamax": {
      const { beta2, epsilon } = spec;
      // lr_t = lr/(1−β1ᵗ);  m ← β1m + (1−β1)g;  u ← max(β2u, |g|);  p ← p − lr_t·m/(u + ε)
      return {
        slotInit: [0, 0],
        update: (p, g, [m, u], lr, t, cycled) => {
          const beta1 = cycled ?? spec.beta1;
          const lrT = div(lr, 1 - beta1 ** t);
          const mNew = add(mul(m!, beta1), mul(g, 1 - beta1));
          const uNew = tf.maximum(mul(u!, beta2), tf.abs(g));
          m!.assign(mNew);
          u!.assign(uNew);
          return sub(p, div(mul(mNew, lrT), add(uNew, epsilon)));
        },
      };
    }
  }
}

/** Every kind's optimizer: Keras 2 rules for the original six, the library ports for the rest. */
/** `cycledMomentum`: the run's schedule cycles momentum (see Optimizer.step). */
export function createOptimizer(spec: OptimizerSpec, { cycledMomentum = false }: { cycledMomentum?: boolean } = {}): Optimizer {
  switch (spec.kind) {
    case "adamw":
      return createRuleOptimizer(spec, adamwRule(spec));
    case "nadam":
      return createRuleOptimizer(spec, nadamRule(spec));
    case "radam":
      return createRuleOptimizer(spec, radamRule(spec));
    case "lion":
      return createRuleOptimizer(spec, lionRule(spec));
    case "scheduleFreeSgd":
      return createRuleOptimizer(spec, scheduleFreeSgdRule(spec));
    case "scheduleFreeAdamw":
      return createRuleOptimizer(spec, scheduleFreeAdamwRule(spec));
    default:
      return createRuleOptimizer(spec, ruleFor(spec, cycledMomentum));
  }
}
