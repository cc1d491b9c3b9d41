/**
 * Find LR from the builder, end to end: a one-cycle run draft queues an LR range test, the worker
 * runs it, the page draws loss against lr with the suggestions marked, and Use writes the chosen lr
 * into the schedule's maximum lr.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser";
import { signUp, startStack, type Stack } from "./stack";

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  browser = await launchBrowser();
  const cookie = await signUp(stack.url, "Lena", "lena@example.test");
  const context = await browser.newContext();
  const [name, ...value] = cookie.split("=");
  await context.addCookies([{ name: name!, value: value.join("="), url: stack.url }]);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("Find LR in the builder", () => {
  it("runs the LR test for a run draft, marks the suggestions, and Use sets the one-cycle peak", async () => {
    await page.goto(`${stack.url}/comparisons/new`);
    const run1 = page.getByRole("region", { name: /^Run 1/ });
    await run1.getByLabel("Schedule", { exact: true }).selectOption("oneCycle");
    await run1.getByLabel("Batch size").fill("32");
    await run1.getByLabel("Training images").fill("64");

    await run1.getByRole("button", { name: "Find LR" }).click();
    const status = run1.getByRole("status");
    await expect.poll(() => status.textContent(), { timeout: 240_000, interval: 1000 }).toMatch(/^LR test succeeded/);

    const chart = run1.getByRole("figure", { name: "Run 1 LR range test: loss against lr" });
    const drawn = await chart.locator("path[data-series]").getAttribute("d");
    // fastai's default ramp: 100 iterations unless the loss diverged first; at least 6 points drawn.
    expect((drawn ?? "").split(/[ML]/).filter(Boolean).length).toBeGreaterThanOrEqual(6);
    expect(await chart.locator("[data-point]").evaluateAll((els) => els.map((el) => el.getAttribute("data-point")))).toEqual([
      "valley",
      "steep",
      "minimum",
    ]);

    const use = run1.getByRole("button", { name: /^Use valley lr / });
    const label = (await use.getAttribute("aria-label")) ?? "";
    const valley = /lr (\S+) for run 1$/.exec(label)?.[1];
    expect(valley).toBeDefined();
    await use.click();
    await expect.poll(() => run1.getByLabel("Maximum lr").inputValue()).toBe(String(Number(valley)));
    // The learning-rate preview follows the new peak.
    const lrLegend = page.getByRole("list", { name: "Learning rate legend", exact: true });
    await expect.poll(() => lrLegend.getByRole("listitem").allTextContents()).toEqual([expect.stringContaining(String(Number(valley)))]);
  }, 300_000);
});
