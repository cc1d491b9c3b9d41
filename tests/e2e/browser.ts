/** Debian's Chromium driven by playwright-core (Playwright's own browser download is not used). */
import { chromium, type Browser } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BASE_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** WebGL in headless Chromium without a GPU: ANGLE on SwiftShader (software Vulkan), opted into explicitly. */
const WEBGL_FLAGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"];

/** The command-line flags `launchBrowser` passes. */
export function browserFlags(options: { webgl?: boolean } = {}): string[] {
  return [...BASE_FLAGS, ...(options.webgl ? WEBGL_FLAGS : ["--disable-gpu"])];
}

/** `webgl`: WebGL through SwiftShader (the preview trains on it); otherwise no GPU at all. */
export function launchBrowser(options: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: browserFlags(options) });
}
