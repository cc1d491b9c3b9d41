/**
 * Browser-safe part of the CIFAR-10 data pipeline: classes, batching, augmentation and the
 * slice wire format. Node-only parts (sources, cache, prepare) are in ./node.
 */
export { CIFAR10_CLASSES, CHANNELS, IMAGE_BYTES, IMAGE_SIZE, NUM_CLASSES, classLabel, countPerClass } from "./classes";
export type { ClassName } from "./classes";
export { SPLIT_NAMES, SplitNameSchema } from "./split";
export type { Split, SplitName } from "./split";
export { BatchOptionsSchema, batchCount, epochOrder, evalBatches, iterateBatches } from "./batches";
export type { Batch, BatchOptions } from "./batches";
export { AUGMENT_PAD, drawAugment, writeAugmented, writeScaled } from "./augment";
export type { AugmentDraw } from "./augment";
export { decodeSlice, encodeSlice, SLICE_HEADER_BYTES } from "./sliceFormat";
export type { Slice } from "./sliceFormat";
export { ManifestSchema, SourceInfoSchema } from "./manifest";
export type { Manifest, SourceInfo } from "./manifest";
export type { PreparePhase, ProgressFn } from "./progress";
