"""What a session is played on and from where: ua-parser for the device, GeoIP or a CDN header for the place."""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import maxminddb
import ua_parser

from golive.access.device import device_type

log = logging.getLogger("golive.engagement.analytics")


@dataclass(frozen=True)
class Device:
    device_type: str
    browser: str
    os: str
    info: dict[str, Any]


@dataclass(frozen=True)
class Location:
    country: str | None = None
    city: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"country": self.country, "city": self.city}


def describe_device(user_agent: str) -> Device:
    """The seed's deviceInfo (full UA metadata) plus the three values the breakdowns group by."""
    user_agent = user_agent.replace("\x00", "")[:512]
    parsed = ua_parser.parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else "Other"
    os_name = parsed.os.family if parsed.os else "Other"
    kind = device_type(user_agent).value
    info = {
        "userAgent": user_agent,
        "deviceType": kind,
        "browser": browser,
        "browserVersion": parsed.user_agent.major if parsed.user_agent else None,
        "os": os_name,
        "osVersion": parsed.os.major if parsed.os else None,
        "device": parsed.device.family if parsed.device else None,
    }
    return Device(device_type=kind, browser=browser[:64], os=os_name[:64], info=info)


class GeoLocator:
    """Country and city of a client. A trusted CDN's country header (when one is named in the settings)
    wins, since the CDN saw the real client; else the MaxMind-format database (when one is configured)."""

    def __init__(self, database_path: str, country_header: str) -> None:
        self._header = country_header.lower()
        self._reader: maxminddb.Reader | None = None
        if database_path:
            try:
                self._reader = maxminddb.open_database(str(Path(database_path).expanduser()))
            except (OSError, ValueError) as exc:
                log.error("GeoIP database %s cannot be read, locations stay empty: %s", database_path, exc)

    def locate(self, ip: str, headers: dict[str, str]) -> Location:
        from_header = self._country_from_header(headers)
        found = self._lookup(ip)
        if from_header is not None:
            # the database's city only when it agrees with the CDN on the country
            return Location(from_header, found.city if found.country == from_header else None)
        return found

    def _country_from_header(self, headers: dict[str, str]) -> str | None:
        if not self._header:
            return None
        value = headers.get(self._header, "").strip().upper()
        # CDNs send XX for unknown and T1 for Tor; neither is a country
        if len(value) != 2 or not value.isalpha() or not value.isascii() or value == "XX":
            return None
        return value

    def _lookup(self, ip: str) -> Location:
        if self._reader is None:
            return Location()
        try:
            record = self._reader.get(ipaddress.ip_address(ip))
        except ValueError:
            return Location()
        if not isinstance(record, dict):
            return Location()
        country = record.get("country") or record.get("registered_country") or {}
        city = record.get("city") or {}
        iso = country.get("iso_code") if isinstance(country, dict) else None
        names = city.get("names", {}) if isinstance(city, dict) else {}
        name = names.get("en") if isinstance(names, dict) else None
        return Location(
            iso.upper() if isinstance(iso, str) and len(iso) == 2 else None,
            name[:128] if isinstance(name, str) else None,
        )

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
