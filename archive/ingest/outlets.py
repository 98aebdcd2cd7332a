"""Outlet names: web hosts and news-agency credits mapped to the names people use.

The table lives in ``resources/lexicons/outlets.json`` so it can grow
without code changes. A host the table does not know is named after its
registered domain when that can be read without guessing: hyphens mark the
word breaks (``eastgate-courier.example`` -> "Eastgate Courier"). A domain
run together (``novayagazeta.eu``) is left as the host, because splitting
or capitalising it would be a guess; the article's own text may still name
the outlet (:func:`host_names_outlet` tells when it names this host).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "outlet_for_host", "outlet_for_url", "known_outlet", "name_from_host", "registered_domain",
    "host_names_outlet", "agency_name", "photo_agencies", "host_of",
]

_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
# Joining words stay lower case inside a name made from a domain ("Voice of America").
_MINOR_WORDS = frozenset("of and the for in on at de la le du des del da di der und y i na za".split())


def _lexicon_path() -> Path:
    try:
        from ..paths import resources_dir
    except ImportError:  # an older core without paths.resources_dir
        return Path(__file__).resolve().parents[2] / "resources" / "lexicons" / "outlets.json"
    return resources_dir() / "lexicons" / "outlets.json"


@functools.cache
def _table() -> dict:
    with open(_lexicon_path(), encoding="utf-8") as fh:
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


def known_outlet(host: str) -> str | None:
    """The outlet's name if the table knows ``host`` or one of its parent domains."""
    hosts = _table()["hosts"]
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = hosts.get(".".join(parts[i:]))
        if name:
            return name
    return None


def registered_domain(host: str) -> tuple[str, str]:
    """``(label, suffix)`` of the domain a host was registered under.

    ``news.bbc.co.uk`` -> ``("bbc", "co.uk")``. The public-suffix list (via
    the ``tld`` package) knows suffixes like ``co.uk``; a host it does not
    know (``eastgate-courier.example``) is taken to end in one label.
    """
    try:
        from tld import get_tld

        res = get_tld(f"http://{host}", as_object=True, fail_silently=True, fix_protocol=False)
    except Exception:  # a missing or broken suffix list must not stop reading an article
        res = None
    if res is not None and res.domain:
        return res.domain, res.tld
    parts = host.split(".")
    if len(parts) < 2:
        return host, ""
    return parts[-2], parts[-1]


def name_from_host(host: str) -> str | None:
    """A readable outlet name from a host's hyphenated domain, or None when that would be a guess.

    ``eastgate-courier.example`` -> "Eastgate Courier"; ``voice-of-the-north.org``
    -> "Voice of the North"; ``novayagazeta.eu`` -> None (no word breaks to go by).
    """
    label, _ = registered_domain(host)
    words = [w for w in re.split(r"[-_]+", label) if w]
    if len(words) < 2 or not all(w.isalnum() for w in words):
        return None
    out = []
    for i, w in enumerate(words):
        if w.isdigit():
            out.append(w)
        elif i and w in _MINOR_WORDS:
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def _squash(s: str) -> str:
    s = s.casefold()
    s = re.sub(r"^the\W+", "", s)
    return re.sub(r"[\W_]+", "", s)


def host_names_outlet(host: str, name: str) -> bool:
    """True when ``name`` (as printed in an article) is the outlet behind ``host``.

    "The Eastgate Courier" names ``eastgate-courier.example``; "Novaya Gazeta
    Europe" names ``novayagazeta.eu``: the domain's letters start the name's.
    """
    label, _ = registered_domain(host)
    key, squashed = _squash(label), _squash(name)
    return len(key) >= 4 and bool(squashed) and squashed.startswith(key)


def outlet_for_host(host: str) -> str:
    """The outlet's name for a host: from the table, else from its hyphenated domain, else the host itself."""
    return known_outlet(host) or name_from_host(host) or host


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
