/** Model names, kept apart from the tfjs model code so that validation never pulls tfjs in. */
export const MODEL_NAMES = ["keras-cifar10-cnn", "tiny-cnn"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
