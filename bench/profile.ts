/**
 * Per-op profile of one training step of the seed CNN on the active backend: tfjs's own kernel
 * timings (tf.profile), each kernel assigned to a part of the step (forward, the two convolution
 * gradients, pooling, dropout, dense, optimizer update, …) by its name, input shapes and where in
 * the step it ran (model forward, loss + backward, optimizer). Time outside kernels (JS: dropout
 * random numbers, tape bookkeeping, dispatch) is reported as its own row, as is the upload of the
 * batch (toTensors).
 */
import * as tf from "@tensorflow/tfjs-core";
import { createModel, type Model } from "../training/model/model";
import type { ModelName } from "../training/model/names";
import { createOptimizer, type Optimizer } from "../training/optimizers/keras";
import { optimizerSpecSchema } from "../training/optimizers/spec";
import { toTensors, trainStep } from "../training/trainer/step";

type Segment = "forward" | "backward" | "optimizer";

export interface ProfileRow {
  part: string;
  ms: number;
  calls: number;
}

export interface KernelRow {
  kernel: string;
  segment: Segment;
  shapes: string;
  ms: number;
  calls: number;
}

export interface StepProfile {
  backend: string;
  batch: number;
  /** Mean wall time of an unprofiled step (what the trainer sees). */
  stepMs: number;
  /** Mean wall time of a profiled step (kernel timing adds a little). */
  profiledStepMs: number;
  uploadMs: number;
  parts: ProfileRow[];
  kernels: KernelRow[];
}

interface KernelRecord {
  name: string;
  inputShapes: (number[] | null)[];
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
}

function isScalar(shape: number[] | null | undefined): boolean {
  return shape != null && shape.length === 0;
}

/** The part of the step a kernel belongs to (the seed CNN's ops; anything else is "other"). */
export function partOf(kernel: string, segment: Segment, shapes: (number[] | null)[]): string {
  if (segment === "optimizer") return "optimizer update";
  const [a, b] = shapes;
  const rank = a?.length ?? 0;
  // The loss, the accuracy count and the loss's own gradient work on [batch, 10] and smaller.
  const small = shapes.every((s) => s == null || s.length < 2 || (s.length === 2 && s[1]! <= 10));
  if (segment === "backward" && small && kernel !== "BatchMatMul") return "loss + metrics (and their gradient)";
  if (segment === "forward") {
    switch (kernel) {
      case "Conv2D":
      case "FusedConv2D":
        return "conv forward";
      case "MaxPool":
        return "max-pool forward";
      case "BatchMatMul":
      case "_FusedMatMul":
        return "dense forward";
      case "Relu":
        return "bias + relu forward";
      case "Add":
        // Bias: [.., C] + [C]; dropout: random + keep-probability (a scalar).
        return isScalar(b) ? "dropout forward" : "bias + relu forward";
      case "Floor":
      case "RealDiv":
      case "Multiply":
        return "dropout forward";
      case "Reshape":
        return "other";
      default:
        return "loss + metrics (and their gradient)";
    }
  }
  switch (kernel) {
    case "Conv2DBackpropInput":
      return "conv input gradient";
    case "Conv2DBackpropFilter":
      return "conv filter gradient";
    case "MaxPoolGrad":
      return "max-pool gradient";
    case "BatchMatMul":
    case "_FusedMatMul":
      return "dense gradients";
    case "Sum":
      // Bias gradients reduce the batch (and spatial) axes of a rank-2 or rank-4 gradient.
      return "bias gradients";
    case "Step":
    case "Cast":
    case "Multiply":
      return "relu + dropout gradients";
    default:
      return rank === 4 ? "other gradient ops" : "loss + metrics (and their gradient)";
  }
}

