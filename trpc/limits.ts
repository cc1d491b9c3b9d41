/** Calls in one tRPC batch: the server refuses more, and the client link splits its batches to fit. */
export const MAX_BATCH_CALLS = 16;
