import { describe, expect, it } from "vitest";
import type { Offer } from "../../api/types";
import { emptyRow, offerToRows, rowsToOffer, validateRows } from "./pricesDraft";

const offer: Offer = {
  offerId: "off_1",
  eventId: "e1",
  kind: "ticket",
  name: "Tickets",
  isDefault: true,
  stripeSetupStatus: null,
  createdAt: "2030-01-01T00:00:00Z",
  updatedAt: "2030-01-01T00:00:00Z",
  prices: [
    {
      priceId: "price_1",
      name: "Early bird",
      amount: 950,
      currency: "EUR",
      saleStarts: null,
      saleEnds: "2030-02-01T12:00:00Z",
      quantity: 100,
      sold: 40,
      remaining: 60,
      onSale: true,
    },
  ],
};

describe("the prices table", () => {
  it("shows a saved price in major units and the event's time zone, and sends it back unchanged", () => {
    const row = offerToRows(offer, "Europe/Paris")[0]!;
    expect(row).toMatchObject({ priceId: "price_1", amountText: "9.50", endsLocal: "2030-02-01T13:00", quantityText: "100", sold: 40 });
    expect(rowsToOffer("Tickets", [row], "Europe/Paris").prices[0]).toEqual({
      priceId: "price_1",
      name: "Early bird",
      amount: 950,
      currency: "EUR",
      saleStarts: null,
      saleEnds: "2030-02-01T12:00:00Z",
      quantity: 100,
    });
  });

  it("names the field of each problem, keyed like the server's errors", () => {
    const row = offerToRows(offer, "UTC")[0]!;
    const bad = { ...row, amountText: "12.345", quantityText: "10", startsLocal: "2030-03-01T00:00", endsLocal: "2030-02-01T00:00" };
    expect(validateRows([bad, { ...emptyRow(), amountText: "" }], "UTC")).toEqual({
      "prices.0.amount": "Enter an amount like 12.50.",
      "prices.0.saleEnds": "The sale must end after it starts.",
      "prices.0.quantity": "40 are sold already.",
      "prices.1.amount": "Enter a price.",
    });
    expect(validateRows([], "UTC")).toEqual({ prices: "Add at least one price." });
  });
});
