/**
 * What a link preview says about a comparison: the number of runs, the best validation accuracy
 * (and which run reached it) and the schedules compared — one line for `<meta name="description">`
 * and the Open Graph / Twitter cards.
 */
export interface CardRun {
  label: string;
  schedule: string;
  bestValAcc: number | null;
}

const MAX_SCHEDULES = 4;

export function comparisonDescription(runs: readonly CardRun[]): string {
  const count = `${runs.length} run${runs.length === 1 ? "" : "s"}`;
  let best: CardRun | null = null;
  for (const run of runs)
    if (run.bestValAcc !== null && Number.isFinite(run.bestValAcc) && run.bestValAcc > (best?.bestValAcc ?? -1)) best = run;
  const accuracy = best ? `best val accuracy ${(best.bestValAcc! * 100).toFixed(1)}% (${best.label})` : "no val accuracy yet";
  const schedules = [...new Set(runs.map((run) => run.schedule))];
  const shown = schedules.slice(0, MAX_SCHEDULES).join("; ");
  const more = schedules.length > MAX_SCHEDULES ? ` and ${schedules.length - MAX_SCHEDULES} more` : "";
  return `${count} · ${accuracy} · schedules: ${shown}${more}`;
}
