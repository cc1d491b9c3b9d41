/** Node entry of the CIFAR-10 data pipeline: everything in ./index plus sources, cache and prepare. */
export * from "./index";
export { prepareCifar10 } from "./prepare";
export { CacheError, loadCifar10, MAX_SLICE_EXAMPLES, readCacheSlice, readManifest } from "./cacheRead";
export type { SliceRequest } from "./cacheRead";
export { dataInfo } from "./info";
export { resolveDataDir } from "./dataDir";
export { exportSlices } from "./exportSlices";
