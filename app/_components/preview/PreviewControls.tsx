/** Start, Stop, Resume and Reset by the session's phase, and which backend trains (or will). */
import type { BackendChoice } from "./PreviewSettings";
import { isBusy, isStarted, type PreviewSessionState } from "./sessionState";

export function PreviewControls({
  state,
  preference,
  canStart,
  onStart,
  onStop,
  onResume,
  onReset,
}: {
  state: PreviewSessionState;
  preference: BackendChoice;
  canStart: boolean;
  onStart: () => void;
  onStop: () => void;
  onResume: () => void;
  onReset: () => void;
}) {
  const { phase, backend, renderer } = state;
  const busy = isBusy(state);
  const backendText = backend
    ? `${backend.detail}${renderer ? ` · ${renderer}` : ""}`
    : preference === "cpu"
      ? "cpu (chosen; loads when you press Start)"
      : "WebGL if available, else cpu (loads when you press Start)";
  const fallbackText =
    backend && backend.name !== "webgl" && backend.fallbacks.length > 0
      ? `WebGL is not available in this browser, so the preview runs on the much slower cpu backend (${backend.fallbacks.join("; ")}).`
      : null;
  return (
    <div className="flex flex-col items-stretch gap-2 md:w-56">
      {phase === "idle" ? (
        <button type="button" className="btn-primary" disabled={!canStart} onClick={onStart}>
          Start preview
        </button>
      ) : null}
      {busy ? (
        <button type="button" className="btn-danger" onClick={onStop}>
          Stop
        </button>
      ) : null}
      {phase === "stopped" ? (
        <button type="button" className="btn-primary" onClick={onResume}>
          Resume
        </button>
      ) : null}
      {isStarted(state) && !busy ? (
        <button type="button" className="btn-secondary" onClick={onReset}>
          Reset
        </button>
      ) : null}
      <p className="text-sm" data-testid="backend">
        <span className="font-medium">Backend:</span> <span data-backend={backend?.name ?? ""}>{backendText}</span>
      </p>
      {fallbackText ? (
        <p role="status" className="text-xs text-amber-700">
          {fallbackText}
        </p>
      ) : null}
    </div>
  );
}
