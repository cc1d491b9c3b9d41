import type { Metadata } from "next";
import { TRPCReactProvider } from "../../trpc/react";
import { BuilderPreview } from "../_components/preview/BuilderPreview";
import { datasetStatus } from "./dataset";

export const metadata: Metadata = { title: "Preview in browser", robots: { index: false } };

/** Previews of configs handed over by the builder in the URL's fragment (never sent to the server). */
export default async function PreviewPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Preview in browser</h1>
      <TRPCReactProvider>
        <BuilderPreview dataset={await datasetStatus()} />
      </TRPCReactProvider>
    </div>
  );
}
