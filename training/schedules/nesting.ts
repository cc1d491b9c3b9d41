/**
 * Sequences may nest, but zod and the scheduler recurse once per level, so hostile input (a few
 * hundred levels) would overflow the stack. Raw input is measured first, without recursion.
 */
export const MAX_SEQUENCE_DEPTH = 16;

/** How deeply `{kind: "sequence", parts: [{schedule}]}` objects nest in raw, unvalidated input. */
export function sequenceDepth(raw: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[raw, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isRecord(node) || node.kind !== "sequence" || !Array.isArray(node.parts)) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_SEQUENCE_DEPTH) return deepest; // deep enough to reject; stop walking
    for (const part of node.parts as unknown[]) {
      if (isRecord(part)) stack.push([part.schedule, depth + 1]);
    }
  }
  return deepest;
}

/**
 * The formulas of raw, unvalidated schedule input, in document order: the `expr` of each
 * expression, inside sequences to the allowed depth. Walked like sequenceDepth, without recursion.
 */
export function formulaTexts(raw: unknown): string[] {
  const texts: string[] = [];
  const stack: [unknown, number][] = [[raw, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isRecord(node)) continue;
    if (node.kind === "expression" && typeof node.expr === "string") texts.push(node.expr);
    if (node.kind !== "sequence" || !Array.isArray(node.parts) || depth >= MAX_SEQUENCE_DEPTH) continue;
    for (const part of (node.parts as unknown[]).toReversed()) {
      if (isRecord(part)) stack.push([part.schedule, depth + 1]);
    }
  }
  return texts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
