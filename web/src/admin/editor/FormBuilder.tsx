import { FORM_FIELD_TYPES, type FormFieldType } from "../../api/types";
import { Field, describedBy } from "../../shared/Field";
import { emptyFormField, fieldNameFromLabel, type FormFieldDraft } from "./eventDraft";
import { RegistrationFormPreview } from "./RegistrationFormPreview";

interface Props {
  fields: FormFieldDraft[];
  errors: Record<string, string>;
  onChange: (fields: FormFieldDraft[]) => void;
}

const TYPE_LABELS: Record<FormFieldType, string> = {
  text: "Text",
  email: "Email",
  tel: "Phone",
  select: "Dropdown",
  checkbox: "Checkbox",
  textarea: "Long text",
  number: "Number",
};

/** Builds the registration form: add, remove, reorder and edit fields, with a live preview. */
export function FormBuilder({ fields, errors, onChange }: Props) {
  const updateAt = (index: number, patch: Partial<FormFieldDraft>) =>
    onChange(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  const move = (index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= fields.length) return;
    const next = [...fields];
    [next[index], next[target]] = [next[target]!, next[index]!];
    onChange(next);
  };

  return (
    <div className="form-builder" data-testid="form-builder">
      <div className="form-builder-columns">
        <div>
          <h3>Form fields</h3>
          {errors.formFields ? <div className="field-error" role="alert" data-testid="error-formFields">{errors.formFields}</div> : null}
          <ol className="form-builder-list">
            {fields.map((field, i) => (
              <FormFieldEditor
                key={field.key}
                field={field}
                index={i}
                count={fields.length}
                errors={errors}
                onChange={(patch) => updateAt(i, patch)}
                onMove={(delta) => move(i, delta)}
                onRemove={() => onChange(fields.filter((_, j) => j !== i))}
              />
            ))}
          </ol>
          <button type="button" className="btn btn-secondary" onClick={() => onChange([...fields, emptyFormField()])} data-testid="add-form-field">
            + Add field
          </button>
        </div>
        <RegistrationFormPreview fields={fields} />
      </div>
    </div>
  );
}

interface FieldEditorProps {
  field: FormFieldDraft;
  index: number;
  count: number;
  errors: Record<string, string>;
  onChange: (patch: Partial<FormFieldDraft>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

function FormFieldEditor({ field, index, count, errors, onChange, onMove, onRemove }: FieldEditorProps) {
  const id = `ff-${field.key}`;
  const err = (name: string) => errors[`formFields.${index}.${name}`];
  const testId = (name: string) => `formfield-${index}-${name}`;
  return (
    <li className="form-field-editor" data-testid={`formfield-${index}`}>
      <div className="form-field-editor-head">
        <span className="muted">Field {index + 1}</span>
        <div className="button-row">
          <button type="button" className="btn btn-ghost btn-small" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move field ${index + 1} up`} data-testid={testId("up")}>↑</button>
          <button type="button" className="btn btn-ghost btn-small" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move field ${index + 1} down`} data-testid={testId("down")}>↓</button>
          <button type="button" className="btn btn-ghost btn-small text-danger" onClick={onRemove} aria-label={`Remove field ${index + 1}`} data-testid={testId("remove")}>Remove</button>
        </div>
      </div>
      <div className="field-row">
        <Field id={`${id}-label`} label="Label" error={err("label")} errorTestId={`error-formFields.${index}.label`}>
          <input
            id={`${id}-label`}
            value={field.label}
            onChange={(e) => onChange(field.nameFromLabel ? { label: e.target.value, name: fieldNameFromLabel(e.target.value) } : { label: e.target.value })}
            data-testid={testId("label")}
            {...describedBy(`${id}-label`, err("label"))}
          />
        </Field>
        <Field id={`${id}-name`} label="Name (key)" error={err("name")} errorTestId={`error-formFields.${index}.name`} hint={field.nameFromLabel ? "Follows the label" : undefined}>
          <input
            id={`${id}-name`}
            value={field.name}
            onChange={(e) => onChange({ name: e.target.value, nameFromLabel: e.target.value === "" })}
            placeholder="e.g. company"
            data-testid={testId("name")}
            {...describedBy(`${id}-name`, err("name"), field.nameFromLabel)}
          />
        </Field>
        <Field id={`${id}-type`} label="Type" error={err("type")} errorTestId={`error-formFields.${index}.type`}>
          <select id={`${id}-type`} value={field.type} onChange={(e) => onChange({ type: e.target.value as FormFieldType })} data-testid={testId("type")}>
            {FORM_FIELD_TYPES.map((t) => (
              <option key={t} value={t}>{TYPE_LABELS[t]}</option>
            ))}
          </select>
        </Field>
      </div>
      {field.type === "select" ? (
        <Field id={`${id}-options`} label="Options (comma separated)" error={err("options")} errorTestId={`error-formFields.${index}.options`}>
          <input id={`${id}-options`} value={field.optionsText} onChange={(e) => onChange({ optionsText: e.target.value })} placeholder="e.g. Small, Medium, Large" data-testid={testId("options")} {...describedBy(`${id}-options`, err("options"))} />
        </Field>
      ) : null}
      <div className="field-row">
        {field.type !== "checkbox" ? (
          <Field id={`${id}-placeholder`} label="Placeholder" error={err("placeholder")}>
            <input id={`${id}-placeholder`} value={field.placeholder} onChange={(e) => onChange({ placeholder: e.target.value })} data-testid={testId("placeholder")} />
          </Field>
        ) : null}
        {field.type !== "checkbox" && field.type !== "select" && field.type !== "number" ? (
          <Field id={`${id}-maxlength`} label="Max length" error={err("maxLength")} errorTestId={`error-formFields.${index}.maxLength`}>
            <input id={`${id}-maxlength`} inputMode="numeric" value={field.maxLength} onChange={(e) => onChange({ maxLength: e.target.value })} data-testid={testId("maxLength")} />
          </Field>
        ) : null}
        <Field id={`${id}-required`} label="Required" inline>
          <input id={`${id}-required`} type="checkbox" checked={field.required} onChange={(e) => onChange({ required: e.target.checked })} data-testid={testId("required")} />
        </Field>
      </div>
    </li>
  );
}
