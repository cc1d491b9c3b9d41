import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { env } from "../../../env";
import { limitsFromEnv } from "../../../server/api/limits";
import { currentUser } from "../../../server/auth/session";
import { TRPCReactProvider } from "../../../trpc/react";
import { ComparisonBuilder } from "../../_components/builder/ComparisonBuilder";

export const metadata: Metadata = { title: "New comparison" };

export default async function NewComparisonPage() {
  if (!(await currentUser())) redirect("/sign-in?next=/comparisons/new");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New comparison</h1>
      <TRPCReactProvider>
        <ComparisonBuilder mode="create" limits={limitsFromEnv(env)} />
      </TRPCReactProvider>
    </div>
  );
}
