/**
 * tRPC's core (create-t3-app layout): the request context, the error shape, and the two kinds
 * of procedure. Routers live in ./routers and are joined in ./root.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "../../lib/transformer";
import { ZodError } from "zod";
import type { Db } from "../../db/client";
import { env } from "../../env";
import { formatIssue, ValidationError, zodIssues, type FieldIssue } from "../../training/errors";
import type { AuthSession } from "../auth/config";
import { getDb } from "./db";
import type { Limits } from "../../lib/limits";
import { limitsFromEnv } from "./limits";

/** The signed-in user as procedures see it. */
export type SessionUser = Pick<AuthSession["user"], "id" | "name" | "email">;

export interface Context {
  db: Db;
  user: SessionUser | null;
  limits: Limits;
}

/** The context of one HTTP request or one server-component render. */
export async function createTRPCContext(opts: { headers: Headers }): Promise<Context> {
  // Lazy import: tests build contexts by hand and never load better-auth's instance.
  const { getSession } = await import("../auth");
  const [db, session] = await Promise.all([getDb(), getSession(opts.headers)]);
  const user = session ? { id: session.user.id, name: session.user.name, email: session.user.email } : null;
  return { db, user, limits: limitsFromEnv(env) };
}

/** Field issues carried by an error, from zod input parsing or our own validators. */
export function fieldIssuesOf(error: unknown): FieldIssue[] | null {
  if (error instanceof ZodError) return zodIssues(error);
  if (error instanceof ValidationError) return error.issues;
  return null;
}

/** What a client is told about an unexpected error (the server logs the real one). */
export const INTERNAL_MESSAGE = "Something went wrong on the server; the error has been logged.";

const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const issues = fieldIssuesOf(error.cause);
    // Never a stack trace in a response, in any mode.
    const data = { ...shape.data };
    delete data.stack;
    return {
      ...shape,
      // One line per field ("runs[0].config.epochs: must be ≤ 200") instead of zod's JSON dump;
      // an unexpected error's message may quote SQL and its parameters: clients get a generic one.
      message: issues ? issues.map(formatIssue).join("\n") : error.code === "INTERNAL_SERVER_ERROR" ? INTERNAL_MESSAGE : shape.message,
      data: { ...data, fieldIssues: issues },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/** Our ValidationError means bad input: report it as BAD_REQUEST, not a server error. */
const validationErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR" && result.error.cause instanceof ValidationError) {
    throw new TRPCError({ code: "BAD_REQUEST", message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(validationErrors);

/** Rejects anonymous calls with UNAUTHORIZED; `ctx.user` is non-null afterwards. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
