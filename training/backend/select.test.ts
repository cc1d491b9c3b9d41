import { describe, expect, it } from "vitest";
import { BackendUnavailableError, selectBackend, type BackendLoader } from "./select";

const ok =
  (detail: string): BackendLoader =>
  async () =>
    detail;
const failing =
  (message: string): BackendLoader =>
  async () => {
    throw new Error(`${message}\n    at some/stack/frame.js:1:1`);
  };

describe("selectBackend", () => {
  it("returns the first backend that loads, listing the ones skipped with their first error line", async () => {
    const loaders = { a: failing("a is missing"), b: failing("b broke"), c: ok("c (fine)"), d: ok("d") };
    expect(await selectBackend(["a", "b", "c", "d"], loaders)).toEqual({
      name: "c",
      detail: "c (fine)",
      fallbacks: ["a: a is missing", "b: b broke"],
    });
  });

  it("does not call loaders after the one that succeeded", async () => {
    const called: string[] = [];
    const track =
      (name: string): BackendLoader =>
      async () => {
        called.push(name);
        return name;
      };
    await selectBackend(["x", "y"], { x: track("x"), y: track("y") });
    expect(called).toEqual(["x"]);
  });

  it("throws BackendUnavailableError with the reason for a single explicit choice", async () => {
    const promise = selectBackend(["a"], { a: failing("a is missing") });
    await expect(promise).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(promise).rejects.toThrow("backend 'a' unavailable: a is missing");
  });

  it("throws listing every reason when nothing in the order loads", async () => {
    await expect(selectBackend(["a", "b"], { a: failing("no a"), b: failing("no b") })).rejects.toThrow(
      "no tfjs backend could be loaded (a: no a; b: no b)",
    );
  });
});
