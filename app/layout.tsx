import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "./_components/nav/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LR Lab", template: "%s · LR Lab" },
  description: "Design learning-rate schedules and optimizers, train them on CIFAR-10, compare the results.",
  // Files in public/, made by scripts/make-icons.ts.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "32x32" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
  manifest: "/manifest.webmanifest",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {/* No tRPC provider here: only the pages that query from the browser load it (see their page.tsx). */}
        <SiteHeader />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
