import { useEffect, useState } from "react";
import { ApiError, offers } from "../../api/client";
import type { Offer } from "../../api/types";
import { CURRENCIES, formatPrice, majorToMinor } from "../../lib/money";
import { Field, describedBy } from "../../shared/Field";
import { emptyRow, offerToRows, rowsToOffer, validateRows, type PriceRow } from "./pricesDraft";

interface Props {
  eventId: string;
  timeZone: string;
  /** After a save: the event's isPaidEvent/priceAmount/currency follow the first price. */
  onSaved: () => void;
}

/**
 * The event's default ticket offer as a table of prices (name, amount, currency, sale window, quantity), with
 * sold and remaining; saved on its own button. Each row is a fieldset of labelled inputs, so it is read and
 * filled in order with the keyboard and stacks on a phone.
 */
export function PricesTable({ eventId, timeZone, onSaved }: Props) {
  const [offer, setOffer] = useState<Offer | null>(null);
  const [rows, setRows] = useState<PriceRow[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    offers
      .list(eventId, controller.signal)
      .then((list) => {
        const found = list.items.find((o) => o.isDefault) ?? null;
        setOffer(found);
        setRows(offerToRows(found, timeZone));
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setStatus(err instanceof ApiError ? err.message : "Could not load the prices.");
      });
    return () => controller.abort();
  }, [eventId, timeZone]);

  function change(index: number, patch: Partial<PriceRow>) {
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  }

  async function save() {
    const found = validateRows(rows, timeZone);
    setErrors(found);
    setStatus(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body = rowsToOffer(offer?.name ?? "Ticket", rows, timeZone);
      const saved = offer ? await offers.replace(eventId, offer.offerId, body) : await offers.create(eventId, body);
      setOffer(saved);
      setRows(offerToRows(saved, timeZone));
      setStatus("Prices saved.");
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setStatus(err.message);
      } else setStatus("Could not save the prices. Please try again.");
    }
    setBusy(false);
  }

  return (
    <div className="prices-table" data-testid="prices-table">
      <p className="muted small">Viewers choose among the prices on sale; without a choice the first one on sale is charged.</p>
      {rows.map((row, i) => {
        const id = `price-${i}`;
        const minor = majorToMinor(row.amountText, row.currency);
        return (
          <fieldset key={row.key} className="price-row" data-testid="price-row">
            <legend>{row.name.trim() || `Price ${i + 1}`}</legend>
            <Field id={`${id}-name`} label="Name" hint="e.g. Early bird, Supporter">
              <input id={`${id}-name`} value={row.name} maxLength={80} onChange={(e) => change(i, { name: e.target.value })} data-testid={`price-${i}-name`} />
            </Field>
            <div className="field-row">
              <Field id={`${id}-amount`} label="Amount" error={errors[`prices.${i}.amount`]} hint={minor ? formatPrice(minor, row.currency) : undefined}>
                <input
                  id={`${id}-amount`}
                  inputMode="decimal"
                  value={row.amountText}
                  onChange={(e) => change(i, { amountText: e.target.value })}
                  data-testid={`price-${i}-amount`}
                  {...describedBy(`${id}-amount`, errors[`prices.${i}.amount`], Boolean(minor))}
                />
              </Field>
              <Field id={`${id}-currency`} label="Currency" error={errors[`prices.${i}.currency`]}>
                <select id={`${id}-currency`} value={row.currency} onChange={(e) => change(i, { currency: e.target.value })} data-testid={`price-${i}-currency`}>
                  {[...new Set([...CURRENCIES, row.currency])].map((c) => (
                    <option key={c} value={c}>{c}</option>
                  ))}
                </select>
              </Field>
            </div>
            <div className="field-row">
              <Field id={`${id}-starts`} label="Sale starts" hint="empty: now">
                <input id={`${id}-starts`} type="datetime-local" value={row.startsLocal} onChange={(e) => change(i, { startsLocal: e.target.value })} data-testid={`price-${i}-starts`} />
              </Field>
              <Field id={`${id}-ends`} label="Sale ends" error={errors[`prices.${i}.saleEnds`] ?? errors[`prices.${i}`]} hint="empty: never">
                <input id={`${id}-ends`} type="datetime-local" value={row.endsLocal} onChange={(e) => change(i, { endsLocal: e.target.value })} data-testid={`price-${i}-ends`} />
              </Field>
              <Field id={`${id}-quantity`} label="Quantity" error={errors[`prices.${i}.quantity`]} hint="empty: no limit">
                <input
                  id={`${id}-quantity`}
                  inputMode="numeric"
                  value={row.quantityText}
                  onChange={(e) => change(i, { quantityText: e.target.value })}
                  data-testid={`price-${i}-quantity`}
                  {...describedBy(`${id}-quantity`, errors[`prices.${i}.quantity`], true)}
                />
              </Field>
            </div>
            <p className="muted small" data-testid={`price-${i}-sold`}>
              {row.sold} sold{row.remaining != null ? `, ${row.remaining} left` : ""}
            </p>
            {rows.length > 1 ? (
              <button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))} data-testid={`price-${i}-remove`}>
                Remove {row.name.trim() || `price ${i + 1}`}
              </button>
            ) : null}
          </fieldset>
        );
      })}
      {errors.prices ? <p className="field-error" role="alert">{errors.prices}</p> : null}
      <div className="prices-actions">
        <button type="button" className="btn" onClick={() => setRows([...rows, emptyRow(rows[0]?.currency)])} data-testid="add-price">
          Add a price
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy} data-testid="save-prices">
          {busy ? "Saving…" : "Save prices"}
        </button>
      </div>
      {status ? <p role="status" className="small" data-testid="prices-status">{status}</p> : null}
    </div>
  );
}
