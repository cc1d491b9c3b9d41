import * as tf from "@tensorflow/tfjs-core";

/** The race's test functions, elementwise over tensors of any shape (one point or a whole grid). */
export const RACE_FUNCTIONS = ["rosenbrock", "beale", "quadratic"] as const;
export type RaceFunction = (typeof RACE_FUNCTIONS)[number];

type Fn = (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;
const { add, sub, mul, square } = tf;

export const FUNCTIONS: Record<RaceFunction, { f: Fn; label: string; minimum: [number, number]; view: [number, number, number, number] }> =
  {
    /** (1−x)² + 100(y−x²)² */
    rosenbrock: {
      f: (x, y) => add(square(sub(1, x)), mul(100, square(sub(y, square(x))))),
      label: "Rosenbrock (1−x)² + 100(y−x²)²",
      minimum: [1, 1],
      view: [-2, 2, -1, 3],
    },
    /** (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)² */
    beale: {
      f: (x, y) =>
        add(
          add(square(add(sub(1.5, x), mul(x, y))), square(add(sub(2.25, x), mul(x, square(y))))),
          square(add(sub(2.625, x), mul(x, mul(y, square(y))))),
        ),
      label: "Beale",
      minimum: [3, 0.5],
      view: [-4.5, 4.5, -4.5, 4.5],
    },
    /** 0.5x² + 5y²: condition number 10. */
    quadratic: {
      f: (x, y) => add(mul(0.5, square(x)), mul(5, square(y))),
      label: "Quadratic 0.5x² + 5y²",
      minimum: [0, 0],
      view: [-3, 3, -3, 3],
    },
  };
