// The editor's prices table as a form model: rows of strings, validated here, and the offer body they make.
import type { Offer, OfferWrite } from "../../api/types";
import { currencyDecimals, majorToMinor, minorToMajor } from "../../lib/money";
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from "../../lib/time";

export interface PriceRow {
  /** Client-side key for React lists; never sent. */
  key: string;
  priceId: string | null;
  name: string;
  amountText: string;
  currency: string;
  startsLocal: string;
  endsLocal: string;
  quantityText: string;
  sold: number;
  remaining: number | null;
}

let rowSeq = 0;
const newKey = () => `p${++rowSeq}`;

export function emptyRow(currency = "USD"): PriceRow {
  return { key: newKey(), priceId: null, name: "", amountText: "", currency, startsLocal: "", endsLocal: "", quantityText: "", sold: 0, remaining: null };
}

export function offerToRows(offer: Offer | null, timeZone: string, currency = "USD"): PriceRow[] {
  if (!offer) return [emptyRow(currency)];
  return offer.prices.map((p) => ({
    key: newKey(),
    priceId: p.priceId,
    name: p.name,
    amountText: minorToMajor(p.amount, p.currency),
    currency: p.currency,
    startsLocal: utcIsoToZonedLocal(p.saleStarts, timeZone),
    endsLocal: utcIsoToZonedLocal(p.saleEnds, timeZone),
    quantityText: p.quantity ? String(p.quantity) : "",
    sold: p.sold,
    remaining: p.remaining ?? null,
  }));
}

/** Errors keyed like the API's (`prices.0.amount`), so server and client errors show in the same place. */
export function validateRows(rows: PriceRow[], timeZone: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (rows.length === 0) errors.prices = "Add at least one price.";
  rows.forEach((row, i) => {
    const minor = majorToMinor(row.amountText, row.currency);
    if (!row.amountText.trim()) errors[`prices.${i}.amount`] = "Enter a price.";
    else if (minor === null) errors[`prices.${i}.amount`] = currencyDecimals(row.currency) === 0 ? "Enter a whole amount." : "Enter an amount like 12.50.";
    else if (minor <= 0) errors[`prices.${i}.amount`] = "The price must be more than zero.";
    const starts = row.startsLocal ? zonedLocalToUtcIso(row.startsLocal, timeZone) : null;
    const ends = row.endsLocal ? zonedLocalToUtcIso(row.endsLocal, timeZone) : null;
    if (starts && ends && new Date(ends) <= new Date(starts)) errors[`prices.${i}.saleEnds`] = "The sale must end after it starts.";
    const quantity = row.quantityText.trim();
    if (quantity && !/^[1-9]\d*$/.test(quantity)) errors[`prices.${i}.quantity`] = "Enter a whole number, or leave empty for no limit.";
    else if (quantity && Number(quantity) < row.sold) errors[`prices.${i}.quantity`] = `${row.sold} are sold already.`;
  });
  return errors;
}

export function rowsToOffer(name: string, rows: PriceRow[], timeZone: string): OfferWrite {
  return {
    name,
    prices: rows.map((row) => ({
      priceId: row.priceId,
      name: row.name.trim(),
      amount: majorToMinor(row.amountText, row.currency) ?? 0,
      currency: row.currency,
      saleStarts: row.startsLocal ? zonedLocalToUtcIso(row.startsLocal, timeZone) : null,
      saleEnds: row.endsLocal ? zonedLocalToUtcIso(row.endsLocal, timeZone) : null,
      quantity: row.quantityText.trim() ? Number(row.quantityText) : null,
    })),
  };
}
