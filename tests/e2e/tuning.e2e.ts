/**
 * A tuned comparison end to end in Chromium, on tiny data: sign up, mark a run draft "Tune lr"
 * (3 lrs on a validation split, successive halving, 2 final seeds), let the worker sweep, pause at
 * the rungs, select and run the final seeds, then see the sweep chart with the selected lr and
 * the tuned test accuracy. The leaderboard's tuned mark needs a ranked config (the budget track's
 * 10,000 images at least, about a minute per run here), so tests/service/tuning.test.ts checks it.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser";
import { startStack, type Stack } from "./stack";

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("a tuned comparison in a browser", () => {
  it("sweeps with halving, selects on validation and reports the tuned result", async () => {
    await page.goto(`${stack.url}/sign-up`);
    await page.getByLabel("Name").fill("Tess");
    await page.getByLabel("Email").fill("tess@example.test");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("button", { name: "Account: Tess" }).waitFor();

    await page.goto(`${stack.url}/comparisons/new`);
    await page.getByLabel("Title").fill("Tuned SGD");
    await page.getByRole("radio", { name: /^Unlisted/ }).check();
    const run1 = page.getByRole("region", { name: /^Run 1/ });
    await run1.getByLabel("Epochs").fill("3");
    await run1.getByLabel("Batch size").fill("50");
    await run1.getByLabel("Training images").fill("200");
    await run1.getByLabel("Test images").fill("100");
    await run1.getByLabel(/^Tune lr/).check();
    // Without a validation split the draft names the missing field.
    await expect.poll(() => run1.getByText("a tuned run needs a validation split", { exact: false }).count()).toBe(1);
    await run1.getByLabel("Validation images").fill("50");
    await run1.getByLabel("Learning rates (n)").fill("3");
    await run1.getByLabel("Final seeds (k)").fill("2");
    await run1.getByLabel("Successive halving").check();
    await expect.poll(() => page.getByText("5 new runs", { exact: false }).count()).toBe(1);
    await page.getByRole("button", { name: "Queue runs" }).click();
    await page.waitForURL(/\/c\/[0-9A-Za-z]{10}$/);

    // Three sweep runs (1e-4, 1e-2 and 1: lr 1 may diverge), then the two final runs the selection
    // queued, listed without a reload.
    const statuses = page.getByRole("region", { name: "Runs" }).locator("[data-status]");
    const read = () => statuses.evaluateAll((els) => els.map((el) => el.getAttribute("data-status")));
    await expect.poll(async () => (await read()).slice(3), { timeout: 90_000, interval: 1000 }).toEqual(["succeeded", "succeeded"]);
    const sweepStatuses = (await read()).slice(0, 3);
    // Halving: of the three, one is stopped at ⅓ and one at ⅔ (a diverged one is out at once).
    expect(sweepStatuses.filter((s) => s === "succeeded")).toHaveLength(1);
    for (const status of sweepStatuses) expect(["succeeded", "canceled", "diverged"]).toContain(status);
    expect(await page.getByText("stopped by successive halving", { exact: false }).count()).toBeGreaterThan(0);

    const sweep = page.getByRole("figure", { name: "Tuning 1: validation accuracy against lr" });
    const scored = sweepStatuses.filter((s) => s !== "diverged").length;
    await expect.poll(() => sweep.locator("circle[data-marker]").count(), { timeout: 10_000 }).toBe(scored);
    expect(await sweep.locator("[data-point='selected']").count()).toBe(1);
    const result = page.getByRole("status", { name: "Tuning 1 result" });
    await expect
      .poll(() => result.textContent(), { timeout: 10_000 })
      .toMatch(/^Selected lr [0-9.e-]+ · tuned test accuracy \d+\.\d\d% \(mean over 2 of 2 seeds\)$/);
  }, 180_000);
});
