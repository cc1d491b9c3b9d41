import { describe, expect, it } from "vitest";
import { ExpressionError } from "./errors";
import { tokenize } from "./tokenizer";

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error("expected an ExpressionError");
}

describe("tokenize", () => {
  it("splits numbers, names, operators and parentheses with 1-based positions", () => {
    const tokens = tokenize("0.1 * pow(.5, floor((1 + epoch) / 1e1))");
    expect(tokens.map((t) => [t.type, t.text, t.position])).toEqual([
      ["number", "0.1", 1],
      ["op", "*", 5],
      ["name", "pow", 7],
      ["(", "(", 10],
      ["number", ".5", 11],
      [",", ",", 13],
      ["name", "floor", 15],
      ["(", "(", 20],
      ["(", "(", 21],
      ["number", "1", 22],
      ["op", "+", 24],
      ["name", "epoch", 26],
      [")", ")", 31],
      ["op", "/", 33],
      ["number", "1e1", 35],
      [")", ")", 38],
      [")", ")", 39],
      ["end", "", 40],
    ]);
    expect(tokens[14]).toMatchObject({ value: 10 });
    expect(tokens[4]).toMatchObject({ value: 0.5 });
  });

  it("reads exponents with signs and trailing dots", () => {
    const values = tokenize("2.5e-3 3. 4E+2").flatMap((t) => (t.type === "number" ? [t.value] : []));
    expect(values).toEqual([0.0025, 3, 400]);
  });

  it("rejects a literal that overflows to infinity", () => {
    const error = errorOf(() => tokenize("0.1 + 1e999"));
    expect(error.message).toBe("number '1e999' is too large at position 7");
  });

  it("rejects characters outside the language, naming them", () => {
    expect(errorOf(() => tokenize("epoch % 2")).message).toBe("unexpected character '%' at position 7");
    expect(errorOf(() => tokenize("a\u0000")).message).toBe("unexpected character U+0000 at position 2");
    expect(errorOf(() => tokenize("x = 1")).position).toBe(3);
  });
});
