import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerSpec } from "./spec";

/**
 * The one optimizer loop behind every kind: per-variable update rules with slot tensors, the
 * learning rate (and optionally a cycled momentum) set by the caller before every step.
 */
export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Steps taken so far (bias corrections use it). */
  readonly iterations: number;
  /**
   * One update of `variables` with `grads` (same order) at learning rate `lr`. `momentum`, when
   * given, replaces SGD's momentum or β1 for this step (PyTorch's cycle_momentum; see momentumField).
   */
  step(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number, momentum?: number): void;
  /** Slot tensors (copies), the step count and per-step scalars, for checkpoints. */
  getState(): OptimizerState;
  setState(state: OptimizerState, variables: readonly tf.Variable[]): void;
  /**
   * Schedule-free only: the variables hold the training point y; these swap them to the
   * evaluation point x (the reference's eval mode) and back to exactly the y they held.
   */
  useEvalParams?(variables: readonly tf.Variable[]): void;
  useTrainParams?(variables: readonly tf.Variable[]): void;
  dispose(): void;
}

export interface OptimizerState {
  iterations: number;
  /** slots[s][i] is slot s of variable i. */
  slots: tf.Tensor[][];
  /** Numbers carried from step to step (NAdam's μ product, schedule-free's weight sum), in float64. */
  scalars?: number[];
}

/** New value of parameter `p` from its gradient; may assign its slots. */
export type Update = (p: tf.Tensor, g: tf.Tensor, slots: tf.Variable[], lr: tf.Scalar, t: number, momentum?: number) => tf.Tensor;

export interface Rule {
  /** Initial value of each slot (all slots have the variable's shape): a number, or the parameter itself. */
  slotInit: (number | "param")[];
  /** Set when the rule applies `weightDecay` itself (decoupled); otherwise g ← g + wd·w before `update`. */
  ownsDecay?: boolean;
  /** Once per step before the updates: per-step constants and scalar state. */
  prepare?(t: number, lr: number, momentum: number | undefined): void;
  update: Update;
  scalars?: { get(): number[]; set(values: number[]): void };
  /** Schedule-free: the evaluation point x from the training point y and the slots. */
  evalPoint?: (y: tf.Tensor, slots: tf.Variable[]) => tf.Tensor;
}

export function createRuleOptimizer(spec: OptimizerSpec, rule: Rule): Optimizer {
  const weightDecay = rule.ownsDecay ? 0 : (spec.weightDecay ?? 0);
  let iterations = 0;
  /** slots[s][i]: created on the first step, or by setState. */
  let slots: tf.Variable[][] | null = null;
  /** While evaluating (schedule-free): the training values the variables held. */
  let trainValues: tf.Tensor[] | null = null;

  // tidy frees the fill tensors; the variables keep their own reference to the data.
  const createSlots = (variables: readonly tf.Variable[]) =>
    tf.tidy(() =>
      rule.slotInit.map((init) => variables.map((v) => tf.variable(init === "param" ? v.clone() : tf.fill(v.shape, init), false))),
    );
  const slotsOf = (s: tf.Variable[][], i: number) => s.map((slot) => slot[i]!);

  const optimizer: Optimizer = {
    spec,
    get iterations() {
      return iterations;
    },
    step(variables, grads, lr, momentum) {
      if (grads.length !== variables.length) throw new Error("optimizer.step: one gradient per variable expected");
      if (trainValues) throw new Error("optimizer.step: the parameters hold evaluation values");
      slots ??= createSlots(variables);
      const s = slots;
      iterations += 1;
      rule.prepare?.(iterations, lr, momentum);
      tf.tidy(() => {
        const lrT = tf.scalar(lr);
        variables.forEach((variable, i) => {
          const g = weightDecay === 0 ? grads[i]! : tf.add(grads[i]!, tf.mul(variable, weightDecay));
          variable.assign(rule.update(variable, g, slotsOf(s, i), lrT, iterations, momentum));
        });
      });
    },
    getState() {
      return {
        iterations,
        slots: (slots ?? []).map((slot) => slot.map((v) => v.clone())),
        ...(rule.scalars ? { scalars: rule.scalars.get() } : {}),
      };
    },
    setState(state, variables) {
      if (state.slots.length !== rule.slotInit.length)
        throw new Error(`optimizer state has ${state.slots.length} slots, ${spec.kind} needs ${rule.slotInit.length}`);
      for (const slot of state.slots) {
        if (slot.length !== variables.length) throw new Error("optimizer state does not match the model's variables");
        slot.forEach((t, i) => {
          if (!tf.util.arraysEqual(t.shape, variables[i]!.shape))
            throw new Error(`optimizer state shape [${t.shape}] does not match variable [${variables[i]!.shape}]`);
        });
      }
      if (rule.scalars) {
        const want = rule.scalars.get().length;
        if (state.scalars?.length !== want)
          throw new Error(`optimizer state has ${state.scalars?.length ?? 0} scalars, ${spec.kind} needs ${want}`);
        rule.scalars.set(state.scalars);
      }
      slots?.flat().forEach((v) => v.dispose());
      slots = state.slots.map((slot) => slot.map((t) => tf.variable(t, false)));
      iterations = state.iterations;
    },
    dispose() {
      slots?.flat().forEach((v) => v.dispose());
      slots = null;
      tf.dispose(trainValues ?? []);
      trainValues = null;
    },
  };
  const evalPoint = rule.evalPoint;
  if (evalPoint) {
    optimizer.useEvalParams = (variables) => {
      // Before the first step z = y, so x = y too.
      if (trainValues || !slots) return;
      const s = slots;
      trainValues = variables.map((v) => v.clone());
      tf.tidy(() => variables.forEach((v, i) => v.assign(evalPoint(v, slotsOf(s, i)))));
    };
    optimizer.useTrainParams = (variables) => {
      if (!trainValues) return;
      const saved = trainValues;
      variables.forEach((v, i) => v.assign(saved[i]!));
      tf.dispose(saved);
      trainValues = null;
    };
  }
  return optimizer;
}
