import { draftMode } from "next/headers";
import { getAuth } from "../../../../server/auth";
import { authHandler } from "../../../../server/http/apiHandlers";
import { sessionChange } from "../../../../server/edge/cookies";

// Every better-auth endpoint (sign-up, sign-in, sign-out, OAuth callbacks) under /api/auth. A
// session starting or ending turns draft mode (this browser's pass around the page cache, see
// server/edge/viewer.ts) on or off with it.
const authenticate = authHandler(getAuth);

async function handler(request: Request): Promise<Response> {
  const response = await authenticate(request);
  const change = sessionChange(response.headers.getSetCookie());
  if (change === "started") (await draftMode()).enable();
  if (change === "ended") (await draftMode()).disable();
  return response;
}

export { handler as GET, handler as POST };
