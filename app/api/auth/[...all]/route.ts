import { getAuth } from "../../../../server/auth";

// Every better-auth endpoint (sign-up, sign-in, sign-out, OAuth callbacks) under /api/auth.
async function handler(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(request);
}

export { handler as GET, handler as POST };
