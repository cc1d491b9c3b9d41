/**
 * The /race page end to end in Debian's Chromium: a shared link races on open with the training
 * code in the browser, matching the closed form of plain SGD on the quadratic; editing and
 * racing again rewrites the link.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser";
import { startStack, type Stack } from "./stack";

let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const racer = (optimizer: object, schedule: object) => encodeURIComponent(JSON.stringify({ optimizer, schedule }));

describe("/race", () => {
  it("races a shared link on open and rewrites the link when raced again", async () => {
    const sgd = racer({ kind: "sgd" }, { kind: "constant", lr: 0.05 });
    const lion = racer({ kind: "lion" }, { kind: "constant", lr: 0.1 });
    await page.goto(`${stack.url}/race?fn=quadratic&start=3,0.1&steps=4&r=${sgd}&r=${lion}`);
    const rows = page.getByRole("row");
    // x ← 0.95x, y ← 0.5y four times: x = 2.4435…, y = 0.00625, f = 0.5x² + 5y² = 2.9856.
    await expect.poll(() => rows.nth(1).textContent(), { timeout: 60_000 }).toContain("2.986");
    expect(await rows.nth(1).textContent()).toContain("2.444, 0.006250");
    // Lion moves each coordinate by lr·sign: 3 − 0.4 = 2.6, and y crosses zero: 0.1 → 0 → 0.1 → 0 → 0.1 (float32).
    expect(await rows.nth(2).textContent()).toMatch(/2\.600, (0\.1000|9\.99\d.*e-2|0\.09999)/);
    expect(await page.locator("svg polyline").count()).toBe(2);

    await page.getByLabel("Steps").fill("8");
    await page.getByRole("button", { name: "Race", exact: true }).click();
    await expect.poll(() => page.url()).toContain("steps=8");
    // 3·0.95⁸ = 1.9903
    await expect.poll(() => rows.nth(1).textContent(), { timeout: 60_000 }).toContain("1.990, ");
  });

  it("names a bad field in a hand-edited link instead of racing", async () => {
    await page.goto(`${stack.url}/race?fn=quadratic&steps=0&r=${racer({ kind: "adamw", beta1: 2 }, { kind: "constant", lr: 0.1 })}`);
    await expect.poll(() => page.getByText("must be ≥ 1").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByText("must be in [0, 1)").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Race", exact: true }).isDisabled()).toBe(true);
  });
});
