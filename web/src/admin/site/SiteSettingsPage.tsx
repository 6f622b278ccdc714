import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ApiError, events, site } from "../../api/client";
import type { AdminSiteSettings } from "../../api/types";
import { SOCIAL_NETWORKS } from "../../api/types";
import { useApi } from "../../api/useApi";
import { listTimeZones } from "../../lib/time";
import { Field, describedBy } from "../../shared/Field";
import { ErrorMessage, PageLoading } from "../../shared/Status";
import { contrastOnWhite, MIN_CONTRAST } from "../../site/contrast";
import { HomeView } from "../../site/HomeView";
import { NETWORK_NAMES } from "../../site/SiteFooter";
import { themeStyle } from "../../site/siteSettings";
import { FeaturedPicker } from "./FeaturedPicker";
import { PicturePicker } from "./PicturePicker";
import { cardOf, draftToUpdate, FEATURABLE, previewSettings, settingsToDraft, type SiteDraft } from "./siteDraft";

const ZONES = listTimeZones();

/** /admin/site: the white-label site (owners and admins), beside a live preview of its home page. */
export default function SiteSettingsPage() {
  const loaded = useApi((signal) => site.adminSettings(signal), []);
  const home = useApi((signal) => site.home(signal), []);
  const recent = useApi((signal) => events.list({ limit: 100, sort: "-scheduledStart" }, signal), []);
  const [saved, setSaved] = useState<AdminSiteSettings | null>(null);
  const [draft, setDraft] = useState<SiteDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = "Site settings · GoLive";
  }, []);
  useEffect(() => {
    if (loaded.data && !saved) {
      setSaved(loaded.data);
      setDraft(settingsToDraft(loaded.data));
    }
  }, [loaded.data, saved]);

  const candidates = useMemo(() => (recent.data?.items ?? []).filter((event) => FEATURABLE.has(event.status)), [recent.data]);
  const preview = useMemo(() => {
    if (!saved || !draft) return null;
    const cards = new Map(candidates.map((event) => [event.eventId, cardOf(event)]));
    const sections = home.data ? { ...home.data, featured: draft.featuredEventIds.flatMap((id) => cards.get(id) ?? []) } : null;
    return { settings: previewSettings(saved, draft), sections };
  }, [saved, draft, home.data, candidates]);

  if (loaded.error) return <section className="page"><ErrorMessage>{loaded.error}</ErrorMessage></section>;
  if (!saved || !draft || !preview) return <PageLoading />;

  const change = (patch: Partial<SiteDraft>) => {
    setDraft({ ...draft, ...patch });
    setMessage(null);
  };
  const contrast = contrastOnWhite(draft.primaryColor);
  const unreadable = contrast !== null && contrast < MIN_CONTRAST;
  const picturesSaved = (settings: AdminSiteSettings) => {
    setSaved(settings);
    setMessage("Picture saved.");
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const after = await site.save(draftToUpdate(draft));
      setSaved(after);
      setDraft(settingsToDraft(after));
      setMessage("Saved. The site shows it now.");
      home.reload();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setMessage(err.message);
      } else setMessage("Could not save. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  const text = (name: keyof SiteDraft, label: string, options: { hint?: string; maxLength?: number; type?: string } = {}) => (
    <Field id={`site-${name}`} label={label} error={errors[name]} hint={options.hint} errorTestId={`error-${name}`}>
      <input
        id={`site-${name}`}
        type={options.type ?? "text"}
        maxLength={options.maxLength}
        value={draft[name] as string}
        onChange={(e) => change({ [name]: e.target.value } as Partial<SiteDraft>)}
        data-testid={`site-${name}`}
        {...describedBy(`site-${name}`, errors[name], Boolean(options.hint))}
      />
    </Field>
  );

  return (
    <section className="page" data-testid="site-settings-page">
      <header className="page-header">
        <div>
          <h1>Site settings</h1>
          <p className="muted small">Your name, colour and home page, on every page viewers see and in every email.</p>
        </div>
      </header>
      <div className="site-settings">
        <form className="card site-settings-form" onSubmit={submit} noValidate>
          <h2>Brand</h2>
          {text("platformName", "Site name", { maxLength: 80 })}
          <Field id="site-primaryColor" label="Primary colour" error={errors.primaryColor} errorTestId="error-primaryColor">
            <div className="picture-row">
              <input type="color" aria-label="Pick the primary colour" value={/^#[0-9a-fA-F]{6}$/.test(draft.primaryColor) ? draft.primaryColor : "#000000"} onChange={(e) => change({ primaryColor: e.target.value })} />
              <input id="site-primaryColor" value={draft.primaryColor} maxLength={7} onChange={(e) => change({ primaryColor: e.target.value.trim() })} data-testid="site-primaryColor" {...describedBy("site-primaryColor", errors.primaryColor)} />
            </div>
          </Field>
          {contrast !== null ? (
            <p className={`contrast-note${unreadable ? " field-error" : " muted"}`} data-testid="site-contrast" role={unreadable ? "alert" : undefined}>
              <span className="contrast-swatch" style={{ background: draft.primaryColor }}>Button</span>
              White text {contrast.toFixed(1)}:1{unreadable ? ` — under ${MIN_CONTRAST}:1, hard to read: choose a darker colour` : " — readable (WCAG AA)"}
            </p>
          ) : null}
          <PicturePicker picture="logo" label="Logo" url={saved.logoUrl} onSaved={picturesSaved} />

          <h2>Home page</h2>
          {text("heroTitle", "Headline", { maxLength: 120, hint: "Empty: the site name." })}
          <Field id="site-heroSubtitle" label="Subtitle" error={errors.heroSubtitle}>
            <textarea id="site-heroSubtitle" rows={2} maxLength={300} value={draft.heroSubtitle} onChange={(e) => change({ heroSubtitle: e.target.value })} data-testid="site-heroSubtitle" />
          </Field>
          {text("heroCtaText", "Button text", { maxLength: 40 })}
          {text("heroCtaLink", "Button link", { hint: "A page of this site (/e/…) or https://…" })}
          <PicturePicker picture="hero-background" label="Background image" url={saved.heroBackgroundUrl} onSaved={picturesSaved} />
          <FeaturedPicker candidates={candidates} selected={draft.featuredEventIds} error={errors.featuredEventIds} onChange={(featuredEventIds) => change({ featuredEventIds })} />

          <h2>About and contact</h2>
          <Field id="site-aboutContent" label="About page (Markdown)" error={errors.aboutContent} hint="Shown at /about; empty: no About page.">
            <textarea id="site-aboutContent" rows={6} value={draft.aboutContent} onChange={(e) => change({ aboutContent: e.target.value })} data-testid="site-aboutContent" />
          </Field>
          {text("contactEmail", "Contact email", { type: "email" })}
          <fieldset className="field">
            <legend className="field-label">Social links</legend>
            {SOCIAL_NETWORKS.map((network) => {
              const error = Object.entries(errors).find(([key]) => key.startsWith(`socialLinks.${network}`))?.[1];
              return (
                <Field key={network} id={`site-social-${network}`} label={NETWORK_NAMES[network]} error={error}>
                  <input id={`site-social-${network}`} type="url" placeholder="https://" value={draft.socialLinks[network]} onChange={(e) => change({ socialLinks: { ...draft.socialLinks, [network]: e.target.value } })} />
                </Field>
              );
            })}
          </fieldset>

          <h2>Email and time</h2>
          {text("emailFromName", "Sender name", { maxLength: 80, hint: "Empty: the site name." })}
          <Field id="site-timezone" label="Default time zone" error={errors.timezone}>
            <select id="site-timezone" value={draft.timezone} onChange={(e) => change({ timezone: e.target.value })}>
              {ZONES.map((zone) => <option key={zone} value={zone}>{zone}</option>)}
            </select>
          </Field>

          {message ? <p className={Object.keys(errors).length ? "field-error" : "muted"} role="status" data-testid="site-message">{message}</p> : null}
          <button type="submit" className="btn btn-primary" disabled={busy || unreadable} data-testid="site-save">{busy ? "Saving…" : "Save"}</button>
        </form>
        <div className="site-preview" aria-label="Preview of the home page" data-testid="site-preview">
          <div className="site-preview-bar">Preview · what visitors see at /</div>
          <div className="site-preview-body site-page" style={themeStyle(preview.settings.primaryColor)}>
            <HomeView settings={preview.settings} home={preview.sections} linked={false} />
          </div>
        </div>
      </div>
    </section>
  );
}
