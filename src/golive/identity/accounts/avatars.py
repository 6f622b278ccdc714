"""Profile avatars: an uploaded image, checked and made into a 256x256 WebP with Pillow.

Anything Pillow cannot decode as a JPEG, PNG, WebP or GIF, or that decodes to more pixels than a photo has, is
refused; what is kept is re-encoded, so no byte of the upload (metadata, trailing data) is ever served.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from golive.platform.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed

AVATAR_SIZE = 256
AVATAR_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
AVATAR_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
MAX_AVATAR_BYTES = 5 * 1024 * 1024
MAX_AVATAR_PIXELS = 40_000_000  # a 40-megapixel photo; beyond that, a decompression bomb

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


def avatar_from_upload(data: bytes) -> bytes:
    """The WebP avatar made from the upload, or a 4xx that says what is wrong with it."""
    if not data:
        raise ValidationFailed("Send the image as the request body", fields={"body": "is empty"})
    if len(data) > MAX_AVATAR_BYTES:
        raise PayloadTooLarge(
            f"An avatar image is at most {MAX_AVATAR_BYTES // (1024 * 1024)} MB", code="avatar_too_large"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                probe.verify()  # a truncated or corrupt file fails here
            if kind not in AVATAR_FORMATS:
                raise UnsupportedMediaType("Upload a JPEG, PNG, WebP or GIF image", code="unsupported_image")
            if width * height > MAX_AVATAR_PIXELS:
                raise ValidationFailed("The image has too many pixels", fields={"body": "is over 40 megapixels"})
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # a GIF's first frame
                upright = ImageOps.exif_transpose(image)
                square = ImageOps.fit(upright.convert("RGBA"), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    except UNREADABLE_ERRORS as exc:
        raise UnsupportedMediaType(UNREADABLE, code="unsupported_image") from exc
    out = io.BytesIO()
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()
