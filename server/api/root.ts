/** The app's router: one sub-router per domain. */
import { comparisonsRouter } from "./routers/comparisons";
import { leaderboardRouter } from "./routers/leaderboard";
import { lrTestsRouter } from "./routers/lrTests";
import { metricsRouter } from "./routers/metrics";
import { previewsRouter } from "./routers/previews";
import { runsRouter } from "./routers/runs";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  comparisons: comparisonsRouter,
  runs: runsRouter,
  metrics: metricsRouter,
  leaderboard: leaderboardRouter,
  previews: previewsRouter,
  lrTests: lrTestsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller(ctx).comparisons.bySlug({ slug })`. */
export const createCaller = createCallerFactory(appRouter);
