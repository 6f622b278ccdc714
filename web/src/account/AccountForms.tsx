import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { account, ApiError } from "../api/client";
import type { AccountSignIn } from "../api/types";
import { describedBy, Field } from "../shared/Field";
import { FormCard } from "../shared/FormCard";
import { useNext, useWithNext } from "./returnTo";

/** A form's state: busy while a call runs, the server's message and per-field messages after a refusal. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  async function run(call: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await call();
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.status === 429 && err.retryAfter ? `${err.message} (in ${err.retryAfter} s)` : err.message);
        setFields(err.fields);
      } else {
        setError("Something went wrong. Please try again.");
      }
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, fields, run };
}

function AccountCard({ footer, ...card }: {
  title: string;
  testId: string;
  intro?: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <FormCard
      part="account"
      heading="h1"
      className="gate-card account-card"
      footer={footer ? <div className="account-links">{footer}</div> : null}
      {...card}
    />
  );
}

function TextField({ id, label, type = "text", value, onChange, error, autoComplete, hint, inputMode }: {
  id: string;
  label: string;
  type?: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  autoComplete?: string;
  hint?: string;
  inputMode?: "numeric" | "email" | "text";
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint} errorTestId={`${id}-error`}>
      <input
        id={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
        data-testid={id}
        {...describedBy(id, error, Boolean(hint))}
      />
    </Field>
  );
}

/** After any sign-in: who is watching (the picker then goes back to the event that asked for it, if one did). */
function useSignedIn() {
  const navigate = useNavigate();
  const withNext = useWithNext();
  return (_signed: AccountSignIn) => navigate(withNext("/account/profiles"), { replace: true });
}

export function SignupPage() {
  const navigate = useNavigate();
  const next = useNext();
  const withNext = useWithNext();
  const form = useSubmit();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  return (
    <AccountCard
      title="Create your account"
      testId="account-signup"
      intro={<p>One account for everything you watch, on every device.</p>}
      error={form.error}
      busy={form.busy}
      submitLabel="Create account"
      onSubmit={() =>
        form.run(async () => {
          await account.signup({ email, name, password });
          navigate(`/account/verify?${new URLSearchParams(next ? { email, next } : { email })}`);
        })
      }
      footer={<>Already have an account? <Link to={withNext("/account/login")}>Sign in</Link></>}
    >
      <TextField id="account-email" label="Email" type="email" value={email} onChange={setEmail} error={form.fields.email} autoComplete="email" />
      <TextField id="account-name" label="Name (optional)" value={name} onChange={setName} error={form.fields.name} autoComplete="name" />
      <TextField
        id="account-password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        error={form.fields.password}
        autoComplete="new-password"
        hint="At least 10 characters; a few unusual words work well."
      />
    </AccountCard>
  );
}

/** The emailed link carries the address and the code: the page submits them itself, once. */
function useCodeFromLink(submit: (email: string, code: string) => void) {
  const [params] = useSearchParams();
  const email = params.get("email") ?? "";
  const code = params.get("code") ?? "";
  const used = useRef(false);
  useEffect(() => {
    if (!used.current && email && /^\d{6}$/.test(code)) {
      used.current = true;
      submit(email, code);
    }
  }, [email, code, submit]);
  return { email, code };
}

export function VerifyPage() {
  const signedIn = useSignedIn();
  const form = useSubmit();
  const [sent, setSent] = useState(false);
  const verify = (email: string, code: string) => form.run(async () => signedIn(await account.verify(email, code)));
  const link = useCodeFromLink(verify);
  const [email, setEmail] = useState(link.email);
  const [code, setCode] = useState(link.code);
  return (
    <AccountCard
      title="Confirm your email"
      testId="account-verify"
      intro={<p>We sent a 6-digit code to {email || "your address"}. Enter it here, or open the link in the email.</p>}
      error={form.error}
      busy={form.busy}
      submitLabel="Confirm"
      onSubmit={() => verify(email, code)}
      footer={
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => form.run(async () => { await account.resendVerification(email); setSent(true); })}
        >
          {sent ? "Sent again" : "Send a new code"}
        </button>
      }
    >
      <TextField id="account-email" label="Email" type="email" value={email} onChange={setEmail} error={form.fields.email} autoComplete="email" />
      <TextField id="account-code" label="Code" value={code} onChange={setCode} error={form.fields.code} autoComplete="one-time-code" inputMode="numeric" />
    </AccountCard>
  );
}

