import { describe, expect, it } from "vitest";
import type { FormField } from "../api/types";
import { isValidEmail, stripFieldPrefix, toFormData, validateRegistrationForm } from "./validation";

const field = (over: Partial<FormField>): FormField => ({ name: "x", label: "X", type: "text", required: false, options: [], ...over });

const FIELDS: FormField[] = [
  field({ name: "name", label: "Name", required: true, maxLength: 10 }),
  field({ name: "email", label: "Email", type: "email", required: true }),
  field({ name: "seats", label: "Seats", type: "number" }),
  field({ name: "size", label: "Size", type: "select", options: ["S", "M", "L"] }),
  field({ name: "terms", label: "I agree", type: "checkbox", required: true }),
];

describe("registration form validation", () => {
  it("accepts a complete, valid form", () => {
    expect(validateRegistrationForm(FIELDS, { name: "Ada", email: "ada@example.com", seats: "2", size: "M", terms: true })).toEqual({});
  });

  it("names every problem by field", () => {
    const errors = validateRegistrationForm(FIELDS, { name: "Ada Lovelace!", email: "ada@", seats: "two", size: "XL" });
    expect(Object.keys(errors).sort()).toEqual(["email", "name", "seats", "size", "terms"]);
    expect(errors.name).toMatch(/at most 10/);
    expect(errors.email).toMatch(/valid email/);
  });

  it("requires required fields but not optional ones", () => {
    const errors = validateRegistrationForm(FIELDS, {});
    expect(errors.name).toBe("Name is required.");
    expect(errors.seats).toBeUndefined();
    expect(errors.size).toBeUndefined();
  });

  it("checks email syntax", () => {
    expect(isValidEmail("a.b+c@example.co.uk")).toBe(true);
    expect(isValidEmail("a b@example.com")).toBe(false);
    expect(isValidEmail("a@b")).toBe(false);
  });

  it("builds formData with typed values and without empty optional fields", () => {
    expect(toFormData(FIELDS, { name: " Ada ", email: "ada@example.com", seats: "3", size: "", terms: true })).toEqual({
      name: "Ada",
      email: "ada@example.com",
      seats: 3,
      terms: true,
    });
  });

  it("maps server field errors back to form field names", () => {
    expect(stripFieldPrefix({ "formData.email": "Taken", title: "x", formData: "Bad form" }, "formData")).toEqual({ email: "Taken", "": "Bad form" });
  });
});
