/** The /leaderboard URL parameters: each checked with the procedure's schema; bad ones dropped and named. */
import { describe, expect, it } from "vitest";
import { hrefWith, parseLeaderboardParams } from "../../app/leaderboard/params";

describe("leaderboard URL parameters", () => {
  it("keeps good parameters, converting numbers", () => {
    expect(
      parseLeaderboardParams({
        sort: "epochsToTarget",
        dir: "asc",
        target: "80",
        optimizer: "adam",
        epochs: "50",
        q: " cosine ",
        page: "3",
        ignored: "x",
      }),
    ).toEqual({
      input: { sort: "epochsToTarget", dir: "asc", target: 80, optimizer: "adam", epochs: 50, q: "cosine", page: 3 },
      issues: [],
    });
    expect(parseLeaderboardParams({ model: ["tiny-cnn", "other"], scheduleKind: "" })).toEqual({
      input: { model: "tiny-cnn" },
      issues: [],
    });
  });

  it("drops bad ones with a message naming each", () => {
    const { input, issues } = parseLeaderboardParams({ sort: "speed", target: "75", page: "0", epochs: "ten", optimizer: "adam" });
    expect(input).toEqual({ optimizer: "adam" });
    expect(issues).toHaveLength(4);
    expect(issues[0]).toMatch(/^sort: must be one of meanAcc, /);
    expect(issues[1]).toBe("target: must be one of 50, 60, 70, 80, 90 (percent)");
    expect(issues[2]).toMatch(/^epochs: /);
    expect(issues[3]).toBe("page: must be ≥ 1");
  });

  it("builds links that keep the view and change one thing", () => {
    expect(hrefWith({}, {})).toBe("/leaderboard");
    expect(hrefWith({ optimizer: "adam", q: "step 0.1", page: 2 }, { sort: "n", dir: "desc", page: undefined })).toBe(
      "/leaderboard?sort=n&dir=desc&optimizer=adam&q=step+0.1",
    );
  });
});
