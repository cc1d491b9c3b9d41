/** Where tests read the prepared CIFAR-10 cache (prepared once by tests/setup/cifar10.ts). */
export function testDataDir(): string {
  return process.env.LRLAB_TEST_DATA_DIR ?? ".data";
}
