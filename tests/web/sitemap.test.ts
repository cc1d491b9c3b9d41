/** The sitemap lists the fixed public pages and public comparisons only — never unlisted or private ones. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sitemapEntries } from "../../server/edge/sitemap";
import { makeComparison } from "../leaderboard/helpers";
import { startTestDb, type TestDb } from "./harness";

let t: TestDb;
beforeAll(async () => {
  t = await startTestDb();
});
afterAll(() => t.close());

describe("sitemap", () => {
  it("lists the leaderboard, browse and each public comparison under the public origin", async () => {
    const shown = await makeComparison(t.db, "someone", "public", "Shown");
    const unlisted = await makeComparison(t.db, "someone", "unlisted", "Unlisted");
    const hidden = await makeComparison(t.db, "someone", "private", "Hidden");
    const urls = (await sitemapEntries(t.db, "https://lrlab.example")).map((e) => e.url);
    expect(urls).toEqual([
      "https://lrlab.example/",
      "https://lrlab.example/leaderboard",
      "https://lrlab.example/browse",
      `https://lrlab.example/c/${shown.shareSlug}`,
    ]);
    expect(urls.join(" ")).not.toContain(unlisted.shareSlug);
    expect(urls.join(" ")).not.toContain(hidden.shareSlug);
  });
});
