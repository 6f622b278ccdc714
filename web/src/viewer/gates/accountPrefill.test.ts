import { describe, expect, it } from "vitest";
import type { FormField } from "../../api/types";
import { prefillFor } from "./accountPrefill";

const field = (name: string, type: FormField["type"]): FormField => ({ name, label: name, type, required: true }) as FormField;

describe("prefillFor", () => {
  it("fills the email fields and a name field from the account, nothing else", () => {
    const fields = [field("email", "email"), field("name", "text"), field("company", "text"), field("plan", "select")];
    expect(prefillFor(fields, { email: "ada@example.com", name: "Ada" })).toEqual({ email: "ada@example.com", name: "Ada" });
  });

  it("leaves the name empty when the account has none", () => {
    expect(prefillFor([field("full_name", "text")], { email: "a@example.com", name: "" })).toEqual({});
  });
});
