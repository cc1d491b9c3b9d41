/**
 * The preview's run config: the run's own config with the subset sizes and epochs chosen on the
 * preview page, validated by the same `parseRunConfig` as every other door. Browser-safe, no tfjs.
 */
import { CIFAR10_TEST_SIZE, CIFAR10_TRAIN_SIZE, parseRunConfig, type RunConfig } from "../config";

export const PREVIEW_DEFAULTS = { trainLimit: 2000, testLimit: 500, epochs: 5 } as const;
/** Upper bounds of the preview form: enough for a few minutes in a browser, not a full run. */
export const PREVIEW_MAX = { trainLimit: CIFAR10_TRAIN_SIZE, testLimit: CIFAR10_TEST_SIZE, epochs: 50 } as const;

export interface PreviewSize {
  trainLimit: number;
  testLimit: number;
  epochs: number;
}

/** `config` trained on the first `trainLimit`/`testLimit` examples for `epochs` epochs. */
export function previewConfig(config: RunConfig, size: PreviewSize): RunConfig {
  return parseRunConfig({ ...config, trainLimit: size.trainLimit, testLimit: size.testLimit, epochs: size.epochs });
}

/** The same config on the whole dataset (no subset limits), optionally with other epochs. */
export function fullRunConfig(config: RunConfig, epochs: number = config.epochs): RunConfig {
  const { trainLimit: _train, testLimit: _test, ...rest } = config;
  return parseRunConfig({ ...rest, epochs });
}
