import { ExpressionError } from "./errors";

export type Token =
  | { type: "number"; value: number; text: string; position: number }
  | { type: "name"; text: string; position: number }
  | { type: "op"; text: "+" | "-" | "*" | "/" | "^"; position: number }
  | { type: "("; text: "("; position: number }
  | { type: ")"; text: ")"; position: number }
  | { type: ","; text: ","; position: number }
  | { type: "end"; text: ""; position: number };

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const WHITESPACE = /[ \t\r\n]+/y;

/** Splits formula text into tokens; positions are 1-based. Always ends with an `end` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const position = i + 1;
    const match = matchAt(WHITESPACE, text, i);
    if (match) {
      i += match.length;
      continue;
    }
    const number = matchAt(NUMBER, text, i);
    if (number) {
      const value = Number(number);
      if (!Number.isFinite(value)) throw new ExpressionError(`number '${number}' is too large`, position);
      tokens.push({ type: "number", value, text: number, position });
      i += number.length;
      continue;
    }
    const name = matchAt(NAME, text, i);
    if (name) {
      tokens.push({ type: "name", text: name, position });
      i += name.length;
      continue;
    }
    const ch = text[i]!;
    if (ch === "+" || ch === "-" || ch === "*" || ch === "/" || ch === "^") {
      tokens.push({ type: "op", text: ch, position });
    } else if (ch === "(") {
      tokens.push({ type: "(", text: ch, position });
    } else if (ch === ")") {
      tokens.push({ type: ")", text: ch, position });
    } else if (ch === ",") {
      tokens.push({ type: ",", text: ch, position });
    } else {
      throw new ExpressionError(`unexpected character ${quoteChar(text.codePointAt(i)!)}`, position);
    }
    i += 1;
  }
  tokens.push({ type: "end", text: "", position: text.length + 1 });
  return tokens;
}

function matchAt(re: RegExp, text: string, index: number): string | undefined {
  re.lastIndex = index;
  return re.exec(text)?.[0];
}

function quoteChar(codePoint: number): string {
  const ch = String.fromCodePoint(codePoint);
  // Control and invisible characters are shown as escapes so the message stays readable.
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}'` : `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}
