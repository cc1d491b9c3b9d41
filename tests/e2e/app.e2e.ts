/**
 * The web app end to end: `next start` on the production build, a worker on tiny subsets, and
 * Chromium. Sign up, build a two-run comparison (with an inline validation message on the way),
 * watch both runs finish, see both lines on the loss chart (per epoch and per step), open the share link signed out, and
 * check that a private comparison is a 404 for a second user.
 */
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser";
import { startStack, type Stack } from "./stack";

let stack: Stack;
let browser: Browser;
let owner: BrowserContext;
let page: Page;
let shareLink = "";

beforeAll(async () => {
  stack = await startStack({ worker: true });
  browser = await launchBrowser();
  owner = await browser.newContext();
  page = await owner.newPage();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signUpThroughUi(p: Page, name: string, email: string): Promise<void> {
  await p.goto(`${stack.url}/sign-up`);
  await p.getByLabel("Name").fill(name);
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill("correct horse battery");
  await p.getByRole("button", { name: "Sign up" }).click();
  await p.getByRole("button", { name: `Account: ${name}` }).waitFor();
}

describe("LR Lab in a browser", () => {
  it("signs up", async () => {
    await page.goto(`${stack.url}/sign-up`);
    // The form names a bad field before sending anything.
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.getByText("is required").count()).toBeGreaterThan(0);
    await signUpThroughUi(page, "Ada", "ada@example.test");
  });

  it("builds a two-run comparison with a live lr chart and inline validation", async () => {
    await page.goto(`${stack.url}/comparisons/new`);
    await page.getByLabel("Title").fill("SGD vs Adam, tiny");
    await page.getByRole("radio", { name: /^Unlisted/ }).check();

    const run1 = page.getByRole("region", { name: /^Run 1/ });
    // An invalid value is marked on its field with the validator's message while typing.
    await run1.getByLabel("Epochs").fill("0");
    await expect.poll(() => run1.getByText("must be ≥ 1").count()).toBe(1);
    await run1.getByLabel("Epochs").fill("2");
    await expect.poll(() => run1.getByText("must be ≥ 1").count()).toBe(0);
    await run1.getByLabel("Batch size").fill("32");
    await run1.getByLabel("Training images").fill("64");
    await run1.getByLabel("Test images").fill("32");

    await page.getByRole("button", { name: "Add run" }).click();
    const run2 = page.getByRole("region", { name: /^Run 2/ });
    await run2.getByLabel("Optimizer").selectOption("adam");
    await run2.getByLabel("Learning rate").fill("0.001");
    await expect.poll(() => run2.getByLabel("Training images").inputValue()).toBe("64");

    const lrLegend = page.getByRole("list", { name: "Learning rate legend" });
    await expect.poll(() => lrLegend.getByRole("listitem").allTextContents()).toEqual(["SGD · constant 0.1", "Adam · constant 0.001"]);

    await page.getByRole("button", { name: "Queue runs" }).click();
    await page.waitForURL(/\/c\/[0-9A-Za-z]{10}$/);
    await page.getByRole("heading", { name: "SGD vs Adam, tiny" }).waitFor();
    shareLink = await page.getByLabel("Share link").inputValue();
    expect(shareLink).toBe(page.url());
  });

  it("shows both runs finishing without a reload, and both lines on the loss chart", async () => {
    const statuses = page.getByRole("region", { name: "Runs" }).locator("[data-status]");
    await expect
      .poll(async () => statuses.evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))), {
        timeout: 240_000,
        interval: 1000,
      })
      .toEqual(["succeeded", "succeeded"]);
    const loss = page.getByRole("figure", { name: "Train loss" });
    await expect.poll(() => loss.locator("path[data-series]").count(), { timeout: 10_000 }).toBe(2);
    const drawn = await loss
      .locator("path[data-series]")
      .evaluateAll((els) => els.map((el) => (el.getAttribute("d") ?? "").split("L").length));
    expect(drawn).toEqual([2, 2]); // two epochs each: a move and one line segment
    expect(await loss.getByRole("list").getByRole("listitem").allTextContents()).toEqual(["SGD · constant 0.1", "Adam · constant 0.001"]);
  }, 300_000);

  it("exports the plotted numbers as CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    const csv = fs
      .readFileSync(await download.path(), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("metric,line,epoch,value,raw,min,max");
    // 5 charts × 2 lines × 2 epochs.
    expect(csv).toHaveLength(1 + 5 * 2 * 2);
    expect(csv.filter((row) => row.startsWith("loss,Adam · constant 0.001,"))).toHaveLength(2);
  });

  it("draws the per-step loss on the step axis, loaded when that axis is chosen", async () => {
    await page.getByLabel("X axis").selectOption("step");
    const loss = page.getByRole("figure", { name: "Train loss" });
    const points = () =>
      loss.locator("path[data-series]").evaluateAll((els) => els.map((el) => (el.getAttribute("d") ?? "").split("L").length));
    // Each run trained more steps than its two epochs: every line has more than two points.
    await expect.poll(async () => (await points()).length, { timeout: 10_000 }).toBe(2);
    for (const n of await points()) expect(n).toBeGreaterThan(2);
    await page.getByLabel("X axis").selectOption("epoch");
  });

  it("opens the share link for a signed-out visitor", async () => {
    const visitor = await browser.newContext();
    try {
      const p = await visitor.newPage();
      const response = await p.goto(shareLink);
      expect(response?.status()).toBe(200);
      await p.getByRole("heading", { name: "SGD vs Adam, tiny" }).waitFor();
      expect(await p.getByRole("link", { name: "Sign in to fork" }).count()).toBe(1);
      expect(await p.getByRole("link", { name: "Edit" }).count()).toBe(0);
      // The server sends the chart's frame; the browser draws the plot once hydrated.
      const accuracy = p.getByRole("figure", { name: "Validation accuracy" });
      await expect.poll(() => accuracy.locator("path[data-series]").count(), { timeout: 10_000 }).toBe(2);
    } finally {
      await visitor.close();
    }
  });

  it("answers a private comparison with a 404 for another user", async () => {
    await page.goto(`${stack.url}/comparisons/new`);
    await page.getByLabel("Title").fill("Secret schedule");
    await page.getByRole("radio", { name: /^Private/ }).check();
    const run1 = page.getByRole("region", { name: /^Run 1/ });
    await run1.getByLabel("Epochs").fill("1");
    await run1.getByLabel("Training images").fill("32");
    await run1.getByLabel("Test images").fill("32");
    await page.getByRole("button", { name: "Queue runs" }).click();
    await page.waitForURL(/\/c\/[0-9A-Za-z]{10}$/);
    const privateLink = page.url();
    // The owner can edit it.
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Title").fill("Secret schedule v2");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("heading", { name: "Secret schedule v2" }).waitFor();

    const other = await browser.newContext();
    try {
      const p = await other.newPage();
      await signUpThroughUi(p, "Bob", "bob@example.test");
      const response = await p.goto(privateLink);
      expect(response?.status()).toBe(404);
      await p.getByRole("heading", { name: "Not found" }).waitFor();
      expect(await p.getByText("Secret schedule").count()).toBe(0);
      expect((await p.goto(`${privateLink}/edit`))?.status()).toBe(404);
      // The owner still sees it.
      expect((await page.goto(privateLink))?.status()).toBe(200);

      // The unlisted one can be forked into Bob's account.
      await p.goto(shareLink);
      await p.getByRole("button", { name: "Fork" }).click();
      await p.getByRole("heading", { name: "SGD vs Adam, tiny (fork)" }).waitFor();
      expect(p.url()).not.toBe(shareLink);
      expect(await p.getByRole("link", { name: "Edit" }).count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});
