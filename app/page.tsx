import Link from "next/link";

export default function Home() {
  return (
    <div className="mx-auto max-w-3xl space-y-6 py-8">
      <h1 className="text-3xl font-semibold">LR Lab</h1>
      <p className="text-lg text-slate-700">
        Design learning-rate schedules and optimizers, train a CNN on CIFAR-10 with each, and compare the curves side by side — including a
        one-click reproduction of the classic comparison of step, time-based and exponential decay against Adagrad, Adadelta, RMSprop and
        Adam.
      </p>
      <div className="flex gap-3">
        <Link href="/comparisons/new" className="btn-primary">
          New comparison
        </Link>
        <Link href="/browse" className="btn-secondary">
          Browse public comparisons
        </Link>
      </div>
    </div>
  );
}
