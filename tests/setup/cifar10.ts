/**
 * vitest globalSetup: decode CIFAR-10 into the cache once for every test file that trains on
 * real images (reused when already prepared). Source: CIFAR10_SOURCE, or the places
 * `data prepare` looks by default (../shared/datasets/cifar10-images.tar.gz among them).
 */
import { prepareCifar10 } from "../../training/data/node";
import { testDataDir } from "../../training/testing/dataDir";

export default async function setup(): Promise<void> {
  const started = Date.now();
  const manifest = await prepareCifar10({ dataDir: testDataDir() });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `CIFAR-10 cache ready in ${testDataDir()} (${manifest.splits.train.count} train, ${manifest.splits.test.count} test; ${seconds} s)`,
  );
}
