"use client";
/**
 * A comparison as its pages show it, kept live: bySlug is loaded once (and again when invalidated,
 * or when a poll reports a run it does not list), and one poller, metrics.since, brings run states
 * and only the new epoch rows, read in one snapshot, while some run is queued or running.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTRPC, useTRPCClient } from "../../../trpc/react";
import { ACTIVE, POLL_MS } from "./live";
import { applyPoll, EMPTY_STORE, seedStore, unknownRuns, withRuns, type LiveStore } from "./liveStore";

const idsOf = (runs: readonly { id: string }[]) => runs.map((run) => run.id);

export function useLiveComparison(slug: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const comparison = useQuery(trpc.comparisons.bySlug.queryOptions({ slug }));
  const listed = comparison.data?.runs;
  // The server-rendered page prefetches every run's rows: start from them, so the cached HTML has its charts and the first poll brings only newer rows.
  const prefetched = useQuery({ ...trpc.metrics.forComparison.queryOptions({ slug }), enabled: false }).data;
  const [initial] = useState(() => (listed && prefetched ? seedStore(idsOf(listed), prefetched) : EMPTY_STORE));
  const [store, setStore] = useState<LiveStore>(initial);
  const storeRef = useRef<LiveStore>(initial);

  const loadedAt = comparison.dataUpdatedAt;
  useEffect(() => {
    if (!listed) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const commit = (next: LiveStore) => {
      storeRef.current = next;
      setStore(next);
    };
    commit(withRuns(storeRef.current, idsOf(listed)));
    const tick = async () => {
      let active: boolean;
      try {
        const poll = await client.metrics.since.query({ slug, cursor: storeRef.current.cursor });
        if (stopped) return;
        const unknown = unknownRuns(storeRef.current, poll);
        commit(applyPoll(storeRef.current, poll));
        if (unknown.length > 0) void queryClient.invalidateQueries({ queryKey: trpc.comparisons.bySlug.queryKey({ slug }) });
        active = poll.runs.some((run) => ACTIVE.has(run.status));
      } catch {
        // A failed poll is tried again while the runs were last seen training.
        active = listed.some((run) => ACTIVE.has((storeRef.current.states[run.id] ?? run).status));
      }
      if (active && !stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, queryClient, trpc, slug, listed, loadedAt]);

  // The listed runs with their polled state: statuses, progress and results update without a reload.
  const runs = useMemo(() => (listed ?? []).map((run) => ({ ...run, ...store.states[run.id] })), [listed, store.states]);
  const anyActive = runs.some((run) => ACTIVE.has(run.status));
  return { comparison, runs, metrics: store.metrics, anyActive };
}
