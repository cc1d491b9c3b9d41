"use client";
/** Share link, fork (any signed-in reader), edit and delete (owner). */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "../../../trpc/react";

export function ComparisonActions({ slug, isOwner, signedIn }: { slug: string; isOwner: boolean; signedIn: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [shareUrl, setShareUrl] = useState(`/c/${slug}`);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setShareUrl(`${window.location.origin}/c/${slug}`), [slug]);

  const fork = useMutation(
    trpc.comparisons.fork.mutationOptions({
      onSuccess: ({ slug: forked }) => {
        router.push(`/c/${forked}`);
        router.refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.comparisons.delete.mutationOptions({
      onSuccess: () => {
        router.push("/comparisons");
        router.refresh();
      },
    }),
  );
  const error = fork.error ?? remove.error;

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor="share-link">
          Share link
        </label>
        <input
          id="share-link"
          readOnly
          value={shareUrl}
          className="w-72 rounded border border-slate-300 bg-slate-50 px-2 py-1 text-xs"
          onFocus={(event) => event.target.select()}
        />
        <button
          type="button"
          className="btn-secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(shareUrl).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </button>
        <Link className="btn-secondary" href={`/c/${slug}/preview`}>
          Preview in browser
        </Link>
        {signedIn ? (
          <button type="button" className="btn-secondary" disabled={fork.isPending} onClick={() => fork.mutate({ slug })}>
            Fork
          </button>
        ) : (
          <Link className="btn-secondary" href={`/sign-in?next=${encodeURIComponent(`/c/${slug}`)}`}>
            Sign in to fork
          </Link>
        )}
        {isOwner ? (
          <>
            <Link className="btn-secondary" href={`/c/${slug}/edit`}>
              Edit
            </Link>
            {confirming ? (
              <>
                <button type="button" className="btn-danger" disabled={remove.isPending} onClick={() => remove.mutate({ slug })}>
                  Confirm delete
                </button>
                <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" className="btn-danger" onClick={() => setConfirming(true)}>
                Delete
              </button>
            )}
          </>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
