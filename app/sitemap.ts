import type { MetadataRoute } from "next";
import { headers } from "next/headers";
import { env } from "../env";
import { getDb } from "../server/api/db";
import { sitemapEntries } from "../server/edge/sitemap";

/** /sitemap.xml, read per request (crawlers only): the public origin is BETTER_AUTH_URL, else the request's host. */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const host = (await headers()).get("host") ?? "localhost";
  return sitemapEntries(await getDb(), env.BETTER_AUTH_URL ?? `http://${host}`);
}
