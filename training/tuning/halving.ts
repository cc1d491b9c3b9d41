/** Successive halving for an lr sweep: the worse half of the running candidates stops at ⅓ and ⅔ of the epochs. Pure. */

/** Epoch counts after which the worse half stops (none below 3 epochs). */
export function halvingRungs(epochs: number): number[] {
  if (epochs < 3) return [];
  return [...new Set([Math.round(epochs / 3), Math.round((2 * epochs) / 3)])].filter((e) => e > 0 && e < epochs);
}

/**
 * Of candidates scored on validation accuracy (NaN or diverged: −∞), the indices that go on: the
 * better half (rounded up); ties keep the earlier candidate. The others stop.
 */
export function survivors(scores: readonly { index: number; valAcc: number }[]): { keep: number[]; stop: number[] } {
  const score = (v: number) => (Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY);
  const ranked = [...scores].sort((a, b) => score(b.valAcc) - score(a.valAcc) || a.index - b.index);
  const n = Math.ceil(scores.length / 2);
  return { keep: ranked.slice(0, n).map((s) => s.index), stop: ranked.slice(n).map((s) => s.index) };
}

/** The candidate chosen on validation accuracy: the best one, ties to the earlier; null when none scored. */
export function best(scores: readonly { index: number; valAcc: number }[]): number | null {
  return survivors(scores).keep[0] ?? null;
}
