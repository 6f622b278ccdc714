import { useState, type FormEvent } from "react";
import { validateRegistrationForm, type FieldErrors, type FormValues } from "../../lib/validation";
import { RegistrationFieldInput } from "../../shared/RegistrationFieldInput";
import { draftToField, type FormFieldDraft } from "./eventDraft";

/** What viewers will see; "Try it" runs the same validation as the viewer page. */
export function RegistrationFormPreview({ fields }: { fields: FormFieldDraft[] }) {
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const formFields = fields.map(draftToField).filter((f) => f.name);

  function tryIt(e: FormEvent) {
    e.preventDefault();
    setErrors(validateRegistrationForm(formFields, values));
  }

  return (
    <div className="form-preview" data-testid="form-preview">
      <h3>Viewer preview</h3>
      <form className="gate-card" onSubmit={tryIt} noValidate>
        {formFields.length === 0 ? <p className="muted">Add a field with a name to see it here.</p> : null}
        {formFields.map((field) => (
          <RegistrationFieldInput
            key={field.name}
            idPrefix="preview"
            testIdPrefix="preview-"
            field={field}
            value={values[field.name]}
            error={errors[field.name]}
            onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
          />
        ))}
        <button type="submit" className="btn btn-secondary btn-block">Try it</button>
      </form>
    </div>
  );
}
