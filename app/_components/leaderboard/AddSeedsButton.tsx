"use client";
/** "Add seeds": queues the run's config again with new seeds, so its leaderboard row gains samples. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../trpc/react";

export function AddSeedsButton({ slug, runId, name }: { slug: string; runId: string; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [count, setCount] = useState(2);
  const addSeeds = useMutation(
    trpc.runs.addSeeds.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.comparisons.bySlug.queryKey({ slug }) }),
    }),
  );
  return (
    <span className="ml-1 inline-flex items-center gap-1">
      <select
        aria-label={`Seeds to add to ${name}`}
        className="rounded border border-slate-300 px-1 py-0.5 text-xs"
        value={count}
        onChange={(e) => setCount(Number(e.target.value))}
      >
        {[1, 2, 3, 5, 10].map((n) => (
          <option key={n} value={n}>
            +{n}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn-secondary"
        aria-label={`Add seeds to ${name}`}
        title="Queue the same config with new seeds (for the leaderboard's statistics)"
        disabled={addSeeds.isPending}
        onClick={() => addSeeds.mutate({ runId, count })}
      >
        Add seeds
      </button>
      {addSeeds.error ? (
        <span role="alert" className="text-xs text-red-600">
          {addSeeds.error.message}
        </span>
      ) : null}
    </span>
  );
}
