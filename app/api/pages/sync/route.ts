/**
 * POST /api/pages/sync: expires the cached pages changed since the last sync (server/edge/invalidate.ts).
 * Each server calls it on itself every LRLAB_PAGE_SYNC_MS (instrumentation.ts); anyone may call
 * it, and it costs one small read however often it is called (concurrent calls share it).
 */
import { syncPageChanges } from "../../../../server/edge/invalidate";
import { NO_STORE } from "../../../../server/http/headers";

export async function POST(): Promise<Response> {
  try {
    const changes = await syncPageChanges();
    return Response.json({ changes }, { headers: { "cache-control": NO_STORE } });
  } catch {
    // Logged by syncPageChanges, once per outage.
    return Response.json({ error: "page sync failed; it is retried" }, { status: 503, headers: { "cache-control": NO_STORE } });
  }
}
