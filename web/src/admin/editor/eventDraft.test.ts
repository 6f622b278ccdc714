import { describe, expect, it } from "vitest";
import { draftToWrite, emptyDraft, emptyFormField, fieldNameFromLabel, iframeSnippet, patchDraft, validateDraft, type EventDraft } from "./eventDraft";

const draft = (over: Partial<EventDraft>): EventDraft => ({ ...emptyDraft(), timezone: "UTC", title: "Launch", ...over });

describe("event editor validation", () => {
  it("accepts a minimal event", () => {
    expect(validateDraft(draft({}))).toEqual({});
  });

  it("requires a title of at most 120 characters", () => {
    expect(validateDraft(draft({ title: "  " })).title).toBeDefined();
    expect(validateDraft(draft({ title: "x".repeat(121) })).title).toMatch(/120/);
  });

  it("wants the end after the start", () => {
    const errors = validateDraft(draft({ startLocal: "2025-05-01T10:00", endLocal: "2025-05-01T09:00" }));
    expect(errors.scheduledEnd).toMatch(/after/);
  });

  it("checks the price against the currency", () => {
    expect(validateDraft(draft({ isPaidEvent: true, priceText: "" })).priceAmount).toBeDefined();
    expect(validateDraft(draft({ isPaidEvent: true, priceText: "9.99", currency: "JPY" })).priceAmount).toMatch(/whole/);
    expect(validateDraft(draft({ isPaidEvent: true, priceText: "9.99", currency: "USD" })).priceAmount).toBeUndefined();
  });

  it("needs a password for password access unless one is set", () => {
    expect(validateDraft(draft({ accessType: "password" })).accessPassword).toBeDefined();
    expect(validateDraft(draft({ accessType: "password" }), true).accessPassword).toBeUndefined();
  });

  it("keys form builder errors like the API (formFields.N.name)", () => {
    const a = { ...emptyFormField(), name: "company", label: "Company" };
    const b = { ...emptyFormField(), name: "company", label: "", type: "select" as const };
    const errors = validateDraft(draft({ accessType: "form", formFields: [a, b] }));
    expect(errors["formFields.1.name"]).toMatch(/different/);
    expect(errors["formFields.1.label"]).toBeDefined();
    expect(errors["formFields.1.options"]).toBeDefined();
    expect(errors["formFields.0.name"]).toBeUndefined();
  });
});

describe("live automation defaults", () => {
  it("starts a new live event with auto start and auto end on, needing no times", () => {
    const fresh = draft({});
    expect(fresh.eventType).toBe("live");
    expect([fresh.autoStart, fresh.autoEnd]).toEqual([true, true]);
    expect(validateDraft(fresh)).toEqual({});
  });

  it("switches to the on-demand defaults with the type, unless the admin changed them", () => {
    expect(patchDraft(draft({}), { eventType: "vod" })).toMatchObject({ autoStart: false, autoEnd: false });
    expect(patchDraft(draft({ autoEnd: false }), { eventType: "vod" })).toMatchObject({ autoStart: true, autoEnd: false });
    expect(patchDraft(draft({ eventType: "vod", autoStart: false, autoEnd: false }), { eventType: "live" })).toMatchObject({ autoStart: true, autoEnd: true });
  });

  it("still wants times for an on-demand event's automation", () => {
    const errors = validateDraft(draft({ eventType: "vod", autoStart: true, autoEnd: true }));
    expect(errors.scheduledStart).toMatch(/start time/);
    expect(errors.scheduledEnd).toMatch(/end time/);
  });
});

describe("event editor body", () => {
  it("sends minor units, UTC times and only a typed password", () => {
    const body = draftToWrite(
      draft({ timezone: "Europe/Paris", startLocal: "2025-07-01T18:00", isPaidEvent: true, priceText: "12.50", currency: "EUR", accessType: "password" }),
    );
    expect(body.priceAmount).toBe(1250);
    expect(body.currency).toBe("EUR");
    expect(body.scheduledStart).toBe("2025-07-01T16:00:00Z");
    expect(body.scheduledEnd).toBeNull();
    expect("accessPassword" in body).toBe(false);
    expect(draftToWrite(draft({ accessPassword: "s3cret" })).accessPassword).toBe("s3cret");
  });

  it("turns select options text into a list", () => {
    const field = { ...emptyFormField(), name: "size", label: "Size", type: "select" as const, optionsText: "S, M ,, L" };
    expect(draftToWrite(draft({ accessType: "form", formFields: [field] })).formFields?.[0]?.options).toEqual(["S", "M", "L"]);
  });

  it("builds the iframe snippet", () => {
    const snippet = iframeSnippet("https://tv.example.com", "01HX");
    expect(snippet).toContain('src="https://tv.example.com/embed/01HX"');
    expect(snippet).toContain('allow="autoplay; fullscreen; picture-in-picture" allowfullscreen');
    expect(snippet).toContain('<script src="https://tv.example.com/static/app/embed.js" async></script>');
  });
});

describe("fieldNameFromLabel", () => {
  it("turns a label into a key the server accepts", () => {
    expect(fieldNameFromLabel("Job title")).toBe("job_title");
    expect(fieldNameFromLabel("  Société (HQ) ")).toBe("societe_hq");
    expect(fieldNameFromLabel("2nd email")).toBe("f_2nd_email");
    expect(fieldNameFromLabel("!!!")).toBe("");
    expect(fieldNameFromLabel("x".repeat(80))).toHaveLength(40);
  });
});
