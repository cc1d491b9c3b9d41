import type { ExpressionNode } from "./ast";
import { ExpressionError } from "./errors";
import { FUNCTIONS, type ExpressionVariables } from "./names";
import { parseExpression } from "./parser";
import { yieldToEventLoop } from "../trainer/yieldToEventLoop";

export interface CompiledExpression {
  /** The formula's value; throws ExpressionError for a non-finite or negative result. */
  evaluate(vars: ExpressionVariables): number;
  /** Whether the formula reads `step`, i.e. can change within an epoch. */
  usesStep: boolean;
}

type Evaluator = (vars: ExpressionVariables) => number;

/**
 * Formulas remembered by compileExpression. A compiled 1,000-character formula holds about
 * 60–130 kB, so this keeps at most a few tens of MB whatever clients send.
 */
export const MEMO_CAPACITY = 256;

/** Least recently used first (a Map iterates in insertion order; a hit is moved to the end). */
const memo = new Map<string, CompiledExpression>();

/**
 * Parses `text` (throws ExpressionError) and turns the tree into plain closures: no eval.
 * Parsing a long formula costs more than checking it over a run, and one validation asks for
 * the same text several times (the schema's check, the scheduler, the per-step test; then the
 * worker, forks, re-runs), so compiled formulas are shared by text. They are immutable; failures
 * are not kept.
 */
export function compileExpression(text: string): CompiledExpression {
  const known = memo.get(text);
  if (known) {
    memo.delete(text);
    memo.set(text, known);
    return known;
  }
  const compiled = compile(text);
  memo.set(text, compiled);
  if (memo.size > MEMO_CAPACITY) memo.delete(memo.keys().next().value!);
  return compiled;
}

/** How long compileAhead works between turns of the event loop. */
const SLICE_MS = 10;

/**
 * Compiles formulas ahead of a synchronous check that will ask for them (a zod parse), in slices
 * of about SLICE_MS with a turn of the event loop between: a config may hold a hundred long
 * formulas. Only as many as are remembered; those that do not parse are left for the check to report.
 */
export async function compileAhead(texts: readonly string[]): Promise<void> {
  let sliceStart = performance.now();
  for (const text of texts.slice(0, MEMO_CAPACITY)) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
    try {
      compileExpression(text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
    }
  }
}

function compile(text: string): CompiledExpression {
  const tree = parseExpression(text);
  const run = toEvaluator(tree);
  return Object.freeze<CompiledExpression>({
    usesStep: usesVariable(tree, "step"),
    evaluate(vars) {
      const value = run(vars);
      if (value >= 0 && value < Infinity) return value;
      if (!Number.isFinite(value)) throw nonFinite(tree, vars);
      // 6 significant digits: enough to see the size, without float noise like 9.999999999999899e-5.
      throw new ExpressionError(`result is negative (${Number(value.toPrecision(6))})`, 1);
    },
  });
}

function toEvaluator(node: ExpressionNode): Evaluator {
  switch (node.type) {
    case "number": {
      const value = node.value;
      return () => value;
    }
    case "variable": {
      const name = node.name;
      return (vars) => vars[name];
    }
    case "negate": {
      const operand = toEvaluator(node.operand);
      return (vars) => -operand(vars);
    }
    case "power": {
      const base = toEvaluator(node.base);
      const exponent = toEvaluator(node.exponent);
      return (vars) => Math.pow(base(vars), exponent(vars));
    }
    case "call": {
      const apply = FUNCTIONS.get(node.name)!.apply;
      const args = node.args.map(toEvaluator);
      if (args.length === 1) {
        const [x] = args as [Evaluator];
        return (vars) => apply(x(vars));
      }
      if (args.length === 2) {
        const [a, b] = args as [Evaluator, Evaluator];
        return (vars) => apply(a(vars), b(vars));
      }
      return (vars) => apply(...args.map((arg) => arg(vars)));
    }
    case "chain": {
      const first = toEvaluator(node.first);
      const rest = node.rest.map((link) => ({ op: link.op, operand: toEvaluator(link.operand) }));
      return (vars) => {
        let acc = first(vars);
        for (const { op, operand } of rest) acc = applyChainOp(op, acc, operand(vars));
        return acc;
      };
    }
  }
}

function applyChainOp(op: "+" | "-" | "*" | "/", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
  }
}

function usesVariable(node: ExpressionNode, name: string): boolean {
  return children(node).some((child) => usesVariable(child, name)) || (node.type === "variable" && node.name === name);
}

function children(node: ExpressionNode): ExpressionNode[] {
  switch (node.type) {
    case "number":
    case "variable":
      return [];
    case "negate":
      return [node.operand];
    case "power":
      return [node.base, node.exponent];
    case "call":
      return node.args;
    case "chain":
      return [node.first, ...node.rest.map((link) => link.operand)];
  }
}

/**
 * Error path only: walks down from the non-finite result to the innermost operation that
 * produced a non-finite value from finite inputs, so the message points at e.g. `log`.
 */
function nonFinite(root: ExpressionNode, vars: ExpressionVariables): ExpressionError {
  let node = root;
  let value = toEvaluator(node)(vars);
  for (;;) {
    if (node.type === "chain") {
      // A chain is a sequence of operations: find the first operand or partial result that breaks.
      let acc = toEvaluator(node.first)(vars);
      if (!Number.isFinite(acc)) {
        node = node.first;
        value = acc;
        continue;
      }
      let culprit: { node: ExpressionNode; value: number } | undefined;
      for (const link of node.rest) {
        const operand = toEvaluator(link.operand)(vars);
        if (!Number.isFinite(operand)) {
          culprit = { node: link.operand, value: operand };
          break;
        }
        acc = applyChainOp(link.op, acc, operand);
        if (!Number.isFinite(acc)) {
          return new ExpressionError(`'${link.op}' gives ${acc}`, link.position);
        }
      }
      if (!culprit) return new ExpressionError(`result is ${value}`, node.position);
      node = culprit.node;
      value = culprit.value;
      continue;
    }
    const bad = children(node).find((child) => !Number.isFinite(toEvaluator(child)(vars)));
    if (!bad) return new ExpressionError(`${describe(node)} gives ${value}`, node.position);
    value = toEvaluator(bad)(vars);
    node = bad;
  }
}

function describe(node: ExpressionNode): string {
  switch (node.type) {
    case "call":
      return `${node.name}(...)`;
    case "power":
      return "'^'";
    case "negate":
      return "'-'";
    case "variable":
      return `'${node.name}'`;
    default:
      return "value";
  }
}
