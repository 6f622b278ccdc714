"""The device class of a viewer, from the User-Agent, with the maintained ua-parser rules."""

from __future__ import annotations

from functools import lru_cache

import ua_parser

from golive.access.models import DeviceType

_TABLET_FAMILIES = ("ipad", "kindle", "tablet", "galaxy tab", "nexus 7", "nexus 9", "nexus 10")
_TV_MARKERS = ("smart-tv", "smarttv", "smart tv", "appletv", "apple tv", "googletv", "crkey", "tizen tv", "web0s")
_MOBILE_OS = frozenset({"iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Firefox OS", "Symbian OS"})


@lru_cache(maxsize=4096)
def device_type(user_agent: str) -> DeviceType:
    """ua-parser names the device and OS; the class (desktop/mobile/tablet/tv/bot) is derived from them.

    Remembered per User-Agent: an audience arrives with a few hundred distinct browsers, and a full
    parse costs more than the rest of an admission's Python work.
    """
    if not user_agent.strip():
        return DeviceType.UNKNOWN
    result = ua_parser.parse(user_agent)
    family = (result.device.family if result.device else "").lower()
    os_family = result.os.family if result.os else ""
    lowered = user_agent.lower()
    if family == "spider":
        return DeviceType.BOT
    if any(marker in lowered for marker in _TV_MARKERS) or family.endswith(" tv"):
        return DeviceType.TV
    if any(family.startswith(name) for name in _TABLET_FAMILIES):
        return DeviceType.TABLET
    if os_family == "Android" and "mobile" not in lowered:
        return DeviceType.TABLET  # Android phones say "Mobile"; tablets do not
    if os_family in _MOBILE_OS or "mobile" in lowered:
        return DeviceType.MOBILE
    return DeviceType.DESKTOP
