import { describe, expect, it } from "vitest";
import { parsePreviewFragment, previewHref } from "../../app/_components/preview/handoff";
import { parseRunConfig } from "../../training/config";

describe("builder → preview hand-off", () => {
  it("round-trips the builder's configs through the URL fragment", () => {
    const config = parseRunConfig({ epochs: 20, batchSize: 64, optimizer: { kind: "sgd" }, schedule: { kind: "constant", lr: 0.1 } });
    const href = previewHref([{ label: "SGD · constant 0.1", config }]);
    expect(href.startsWith("/preview#runs=")).toBe(true);
    const runs = parsePreviewFragment(href.slice(href.indexOf("#")));
    expect(runs).toEqual([{ label: "SGD · constant 0.1", config }]);
    expect(parseRunConfig(runs[0]!.config)).toEqual(config);
  });

  it("refuses fragments without runs", () => {
    expect(() => parsePreviewFragment("")).toThrow("no runs");
    expect(() => parsePreviewFragment("#runs=%5B%5D")).toThrow("no runs");
    expect(() => parsePreviewFragment("#runs=%5B%7B%7D%5D")).toThrow("run 1 has no label");
    expect(() => parsePreviewFragment("#runs=nonsense")).toThrow();
  });
});