/** Runs `steps` profiled training steps after `warmup` plain ones, and `steps` plain ones timed. */
export async function profileTrainStep(options: {
  batch: number;
  steps?: number;
  warmup?: number;
  model?: ModelName;
}): Promise<StepProfile> {
  const steps = options.steps ?? 5;
  const batch = options.batch;
  const inner = createModel(options.model ?? "keras-cifar10-cnn", 0);
  const optimizer = createOptimizer(optimizerSpecSchema.parse({ kind: "sgd", momentum: 0.9 }));
  const engine = tf.engine() as unknown as { state: { activeProfile: { kernels: KernelRecord[] } } };
  const marks = { forwardStart: 0, forwardEnd: 0, optimizerStart: 0, optimizerEnd: 0 };
  const count = () => engine.state.activeProfile.kernels.length;
  // Same model and optimizer, observed: where forward and update start and end in the kernel list.
  const model: Model = {
    get name() {
      return inner.name;
    },
    get variables() {
      return inner.variables;
    },
    apply(x, training, seed) {
      marks.forwardStart = count();
      const out = inner.apply(x, training, seed);
      marks.forwardEnd = count();
      return out;
    },
    dispose: () => inner.dispose(),
  };
  const observed = Object.create(optimizer, {
    step: {
      value: (variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number) => {
        marks.optimizerStart = count();
        optimizer.step(variables, grads, lr);
        marks.optimizerEnd = count();
      },
    },
  }) as Optimizer;

  const images = new Float32Array(batch * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = ((i * 2654435761) % 1000) / 1000;
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
  const host = { x: images, y: labels, size: batch };
  const check = tf.env().getBool("CHECK_COMPUTATION_FOR_ERRORS");
  tf.env().set("CHECK_COMPUTATION_FOR_ERRORS", false);
  try {
    let step = 0;
    const plainStep = async () => {
      const t = toTensors(host);
      try {
        await trainStep(model, observed, t, 0.01, step++);
      } finally {
        tf.dispose([t.x, t.y]);
      }
    };
    for (let i = 0; i < (options.warmup ?? 3); i++) await plainStep();

    let uploadMs = 0;
    const started = performance.now();
    for (let i = 0; i < steps; i++) {
      const u = performance.now();
      const t = toTensors(host);
      uploadMs += performance.now() - u;
      await trainStep(model, observed, t, 0.01, step++);
      tf.dispose([t.x, t.y]);
    }
    const stepMs = (performance.now() - started - uploadMs) / steps;

    const byKernel = new Map<string, KernelRow>();
    let profiledMs = 0;
    for (let i = 0; i < steps; i++) {
      const t = toTensors(host);
      const s = performance.now();
      const info = await tf.profile(() => trainStep(model, observed, t, 0.01, step++));
      profiledMs += performance.now() - s;
      tf.dispose([t.x, t.y]);
      info.kernels.forEach((k, index) => {
        // Custom-gradient scopes (softmaxCrossEntropy__op, the model's fused layers) are timed
        // around kernels that are recorded on their own too: only real kernels count.
        if (tf.getKernel(k.name, tf.getBackend()) == null) return;
        const segment: Segment =
          index >= marks.forwardStart && index < marks.forwardEnd
            ? "forward"
            : index >= marks.optimizerStart && index < marks.optimizerEnd
              ? "optimizer"
              : index < marks.forwardStart
                ? "forward"
                : "backward";
        const shapes = JSON.stringify(k.inputShapes);
        const key = `${k.name} ${segment} ${shapes}`;
        const row = byKernel.get(key) ?? { kernel: k.name, segment, shapes, ms: 0, calls: 0 };
        row.ms += Number(k.kernelTimeMs) / steps;
        row.calls += 1 / steps;
        byKernel.set(key, row);
      });
    }
    const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
    const parts = new Map<string, ProfileRow>();
    for (const k of kernels) {
      const part = partOf(k.kernel, k.segment, JSON.parse(k.shapes) as (number[] | null)[]);
      const row = parts.get(part) ?? { part, ms: 0, calls: 0 };
      row.ms += k.ms;
      row.calls += k.calls;
      parts.set(part, row);
    }
    const inKernels = kernels.reduce((sum, k) => sum + k.ms, 0);
    const profiledStepMs = profiledMs / steps;
    const rows = [...parts.values()].sort((a, b) => b.ms - a.ms);
    rows.push({ part: "outside kernels (JS: dropout RNG, tape, dispatch)", ms: Math.max(0, profiledStepMs - inKernels), calls: 0 });
    return { backend: tf.getBackend(), batch, stepMs, profiledStepMs, uploadMs: uploadMs / steps, parts: rows, kernels };
  } finally {
    tf.env().set("CHECK_COMPUTATION_FOR_ERRORS", check);
    optimizer.dispose();
    inner.dispose();
  }
}

/** The profile as text: the parts of the step, then the `top` costliest kernels. */
export function formatProfile(p: StepProfile, top = 15): string {
  const lines: string[] = [];
  const pct = (ms: number) => `${((100 * ms) / p.profiledStepMs).toFixed(1).padStart(5)}%`;
  lines.push(
    `per-op profile, ${p.backend}, batch ${p.batch}: step ${p.stepMs.toFixed(1)} ms (${((1000 * p.batch) / p.stepMs).toFixed(1)} images/s; profiled ${p.profiledStepMs.toFixed(1)} ms)`,
  );
  lines.push(`  ${"part of the step".padEnd(52)} ${"ms".padStart(8)} ${"share".padStart(6)}  kernels`);
  for (const r of p.parts) {
    lines.push(`  ${r.part.padEnd(52)} ${r.ms.toFixed(1).padStart(8)} ${pct(r.ms)}  ${r.calls ? r.calls.toFixed(0) : ""}`);
  }
  lines.push(`  ${"batch upload (toTensors, not in the step)".padEnd(52)} ${p.uploadMs.toFixed(1).padStart(8)}`);
  lines.push(`  top kernels:`);
  for (const k of p.kernels.slice(0, top)) {
    lines.push(`    ${k.ms.toFixed(1).padStart(7)} ms  ${k.kernel.padEnd(22)} ${k.segment.padEnd(9)} ${k.shapes}`);
  }
  return lines.join("\n");
}
