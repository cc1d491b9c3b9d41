/**
 * One QueryClient factory for the browser and for server renders. superjson on both sides of
 * dehydration so Dates survive the trip from a server component into the client cache.
 */
import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import type { SuperJSONResult } from "superjson";
import { transformer } from "../lib/transformer";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data fetched on the server is fresh for a while: no immediate refetch after hydration.
        staleTime: 30_000,
      },
      dehydrate: {
        serializeData: (data: unknown) => transformer.serialize(data),
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: (data: SuperJSONResult): unknown => transformer.deserialize(data) },
    },
  });
}
