/** A formula that cannot be parsed or evaluated: where (1-based character position) and why. */
export class ExpressionError extends Error {
  readonly position: number;
  readonly reason: string;
  constructor(reason: string, position: number) {
    super(`${reason} at position ${position}`);
    this.name = "ExpressionError";
    this.reason = reason;
    this.position = position;
  }
}
