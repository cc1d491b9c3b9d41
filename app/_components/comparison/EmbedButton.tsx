"use client";
/** "Embed": copies an iframe snippet of the comparison's charts (/embed/c/<slug>) for a blog post or notebook. */
import { useState } from "react";

export function embedSnippet(origin: string, slug: string, title: string): string {
  const escaped = title.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${origin}/embed/c/${slug}" title="${escaped} (LR Lab)" width="100%" height="760" style="border:0" loading="lazy"></iframe>`;
}

export function EmbedButton({ slug, title }: { slug: string; title: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn-secondary"
      title="Copy an iframe snippet with this comparison's charts"
      onClick={() => {
        void navigator.clipboard?.writeText(embedSnippet(window.location.origin, slug, title)).then(() => setCopied(true));
      }}
    >
      {copied ? "Snippet copied" : "Embed"}
    </button>
  );
}
