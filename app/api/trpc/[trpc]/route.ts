import { createTRPCContext } from "../../../../server/api/trpc";
import { trpcHandler } from "../../../../server/http/apiHandlers";
import { syncPageChanges } from "../../../../server/edge/invalidate";

const handleTrpc = trpcHandler((req) => createTRPCContext({ headers: req.headers }));

async function handler(req: Request): Promise<Response> {
  const response = await handleTrpc(req);
  // Queries are GETs; a POST is a mutation batch, committed by now: expire the cached pages it
  // changed before answering, so its author's next look (and a stranger's) is fresh.
  if (req.method === "POST") {
    await syncPageChanges().catch(() => undefined); // logged there; the feed is read again within a second
  }
  return response;
}

export { handler as GET, handler as POST };
