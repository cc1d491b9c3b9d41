/**
 * The in-browser preview end to end, in Debian's Chromium with WebGL (SwiftShader in headless
 * mode): open the preview of a two-run comparison, train both for 1 epoch on 256 images, see
 * both curves and the backend label, attach one preview to the comparison, stop and resume, and
 * run a 12-iteration LR range test in the page.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser";
import { signUp, startStack, trpcMutation, type Stack } from "./stack";

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let slug = "";
let cookie = "";

const run = (optimizer: Record<string, unknown>, lr: number) => ({
  config: { model: "tiny-cnn", epochs: 10, batchSize: 32, optimizer, schedule: { kind: "constant", lr } },
  seeds: [0],
});

beforeAll(async () => {
  stack = await startStack();
  cookie = await signUp(stack.url, "Pia", "pia@example.test");
  ({ slug } = await trpcMutation<{ slug: string }>(
    stack.url,
    "comparisons.create",
    { title: "Preview me", visibility: "private", runs: [run({ kind: "sgd" }, 0.05), run({ kind: "adam" }, 0.001)] },
    cookie,
  ));
  browser = await launchBrowser({ webgl: true });
  context = await browser.newContext();
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: stack.url }]);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function configure(p: Page, epochs: number) {
  await p.getByLabel("Training images").fill("256");
  await p.getByLabel("Test images").fill("64");
  await p.getByLabel("Epochs", { exact: true }).fill(String(epochs));
}

const states = (p: Page) => p.locator("[data-state]").evaluateAll((els) => els.map((el) => el.getAttribute("data-state")));

async function bySlug(): Promise<{ runs: { kind: string; status: string; label: string }[] }> {
  const response = await fetch(`${stack.url}/api/trpc/comparisons.bySlug?input=${encodeURIComponent(JSON.stringify({ json: { slug } }))}`, {
    headers: { cookie },
  });
  return ((await response.json()) as { result: { data: { json: { runs: { kind: string; status: string; label: string }[] } } } }).result
    .data.json;
}

describe("preview in browser", () => {
  it("trains both runs of a comparison for 1 epoch on WebGL, with both curves and the backend shown", async () => {
    await page.goto(`${stack.url}/c/${slug}`);
    await page.getByRole("link", { name: "Preview in browser", exact: true }).click();
    await page.waitForURL(`${stack.url}/c/${slug}/preview`);
    await expect
      .poll(() => page.getByRole("checkbox").evaluateAll((els) => els.map((el) => (el as HTMLInputElement).checked)))
      .toEqual([true, true]);
    await configure(page, 1);
    await page.getByRole("button", { name: "Start preview" }).click();
    const backend = page.getByTestId("backend").locator("[data-backend]");
    await expect.poll(() => backend.getAttribute("data-backend"), { timeout: 60_000 }).toBe("webgl");
    expect(await backend.textContent()).toMatch(/^webgl \(WebGL 2\) · .*SwiftShader/);
    await expect.poll(() => states(page), { timeout: 240_000, interval: 1000 }).toEqual(["succeeded", "succeeded"]);

    const loss = page.getByRole("figure", { name: "Train loss" });
    expect(await loss.locator("path[data-series]").count()).toBe(2);
    expect(await loss.getByRole("list").getByRole("listitem").allTextContents()).toEqual([
      "SGD · constant 0.05, seed 0",
      "Adam · constant 0.001, seed 0",
    ]);
    expect(await page.getByRole("figure", { name: "Validation accuracy" }).locator("path[data-series]").count()).toBe(2);
    // The sample grid shows a predicted class for every image.
    const predictions = await page
      .getByRole("region", { name: "Sample predictions" })
      .locator("[data-prediction]")
      .evaluateAll((els) => els.map((el) => el.getAttribute("data-prediction")));
    expect(predictions).toHaveLength(16);
    for (const p of predictions) expect(p).toMatch(/^[a-z]+$/);
  }, 300_000);

  it("attaches a finished preview to the comparison as a preview result", async () => {
    await page.getByRole("button", { name: "Attach SGD · constant 0.05, seed 0 to the comparison" }).click();
    await page.getByText("Attached as a preview result").waitFor();
    const runs = (await bySlug()).runs;
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ["full", "queued"],
      ["full", "queued"],
      ["preview", "succeeded"],
    ]);
    expect(runs[2]!.label).toBe("SGD · constant 0.05 (preview)");

    await page.goto(`${stack.url}/c/${slug}`);
    const loss = page.getByRole("figure", { name: "Train loss" });
    await expect.poll(() => loss.getByRole("list").getByRole("listitem").allTextContents()).toContain("SGD · constant 0.05 (preview)");
    expect(await page.getByRole("region", { name: "Runs" }).getByText("preview", { exact: true }).count()).toBe(1);
  }, 120_000);

  it("stops a preview between batches and resumes it", async () => {
    await page.goto(`${stack.url}/c/${slug}/preview`);
    await configure(page, 3);
    await page.getByRole("button", { name: "Start preview" }).click();
    await page.getByTestId("live").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Resume" }).waitFor();
    await expect.poll(() => states(page)).toContain("stopped");
    const stoppedAt = await page.locator("[data-state]").first().textContent();
    await page.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => states(page)).toContain("training");
    await page.getByTestId("live").waitFor();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Resume" }).waitFor();
    expect(stoppedAt).toContain("stopped");
  }, 180_000);

  it("runs an LR range test in the browser on the preview's images and draws the curve with its suggestions", async () => {
    const section = page.getByRole("region", { name: "LR range test" });
    const adam = "Adam · constant 0.001, seed 0";
    await section.getByLabel("Run for the LR test").selectOption({ label: adam });
    await section.getByLabel("Iterations").fill("12");
    await section.getByRole("button", { name: "Run LR test" }).click();
    const status = section.getByRole("status");
    await expect.poll(() => status.getAttribute("data-lr-test"), { timeout: 120_000, interval: 500 }).toBe("done");
    // 12 iterations; the ramp reaches only ~1e-3 by the 7th, where Adam cannot diverge, so the slice [1:-5] is not empty.
    expect(await status.textContent()).toMatch(/^LR test done: (12 iterations|stopped early after (7|8|9|10|11) iterations)/);

    const chart = section.getByRole("figure", { name: `${adam} LR range test: loss against lr` });
    const drawn = (await chart.locator("path[data-series]").getAttribute("d")) ?? "";
    expect(drawn.split(/[ML]/).filter(Boolean).length).toBeGreaterThanOrEqual(7);
    expect(await chart.locator("[data-point]").evaluateAll((els) => els.map((el) => el.getAttribute("data-point")))).toContain("valley");
    const items = await section.getByRole("list", { name: "Suggested learning rates" }).getByRole("listitem").allTextContents();
    expect(items.map((t) => t.split(":")[0])).toEqual(["valley", "steep", "minimum"]);
    const valley = Number(/^valley: (\S+)$/.exec(items[0] ?? "")?.[1]);
    expect(valley).toBeGreaterThanOrEqual(1e-7);
    expect(valley).toBeLessThanOrEqual(10);
  }, 150_000);
});
