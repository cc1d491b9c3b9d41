"use client";
/**
 * The step axis's curves, loaded when that axis is first shown and then polled with a cursor
 * (metrics.stepsSince: only the rows past what is held) while a run is queued or running, once
 * more when the last one ends, and not after.
 */
import { useEffect, useRef, useState } from "react";
import type { StepColumns } from "../../../training/stepCurve";
import { useTRPCClient } from "../../../trpc/react";
import { POLL_MS } from "./live";
import { applyStepsPoll, EMPTY_STEP_STORE, type StepStore } from "./liveStore";

export function useStepCurves(slug: string, enabled: boolean, active: boolean): { steps: Record<string, StepColumns>; loaded: boolean } {
  const client = useTRPCClient();
  const [store, setStore] = useState<StepStore>(EMPTY_STEP_STORE);
  const [loaded, setLoaded] = useState(false);
  const storeRef = useRef<StepStore>(EMPTY_STEP_STORE);

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const poll = await client.metrics.stepsSince.query({ slug, cursor: storeRef.current.cursor });
        if (stopped) return;
        storeRef.current = applyStepsPoll(storeRef.current, poll);
        setStore(storeRef.current);
        setLoaded(true);
      } catch {
        // Tried again at the next tick while runs train; the axis keeps what it has.
      }
      if (active && !stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, slug, enabled, active]);

  return { steps: store.steps, loaded };
}
