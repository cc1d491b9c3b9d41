import { describe, expect, it } from "vitest";
import {
  initialPreviewSession,
  isBusy,
  isStarted,
  previewSession,
  trainingPlan,
  type PreviewAction,
  type PreviewSessionState,
} from "../../app/_components/preview/sessionState";
import type { Split } from "../../training/data/split";
import type { EpochMetrics } from "../../training/metrics";

const metrics = (epoch: number): EpochMetrics => ({
  epoch,
  lr: 0.1,
  loss: 2 - epoch / 10,
  acc: 0.2,
  valLoss: 2.1,
  valAcc: 0.25,
  seconds: 3,
  imagesPerSec: 400,
});
const sample: Split = { images: new Uint8Array(2 * 3072), labels: new Uint8Array([3, 7]), count: 2 };
const predictions = { labels: new Int32Array([3, 1]), confidence: new Float32Array([0.6, 0.4]) };
const webgl = { name: "webgl", detail: "webgl (WebGL 2)", fallbacks: [] };
const live = { epoch: 1, batch: 4, batches: 8, lr: 0.1, loss: 1.7, imagesPerSec: 350 };
const c1 = new Uint8Array([1]);
const c2 = new Uint8Array([2]);

const run = (state: PreviewSessionState, ...actions: PreviewAction[]) => actions.reduce(previewSession, state);

/** Started with runs a and b, backend and images loaded, training. */
const training = run(
  initialPreviewSession,
  { type: "start", keys: ["a", "b"] },
  { type: "backendReady", backend: webgl, renderer: "SwiftShader" },
  { type: "loading", message: "Loading CIFAR-10 images…" },
  { type: "dataLoaded", sample },
  { type: "trainingStarted" },
);

/** Run a trained one epoch, then Stop landed in its second epoch. */
const stopped = run(
  training,
  { type: "runStarted", key: "a" },
  { type: "epoch", key: "a", metrics: metrics(0), checkpoint: c1, sample, predictions },
  { type: "batch", key: "a", live },
  { type: "runEnded", key: "a", result: { outcome: "aborted", checkpoint: c2 } },
);

