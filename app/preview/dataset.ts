/** Whether the server can serve CIFAR-10 slices to the preview (server-only: reads the cache's manifest). */
import "server-only";
import { CacheError, readManifest, resolveDataDir } from "../../training/data/node";
import type { DatasetStatus } from "../_components/preview/PreviewLab";

export async function datasetStatus(): Promise<DatasetStatus> {
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
