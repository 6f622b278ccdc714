import { ACCESS_TYPES, type AccessType } from "../../api/types";
import { Field, describedBy } from "../../shared/Field";
import { EditorSection } from "./EditorSection";
import type { EventDraft } from "./eventDraft";
import { FormBuilder } from "./FormBuilder";

const ACCESS_DESCRIPTIONS: Record<AccessType, { label: string; hint: string }> = {
  anonymous: { label: "Open", hint: "Anyone with the link can watch." },
  form: { label: "Registration form", hint: "Viewers fill in a form before watching." },
  password: { label: "Password", hint: "Viewers enter a shared password." },
  email: { label: "Email code", hint: "Viewers confirm their email with a 6-digit code." },
  account: { label: "Account", hint: "Viewers sign in to their account (with a verified email)." },
};

interface Props {
  draft: EventDraft;
  errors: Record<string, string>;
  hasPassword: boolean;
  onChange: (patch: Partial<EventDraft>) => void;
}

export function AccessSection({ draft, errors, hasPassword, onChange }: Props) {
  return (
    <EditorSection title="Access">
      <fieldset className="choice-group" data-testid="editor-accessType">
        <legend className="field-label">Who can watch</legend>
        {ACCESS_TYPES.map((type) => (
          <label key={type} className={`choice${draft.accessType === type ? " choice-selected" : ""}`}>
            <input type="radio" name="accessType" value={type} checked={draft.accessType === type} onChange={() => onChange({ accessType: type })} data-testid={`access-${type}`} />
            <span>
              <strong>{ACCESS_DESCRIPTIONS[type].label}</strong>
              <span className="muted">{ACCESS_DESCRIPTIONS[type].hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {errors.accessType ? <div className="field-error" role="alert" data-testid="error-accessType">{errors.accessType}</div> : null}

      {draft.accessType === "password" ? (
        <Field
          id="event-password"
          label={hasPassword ? "New password" : "Password"}
          error={errors.accessPassword}
          errorTestId="error-accessPassword"
          hint={hasPassword ? <span data-testid="password-set">A password is set. Type a new one to replace it.</span> : "Viewers need this password to watch."}
        >
          <input
            id="event-password"
            type="password"
            autoComplete="new-password"
            value={draft.accessPassword}
            onChange={(e) => onChange({ accessPassword: e.target.value })}
            placeholder={hasPassword ? "••••••••" : undefined}
            data-testid="editor-accessPassword"
            {...describedBy("event-password", errors.accessPassword, true)}
          />
        </Field>
      ) : null}

      {draft.accessType === "form" ? <FormBuilder fields={draft.formFields} errors={errors} onChange={(formFields) => onChange({ formFields })} /> : null}

      <Field id="event-listed" label="Show on the site's home page" inline error={errors.isListed} hint="Off: only people with the link find it.">
        <input id="event-listed" type="checkbox" checked={draft.isListed} onChange={(e) => onChange({ isListed: e.target.checked })} data-testid="editor-isListed" {...describedBy("event-listed", errors.isListed, true)} />
      </Field>
    </EditorSection>
  );
}
