import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { ApiError, auth } from "../api/client";
import { Field, describedBy } from "../shared/Field";
import { ErrorMessage } from "../shared/Status";
import { safeNextPath, useAdminSession } from "./adminSession";

function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      const wait = err.retryAfter;
      return wait != null ? `Too many attempts, retry in ${wait} s.` : "Too many attempts, please wait and retry.";
    }
    if (err.status === 401) return err.message || "Wrong email or password.";
    return err.message;
  }
  return "Could not sign in. Please try again.";
}

/** /admin/login: email + password. */
export function LoginPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { setAdmin } = useAdminSession();
  const next = safeNextPath(params.get("next"));
  const expired = params.has("next");

  useEffect(() => {
    document.title = "Sign in · GoLive";
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await auth.login({ email: email.trim(), password });
      setAdmin(result.admin);
      navigate(next, { replace: true });
    } catch (err) {
      setError(loginErrorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div className="brand brand-dark">
          <span className="brand-mark" aria-hidden="true">▶</span> GoLive
        </div>
        <h1>Sign in to the console</h1>
        {expired && !error ? <p className="muted">Please sign in to continue.</p> : null}
        <ErrorMessage testId="login-error">{error}</ErrorMessage>
        <Field id="login-email" label="Email">
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
            {...describedBy("login-email")}
          />
        </Field>
        <Field id="login-password" label="Password">
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </Field>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email || !password} data-testid="login-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
