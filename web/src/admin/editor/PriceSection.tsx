import { CURRENCIES, currencyDecimals, formatPrice, majorToMinor } from "../../lib/money";
import { Field, describedBy } from "../../shared/Field";
import { EditorSection } from "./EditorSection";
import type { EventDraft } from "./eventDraft";
import { PricesTable } from "./PricesTable";

interface Props {
  draft: EventDraft;
  errors: Record<string, string>;
  onChange: (patch: Partial<EventDraft>) => void;
  /** A saved paid event: its prices are a table (the default ticket offer) instead of one price field. */
  pricedEventId?: string | null;
  onPricesSaved?: () => void;
}

/** Paid toggle, then the price: one field (major units, 12.50) and currency for a new event, the prices
 * table once the event is saved and paid. */
export function PriceSection({ draft, errors, onChange, pricedEventId = null, onPricesSaved }: Props) {
  const minor = majorToMinor(draft.priceText, draft.currency);
  const decimals = currencyDecimals(draft.currency);
  return (
    <EditorSection title="Payment">
      <Field id="event-paid" label="Viewers pay to watch" inline error={errors.isPaidEvent} errorTestId="error-isPaidEvent">
        <input id="event-paid" type="checkbox" checked={draft.isPaidEvent} onChange={(e) => onChange({ isPaidEvent: e.target.checked })} data-testid="editor-isPaidEvent" />
      </Field>
      {draft.isPaidEvent && pricedEventId ? (
        <PricesTable eventId={pricedEventId} timeZone={draft.timezone} onSaved={() => onPricesSaved?.()} />
      ) : draft.isPaidEvent ? (
        <div className="field-row">
          <Field
            id="event-price"
            label="Price"
            error={errors.priceAmount}
            errorTestId="error-priceAmount"
            hint={minor !== null && minor > 0 ? `Viewers see ${formatPrice(minor, draft.currency)}` : decimals === 0 ? "Whole amount, e.g. 1500" : "e.g. 12.50"}
          >
            <input
              id="event-price"
              inputMode="decimal"
              value={draft.priceText}
              onChange={(e) => onChange({ priceText: e.target.value })}
              placeholder={decimals === 0 ? "e.g. 1500" : "e.g. 12.50"}
              data-testid="editor-price"
              {...describedBy("event-price", errors.priceAmount, true)}
            />
          </Field>
          <Field id="event-currency" label="Currency" error={errors.currency} errorTestId="error-currency">
            <select id="event-currency" value={draft.currency} onChange={(e) => onChange({ currency: e.target.value })} data-testid="editor-currency">
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </Field>
        </div>
      ) : null}
    </EditorSection>
  );
}
