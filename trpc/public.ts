/**
 * tRPC for the pages served from Next's cache: the same callers as ./server, but the context sees
 * the session only in draft mode (see server/edge/viewer.ts), so rendering for a stranger reads no
 * cookie and Next can cache the page.
 */
import "server-only";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { cache } from "react";
import { appRouter, createCaller } from "../server/api/root";
import { createTRPCContext } from "../server/api/trpc";
import { viewerHeaders } from "../server/edge/viewer";
import { getQueryClient } from "./server";

const createPublicContext = cache(async () => createTRPCContext({ headers: await viewerHeaders() }));

export const publicApi = createCaller(createPublicContext);

export const publicTrpc = createTRPCOptionsProxy({ router: appRouter, ctx: createPublicContext, queryClient: getQueryClient });
