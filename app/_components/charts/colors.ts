/** Distinct, colour-blind-friendly line colours (Okabe–Ito, then Tableau), reused cyclically. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#CC79A7",
  "#56B4E9",
  "#000000",
  "#7F3C8D",
  "#4E79A7",
  "#F28E2B",
  "#59A14F",
  "#B07AA1",
];

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}
