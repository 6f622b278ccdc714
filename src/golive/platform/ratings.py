"""Seed 001's age ratings, the vocabulary events (later titles) are rated in and profiles are limited by."""

from __future__ import annotations

import enum


class ContentRating(enum.StrEnum):
    """Mildest first: a profile limited to one watches what is rated at most that (or not rated)."""

    G = "G"
    PG = "PG"
    PG_13 = "PG-13"
    R = "R"
    TV_MA = "TV-MA"


_ORDER = {rating: rank for rank, rating in enumerate(ContentRating)}
# what a kids profile that names no limit may watch
KIDS_DEFAULT = ContentRating.G


def within(rating: ContentRating | None, limit: ContentRating | None) -> bool:
    """Whether something rated `rating` may be shown under `limit` (no limit, or no rating: yes)."""
    return limit is None or rating is None or _ORDER[rating] <= _ORDER[limit]


def profile_limit(is_kids: bool, max_rating: ContentRating | None) -> ContentRating | None:
    """A profile's limit: the one it names, and for a kids profile that names none, G."""
    if max_rating is not None:
        return max_rating
    return KIDS_DEFAULT if is_kids else None
