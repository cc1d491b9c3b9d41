/** LRLAB_DATASET_URL: validated as an http(s) URL, and its origin allowed in the pages' connect-src. */
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../env";
import { contentSecurityPolicy, headerRules } from "../../server/http/headers";

describe("LRLAB_DATASET_URL", () => {
  it("accepts an http(s) URL and treats blank as unset", () => {
    expect(parseEnv({ LRLAB_DATASET_URL: "https://cdn.example/cifar/v1/" }).LRLAB_DATASET_URL).toBe("https://cdn.example/cifar/v1/");
    expect(parseEnv({ LRLAB_DATASET_URL: "" }).LRLAB_DATASET_URL).toBeUndefined();
    expect(parseEnv({}).LRLAB_DATASET_URL).toBeUndefined();
  });

  it.each(["cdn.example/cifar", "/cifar", "ftp://cdn.example/cifar", "file:///srv/cifar"])("rejects %s, naming the variable", (value) => {
    expect(() => parseEnv({ LRLAB_DATASET_URL: value })).toThrow(
      "invalid environment:\n  LRLAB_DATASET_URL: must be an http(s) URL (where `lrlab data export-slices` output is served)",
    );
  });

  it("lets the pages fetch from the dataset's origin and nowhere else new", () => {
    expect(contentSecurityPolicy("none")).toContain("connect-src 'self';");
    expect(contentSecurityPolicy("none", false, ["https://cdn.example"])).toContain("connect-src 'self' https://cdn.example;");
    expect(contentSecurityPolicy("any", true, ["https://cdn.example"])).toContain("connect-src 'self' https://cdn.example ws: wss:;");
    const csp = headerRules(false, ["https://cdn.example"]).flatMap((rule) =>
      rule.headers.filter((h) => h.key === "Content-Security-Policy"),
    );
    expect(csp.length).toBeGreaterThan(1);
    for (const header of csp) expect(header.value).toContain("connect-src 'self' https://cdn.example;");
  });
});
