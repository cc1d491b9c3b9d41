import { describe, expect, it } from "vitest";
import { compileExpression } from "./compile";
import { ExpressionError } from "./errors";
import type { ExpressionVariables } from "./names";

const at = (epoch: number, step = 0, epochs = 100, stepsPerEpoch = 10): ExpressionVariables => ({
  epoch,
  step,
  epochs,
  stepsPerEpoch,
});

function evalError(text: string, vars: ExpressionVariables): ExpressionError {
  const compiled = compileExpression(text);
  try {
    compiled.evaluate(vars);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to fail at evaluation`);
}

describe("compileExpression: values", () => {
  it("evaluates the article's step decay written as a formula", () => {
    const f = compileExpression("0.1 * pow(0.5, floor((1 + epoch) / 10))");
    for (const epoch of [0, 8, 9, 10, 19, 20, 55]) {
      expect(f.evaluate(at(epoch))).toBeCloseTo(0.1 * 0.5 ** Math.floor((1 + epoch) / 10), 15);
    }
  });

  it("applies precedence, associativity and unary minus like ordinary maths", () => {
    const value = (text: string) => compileExpression(text).evaluate(at(3, 7));
    expect(value("1 + 2 * 3")).toBe(7);
    expect(value("10 - 4 - 3")).toBe(3);
    expect(value("64 / 4 / 2")).toBe(8);
    expect(value("2 ^ 3 ^ 2")).toBe(512);
    expect(value("-2 ^ 2 + 5")).toBe(1);
    expect(value("2 ^ -1")).toBe(0.5);
    expect(value("(-2) ^ 2")).toBe(4);
    expect(value("- - 3")).toBe(3);
  });

  it("reads all four variables and both constants", () => {
    const f = compileExpression("epoch + step / 1000 + epochs * 1e6 + stepsPerEpoch * 1e3 + 0 * pi * e");
    expect(f.evaluate(at(3, 17, 40, 9))).toBeCloseTo(3 + 0.017 + 40e6 + 9e3, 6);
    expect(compileExpression("cos(pi) + 2").evaluate(at(0))).toBeCloseTo(1, 15);
    expect(compileExpression("log(e)").evaluate(at(0))).toBeCloseTo(1, 15);
  });

  it("implements every function", () => {
    const v = (text: string) => compileExpression(text).evaluate(at(0));
    expect(v("exp(1)")).toBeCloseTo(Math.E, 15);
    expect(v("log(100)")).toBeCloseTo(Math.log(100), 15);
    expect(v("sqrt(2)")).toBeCloseTo(Math.SQRT2, 15);
    expect(v("abs(-3)")).toBe(3);
    expect(v("floor(2.7)")).toBe(2);
    expect(v("ceil(2.1)")).toBe(3);
    expect(v("round(2.5)")).toBe(3);
    expect(v("sin(pi / 2)")).toBeCloseTo(1, 15);
    expect(v("cos(0)")).toBe(1);
    expect(v("min(3, 1, 2)")).toBe(1);
    expect(v("max(3, 1, 7, 2)")).toBe(7);
    expect(v("pow(2, 10)")).toBe(1024);
  });

  it("reports whether the formula depends on the step", () => {
    expect(compileExpression("0.1 * epoch / epochs").usesStep).toBe(false);
    expect(compileExpression("0.1 * step / (epochs * stepsPerEpoch)").usesStep).toBe(true);
    expect(compileExpression("min(1, max(0, pow(2, -step)))").usesStep).toBe(true);
  });
});

describe("compileExpression: results rejected at evaluation", () => {
  it("rejects log(-1) as non-finite, pointing at log", () => {
    const error = evalError("0.1 + log(-1)", at(0));
    expect(error.message).toBe("log(...) gives NaN at position 7");
  });

  it("points at the division that produced infinity", () => {
    const error = evalError("0.1 + 1 / (epoch - 3)", at(3));
    expect(error.message).toBe("'/' gives Infinity at position 9");
    expect(compileExpression("0.1 + 1 / (epoch - 3)").evaluate(at(4))).toBeCloseTo(1.1, 15);
  });

  it("points at an inner function whose NaN propagates", () => {
    expect(evalError("max(0.1, sqrt(epoch - 5))", at(2)).message).toBe("sqrt(...) gives NaN at position 10");
  });

  it("rejects a negative result, giving the value", () => {
    const f = compileExpression("0.1 - epoch / 100");
    expect(f.evaluate(at(10))).toBeCloseTo(0, 15);
    const error = evalError("0.1 - epoch / 100", at(20));
    expect(error.reason).toBe("result is negative (-0.1)");
  });

  it("rejects exp overflow", () => {
    expect(evalError("exp(epoch * 1000)", at(1)).message).toBe("exp(...) gives Infinity at position 1");
  });
});
