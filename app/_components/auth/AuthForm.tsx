"use client";
/** Sign in / sign up with email and password (and GitHub when the server offers it). */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "../../../lib/auth/client";
import { MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../../lib/auth/policy";
import { TextField } from "../builder/inputs";

type Values = { name: string; email: string; password: string };

/**
 * The form's own checks, named by field, before anything is sent (better-auth checks again).
 * Plain code rather than zod: zod's core alone would add ~24 kB gzip to these small pages.
 */
function check(values: Values, signUp: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (signUp && !values.name.trim()) errors.name = "is required";
  else if (signUp && values.name.trim().length > MAX_NAME_LENGTH) errors.name = `must be at most ${MAX_NAME_LENGTH} characters`;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = "must be an email address";
  if (!values.password) errors.password = "is required";
  else if (signUp && values.password.length < MIN_PASSWORD_LENGTH) errors.password = `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  else if (values.password.length > MAX_PASSWORD_LENGTH) errors.password = `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  return errors;
}

export function AuthForm({ mode, next, github }: { mode: "sign-in" | "sign-up"; next: string; github: boolean }) {
  const router = useRouter();
  const [values, setValues] = useState<Values>({ name: "", email: "", password: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const signUp = mode === "sign-up";

  async function submit() {
    const found = check(values, signUp);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setMessage(null);
    setPending(true);
    const client = await authClient();
    const { error } = signUp
      ? await client.signUp.email({ name: values.name.trim(), email: values.email.trim(), password: values.password })
      : await client.signIn.email({ email: values.email.trim(), password: values.password });
    setPending(false);
    if (error) {
      setMessage(error.message ?? (signUp ? "Could not sign up." : "Could not sign in."));
      return;
    }
    router.push(next);
    router.refresh();
  }

  return (
    <div className="mx-auto max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">{signUp ? "Create an account" : "Sign in"}</h1>
      <form
        className="space-y-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {signUp ? (
          <TextField label="Name" value={values.name} onChange={(name) => setValues({ ...values, name })} error={errors.name} required />
        ) : null}
        <TextField label="Email" value={values.email} onChange={(email) => setValues({ ...values, email })} error={errors.email} required />
        <PasswordField value={values.password} onChange={(password) => setValues({ ...values, password })} error={errors.password} />
        {message ? (
          <p role="alert" className="text-sm text-red-600">
            {message}
          </p>
        ) : null}
        <button type="submit" className="btn-primary w-full" disabled={pending}>
          {signUp ? "Sign up" : "Sign in"}
        </button>
      </form>
      {github ? (
        <button
          type="button"
          className="btn-secondary w-full"
          onClick={() => void authClient().then((client) => client.signIn.social({ provider: "github", callbackURL: next }))}
        >
          Continue with GitHub
        </button>
      ) : null}
      <p className="text-sm text-slate-600">
        {signUp ? "Already have an account? " : "New here? "}
        <Link className="link" href={`/${signUp ? "sign-in" : "sign-up"}${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`}>
          {signUp ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </div>
  );
}

function PasswordField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | undefined }) {
  return (
    <div>
      <label htmlFor="password" className="mb-0.5 block text-xs font-medium text-slate-600">
        Password
      </label>
      <input
        id="password"
        type="password"
        autoComplete="current-password"
        className="w-full rounded border border-slate-300 px-2 py-1 text-sm aria-[invalid=true]:border-red-500"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "password-error" : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? (
        <p id="password-error" className="mt-0.5 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
