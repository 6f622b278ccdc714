"""Profile avatars: an uploaded image, checked and made into a 256x256 WebP (golive.platform.images)."""

from __future__ import annotations

from golive.platform.images import IMAGE_CONTENT_TYPES, ImageRule, webp_from_upload

AVATAR_SIZE = 256
AVATAR_CONTENT_TYPES = IMAGE_CONTENT_TYPES
AVATAR = ImageRule(
    what="An avatar image",
    too_large_code="avatar_too_large",
    max_bytes=5 * 1024 * 1024,
    size=(AVATAR_SIZE, AVATAR_SIZE),
    crop=True,
)


def avatar_from_upload(data: bytes) -> bytes:
    """The WebP avatar made from the upload, or a 4xx that says what is wrong with it."""
    return webp_from_upload(data, AVATAR)
