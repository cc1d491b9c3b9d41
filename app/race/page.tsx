import type { Metadata } from "next";
import { RaceLab } from "../_components/race/RaceLab";

export const metadata: Metadata = { title: "Optimizer race" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Optimizers racing on Rosenbrock, Beale or a quadratic; the query string holds the race. */
export default async function RacePage({ searchParams }: Props) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) for (const v of [value].flat()) if (v !== undefined) params.append(key, v);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Optimizer race</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        The training optimizers and schedules on a 2-D function, step k of the schedule being epoch k of a run as long as the race. Paths
        are computed in your browser in float32 by the same code as training (the <code>race</code> command prints the same numbers).
        Schedule-free optimizers show their evaluation point x. Circle: the minimum; dot: the start.
      </p>
      <RaceLab query={params.toString()} />
    </div>
  );
}
