/**
 * The names a formula may use. Lookups go through Maps, never `obj[name]`, so that names such
 * as `constructor` or `__proto__` are simply unknown rather than reaching Object.prototype.
 */

export const VARIABLE_NAMES = ["epoch", "step", "epochs", "stepsPerEpoch"] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];
export type ExpressionVariables = Readonly<Record<VariableName, number>>;

const variableNames: ReadonlySet<string> = new Set(VARIABLE_NAMES);
export function isVariableName(name: string): name is VariableName {
  return variableNames.has(name);
}

export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ["pi", Math.PI],
  ["e", Math.E],
]);

export interface FunctionDef {
  minArgs: number;
  maxArgs: number;
  apply: (...args: number[]) => number;
}

const unary = (apply: (x: number) => number): FunctionDef => ({ minArgs: 1, maxArgs: 1, apply });

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map([
  ["exp", unary(Math.exp)],
  ["log", unary(Math.log)],
  ["sqrt", unary(Math.sqrt)],
  ["abs", unary(Math.abs)],
  ["floor", unary(Math.floor)],
  ["ceil", unary(Math.ceil)],
  // Math.round: halves round towards +∞ (round(2.5) = 3, round(-2.5) = -2).
  ["round", unary(Math.round)],
  ["sin", unary(Math.sin)],
  ["cos", unary(Math.cos)],
  ["min", { minArgs: 2, maxArgs: Infinity, apply: Math.min }],
  ["max", { minArgs: 2, maxArgs: Infinity, apply: Math.max }],
  ["pow", { minArgs: 2, maxArgs: 2, apply: Math.pow }],
]);

export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()];
