import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "../../env";
import { githubEnabled } from "../../server/auth/config";
import { safeNext } from "../../server/auth/next";
import { currentUser } from "../../server/auth/session";
import { AuthForm } from "../_components/auth/AuthForm";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return <AuthForm mode="sign-in" next={next} github={githubEnabled(env)} />;
}
