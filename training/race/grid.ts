import * as tf from "@tensorflow/tfjs-core";
import { FORMULAS } from "./formulas";
import { FUNCTION_INFO, type RaceFunction } from "./functions";

/**
 * The function on an n×n grid over its view [x0, x1] × [y0, y1], row-major from the top row
 * (largest y) down, as an image is drawn. The same definition the race differentiates.
 */
export function evaluateGrid(fn: RaceFunction, n: number): Float32Array {
  const [x0, x1, y0, y1] = FUNCTION_INFO[fn].view;
  const values = tf.tidy(() => {
    const xs = tf.linspace(x0, x1, n);
    const ys = tf.linspace(y1, y0, n);
    const x = tf.tile(tf.reshape(xs, [1, n]), [n, 1]);
    const y = tf.tile(tf.reshape(ys, [n, 1]), [1, n]);
    return FORMULAS[fn](x, y);
  });
  const out = values.dataSync() as Float32Array;
  values.dispose();
  return out;
}
