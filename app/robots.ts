import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { env } from "../env";

/** /robots.txt: the public pages are for everyone; API routes, personal pages and auth forms are not for crawlers. */
export default async function robots(): Promise<MetadataRoute.Robots> {
  const host = (await headers()).get("host") ?? "localhost";
  const origin = env.BETTER_AUTH_URL ?? `http://${host}`;
  return {
    rules: { userAgent: "*", allow: "/", disallow: ["/api/", "/comparisons", "/sign-in", "/sign-up", "/preview"] },
    sitemap: new URL("/sitemap.xml", origin).toString(),
  };
}
