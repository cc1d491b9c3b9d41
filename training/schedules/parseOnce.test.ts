/**
 * Parse cost: validating a config parses each distinct formula once (the schema's check, the
 * scheduler and the per-step test share one compiled form), and not again while it is remembered.
 * Parses are counted by wrapping the parser.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseRunConfig } from "../config";
import { MEMO_CAPACITY } from "../expression/compile";
import { createScheduler } from "./create";

const parses = new Map<string, number>();

vi.mock("../expression/parser", async (importOriginal) => {
  const original = await importOriginal<typeof import("../expression/parser")>();
  return {
    ...original,
    parseExpression: (text: string) => {
      parses.set(text, (parses.get(text) ?? 0) + 1);
      return original.parseExpression(text);
    },
  };
});

beforeEach(() => {
  parses.clear();
});

// Texts unique to each test, so formulas remembered by an earlier test do not hide parses.
let serial = 0;
const perStep = () => `0.1 + 0.001 * cos(step / ${++serial})`;
const perEpoch = () => `0.1 * exp(-epoch / ${++serial})`;

const config = (a: string, b: string) => ({
  epochs: 6,
  batchSize: 100,
  trainLimit: 1000,
  optimizer: { kind: "sgd" },
  schedule: {
    kind: "sequence",
    parts: [
      { epochs: 2, schedule: { kind: "expression", expr: a } },
      { epochs: 2, schedule: { kind: "expression", expr: b } },
      { schedule: { kind: "expression", expr: a } },
    ],
  },
});

describe("formula parsing during validation", () => {
  it("parses each distinct formula of a config once", () => {
    const [a, b] = [perStep(), perEpoch()];
    parseRunConfig(config(a, b));
    expect(Object.fromEntries(parses)).toEqual({ [a]: 1, [b]: 1 });
  });

  it("does not parse a remembered formula again: a second validation, or a scheduler for the run", () => {
    const [a, b] = [perStep(), perEpoch()];
    const parsed = parseRunConfig(config(a, b));
    parses.clear();
    parseRunConfig(config(a, b));
    createScheduler(parsed.schedule, { epochs: 6, stepsPerEpoch: 10 });
    expect(parses.size).toBe(0);
  });

  it("remembers a bounded number of formulas: the least recently used is parsed again", () => {
    const [a, b] = [perStep(), perEpoch()];
    parseRunConfig(config(a, b));
    for (let i = 0; i < MEMO_CAPACITY; i++) parseRunConfig({ ...config(perEpoch(), b) });
    parses.clear();
    parseRunConfig(config(a, b));
    // b was used by every config in between; a was pushed out.
    expect(Object.fromEntries(parses)).toEqual({ [a]: 1 });
  });

  it("still names the field of a formula that does not parse, every time", () => {
    const bad = `0.1 * (epoch + ${++serial}`;
    for (let i = 0; i < 2; i++) {
      expect(() => parseRunConfig(config(perEpoch(), bad))).toThrow("schedule.parts[1].schedule.expr: missing ')'");
    }
    expect(parses.get(bad)).toBe(2);
  });
});
