// Prices: entered in major units ("12.50"), sent and stored in minor units (1250).

export const CURRENCIES = ["USD", "EUR", "GBP", "INR", "JPY", "CAD", "AUD"] as const;
export type Currency = (typeof CURRENCIES)[number];

const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"]);

export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2;
}

/** "12.50" in USD -> 1250; "1200" in JPY -> 1200. Returns null when not a valid amount for the currency. */
export function majorToMinor(text: string, currency: string): number | null {
  const value = text.trim().replace(/,/g, "");
  const decimals = currencyDecimals(currency);
  const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+(?:\\.\\d{1,${decimals}})?$|^\\.\\d{1,${decimals}}$`);
  if (!pattern.test(value)) return null;
  const [whole = "0", frac = ""] = value.split(".");
  const minor = Number(whole || "0") * 10 ** decimals + Number(frac.padEnd(decimals, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 1250 in USD -> "12.50" (for an input field). */
export function minorToMajor(amount: number | null | undefined, currency: string): string {
  if (amount == null) return "";
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return String(amount);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 10 ** decimals)}.${String(abs % 10 ** decimals).padStart(decimals, "0")}`;
}

/** 1250 USD -> "$12.50" in the viewer's locale. */
export function formatPrice(amount: number | null | undefined, currency: string | null | undefined, locale?: string): string {
  if (amount == null || !currency) return "";
  const decimals = currencyDecimals(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(amount / 10 ** decimals);
  } catch {
    return `${minorToMajor(amount, currency)} ${currency}`;
  }
}
