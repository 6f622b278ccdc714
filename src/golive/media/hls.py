"""Signed HLS playback: one signature per asset folder, carried on every URI a player will fetch.

URL scheme (the same in `deploy/golive_media.js`, which nginx runs):

    /media/<assetId>/<file>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>&pfx=/media/<assetId>/

`sig` is `UrlSigner.signature(pfx, exp)`: HMAC-SHA256 with the derived media key over
`f"{exp}:{pfx}"`. A request is allowed when the path starts with `pfx`, `exp` has not passed and
`sig` matches, so a segment is checked with the key and the clock only, never the database.
`pfx` must be a folder at least two levels deep (`/media/<id>/`), made of `[A-Za-z0-9_-]` names.

Playlists are rewritten line by line rather than parsed and re-dumped with the `m3u8` library:
by RFC 8216 a URI is either a line that is not a tag or a quoted `URI="..."` attribute, so a
line-based rewrite reaches every URI (variants, segments, EXT-X-MAP, EXT-X-MEDIA, I-frame
playlists, keys, parts, preload hints) and keeps every other byte, including tags the library
does not know. The tests check the result with `m3u8`.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from golive.platform.tokens import UrlSigner

MEDIA_URL_ROOT = "/media/"
NJS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so"

_PREFIX = re.compile(r"^/(?:[A-Za-z0-9_-]+/){2,}$")
_ASSET_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_EXPIRES = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_URI_ATTRIBUTE = re.compile(r'(URI=")([^"]*)(")')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PLACEHOLDER = re.compile(r"\{\{[A-Z_]+\}\}")


def asset_prefix(asset_id: str, root: str = MEDIA_URL_ROOT) -> str:
    """The URL folder one playback signature covers: everything of one asset, nothing of another."""
    if not _ASSET_ID.match(asset_id):
        raise ValueError(f"asset id not usable in a URL: {asset_id!r}")
    return f"{root.rstrip('/')}/{asset_id}/"


def signature_query(prefix: str, expires: int, signature: str) -> str:
    """The query string every signed media URL carries; `pfx` needs no escaping by construction."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"not a signable prefix: {prefix!r}")
    return f"exp={expires}&sig={signature}&pfx={prefix}"


@dataclass(frozen=True)
class PlaybackGrant:
    """A signature for one asset folder until `expires` (unix seconds)."""

    prefix: str
    expires: int
    signature: str

    @property
    def query(self) -> str:
        return signature_query(self.prefix, self.expires, self.signature)

    def url(self, relative: str = "master.m3u8") -> str:
        """The signed path of a file inside the folder, e.g. the master playlist handed to the player."""
        return f"{self.prefix}{relative.lstrip('/')}?{self.query}"


