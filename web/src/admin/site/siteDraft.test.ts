import { describe, expect, it } from "vitest";
import type { AdminSiteSettings } from "../../api/types";
import { DEFAULT_SITE } from "../../site/siteSettings";
import { draftToUpdate, previewSettings, settingsToDraft } from "./siteDraft";

const saved: AdminSiteSettings = {
  ...DEFAULT_SITE,
  socialLinks: { instagram: "https://instagram.com/acme" },
  aboutContent: "",
  emailFromName: null,
  updatedAt: "2026-12-04T00:00:00Z",
  updatedBy: null,
};

describe("the site settings form", () => {
  it("clears what was emptied and sends only the social links filled in", () => {
    const draft = { ...settingsToDraft(saved), heroTitle: "  ", contactEmail: "help@acme.example" };
    draft.socialLinks.youtube = " https://youtube.com/@acme ";
    draft.socialLinks.instagram = "";
    const update = draftToUpdate(draft);
    expect(update.heroTitle).toBeNull();
    expect(update.contactEmail).toBe("help@acme.example");
    expect(update.socialLinks).toEqual({ youtube: "https://youtube.com/@acme" });
  });

  it("previews the colour being typed only once it is a colour", () => {
    const draft = settingsToDraft(saved);
    expect(previewSettings(saved, { ...draft, primaryColor: "#0f76" }).primaryColor).toBe("#4f46e5");
    expect(previewSettings(saved, { ...draft, primaryColor: "#0f766e", platformName: "Acme" })).toMatchObject({ primaryColor: "#0f766e", platformName: "Acme" });
  });
});
