import { describe, expect, it } from "vitest";
import type { ExpressionNode } from "./ast";
import { ExpressionError } from "./errors";
import { MAX_NESTING, parseExpression } from "./parser";

function errorOf(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected '${text.slice(0, 40)}' to be rejected`);
}

/** Fully parenthesised rendering of a tree, to check precedence and associativity. */
function show(node: ExpressionNode): string {
  switch (node.type) {
    case "number":
      return String(node.value);
    case "variable":
      return node.name;
    case "negate":
      return `(-${show(node.operand)})`;
    case "power":
      return `(${show(node.base)}^${show(node.exponent)})`;
    case "call":
      return `${node.name}(${node.args.map(show).join(", ")})`;
    case "chain":
      return `(${show(node.first)}${node.rest.map((l) => ` ${l.op} ${show(l.operand)}`).join("")})`;
  }
}

describe("parseExpression: structure", () => {
  it.each([
    ["1 + 2 * 3", "(1 + (2 * 3))"],
    ["1 - 2 - 3", "(1 - 2 - 3)"],
    ["(1 - 2) * 3", "((1 - 2) * 3)"],
    ["-2^2", "(-(2^2))"],
    ["2^3^2", "(2^(3^2))"],
    ["2^-1", "(2^(-1))"],
    ["+epoch", "epoch"],
    ["- -1", "(-(-1))"],
    ["min(1, epoch, 3) / max(step, 2)", "(min(1, epoch, 3) / max(step, 2))"],
    ["pi * e", `(${Math.PI} * ${Math.E})`],
  ])("%s parses as %s", (text, expected) => {
    expect(show(parseExpression(text))).toBe(expected);
  });
});

describe("parseExpression: rejected input", () => {
  it.each([
    ["", "expression is empty at position 1"],
    ["   ", "expression is empty at position 1"],
    ["epoch ^^ 2", "unexpected '^' at position 8"],
    ["0.1 * foo", "unknown name 'foo' at position 7"],
    ["constructor", "unknown name 'constructor' at position 1"],
    ["__proto__ + 1", "unknown name '__proto__' at position 1"],
    ["toString()", "unknown function 'toString' at position 1"],
    ["hasOwnProperty(1)", "unknown function 'hasOwnProperty' at position 1"],
    ["epoch(2)", "'epoch' is not a function at position 1"],
    ["1 + exp", "'exp' is a function; call it as exp(...) at position 5"],
    ["1 2", "unexpected '2' at position 3"],
    ["(1 + 2", "missing ')' at position 7"],
    ["(1 + 2 3)", "expected ')', found '3' at position 8"],
    ["1 +", "unexpected end of expression at position 4"],
    ["min(1)", "min takes at least 2 arguments, got 1 at position 1"],
    ["pow(1, 2, 3)", "pow takes 2 arguments, got 3 at position 1"],
    ["sqrt(1, 2)", "sqrt takes 1 argument, got 2 at position 1"],
    ["log()", "unexpected ')' at position 5"],
    ["Epoch", "unknown name 'Epoch' at position 1"],
  ])("%j → %s", (text, message) => {
    expect(errorOf(text).message).toBe(message);
  });

  it("rejects text over 1000 characters without reading it", () => {
    const error = errorOf("1+".repeat(50_000) + "1");
    expect(error.reason).toBe("expression is longer than 1000 characters");
    expect(error.position).toBe(1001);
  });

  it("accepts nesting up to the limit and rejects one level more", () => {
    const nested = (n: number) => "(".repeat(n) + "epoch" + ")".repeat(n);
    expect(show(parseExpression(nested(MAX_NESTING)))).toBe("epoch");
    const error = errorOf(nested(MAX_NESTING + 1));
    expect(error.reason).toBe(`nesting deeper than ${MAX_NESTING} levels`);
    expect(error.position).toBe(MAX_NESTING + 1);
  });

  it("counts unary minus chains and exponent towers as nesting", () => {
    expect(errorOf("-".repeat(MAX_NESTING + 1) + "1").reason).toMatch(/nesting deeper/);
    expect(
      errorOf(
        Array(MAX_NESTING + 2)
          .fill("1")
          .join("^"),
      ).reason,
    ).toMatch(/nesting deeper/);
    expect(() => parseExpression("-".repeat(MAX_NESTING) + "1")).not.toThrow();
  });

  it("rejects 10k nested parentheses (length limit) quickly", () => {
    const started = performance.now();
    expect(errorOf("(".repeat(10_000) + "1" + ")".repeat(10_000)).reason).toMatch(/longer than 1000/);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("keeps long flat sums shallow (flat chain, not a 500-deep tree)", () => {
    const tree = parseExpression(Array(500).fill("1").join("+"));
    expect(tree.type === "chain" && tree.rest.length).toBe(499);
  });
});
