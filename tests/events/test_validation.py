"""Event input rules, checked on the schemas alone (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from golive.events.description import render_description
from golive.events.schemas import EmbedSettings, EventCreate, EventUpdate, FormField


def _error_fields(exc: ValidationError) -> set[str]:
    return {".".join(str(part) for part in error["loc"]) for error in exc.errors()}


def test_a_title_longer_than_120_characters_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        EventCreate.model_validate({"title": "x" * 121})
    assert _error_fields(exc.value) == {"title"}


def test_an_unknown_currency_is_refused_and_a_lowercase_one_is_normalised() -> None:
    with pytest.raises(ValidationError) as exc:
        EventCreate.model_validate({"title": "t", "currency": "XYZ"})
    assert _error_fields(exc.value) == {"currency"}
    assert EventCreate.model_validate({"title": "t", "currency": "eur"}).currency == "EUR"


@pytest.mark.parametrize("price", [0, -5, 1.5, "ten"])
def test_a_price_must_be_a_positive_whole_number_of_minor_units(price: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        EventCreate.model_validate({"title": "t", "priceAmount": price})
    assert _error_fields(exc.value) == {"priceAmount"}


def test_a_time_without_offset_is_read_as_utc() -> None:
    event = EventCreate.model_validate({"title": "t", "scheduledStart": "2030-01-02T10:00:00"})
    assert event.scheduled_start == datetime(2030, 1, 2, 10, tzinfo=UTC)


def test_a_time_with_an_offset_is_stored_as_the_same_instant_in_utc() -> None:
    event = EventCreate.model_validate({"title": "t", "scheduledStart": "2030-01-02T10:00:00+02:00"})
    assert event.scheduled_start == datetime(2030, 1, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "message_part"),
    [
        ({"name": "1st", "label": "x"}, "start with a letter"),
        ({"name": "plan", "label": "Plan", "type": "select"}, "at least one option"),
        ({"name": "plan", "label": "Plan", "type": "text", "options": ["a"]}, "only select"),
        ({"name": "plan", "label": "Plan", "type": "select", "options": ["a", "a"]}, "unique"),
        ({"name": "plan", "label": "Plan", "type": "color"}, "Input should be"),
        ({"name": "plan", "label": ""}, "at least 1 character"),
    ],
)
def test_a_bad_form_field_is_refused_with_a_reason(field: dict[str, Any], message_part: str) -> None:
    with pytest.raises(ValidationError) as exc:
        FormField.model_validate(field)
    assert message_part in str(exc.value)


def test_form_field_names_must_be_unique_ignoring_case() -> None:
    fields = [{"name": "email", "label": "A"}, {"name": "Email", "label": "B"}]
    with pytest.raises(ValidationError) as exc:
        EventCreate.model_validate({"title": "t", "formFields": fields})
    assert "unique" in str(exc.value)


def test_every_documented_form_field_type_is_accepted() -> None:
    for kind in ["text", "email", "tel", "checkbox", "textarea", "number"]:
        FormField.model_validate({"name": "f", "label": "F", "type": kind})
    FormField.model_validate({"name": "f", "label": "F", "type": "select", "options": ["a", "b"]})


@pytest.mark.parametrize("domain", ["example.com", "*.example.com", "https://shop.example.com:8443", "localhost"])
def test_allowed_embed_domains_accept_hosts_wildcards_and_origins(domain: str) -> None:
    assert EmbedSettings.model_validate({"allowedDomains": [domain]}).allowed_domains == [domain]


@pytest.mark.parametrize("domain", ["exa mple.com", "javascript:alert(1)", "example.com/path", "*"])
def test_malformed_embed_domains_are_refused(domain: str) -> None:
    with pytest.raises(ValidationError):
        EmbedSettings.model_validate({"allowedDomains": [domain]})


def test_unknown_fields_are_refused_so_typos_do_not_pass_silently() -> None:
    with pytest.raises(ValidationError) as exc:
        EventUpdate.model_validate({"titel": "oops"})
    assert _error_fields(exc.value) == {"titel"}


def test_markdown_descriptions_render_without_scripts_or_raw_html() -> None:
    html = render_description("**Hi** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)")
    assert "<strong>Hi</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert 'href="https://a.example"' in html
