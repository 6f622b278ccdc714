import { describe, expect, it } from "vitest";
import { currencyDecimals, formatPrice, majorToMinor, minorToMajor } from "./money";

describe("prices", () => {
  it("turns a typed major amount into minor units", () => {
    expect(majorToMinor("12.50", "USD")).toBe(1250);
    expect(majorToMinor("12.5", "EUR")).toBe(1250);
    expect(majorToMinor("0.99", "GBP")).toBe(99);
    expect(majorToMinor("1,200", "INR")).toBe(120000);
    expect(majorToMinor("1500", "JPY")).toBe(1500);
  });

  it("rejects amounts the currency cannot have", () => {
    expect(majorToMinor("12.505", "USD")).toBeNull();
    expect(majorToMinor("12.5", "JPY")).toBeNull();
    expect(majorToMinor("-3", "USD")).toBeNull();
    expect(majorToMinor("abc", "USD")).toBeNull();
    expect(majorToMinor("", "USD")).toBeNull();
  });

  it("shows minor units back in the input format", () => {
    expect(minorToMajor(1250, "USD")).toBe("12.50");
    expect(minorToMajor(5, "CAD")).toBe("0.05");
    expect(minorToMajor(1500, "JPY")).toBe("1500");
    expect(minorToMajor(null, "USD")).toBe("");
  });

  it("knows JPY has no decimals", () => {
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("AUD")).toBe(2);
  });

  it("formats a price for viewers", () => {
    expect(formatPrice(1250, "USD", "en-US")).toBe("$12.50");
    expect(formatPrice(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatPrice(null, "USD")).toBe("");
  });
});