def grant_playback(signer: UrlSigner, prefix: str, ttl_seconds: int, now: float | None = None) -> PlaybackGrant:
    """Sign a folder for `ttl_seconds` (settings.playback_url_minutes * 60 for viewers)."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"not a signable prefix: {prefix!r}")
    expires, signature = signer.sign(prefix, ttl_seconds, now=now)
    return PlaybackGrant(prefix, expires, signature)


def rewrite_playlist(text: str, base_path: str, signer: UrlSigner, expires: int, sig: str) -> str:
    """Append the signature to every URI inside the folder `base_path` (master or media playlist).

    URIs with a scheme (`https:`, `data:`, `skd:`) and absolute paths outside the folder are left
    alone: the signature would not be valid for them anyway. Raises ValueError when `sig` is not
    the signature of (`base_path`, `expires`), so a playlist is never filled with dead links.
    """
    if not hmac.compare_digest(signer.signature(base_path, expires), sig):
        raise ValueError("signature does not match the prefix and expiry")
    query = signature_query(base_path, expires, sig)

    def sign_uri(uri: str) -> str:
        if not uri or _SCHEME.match(uri) or uri.startswith("//"):
            return uri
        if uri.startswith("/") and not uri.startswith(base_path):
            return uri
        uri, hash_mark, fragment = uri.partition("#")
        separator = "&" if "?" in uri else "?"
        return f"{uri}{separator}{query}{hash_mark}{fragment}"

    # Split on "\n" only (not str.splitlines) so the result is byte-identical to the njs rewrite.
    lines = []
    for line in text.split("\n"):
        carriage = "\r" if line.endswith("\r") else ""
        body = line[: len(line) - len(carriage)]
        stripped = body.strip()
        if not stripped:
            lines.append(line)
        elif stripped.startswith("#"):
            signed = _URI_ATTRIBUTE.sub(lambda m: m.group(1) + sign_uri(m.group(2)) + m.group(3), body)
            lines.append(signed + carriage)
        else:
            lines.append(sign_uri(stripped) + carriage)
    return "\n".join(lines)


def verify_media_request(
    path: str, query: Mapping[str, str] | str, signer: UrlSigner, now: float | None = None
) -> bool:
    """True only for a path inside a validly signed, unexpired folder; never raises on bad input.

    Pass the raw query string (`request.url.query`) so a repeated parameter is refused, as nginx does.
    """
    if isinstance(query, str):
        parsed = parse_qs(query.lstrip("?"), keep_blank_values=True)
        values = {name: items[0] for name, items in parsed.items() if len(items) == 1}
    else:
        values = dict(query)
    expires = values.get("exp", "")
    signature = values.get("sig", "")
    prefix = values.get("pfx", "")
    if not (_EXPIRES.match(expires) and _SIGNATURE.match(signature) and _PREFIX.match(prefix)):
        return False
    if "//" in path or "/./" in path or "\\" in path or "\x00" in path:
        return False
    return signer.verify(path, prefix, int(expires), signature, now=now if now is not None else time.time())


def edge_key_json(signer: UrlSigner) -> str:
    """The derived media key in the form nginx preloads (`js_preload_object`); never the app secret."""
    return json.dumps({"mediaKeyHex": signer.media_key.hex()})


def _write_private(path: Path, text: str) -> None:
    """A file readable by its owner only (nginx's master process reads it at start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    path.chmod(0o600)


def write_edge_key_file(signer: UrlSigner, path: Path) -> None:
    """Write the edge key readable by its owner only."""
    _write_private(path, edge_key_json(signer))


@dataclass(frozen=True)
class BucketEdge:
    """Where nginx fetches media from when it lives in a bucket (deploy/nginx-media-s3.conf), and the file
    holding the credentials it signs with."""

    scheme: str
    upstream: str  # host:port
    host: str  # the Host header signed (host, or host:port off the scheme's default port)
    config_file: Path

    @classmethod
    def write(
        cls, path: Path, *, bucket: str, region: str, endpoint_url: str, access_key_id: str, secret_access_key: str
    ) -> BucketEdge:
        """The edge for a bucket (`endpoint_url` empty: AWS's regional endpoint), its credentials written to
        `path` readable by its owner only (GoLive's own GOLIVE_S3_* settings, or a read-only key)."""
        endpoint = urlsplit(endpoint_url or f"https://s3.{region}.amazonaws.com")
        if endpoint.scheme not in ("http", "https") or not endpoint.hostname:
            raise ValueError(f"not an http(s) endpoint: {endpoint_url!r}")
        default_port = 443 if endpoint.scheme == "https" else 80
        port = endpoint.port or default_port
        host = endpoint.hostname if port == default_port else f"{endpoint.hostname}:{port}"
        values = {"bucket": bucket, "region": region, "host": host}
        _write_private(path, json.dumps({**values, "accessKeyId": access_key_id, "secretAccessKey": secret_access_key}))
        return cls(endpoint.scheme, f"{endpoint.hostname}:{port}", host, path)


# The media blocks of deploy/nginx.conf (a local folder) that deploy/nginx-media-s3.conf's parts replace.
_MEDIA_BLOCKS = {
    "http": re.compile(r"( *)# media storage \(http\).*?# end of media storage \(http\)\n", re.S),
    "server": re.compile(r"( *)# media storage \(server\).*?# end of media storage \(server\)\n", re.S),
}


def _with_bucket_media(template: str, bucket_media: str) -> str:
    """deploy/nginx.conf with its local-folder media blocks replaced by the bucket's (`bucket_media`: the text
    of deploy/nginx-media-s3.conf, its `# @http` and `# @server` parts)."""
    _, _, parts = bucket_media.partition("\n# @http\n")
    http_part, _, server_part = parts.partition("\n# @server\n")
    for name, part in (("http", http_part), ("server", server_part)):
        block = _MEDIA_BLOCKS[name].search(template)
        if block is None or not part.strip():
            raise ValueError(f"no {name} media block to replace")
        indent = block.group(1)
        lines = "".join(f"{indent}{line}\n" if line else "\n" for line in part.strip("\n").split("\n"))
        template = template[: block.start()] + lines + template[block.end() :]
    return template


def render_nginx_conf(
    template: str,
    *,
    listen: str,
    media_root: Path | None,
    media_key_file: Path,
    app_upstream: str,
    runtime_dir: Path,
    njs_dir: Path,
    njs_module: str = NJS_MODULE,
    bucket: BucketEdge | None = None,
) -> str:
    """Fill `deploy/nginx.conf`'s placeholders; refuses to leave any unfilled. With `bucket`, media comes from
    the bucket (deploy/nginx-media-s3.conf in place of the local-folder blocks) and `media_root` is unused."""
    values = {
        "{{LISTEN}}": listen,
        "{{MEDIA_KEY_FILE}}": str(media_key_file),
        "{{APP_UPSTREAM}}": app_upstream,
        "{{RUNTIME_DIR}}": str(runtime_dir),
        "{{NJS_DIR}}": str(njs_dir),
        "{{NJS_MODULE}}": njs_module,
    }
    if bucket is not None:
        template = _with_bucket_media(template, (njs_dir / "nginx-media-s3.conf").read_text())
        values |= {
            "{{S3_SCHEME}}": bucket.scheme,
            "{{S3_UPSTREAM}}": bucket.upstream,
            "{{S3_HOST}}": bucket.host,
            "{{S3_CONFIG_FILE}}": str(bucket.config_file),
            "{{MEDIA_ROOT}}": "(none: a bucket)",  # left only in the header's comments
        }
    elif media_root is not None:
        values["{{MEDIA_ROOT}}"] = str(media_root)
    else:
        raise ValueError("a media root or a bucket")
    for placeholder, value in values.items():
        if any(char in value for char in ";{}\n\"'"):
            raise ValueError(f"unsafe value for {placeholder}: {value!r}")
        template = template.replace(placeholder, value)
    leftover = _PLACEHOLDER.search(template)
    if leftover:
        raise ValueError(f"unfilled placeholder {leftover.group(0)}")
    return template
