/**
 * Browser-safe entry of the CIFAR-10 data pipeline: the slice wire format, the image size and the
 * split names. Node-only parts (sources, cache, prepare) are in ./node; other modules import the
 * pipeline's pieces (classes, batches, augmentation) directly.
 */
export { IMAGE_BYTES } from "./classes";
export { SplitNameSchema } from "./split";
export { decodeSlice, SLICE_HEADER_BYTES } from "./sliceFormat";
