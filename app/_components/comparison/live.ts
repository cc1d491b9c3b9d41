/** A comparison is live while a run is queued or running; its views poll at this interval until then. */
export const ACTIVE = new Set(["queued", "running"]);
export const POLL_MS = 2000;
