/**
 * tRPC for React Server Components: a direct caller (no HTTP hop) with the request's context,
 * and an options proxy over a per-request QueryClient for prefetching into <HydrateClient>.
 */
import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, createElement, type ReactNode } from "react";
import { createCaller } from "../server/api/root";
import { createTRPCContext } from "../server/api/trpc";
import { createQueryClient } from "./query-client";

/** One context per request, however many server components ask for it. */
const createContext = cache(async () => createTRPCContext({ headers: new Headers(await headers()) }));

export const getQueryClient = cache(createQueryClient);

export const api = createCaller(createContext);

export function HydrateClient({ children }: { children: ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}

/** Runs `call`; a NOT_FOUND from the procedure renders the 404 page. */
export async function orNotFound<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}
