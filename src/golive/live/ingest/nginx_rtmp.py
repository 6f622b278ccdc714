"""deploy/nginx-rtmp.conf, filled in: the scale path's RTMP edge calling GoLive's ingest hooks."""

from __future__ import annotations

import re

RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"
_PLACEHOLDER = re.compile(r"\{\{[A-Z_]+\}\}")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{8,200}$")


def render_nginx_rtmp_conf(
    template: str,
    *,
    rtmp_listen: str,
    control_listen: str,
    hook_base: str,
    hook_secret: str,
    pull_from: str,
    runtime_dir: str,
    rtmp_module: str = RTMP_MODULE,
) -> str:
    """Refuses values that could break out of a directive, and any placeholder left unfilled."""
    if not _SECRET.match(hook_secret):
        raise ValueError("the hook secret must be 8-200 letters, digits, '-' or '_' (it is part of a URL)")
    values = {
        "{{RTMP_MODULE}}": rtmp_module,
        "{{RTMP_LISTEN}}": rtmp_listen,
        "{{CONTROL_LISTEN}}": control_listen,
        "{{HOOK_BASE}}": hook_base.rstrip("/"),
        "{{HOOK_SECRET}}": hook_secret,
        "{{PULL_FROM}}": pull_from,
        "{{RUNTIME_DIR}}": runtime_dir,
    }
    for placeholder, value in values.items():
        if not value or any(char in value for char in ";{}\n\"' "):
            raise ValueError(f"unsafe value for {placeholder}: {value!r}")
        template = template.replace(placeholder, value)
    leftover = _PLACEHOLDER.search(template)
    if leftover:
        raise ValueError(f"unfilled placeholder {leftover.group(0)}")
    return template
