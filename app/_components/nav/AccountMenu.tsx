"use client";
/** The signed-in user's menu: their comparisons, a new one, sign out. */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { authClient } from "../../../lib/auth/client";

export function AccountMenu({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const router = useRouter();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  async function signOut() {
    await (await authClient()).signOut();
    setOpen(false);
    router.push("/");
    router.refresh();
  }

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        className="btn-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen(!open)}
      >
        Account: {name}
      </button>
      {open ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Account"
          className="absolute right-0 z-10 mt-1 w-48 rounded border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          <Link role="menuitem" href="/comparisons" className="block px-3 py-1.5 hover:bg-slate-50" onClick={() => setOpen(false)}>
            My comparisons
          </Link>
          <Link role="menuitem" href="/comparisons/new" className="block px-3 py-1.5 hover:bg-slate-50" onClick={() => setOpen(false)}>
            New comparison
          </Link>
          <button
            role="menuitem"
            type="button"
            className="block w-full px-3 py-1.5 text-left hover:bg-slate-50"
            onClick={() => void signOut()}
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
