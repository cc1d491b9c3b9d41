import type { ChainLink, ChainOperator, ExpressionNode } from "./ast";
import { ExpressionError } from "./errors";
import { CONSTANTS, FUNCTIONS, isVariableName } from "./names";
import { tokenize, type Token } from "./tokenizer";

export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest allowed nesting of parentheses, calls, unary minus and exponents. */
export const MAX_NESTING = 64;

/**
 * Parses a formula into a tree. Grammar, loosest binding first:
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?        right-associative; `-2^2` is -(2^2)
 *   primary := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
 */
export function parseExpression(text: string): ExpressionNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, MAX_EXPRESSION_LENGTH + 1);
  }
  const parser = new Parser(tokenize(text));
  if (parser.peek().type === "end") throw new ExpressionError("expression is empty", 1);
  const node = parser.sum();
  const next = parser.peek();
  if (next.type !== "end") throw unexpected(next);
  return node;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== "end") this.index += 1;
    return token;
  }

  private nested<T>(opener: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) {
      throw new ExpressionError(`nesting deeper than ${MAX_NESTING} levels`, opener.position);
    }
    this.depth += 1;
    const result = parse();
    this.depth -= 1;
    return result;
  }

  sum(): ExpressionNode {
    return this.chain(["+", "-"], () => this.product());
  }

  private product(): ExpressionNode {
    return this.chain(["*", "/"], () => this.unary());
  }

  private chain(ops: readonly ChainOperator[], operand: () => ExpressionNode): ExpressionNode {
    const first = operand();
    const rest: ChainLink[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type !== "op" || !(ops as readonly string[]).includes(token.text)) break;
      this.next();
      rest.push({ op: token.text as ChainOperator, operand: operand(), position: token.position });
    }
    return rest.length === 0 ? first : { type: "chain", first, rest, position: first.position };
  }

  private unary(): ExpressionNode {
    const token = this.peek();
    if (token.type === "op" && (token.text === "-" || token.text === "+")) {
      this.next();
      const operand = this.nested(token, () => this.unary());
      return token.text === "-" ? { type: "negate", operand, position: token.position } : operand;
    }
    return this.power();
  }

  private power(): ExpressionNode {
    const base = this.primary();
    const token = this.peek();
    if (token.type !== "op" || token.text !== "^") return base;
    this.next();
    const exponent = this.nested(token, () => this.unary());
    return { type: "power", base, exponent, position: token.position };
  }

  private primary(): ExpressionNode {
    const token = this.next();
    switch (token.type) {
      case "number":
        return { type: "number", value: token.value, position: token.position };
      case "(": {
        const inner = this.nested(token, () => this.sum());
        this.expect(")");
        return inner;
      }
      case "name":
        return this.peek().type === "(" ? this.call(token) : this.name(token);
      default:
        throw unexpected(token);
    }
  }

  private name(token: Token): ExpressionNode {
    const name = token.text;
    if (isVariableName(name)) return { type: "variable", name, position: token.position };
    const constant = CONSTANTS.get(name);
    if (constant !== undefined) return { type: "number", value: constant, position: token.position };
    if (FUNCTIONS.has(name)) throw new ExpressionError(`'${name}' is a function; call it as ${name}(...)`, token.position);
    throw new ExpressionError(`unknown name '${name}'`, token.position);
  }

  private call(token: Token): ExpressionNode {
    const name = token.text;
    const fn = FUNCTIONS.get(name);
    if (!fn) {
      const known = isVariableName(name) || CONSTANTS.has(name);
      throw new ExpressionError(known ? `'${name}' is not a function` : `unknown function '${name}'`, token.position);
    }
    const open = this.next();
    const args = this.nested(open, () => {
      const list = [this.sum()];
      while (this.peek().type === ",") {
        this.next();
        list.push(this.sum());
      }
      return list;
    });
    this.expect(")");
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw new ExpressionError(`${name} takes ${arityText(fn.minArgs, fn.maxArgs)}, got ${args.length}`, token.position);
    }
    return { type: "call", name, args, position: token.position };
  }

  private expect(type: ")"): void {
    const token = this.peek();
    if (token.type !== type) {
      throw new ExpressionError(token.type === "end" ? `missing '${type}'` : `expected '${type}', found '${token.text}'`, token.position);
    }
    this.next();
  }
}

function unexpected(token: Token): ExpressionError {
  return token.type === "end"
    ? new ExpressionError("unexpected end of expression", token.position)
    : new ExpressionError(`unexpected '${token.text}'`, token.position);
}

function arityText(min: number, max: number): string {
  const plural = (n: number) => (n === 1 ? "argument" : "arguments");
  if (min === max) return `${min} ${plural(min)}`;
  return `at least ${min} ${plural(min)}`;
}
