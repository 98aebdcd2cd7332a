"""Turning the bytes of a text file into ``str``, exactly and only that.

Decoding must not change a single character beyond removing a byte-order
mark: fact and citation offsets point into the decoded text. UTF-8 is tried
first because almost every file is UTF-8 and the check is nearly free; only
when it fails does ``charset-normalizer`` guess a legacy encoding (cp1251,
KOI8-R, cp1252...). Text that decodes but is still garbage (binary data,
double-encoded "mojibake", a wrong guess) is refused with a reason.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import ReadError

__all__ = ["decode_text", "decode_html"]

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 control bytes that never occur in text files (tab, newlines, form feed
# and escape are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))

# charset-normalizer often scores several single-byte code pages identically
# (French in cp1252 ties with cp1250, Russian in cp1251 with mac_cyrillic).
# Among equally good candidates we take the one most text files really use.
_PREFERRED = ("cp1252", "cp1251", "koi8_r", "iso8859_1", "iso8859_15", "cp1250", "iso8859_2",
              "cp866", "koi8_u", "iso8859_5", "mac_cyrillic")

# When most of the text round-trips through one of these and back from UTF-8,
# it is UTF-8 that was once decoded with the wrong code page ("mojibake").
_MOJIBAKE_CODECS = ("cp1252", "cp1251", "latin-1")

_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def _decode_bom(data: bytes, path: Path) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                name = codec.replace("-sig", "").upper()
                raise ReadError(path, f"the file starts like {name} text but its bytes are damaged") from None
            # The utf-16/utf-32 codecs consume the BOM; utf-8-sig does too.
            return text
    return None


def _check_binary(data: bytes, path: Path) -> None:
    head = data[:65536]
    if b"\x00" in head:
        raise ReadError(path, "this looks like binary data, not text (is it really a text file?)")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(head) // 100):
        raise ReadError(path, "this looks like binary data, not text (is it really a text file?)")


def _guess(data: bytes, path: Path) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise ReadError(
            path, "the text encoding cannot be recognised (garbled or binary data); save the file as UTF-8"
        )
    best = matches[0]
    tied = [m.encoding for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    encoding = best.encoding
    for name in _PREFERRED:
        if name in tied:
            encoding = name
            break
    if best.chaos > 0.25:
        raise ReadError(
            path, f"the text decodes to garbage (best guess {encoding}); save the file as UTF-8 and index it again"
        )
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError(path, "the text encoding cannot be recognised; save the file as UTF-8") from None


def _check_mojibake(text: str, path: Path) -> None:
    if text.isascii():
        return
    sample = text[:20000]
    for codec in _MOJIBAKE_CODECS:
        try:
            fixed = sample.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not fixed.isascii() and len(fixed) < len(sample):
            raise ReadError(
                path,
                f"the text is garbled: it is UTF-8 that was once opened as {codec} and saved again "
                "(mojibake); get a clean copy of the article",
            )


def _check_decoded(text: str, path: Path) -> None:
    if not text.strip():
        raise ReadError(path, "the file holds no text (only blank space)")
    replacement = text.count("\ufffd")
    if replacement and replacement > max(3, len(text) // 200):
        raise ReadError(path, "the text is damaged: many characters could not be decoded; save it as UTF-8 again")
    _check_mojibake(text, path)


def decode_text(data: bytes, path: Path) -> str:
    """Decode a plain-text file, keeping every character as it is (BOM aside).

    Raises :class:`ReadError` for binary data, undecodable bytes and garbage.
    """
    text = _decode_bom(data, path)
    if text is None:
        _check_binary(data, path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _guess(data, path)
    _check_decoded(text, path)
    return text


def decode_html(data: bytes, path: Path) -> str:
    """Decode a saved web page: BOM, then the page's declared charset, then UTF-8, then a guess."""
    text = _decode_bom(data, path)
    if text is not None:
        return text
    _check_binary(data, path)
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(codecs.lookup(name).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _guess(data, path)