describe("preview session", () => {
  it("starts with every selected run waiting, loading", () => {
    const s = previewSession(initialPreviewSession, { type: "start", keys: ["a", "b"] });
    expect(s.phase).toBe("loading");
    expect(s.runs).toEqual({ a: { state: "waiting", epochs: [] }, b: { state: "waiting", epochs: [] } });
    expect(isStarted(s)).toBe(true);
    expect(isBusy(s)).toBe(true);
    expect(isStarted(initialPreviewSession)).toBe(false);
    expect(isBusy(initialPreviewSession)).toBe(false);
  });

  it("records the backend, the load messages and the unlabelled sample", () => {
    const loading = run(
      initialPreviewSession,
      { type: "start", keys: ["a"] },
      { type: "backendReady", backend: webgl, renderer: "SwiftShader" },
      { type: "loading", message: "Loading training images… 64 of 256" },
    );
    expect(loading.backend).toEqual(webgl);
    expect(loading.renderer).toBe("SwiftShader");
    expect(loading.loadMessage).toBe("Loading training images… 64 of 256");
    const loaded = run(loading, { type: "dataLoaded", sample }, { type: "trainingStarted" });
    expect(loaded.loadMessage).toBeNull();
    expect(loaded.samples).toEqual({ split: sample, predictions: null, runKey: null });
    expect(loaded.phase).toBe("training");
  });

  it("trains runs in turn: live batches, epochs with checkpoints, labelled samples, then done", () => {
    const a = run(training, { type: "runStarted", key: "a" }, { type: "batch", key: "a", live });
    expect(a.current).toBe("a");
    expect(a.runs.a).toEqual({ state: "training", epochs: [], live, message: undefined });

    const epoch = previewSession(a, { type: "epoch", key: "a", metrics: metrics(0), checkpoint: c1, sample, predictions });
    expect(epoch.runs.a?.epochs).toEqual([metrics(0)]);
    expect(epoch.runs.a?.checkpoint).toBe(c1);
    expect(epoch.samples).toEqual({ split: sample, predictions, runKey: "a" });

    // An epoch without predictions leaves the grid as it was.
    const second = previewSession(epoch, { type: "epoch", key: "a", metrics: metrics(1), checkpoint: c2, sample });
    expect(second.samples).toBe(epoch.samples);
    expect(second.runs.a?.epochs).toEqual([metrics(0), metrics(1)]);

    const done = run(
      second,
      { type: "runEnded", key: "a", result: { outcome: "succeeded" } },
      { type: "runStarted", key: "b" },
      { type: "runEnded", key: "b", result: { outcome: "succeeded" } },
      { type: "allDone" },
    );
    expect(done.runs.a?.state).toBe("succeeded");
    expect(done.runs.a?.checkpoint).toBeUndefined();
    expect(done.runs.a?.epochs).toHaveLength(2);
    expect(done.runs.b?.state).toBe("succeeded");
    expect(done.phase).toBe("done");
    expect(done.current).toBeNull();
    expect(isBusy(done)).toBe(false);
  });

  it("a stopped run keeps its epochs and the checkpoint of the batch it stopped at, and resumes from it", () => {
    expect(stopped.phase).toBe("stopped");
    expect(stopped.runs.a?.state).toBe("stopped");
    expect(stopped.runs.a?.epochs).toEqual([metrics(0)]);
    expect(stopped.runs.a?.checkpoint).toBe(c2);
    expect(trainingPlan(stopped.runs, ["a", "b"])).toEqual([
      { key: "a", resume: c2 },
      { key: "b", resume: undefined },
    ]);

    const resumed = run(stopped, { type: "resume" }, { type: "trainingStarted" }, { type: "runStarted", key: "a" });
    expect(resumed.runs.a?.state).toBe("training");
    expect(resumed.runs.a?.epochs).toEqual([metrics(0)]);
    expect(resumed.runs.a?.checkpoint).toBe(c2);
    const next = previewSession(resumed, { type: "epoch", key: "a", metrics: metrics(1), checkpoint: c1, sample });
    expect(next.runs.a?.epochs).toEqual([metrics(0), metrics(1)]);
  });

  it("skips finished runs (succeeded or diverged) on Resume; Start trains every selected run afresh", () => {
    const s = run(
      training,
      { type: "runStarted", key: "a" },
      { type: "runEnded", key: "a", result: { outcome: "diverged", reason: "loss is NaN at epoch 0, batch 3" } },
      { type: "runStarted", key: "b" },
      { type: "runEnded", key: "b", result: { outcome: "aborted", checkpoint: c1 } },
    );
    expect(s.runs.a).toEqual({ state: "diverged", epochs: [], message: "loss is NaN at epoch 0, batch 3", checkpoint: undefined });
    expect(trainingPlan(s.runs, ["a", "b"])).toEqual([{ key: "b", resume: c1 }]);

    const succeeded = run(training, { type: "runStarted", key: "a" }, { type: "runEnded", key: "a", result: { outcome: "succeeded" } });
    expect(trainingPlan(succeeded.runs, ["a", "b"])).toEqual([{ key: "b", resume: undefined }]);

    expect(trainingPlan({}, ["a", "b"])).toEqual([
      { key: "a", resume: undefined },
      { key: "b", resume: undefined },
    ]);
    const restarted = previewSession(s, { type: "start", keys: ["a", "b"] });
    expect(restarted.runs).toEqual({ a: { state: "waiting", epochs: [] }, b: { state: "waiting", epochs: [] } });
  });

  it("marks a run without a valid config failed, and tries it again on Resume", () => {
    const s = previewSession(training, { type: "runInvalid", key: "b", message: "trainLimit: smaller than one batch" });
    expect(s.runs.b).toEqual({ state: "failed", epochs: [], message: "trainLimit: smaller than one batch" });
    expect(trainingPlan(s.runs, ["b"])).toEqual([{ key: "b", resume: undefined }]);
    // Training it clears the message.
    expect(previewSession(s, { type: "runStarted", key: "b" }).runs.b?.message).toBeUndefined();
  });

  it("Reset clears the runs, the phase, the current run and the sample grid; the loaded backend stays", () => {
    const s = previewSession(stopped, { type: "reset" });
    expect(s.runs).toEqual({});
    expect(s.phase).toBe("idle");
    expect(s.current).toBeNull();
    expect(s.samples).toBeNull();
    expect(s.backend).toEqual(webgl);
    expect(isStarted(s)).toBe(false);
  });

  it("ignores updates for a run not in the session", () => {
    const reset = previewSession(stopped, { type: "reset" });
    const late: Extract<PreviewAction, { key: string }>[] = [
      { type: "runStarted", key: "a" },
      { type: "batch", key: "a", live },
      { type: "epoch", key: "a", metrics: metrics(1), checkpoint: c1, sample, predictions },
      { type: "runEnded", key: "a", result: { outcome: "aborted", checkpoint: c1 } },
      { type: "attached", key: "a", runId: "r1" },
      { type: "queued", key: "a" },
      { type: "runInvalid", key: "a", message: "no" },
    ];
    for (const action of late) expect(previewSession(reset, action)).toBe(reset);
    // Nor does a key outside the selection join a running session.
    for (const action of late) expect(previewSession(training, { ...action, key: "c" })).toBe(training);
  });

  it("a failure after Start returns to idle, after Resume to stopped; the next Start clears the error", () => {
    const failedStart = run(
      initialPreviewSession,
      { type: "start", keys: ["a"] },
      { type: "loading", message: "Loading test images… 10 of 64" },
      { type: "failed", message: "could not fetch /api/cifar" },
    );
    expect(failedStart.phase).toBe("idle");
    expect(failedStart.error).toBe("could not fetch /api/cifar");
    expect(failedStart.loadMessage).toBeNull();

    const failedResume = run(stopped, { type: "resume" }, { type: "failed", message: "WebGL context lost" });
    expect(failedResume.phase).toBe("stopped");
    expect(failedResume.error).toBe("WebGL context lost");
    expect(failedResume.runs.a?.epochs).toEqual([metrics(0)]);

    expect(previewSession(failedStart, { type: "start", keys: ["a"] }).error).toBeNull();
    expect(previewSession(failedResume, { type: "resume" }).error).toBeNull();
  });

  it("Stop while loading leaves the session stopped, ready to resume", () => {
    const s = run(initialPreviewSession, { type: "start", keys: ["a", "b"] }, { type: "aborted" });
    expect(s.phase).toBe("stopped");
    expect(s.runs).toEqual({ a: { state: "waiting", epochs: [] }, b: { state: "waiting", epochs: [] } });
    expect(trainingPlan(s.runs, ["a", "b"])).toEqual([
      { key: "a", resume: undefined },
      { key: "b", resume: undefined },
    ]);
  });

  it("records attaching and queueing a finished run", () => {
    const done = run(training, { type: "runStarted", key: "a" }, { type: "runEnded", key: "a", result: { outcome: "succeeded" } });
    const s = run(done, { type: "attached", key: "a", runId: "run-42" }, { type: "queued", key: "a" });
    expect(s.runs.a).toEqual({
      state: "succeeded",
      epochs: [],
      checkpoint: undefined,
      message: undefined,
      attached: "run-42",
      queued: true,
    });
    expect(s.runs.b).toEqual({ state: "waiting", epochs: [] });
  });
});
