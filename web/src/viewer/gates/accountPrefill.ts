import { useEffect } from "react";
import { account, ACCOUNT_CSRF_COOKIE, readCookie } from "../../api/client";
import type { Account, FormField } from "../../api/types";
import type { FormValues } from "../../lib/validation";

/** What a signed-in account already told us, for a registration form's fields: its address and its name. */
export function prefillFor(fields: FormField[], who: Pick<Account, "email" | "name">): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    if (field.type === "email") values[field.name] = who.email;
    else if (field.type === "text" && who.name && /^(full[ _-]?)?name$/i.test(field.name)) values[field.name] = who.name;
  }
  return values;
}

/** Fills in a signed-in viewer's form once (what they typed already stays); a guest asks nothing of the server. */
export function useAccountPrefill(fields: FormField[], apply: (values: FormValues) => void) {
  useEffect(() => {
    if (!readCookie(ACCOUNT_CSRF_COOKIE)) return;
    const controller = new AbortController();
    account
      .me(controller.signal)
      .then((who) => apply(prefillFor(fields, who)))
      .catch(() => undefined); // signed out meanwhile: the form stays empty
    return () => controller.abort();
  }, []);
}
