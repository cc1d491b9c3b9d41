/**
 * Run in a process whose library path reaches a Vulkan driver (the webgpu test points it at
 * Chromium's SwiftShader): checks that "auto" refuses the software adapter, then computes the
 * seed CNN's loss and gradients on webgpu (allowed explicitly) and on cpu and prints how far they
 * are apart, as JSON on a `WEBGPU ` line. Reads are async: tfjs-webgpu's dataSync needs
 * OffscreenCanvas, which Node lacks.
 */
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { createModel } from "../../model/model";
import { initNodeBackend } from "../node";
import { relativeError, seededValues } from "../testUtil";

async function lossAndGrads(backend: string) {
  await tf.setBackend(backend);
  const model = createModel("keras-cifar10-cnn", 3);
  const x = tf.tensor4d(
    seededValues(2 * 32 * 32 * 3, 8).map((v) => (v + 1) / 2),
    [2, 32, 32, 3],
  );
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([2, 7], "int32"), 10));
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, true, 99)) as tf.Scalar,
    model.variables as tf.Variable[],
  );
  const loss = (await value.data())[0]!;
  const gradValues = await Promise.all(model.variables.map(async (v) => (await grads[v.name]!.data()) as Float32Array));
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: gradValues };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const auto = await initNodeBackend("auto");
  const gpu = await initNodeBackend("webgpu", { allowSoftwareGpu: true });
  const onGpu = await lossAndGrads("webgpu");
  const onCpu = await lossAndGrads("cpu");
  const report = {
    auto: { name: auto.name, fallbacks: auto.fallbacks },
    webgpu: gpu.detail,
    loss: [onGpu.loss, onCpu.loss],
    gradErrors: onGpu.grads.map((g, i) => relativeError(g, onCpu.grads[i]!)),
  };
  process.stdout.write(`WEBGPU ${JSON.stringify(report)}\n`);
  process.exit(0);
}