export function LoginPage() {
  const signedIn = useSignedIn();
  const withNext = useWithNext();
  const form = useSubmit();
  const withCode = (email: string, code: string) => form.run(async () => signedIn(await account.login({ email, code })));
  const link = useCodeFromLink(withCode);
  const [email, setEmail] = useState(link.email);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState(link.code);
  const [mode, setMode] = useState<"password" | "code-request" | "code">(link.code ? "code" : "password");
  const submit = () => {
    if (mode === "password") return form.run(async () => signedIn(await account.login({ email, password })));
    if (mode === "code-request") return form.run(async () => { await account.loginCode(email); setMode("code"); });
    return withCode(email, code);
  };
  return (
    <AccountCard
      title="Sign in"
      testId="account-login"
      intro={mode === "code" ? <p data-testid="account-code-sent">If {email} has an account, a sign-in code is on its way.</p> : null}
      error={form.error}
      busy={form.busy}
      submitLabel={mode === "code-request" ? "Email me a code" : "Sign in"}
      onSubmit={submit}
      footer={
        <>
          {mode === "password" ? (
            <button type="button" className="btn btn-ghost" onClick={() => setMode("code-request")} data-testid="account-use-code">
              Email me a sign-in code instead
            </button>
          ) : (
            <button type="button" className="btn btn-ghost" onClick={() => setMode("password")}>
              Use my password
            </button>
          )}
          <Link to="/account/reset">Forgot your password?</Link>
          <Link to={withNext("/account/signup")} data-testid="account-signup-link">Create an account</Link>
        </>
      }
    >
      <TextField id="account-email" label="Email" type="email" value={email} onChange={setEmail} error={form.fields.email} autoComplete="email" />
      {mode === "password" ? (
        <TextField id="account-password" label="Password" type="password" value={password} onChange={setPassword} error={form.fields.password} autoComplete="current-password" />
      ) : null}
      {mode === "code" ? (
        <TextField id="account-code" label="Code" value={code} onChange={setCode} error={form.fields.code} autoComplete="one-time-code" inputMode="numeric" />
      ) : null}
    </AccountCard>
  );
}

export function ResetPage() {
  const signedIn = useSignedIn();
  const form = useSubmit();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get("email") ?? "");
  const [code, setCode] = useState(params.get("code") ?? "");
  const [password, setPassword] = useState("");
  const [step, setStep] = useState<"request" | "confirm">(params.get("code") ? "confirm" : "request");
  return (
    <AccountCard
      title="Choose a new password"
      testId="account-reset"
      intro={step === "confirm" ? <p>Enter the code we emailed to {email} and your new password. Every other device will be signed out.</p> : <p>We will email you a code.</p>}
      error={form.error}
      busy={form.busy}
      submitLabel={step === "request" ? "Email me a code" : "Save and sign in"}
      onSubmit={() =>
        form.run(async () => {
          if (step === "request") {
            await account.passwordReset(email);
            setStep("confirm");
          } else {
            signedIn(await account.confirmPasswordReset({ email, code, password }));
          }
        })
      }
      footer={<Link to="/account/login">Back to sign in</Link>}
    >
      <TextField id="account-email" label="Email" type="email" value={email} onChange={setEmail} error={form.fields.email} autoComplete="email" />
      {step === "confirm" ? (
        <>
          <TextField id="account-code" label="Code" value={code} onChange={setCode} error={form.fields.code} autoComplete="one-time-code" inputMode="numeric" />
          <TextField id="account-password" label="New password" type="password" value={password} onChange={setPassword} error={form.fields.password} autoComplete="new-password" />
        </>
      ) : null}
    </AccountCard>
  );
}
