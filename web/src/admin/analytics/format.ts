// How the dashboards write their figures: durations, percentages, counts and category names.

/** "0s", "45s", "4m 05s", "1h 02m", "3d 04h" for a number of seconds. */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds == null || !Number.isFinite(totalSeconds)) return "—";
  const s = Math.max(0, Math.round(totalSeconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (d > 0) return `${d}d ${pad(h)}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

/** A startup time: "850 ms", "1.2 s", "1m 05s"; "—" when there is none. */
export function formatMs(ms: number | null | undefined, locale?: string): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value / 1000)} s`;
  return formatDuration(value / 1000);
}

/** A ratio (0-1) as a percentage: 0.1234 -> "12.3%", 0.5 -> "50%"; "—" when there is none. */
export function formatRatio(ratio: number | null | undefined, locale?: string, digits = 1): string {
  if (ratio == null || !Number.isFinite(ratio)) return "—";
  return formatPercent(ratio * 100, locale, digits);
}

/** A percentage (0-100): 42.06 -> "42.1%"; "—" when there is none. */
export function formatPercent(percent: number | null | undefined, locale?: string, digits = 1): string {
  if (percent == null || !Number.isFinite(percent)) return "—";
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(percent)}%`;
}

/** 1234 -> "1,234" in the admin's locale. */
export function formatCount(value: number | null | undefined, locale?: string): string {
  if (value == null || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** "1 session", "3 sessions". */
export function plural(count: number, one: string, many = `${one}s`, locale?: string): string {
  return `${formatCount(count, locale)} ${count === 1 ? one : many}`;
}

export const UNKNOWN_KEY = "unknown";

/** A breakdown key as a label: ISO country codes become names, device types are capitalised. */
export function categoryLabel(dimension: string, key: string, locale?: string): string {
  if (!key || key === UNKNOWN_KEY) return "Unknown";
  if (dimension === "country" && /^[A-Z]{2}$/.test(key)) {
    try {
      const names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: "region" });
      const name = names.of(key);
      if (name && name !== key) return `${name} (${key})`;
    } catch {
      // old browsers: the code alone
    }
    return key;
  }
  if (dimension === "deviceType") return key.charAt(0).toUpperCase() + key.slice(1);
  return key;
}
