import { useState } from "react";
import { account, ApiError } from "../api/client";
import type { NotificationPreferences } from "../api/types";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../shared/Status";

const CHOICES: { key: keyof NotificationPreferences; label: string }[] = [
  { key: "reminderEmails", label: "Reminders: 15 minutes before an event I registered for, when it goes live, and before my access ends" },
  { key: "announcementEmails", label: "News from the organizer" },
];

/** Which optional emails the account wants; receipts, codes and security notes are always sent. Saved on change. */
export function EmailPreferences() {
  const saved = useApi((signal) => account.emailPreferences(signal), []);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (key: keyof NotificationPreferences, value: boolean) => {
    setError(null);
    const before = saved.data;
    if (before) saved.setData({ ...before, [key]: value }); // shown at once; put back if the save fails
    try {
      saved.setData(await account.setEmailPreferences({ [key]: value }));
    } catch (err) {
      saved.setData(before);
      setError(err instanceof ApiError ? err.message : "Could not save. Please try again.");
    }
  };
  return (
    <section aria-labelledby="email-preferences" data-testid="email-preferences">
      <h2 id="email-preferences">Emails</h2>
      <p className="muted small">Receipts, sign-in codes and security notes always come. Also send me:</p>
      <ErrorMessage>{error ?? saved.error}</ErrorMessage>
      {CHOICES.map(({ key, label }) => (
        <label key={key} className="field-checkbox">
          <input type="checkbox" checked={saved.data?.[key] ?? false} disabled={!saved.data} onChange={(e) => void toggle(key, e.target.checked)} data-testid={`pref-${key}`} />
          <span>{label}</span>
        </label>
      ))}
    </section>
  );
}
