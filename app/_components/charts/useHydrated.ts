import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False in the server render and the hydrating pass, true after: for what only the browser can draw. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
