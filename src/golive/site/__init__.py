"""The white-label site: one platform-settings row (name, logo, colour, home page, about, mail sender) and the
public home page built from it and the published events."""
