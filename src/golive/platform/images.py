"""Uploaded pictures (avatars, logos, backgrounds): checked, then re-encoded as WebP with Pillow.

Anything Pillow cannot decode as a JPEG, PNG, WebP or GIF, or that decodes to more pixels than a photo has, is
refused; what is kept is re-encoded, so no byte of the upload (metadata, trailing data) is ever served.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from golive.platform.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed

IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
IMAGE_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; beyond that, a decompression bomb

# what Pillow raises for junk: not an image, truncated or corrupt data, a decompression bomb
UNREADABLE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    ValueError,
    SyntaxError,
)
UNREADABLE = "That file is not an image we can read (JPEG, PNG, WebP or GIF)"


@dataclass(frozen=True)
class ImageRule:
    """What one kind of picture becomes: cropped to fill `size` exactly, or shrunk to fit inside it."""

    what: str  # "An avatar image": the start of the too-large message
    too_large_code: str
    max_bytes: int
    size: tuple[int, int]
    crop: bool
    quality: int = 85


def webp_from_upload(data: bytes, rule: ImageRule) -> bytes:
    """The WebP made from the upload by `rule`, or a 4xx that says what is wrong with it."""
    if not data:
        raise ValidationFailed("Send the image as the request body", fields={"body": "is empty"})
    if len(data) > rule.max_bytes:
        raise PayloadTooLarge(f"{rule.what} is at most {rule.max_bytes // (1024 * 1024)} MB", code=rule.too_large_code)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                probe.verify()  # a truncated or corrupt file fails here
            if kind not in IMAGE_FORMATS:
                raise UnsupportedMediaType("Upload a JPEG, PNG, WebP or GIF image", code="unsupported_image")
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationFailed("The image has too many pixels", fields={"body": "is over 40 megapixels"})
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # a GIF's first frame
                upright = ImageOps.exif_transpose(image).convert("RGBA")
                if rule.crop:
                    picture = ImageOps.fit(upright, rule.size, Image.Resampling.LANCZOS)
                else:
                    picture = upright.copy()
                    picture.thumbnail(rule.size, Image.Resampling.LANCZOS)  # never enlarged
    except UNREADABLE_ERRORS as exc:
        raise UnsupportedMediaType(UNREADABLE, code="unsupported_image") from exc
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=rule.quality, method=4)
    return out.getvalue()
