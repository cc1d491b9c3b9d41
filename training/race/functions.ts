/**
 * The race's test functions as the page and validation know them (no tfjs here, so the /race
 * page's first load stays free of it); their formulas live in ./formulas.ts.
 */
export const RACE_FUNCTIONS = ["rosenbrock", "beale", "quadratic"] as const;
export type RaceFunction = (typeof RACE_FUNCTIONS)[number];

export const FUNCTION_INFO: Record<RaceFunction, { label: string; minimum: [number, number]; view: [number, number, number, number] }> = {
  rosenbrock: { label: "Rosenbrock (1−x)² + 100(y−x²)²", minimum: [1, 1], view: [-2, 2, -1, 3] },
  beale: { label: "Beale", minimum: [3, 0.5], view: [-4.5, 4.5, -4.5, 4.5] },
  quadratic: { label: "Quadratic 0.5x² + 5y²", minimum: [0, 0], view: [-3, 3, -3, 3] },
};
