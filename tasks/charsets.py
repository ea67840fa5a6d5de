"""Decode fetched pages to text: BOM, then the declared charsets, then detection.

Declarations lie: servers send `charset=iso-8859-1` for cp1251 pages, pages keep a
`<meta charset>` of the template they were copied from.  A strict decode with a multi-byte
charset (UTF-8, Shift_JIS, ...) that succeeds is strong evidence; a single-byte charset
decodes any bytes, so its result must also look like text of a Latin script (accented
letters mostly between ASCII letters, no C1 controls) or detection (charset-normalizer) decides.
"""

from __future__ import annotations

import codecs
import re

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
# Single-byte Latin charsets: they decode any bytes, so their result is checked for plausibility.
LATIN = {"iso8859_1", "iso8859_15", "cp1252", "cp1250", "iso8859_2", "cp1254", "cp1257", "mac_roman"}
_C1 = re.compile("[\x80-\x9f]")


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name.replace("-", "_")
    except LookupError:
        return None


def declared_in_markup(body: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (<meta charset>, http-equiv, XML declaration)."""
    head = body[:4096]
    match = _XML_DECL.match(head) or _META.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _latin_plausible(text: str) -> bool:
    if _C1.search(text):
        return False
    high = [i for i, c in enumerate(text) if ord(c) > 127 and c.isalpha()]
    if len(high) < 20:
        return True
    # Cyrillic or Greek read as Latin-1 becomes runs of accented letters; real Latin text mixes them with ASCII.
    joined = sum(1 for i in high if i + 1 < len(text) and ord(text[i + 1]) > 127 and text[i + 1].isalpha())
    return joined / len(high) < 0.5


def decode_html(body: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """(text, codec used).  Order: BOM, Content-Type charset, markup declaration, detection."""
    for bom, codec in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec
    for label in (header_charset, declared_in_markup(body)):
        codec = codec_name(label)
        if not codec:
            continue
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec in LATIN:
            try:
                # Non-ASCII bytes that are valid UTF-8 are UTF-8 with near certainty, whatever the label.
                return body.decode("utf-8"), "utf_8"
            except UnicodeDecodeError:
                pass
            if not _latin_plausible(text):
                continue
        return text, codec
    # No ASCII shortcut on a prefix: pages with an ASCII head often carry UTF-8 further down
    # (tucson.com: 146 KB of ASCII, then "(AP) —"); strict UTF-8 decodes pure ASCII too.
    try:
        return body.decode("utf-8"), "utf_8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    return body.decode("utf-8", errors="replace"), "utf_8"
