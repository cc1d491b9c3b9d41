import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { registerAllGradients } from "../backend/gradients";

/**
 * The race runs on tfjs's cpu backend everywhere (CLI, tests, the /race page): two numbers per
 * step need no accelerator, and cpu is exact float32 in Node and every browser alike.
 */
export async function initRaceBackend(): Promise<void> {
  tf.env().set("PROD", true);
  registerAllGradients();
  await tf.setBackend("cpu");
}
