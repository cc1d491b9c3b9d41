/**
 * Per-step lr and training-loss curves, downsampled so long runs stay cheap to store and draw:
 * at most MAX_POINTS_PER_EPOCH points per epoch, each covering k = ceil(stepsPerEpoch / 100)
 * consecutive steps (k = 1 keeps every step) with the mean loss, the lr of its first step and
 * the min and max lr over its steps. Browser-safe.
 */
export const MAX_POINTS_PER_EPOCH = 100;

/** The curve as parallel columns, one entry per point, in step order. */
export interface StepColumns {
  epoch: number[];
  /** Global (0-based) index of the point's first step. */
  step: number[];
  /** The lr of that first step. */
  lr: number[];
  lrMin: number[];
  lrMax: number[];
  /** Mean training loss over the point's steps. */
  loss: number[];
}

export type StepPoint = { [K in keyof StepColumns]: number };

export function stepsPerPoint(stepsPerEpoch: number): number {
  return Math.max(1, Math.ceil(stepsPerEpoch / MAX_POINTS_PER_EPOCH));
}

export function emptyStepColumns(): StepColumns {
  return { epoch: [], step: [], lr: [], lrMin: [], lrMax: [], loss: [] };
}

export function appendStepPoints(columns: StepColumns, points: readonly StepPoint[]): StepColumns {
  for (const p of points) for (const key of Object.keys(columns) as (keyof StepColumns)[]) columns[key].push(p[key]);
  return columns;
}

/**
 * Collects one epoch's steps into points. Buckets are fixed by the batch index (bucket = ⌊batch/k⌋),
 * so an epoch resumed mid-way still lines up; its buckets before the resume point are missing.
 */
export class StepDownsampler {
  private readonly k: number;
  private points: StepPoint[] = [];
  private bucket = -1;
  private lossSum = 0;
  private count = 0;

  constructor(private readonly stepsPerEpoch: number) {
    this.k = stepsPerPoint(stepsPerEpoch);
  }

  /** One finished step: `batch` is its 0-based index within `epoch`. */
  add(epoch: number, batch: number, lr: number, loss: number): void {
    const bucket = epoch * this.stepsPerEpoch + Math.floor(batch / this.k) * this.k;
    const point = this.points.at(-1);
    if (bucket !== this.bucket || !point) {
      this.points.push({ epoch, step: epoch * this.stepsPerEpoch + batch, lr, lrMin: lr, lrMax: lr, loss });
      this.bucket = bucket;
      this.lossSum = loss;
      this.count = 1;
      return;
    }
    point.lrMin = Math.min(point.lrMin, lr);
    point.lrMax = Math.max(point.lrMax, lr);
    this.lossSum += loss;
    this.count += 1;
    point.loss = this.lossSum / this.count;
  }

  /** The points collected since the last take (an epoch's worth), and a fresh start. */
  take(): StepPoint[] {
    const out = this.points;
    this.points = [];
    this.bucket = -1;
    return out;
  }
}
