/**
 * A request's drafts on their way to run configs (the input parse, then expandDrafts): each
 * formula parsed once however many drafts and seeds repeat it, and other work let in between
 * drafts rather than after all of them. Parses are counted by wrapping the parser.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createComparisonSchema, type RunDraftInput } from "../../lib/schemas";
import { formatIssue, zodIssues } from "../../training/errors";
import { expandDrafts } from "./drafts";

const parses = new Map<string, number>();

vi.mock("../../training/expression/parser", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../training/expression/parser")>();
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

const LIMITS = { maxQueuedRuns: 50, maxEpochs: 200, maxRunsPerComparison: 32 };

// Texts unique to each test, so formulas remembered by an earlier test do not hide parses.
let serial = 0;
const formula = () => `0.1 + 0.001 * cos(step / ${++serial})`;

const draft = (expr: string, seeds: number[]): RunDraftInput => ({
  config: { epochs: 3, batchSize: 10, trainLimit: 100, optimizer: { kind: "sgd" }, schedule: { kind: "expression", expr } },
  seeds,
});

const request = (runs: RunDraftInput[]) => ({ title: "t", visibility: "private" as const, runs });

describe("drafts to run configs", () => {
  it("parses a formula once however many drafts and seeds use it", async () => {
    const [a, b] = [formula(), formula()];
    const input = await createComparisonSchema.parseAsync(request([draft(a, [0, 1, 2]), draft(a, [3]), draft(b, [4, 5])]));
    const { configs } = await expandDrafts(input.runs, LIMITS);
    expect(configs.map((config) => config.seed)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Object.fromEntries(parses)).toEqual({ [a]: 1, [b]: 1 });
  });

  it("lets other work run between drafts of the input parse", async () => {
    const [a, b, c] = [formula(), formula(), formula()];
    let parsedBeforeOtherWork: string[] = [];
    setImmediate(() => (parsedBeforeOtherWork = [...parses.keys()]));
    await createComparisonSchema.parseAsync(request([draft(a, [0]), draft(b, [1]), draft(c, [2])]));
    expect(parsedBeforeOtherWork).toEqual([a]);
    expect([...parses.keys()]).toEqual([a, b, c]);
  });

  it("names each bad draft's fields under runs[i], alongside the comparison's own", async () => {
    const result = await createComparisonSchema.safeParseAsync({
      title: "",
      visibility: "private",
      runs: [draft(formula(), [0]), draft("0.1 * (epoch", [1]), { ...draft(formula(), [2, 2]), extra: 1 }, 7],
    });
    expect(zodIssues(result.error!).map(formatIssue)).toEqual([
      "title: is required",
      "runs[1].config.schedule.expr: missing ')' at position 13",
      "runs[2].seeds[1]: repeats seed 2",
      "runs[2].extra: unknown field",
      "runs[3]: must be an object",
    ]);
  });
});
