"""The device class comes from the User-Agent through ua-parser."""

from __future__ import annotations

import pytest

from golive.access.device import device_type
from golive.access.models import DeviceType

WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
SAFARI = "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {WEBKIT} Chrome/126.0 Safari/537.36", DeviceType.DESKTOP),
        (f"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) {SAFARI} Safari/605.1.15", DeviceType.DESKTOP),
        (f"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) {SAFARI} Mobile/15E148", DeviceType.MOBILE),
        (f"Mozilla/5.0 (Linux; Android 14; Pixel 8) {WEBKIT} Chrome/126.0 Mobile Safari/537.36", DeviceType.MOBILE),
        (f"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) {SAFARI} Mobile/15E148 Safari/604.1", DeviceType.TABLET),
        (f"Mozilla/5.0 (Linux; Android 13; SM-X710) {WEBKIT} Chrome/126.0 Safari/537.36", DeviceType.TABLET),
        (f"Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) {WEBKIT} SamsungBrowser/4.0 TV Safari/537.36", DeviceType.TV),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", DeviceType.BOT),
        ("", DeviceType.UNKNOWN),
    ],
)
def test_the_device_type_is_derived_from_the_user_agent(user_agent: str, expected: DeviceType) -> None:
    assert device_type(user_agent) == expected
