import { getAuth } from "../../../../server/auth";
import { authHandler } from "../../../../server/http/apiHandlers";

// Every better-auth endpoint (sign-up, sign-in, sign-out, OAuth callbacks) under /api/auth.
const handler = authHandler(getAuth);

export { handler as GET, handler as POST };
