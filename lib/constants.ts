/**
 * Constants shared by the database schema, the server and the pages, declared once here with no
 * dependencies, so that browser code can import them without pulling in anything else.
 */

/** Who can see a comparison: everyone (listed), anyone with the link, or only its owner. */
export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Validation accuracies (percent) the leaderboard reports epochs and seconds to. */
export const LEADERBOARD_TARGETS = [50, 60, 70, 80, 90] as const;
export type LeaderboardTarget = (typeof LEADERBOARD_TARGETS)[number];
