/** What a failed procedure call says: its tRPC code and its field issues as "path: message". */
import { TRPCError } from "@trpc/server";
import { fieldIssuesOf } from "../../server/api/trpc";
import { formatIssue } from "../../training/errors";

export async function failure(call: Promise<unknown>): Promise<{ code: string; issues: string[]; message: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, issues: (fieldIssuesOf(error.cause) ?? []).map(formatIssue), message: error.message };
  }
  throw new Error("expected the call to fail");
}
