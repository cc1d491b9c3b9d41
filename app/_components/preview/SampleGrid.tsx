"use client";
/** Test images drawn from their bytes, each with the model's predicted class (green when right). */
import { useEffect, useRef } from "react";
import { CIFAR10_CLASSES } from "../../../training/data/classes";
import type { Split } from "../../../training/data/split";
import { rgbaOf } from "../../../training/preview/slices";
import type { Predictions } from "../../../training/trainer/types";

function Thumb({ split, index }: { split: Split; index: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (context) context.putImageData(new ImageData(rgbaOf(split, index), 32, 32), 0, 0);
  }, [split, index]);
  return <canvas ref={canvas} width={32} height={32} className="h-16 w-16 rounded [image-rendering:pixelated]" aria-hidden="true" />;
}

export function SampleGrid({ split, predictions, title }: { split: Split; predictions: Predictions | null; title: string }) {
  return (
    <section aria-label="Sample predictions" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-sm font-semibold text-slate-700">{title}</h2>
      <ul className="grid grid-cols-4 gap-3 sm:grid-cols-8">
        {Array.from({ length: split.count }, (_, i) => {
          const truth = CIFAR10_CLASSES[split.labels[i]!]!;
          const guess = predictions ? CIFAR10_CLASSES[predictions.labels[i]!] : undefined;
          const right = guess === truth;
          return (
            <li key={i} className="flex flex-col items-center text-xs" data-prediction={guess ?? ""} data-truth={truth}>
              <Thumb split={split} index={i} />
              <span className={guess === undefined ? "text-slate-400" : right ? "text-emerald-700" : "text-red-600"}>
                {guess === undefined ? "—" : `${guess} ${Math.round(predictions!.confidence[i]! * 100)}%`}
              </span>
              <span className="text-slate-500">is {truth}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
