import { describe, expect, it } from "vitest";
import { DEFAULT_RACE, draftFromQuery, raceQuery, raceSpecs, type RaceDraft } from "../../training/race/share";

/** The /race page's state in the query string: what a shared link carries. */
describe("race links", () => {
  const draft: RaceDraft = {
    function: "beale",
    start: [-2.5, 3.25],
    steps: 150,
    racers: [
      { optimizer: { kind: "adamw", weightDecay: 0 }, schedule: { kind: "cosine", lr: 0.1 } },
      { optimizer: { kind: "sgd", momentum: 0.9, nesterov: true }, schedule: { kind: "step", lr: 0.01, drop: 0.5, epochsDrop: 50 } },
    ],
  };

  it("round-trips a race through the query string, readable where it can be", () => {
    const query = raceQuery(draft);
    expect(query.startsWith("fn=beale&start=-2.5%2C3.25&steps=150&r=")).toBe(true);
    expect(draftFromQuery(new URLSearchParams(query))).toEqual({ draft, issues: [] });
  });

  it("opens on the default race without a query, and it is valid", () => {
    expect(draftFromQuery(new URLSearchParams("")).draft).toEqual(DEFAULT_RACE);
    expect(raceSpecs(DEFAULT_RACE).issues).toEqual([]);
  });

  it("names what a hand-edited link gets wrong, racer by racer", () => {
    const { draft: broken, issues } = draftFromQuery(
      new URLSearchParams(
        "fn=himmelblau&start=1&steps=0&r=%7Bnope&r=" +
          encodeURIComponent('{"optimizer":{"kind":"lion","beta1":2},"schedule":{"kind":"constant","lr":0.1}}'),
      ),
    );
    expect(issues).toEqual([
      { path: "fn", message: "must be one of rosenbrock, beale, quadratic" },
      { path: "start", message: "must be two numbers x,y" },
      { path: "r[0]", message: "is not JSON" },
    ]);
    const checked = raceSpecs(broken);
    expect(checked.specs).toBeNull();
    expect(checked.issues).toEqual([
      { path: "steps", message: "must be ≥ 1" },
      { path: "racers[0].optimizer.beta1", message: "must be in [0, 1)" },
    ]);
  });
});
