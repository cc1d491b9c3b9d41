/**
 * Picks and starts the tfjs backend in a browser. No Node imports: bundlers ship this file
 * to the page. The Node counterpart is ./node.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { registerAllGradients } from "./gradients";
import { BROWSER_BACKENDS, type BrowserBackendPreference, type LoadedBackend } from "./preferences";
import { selectBackend, type BackendLoader } from "./select";

export { BROWSER_BACKENDS, type BrowserBackendPreference, type LoadedBackend };

type BrowserBackendName = Exclude<BrowserBackendPreference, "auto">;

/** Fastest first. A `webgpu` loader would slot in here once it exists. */
const AUTO_ORDER: readonly BrowserBackendName[] = ["webgl", "cpu"];

const LOADERS: Record<BrowserBackendName, BackendLoader> = {
  webgl: loadWebgl,
  cpu: loadCpu,
};

/**
 * Activates a backend and registers gradients so it can train. "auto" tries webgl, then cpu,
 * listing what it skipped and why; an explicit choice that cannot load throws
 * BackendUnavailableError.
 */
export async function initBrowserBackend(preference: BrowserBackendPreference = "auto"): Promise<LoadedBackend> {
  const choice = BROWSER_BACKENDS.parse(preference);
  registerAllGradients();
  return selectBackend(choice === "auto" ? AUTO_ORDER : [choice], LOADERS);
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the '${name}' backend failed to initialise`);
  await tf.ready();
}

async function loadWebgl(): Promise<string> {
  await import("@tensorflow/tfjs-backend-webgl");
  // Checked first so the reason is plain, rather than tfjs's console warning at setBackend.
  const version = webglVersion();
  if (version === 0) throw new Error("WebGL is not available here (no WebGL 1 or 2 context could be created)");
  await activate("webgl");
  return `webgl (WebGL ${version})`;
}

/** tfjs's own probe (the webgl package registers the flag); 0 when there is no WebGL. */
function webglVersion(): number {
  try {
    return tf.env().getNumber("WEBGL_VERSION");
  } catch {
    return 0;
  }
}

async function loadCpu(): Promise<string> {
  await activate("cpu");
  return "cpu (plain JS)";
}
