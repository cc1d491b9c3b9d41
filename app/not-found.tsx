import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-3 py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600">There is nothing at this address — or it is private.</p>
      <Link href="/" className="link">
        Back to LR Lab
      </Link>
    </div>
  );
}
