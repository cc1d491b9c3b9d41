import { createTRPCContext } from "../../../../server/api/trpc";
import { trpcHandler } from "../../../../server/http/apiHandlers";

const handler = trpcHandler((req) => createTRPCContext({ headers: req.headers }));

export { handler as GET, handler as POST };
