"""Casefile's version: the one constant everything else reads.

``pyproject.toml`` takes the package version from here, ``casefile
--version`` and Help › About show it, and every archive records the newest
version that opened it (:mod:`archive.store.compat`).
"""
from __future__ import annotations

__all__ = ["__version__", "version_tuple"]

__version__ = "0.1.0"


def version_tuple(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)``, for comparing versions; stops at the first non-number part."""
    parts: list[int] = []
    for piece in str(text).split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) < len(piece):
            break
    return tuple(parts)
