import { createTRPCContext } from "../../../../server/api/trpc";
import { trpcHandler } from "../../../../server/http/apiHandlers";
import { expirePublicPages } from "../../../../server/edge/invalidate";

const handleTrpc = trpcHandler((req) => createTRPCContext({ headers: req.headers }));

async function handler(req: Request): Promise<Response> {
  const response = await handleTrpc(req);
  // Queries are GETs; a POST is a mutation batch, and what it changed may be on a cached page.
  if (req.method === "POST") expirePublicPages();
  return response;
}

export { handler as GET, handler as POST };
