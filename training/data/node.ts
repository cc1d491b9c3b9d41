/** Node entry of the CIFAR-10 data pipeline: everything in ./index plus sources, cache and prepare. */
export * from "./index";
export { prepareCifar10, PrepareOptionsSchema } from "./prepare";
export type { PrepareOptions } from "./prepare";
export {
  CacheError,
  loadCifar10,
  LoadOptionsSchema,
  MAX_SLICE_EXAMPLES,
  readCacheSlice,
  readManifest,
  SliceRequestSchema,
  verifyCache,
} from "./cacheRead";
export type { Cifar10, LoadOptions, SliceRequest } from "./cacheRead";
export { dataInfo } from "./info";
export type { DataInfo, PreparedSplitInfo } from "./info";
export { DEFAULT_DATA_DIR, cifarCacheDir, resolveDataDir } from "./dataDir";
export { defaultSourcePlaces, findSource, SOURCE_HELP } from "./sources";
export { downloadOfficialArchive, OFFICIAL_MD5, OFFICIAL_URL } from "./fetchOfficial";
export { readCifar10Source } from "./readSource";
export type { SourceData, SourceFormat } from "./readSource";
