/**
 * The tfjs WebGPU backend in Node, on Dawn as the `webgpu` npm package ships it (dawn.node; on
 * Linux it drives the GPU through Vulkan, so it needs the Vulkan loader, Debian's libvulkan1).
 * A second GPU path beside tfjs-node-gpu, which needs CUDA 11.2 / cuDNN 8.1.
 *
 * Software adapters (SwiftShader, llvmpipe/lavapipe, WARP, anything Dawn marks as a fallback
 * adapter) are refused unless explicitly allowed: they are correctness tools, far slower than
 * the wasm backend. Node-only.
 */
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";

/** What the adapter says about itself (GPUAdapterInfo plus Dawn's extras). */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  fallback: boolean;
}

const NO_ADAPTER = "no WebGPU adapter (no GPU, or no Vulkan loader: apt-get install libvulkan1)";

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

/** Whether an adapter is a CPU rasteriser pretending to be a GPU. */
export function isSoftwareAdapter(info: AdapterDescription): boolean {
  return info.fallback || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

export function describeAdapter(info: AdapterDescription): string {
  return [info.vendor, info.architecture, info.device || info.description].filter(Boolean).join(" ");
}

interface WebgpuModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

interface AdapterLike {
  info?: Partial<Record<"vendor" | "architecture" | "device" | "description", string>> & { isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: "high-performance" | "low-power" }): Promise<AdapterLike | null>;
}

let gpu: GpuLike | undefined;

const LIBRARY_DIRS = [
  "/lib/x86_64-linux-gnu",
  "/usr/lib/x86_64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib64",
  "/usr/lib64",
  "/lib",
  "/usr/lib",
  "/usr/local/lib",
];

/**
 * Linux: whether the Vulkan loader Dawn dlopens (libvulkan.so.1) is on the library path. Checked
 * first so that machines without it skip webgpu quietly instead of loading Dawn to learn that.
 */
export function vulkanLoaderPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== "linux") return true;
  const dirs = [...(env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean), ...LIBRARY_DIRS];
  return dirs.some((dir) => fs.existsSync(path.join(dir, "libvulkan.so.1")));
}

/**
 * Finds the adapter tfjs's WebGPU backend will use (high-performance), refuses software ones
 * unless allowed, exposes `navigator.gpu` (tfjs looks for it when its package loads and when the
 * backend starts) and activates the backend. Resolves to a description of the adapter.
 */
export async function loadWebgpuBackend(options: { allowSoftware?: boolean } = {}): Promise<string> {
  if (!vulkanLoaderPresent()) throw new Error(NO_ADAPTER);
  let webgpu: WebgpuModule;
  try {
    webgpu = (await import(/* @vite-ignore */ "webgpu" as string)) as WebgpuModule;
  } catch (error) {
    throw new Error(`the webgpu package (Dawn) is not installed or did not load: ${(error as Error).message.split("\n")[0]}`);
  }
  Object.assign(globalThis, webgpu.globals);
  gpu ??= webgpu.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (adapter == null) throw new Error(NO_ADAPTER);
  const info: AdapterDescription = {
    vendor: adapter.info?.vendor ?? "",
    architecture: adapter.info?.architecture ?? "",
    device: adapter.info?.device ?? "",
    description: adapter.info?.description ?? "",
    fallback: Boolean(adapter.isFallbackAdapter ?? adapter.info?.isFallbackAdapter),
  };
  const name = describeAdapter(info);
  if (isSoftwareAdapter(info) && !options.allowSoftware) {
    throw new Error(`only a software adapter (${name}) was found; it is used only when explicitly allowed`);
  }
  const holder = globalThis as { navigator?: { gpu?: unknown } };
  if (holder.navigator == null) holder.navigator = { gpu };
  else if (holder.navigator.gpu == null) Object.defineProperty(holder.navigator, "gpu", { value: gpu, configurable: true });
  // Registers the backend on import when navigator.gpu exists (it does now).
  await import("@tensorflow/tfjs-backend-webgpu");
  if (tf.findBackendFactory("webgpu") == null)
    throw new Error("tfjs-backend-webgpu did not register (navigator.gpu was missing when it loaded)");
  if (!(await tf.setBackend("webgpu"))) throw new Error("the 'webgpu' backend failed to initialise");
  await tf.ready();
  return `webgpu (${name}${isSoftwareAdapter(info) ? ", software" : ""})`;
}
