/**
 * A page served from Next's cache cannot read its query string (reading it makes the page
 * dynamic), so the query variants of the cached listings ride in a path segment instead: the
 * proxy rewrites `/leaderboard?sort=n` to `/leaderboard/q/sort%3Dn`. Only the parameters a page
 * knows are kept, in a fixed order, so every spelling of one view shares one cache entry and junk
 * parameters cannot fill the cache.
 */
export const LISTING_PARAMS: Record<string, readonly string[]> = {
  "/leaderboard": ["sort", "dir", "target", "optimizer", "scheduleKind", "model", "epochs", "q", "page"],
  "/browse": ["page"],
};

/** The segment standing for "no parameters". */
const EMPTY = "_";

/** The internal path that serves `pathname` + `params`, or null when the path is not a cached listing. */
export function listingRewrite(pathname: string, params: URLSearchParams): string | null {
  const fields = LISTING_PARAMS[pathname];
  if (!fields) return null;
  const kept = new URLSearchParams();
  for (const field of fields) {
    const value = params.get(field);
    if (value !== null && value !== "") kept.set(field, value);
  }
  const query = kept.toString();
  return `${pathname}/q/${query ? encodeURIComponent(query) : EMPTY}`;
}

/** The parameters carried by a `q` segment, as the page receives it (still percent-encoded). */
export function listingParams(segment: string): Record<string, string> {
  if (segment === EMPTY) return {};
  try {
    return Object.fromEntries(new URLSearchParams(decodeURIComponent(segment)));
  } catch {
    return {}; // malformed percent-encoding: the default view
  }
}
