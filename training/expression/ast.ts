import type { VariableName } from "./names";

/** Every node carries the 1-based position of the token it came from, for error messages. */
export type ExpressionNode =
  | { type: "number"; value: number; position: number }
  | { type: "variable"; name: VariableName; position: number }
  | { type: "negate"; operand: ExpressionNode; position: number }
  | { type: "power"; base: ExpressionNode; exponent: ExpressionNode; position: number }
  | { type: "call"; name: string; args: ExpressionNode[]; position: number }
  // Left-associative runs (`a - b + c`, `a * b / c`) are kept flat so that tree depth, and so
  // evaluation recursion, is bounded by the nesting limit rather than by the text's length.
  | { type: "chain"; first: ExpressionNode; rest: ChainLink[]; position: number };

export type ChainOperator = "+" | "-" | "*" | "/";

export interface ChainLink {
  op: ChainOperator;
  operand: ExpressionNode;
  position: number;
}
