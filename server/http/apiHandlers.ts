/**
 * The two JSON API route handlers (tRPC and better-auth) as factories, so tests drive exactly what
 * the routes serve: bodies over 1 MB refused with 413 before parsing, tRPC batches of at most
 * MAX_BATCH_CALLS calls, and every answer marked `Cache-Control: private, no-store`.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "../api/root";
import type { Context } from "../api/trpc";
import type { Auth } from "../auth/config";
import { MAX_BATCH_CALLS } from "../../trpc/limits";
import { limitBody } from "./body";
import { noStore } from "./headers";

export function trpcHandler(createContext: (req: Request) => Promise<Context>): (request: Request) => Promise<Response> {
  return async (request) => {
    const req = await limitBody(request);
    if (req instanceof Response) return noStore(req);
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      maxBatchSize: MAX_BATCH_CALLS,
      createContext: () => createContext(req),
      onError({ path, error }) {
        // The client gets a generic message (server/api/trpc.ts); the log gets the real error.
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error);
      },
    });
    return noStore(response);
  };
}

export function authHandler(getAuth: () => Promise<Auth>): (request: Request) => Promise<Response> {
  return async (request) => {
    const req = await limitBody(request);
    if (req instanceof Response) return noStore(req);
    const auth = await getAuth();
    return noStore(await auth.handler(req));
  };
}
