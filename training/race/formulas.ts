import * as tf from "@tensorflow/tfjs-core";
import type { RaceFunction } from "./functions";

const { add, sub, mul, square } = tf;

/** Each race function, elementwise over tensors of any shape (one point or a whole grid). */
export const FORMULAS: Record<RaceFunction, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor> = {
  /** (1−x)² + 100(y−x²)² */
  rosenbrock: (x, y) => add(square(sub(1, x)), mul(100, square(sub(y, square(x))))),
  /** (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)² */
  beale: (x, y) =>
    add(
      add(square(add(sub(1.5, x), mul(x, y))), square(add(sub(2.25, x), mul(x, square(y))))),
      square(add(sub(2.625, x), mul(x, mul(y, square(y))))),
    ),
  /** 0.5x² + 5y²: condition number 10. */
  quadratic: (x, y) => add(mul(0.5, square(x)), mul(5, square(y))),
};
