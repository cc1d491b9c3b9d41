import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../../../../server/api/root";
import { createTRPCContext } from "../../../../server/api/trpc";
import { expirePublicPages } from "../../../../server/edge/invalidate";

async function handler(req: Request): Promise<Response> {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
    },
  });
  // Queries are GETs; a POST is a mutation batch, and what it changed may be on a cached page.
  if (req.method === "POST") expirePublicPages();
  return response;
}

export { handler as GET, handler as POST };
