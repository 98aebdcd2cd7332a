"""Outlet names: web hosts and news-agency credits mapped to the names people use.

The table lives in ``resources/lexicons/outlets.json`` so it can grow
without code changes.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["outlet_for_host", "outlet_for_url", "agency_name", "photo_agencies", "host_of"]

_LEXICON = Path(__file__).resolve().parents[2] / "resources" / "lexicons" / "outlets.json"
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")


@functools.cache
def _table() -> dict:
    with open(_LEXICON, encoding="utf-8") as fh:
        data = json.load(fh)
    data["agencies"] = {k.casefold(): v for k, v in data.get("agencies", {}).items()}
    return data


def host_of(url: str) -> str | None:
    """The lower-case host of ``url`` without ``www.``, or None if it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def outlet_for_host(host: str) -> str:
    """The outlet's name for a host; an unknown host is its own name (``exclusive.kz``)."""
    hosts = _table()["hosts"]
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = hosts.get(".".join(parts[i:]))
        if name:
            return name
    return host


def outlet_for_url(url: str) -> str | None:
    host = host_of(url)
    return outlet_for_host(host) if host else None


_AGENCY_EDGES = re.compile(r"^[\s(\[—–\-–•*_|]+|[\s)\]—–\-•*_|.:,]+$")


def agency_name(line: str) -> str | None:
    """The agency's name if ``line`` is nothing but an agency credit (``Reuters``, ``(AP)``, ``— AFP``)."""
    if len(line) > 60:
        return None
    core = _AGENCY_EDGES.sub("", line).casefold()
    if not core:
        return None
    agencies = _table()["agencies"]
    if core in agencies:
        return agencies[core]
    # "Reuters/AFP", "AFP and Reuters": credit the first agency named.
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|\band\b|&|\+)\s*", core) if p.strip()]
    if len(parts) > 1 and all(p in agencies for p in parts):
        return agencies[parts[0]]
    return None


def photo_agencies() -> tuple[str, ...]:
    return tuple(_table().get("photo_agencies", ()))
