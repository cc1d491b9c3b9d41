/**
 * Whether the preview has CIFAR-10 to load, and from where (server-only): the slice set at
 * LRLAB_DATASET_URL when set (its index gives the sizes), else this server's prepared cache.
 */
import "server-only";
import { env } from "../../env";
import { CacheError, readManifest, resolveDataDir } from "../../training/data/node";
import { fetchSliceIndex } from "../../training/preview/staticSlices";
import type { DatasetStatus } from "../_components/preview/PreviewLab";

export async function datasetStatus(): Promise<DatasetStatus> {
  if (env.LRLAB_DATASET_URL) return sliceSetStatus(env.LRLAB_DATASET_URL);
  try {
    const manifest = await readManifest(resolveDataDir());
    return { prepared: true, train: manifest.splits.train.count, test: manifest.splits.test.count };
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    return {
      prepared: false,
      message:
        "The CIFAR-10 dataset is not prepared on this server, so there are no images to preview with. " +
        "Whoever runs the server can prepare it with `lrlab data prepare`; full runs need it too.",
    };
  }
}

async function sliceSetStatus(url: string): Promise<DatasetStatus> {
  try {
    const index = await fetchSliceIndex(url, { signal: AbortSignal.timeout(5000) });
    return { prepared: true, train: index.splits.train.count, test: index.splits.test.count, url };
  } catch (error) {
    console.error(`[preview] LRLAB_DATASET_URL: ${(error as Error).message}`);
    return {
      prepared: false,
      message: "The CIFAR-10 images this server points the preview to cannot be reached right now, so there is nothing to preview with.",
    };
  }
}
