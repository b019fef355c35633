"""Decode the bytes of a fetched page to text, the way a browser picks the encoding."""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html"]

# How much of the document the <meta charset> prescan reads (the HTML spec says 1024
# bytes; real pages put long comments and scripts first, so read a little more).
META_PRESCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
# Labels whose WHATWG meaning is a superset of Python's codec of the same name: pages
# labelled latin-1 are really decoded as windows-1252 by every browser (curly quotes in
# 0x80-0x9F), Shift-JIS as Microsoft's cp932, GB2312/GBK as GB18030, and so on.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "x-user-defined": "cp1252",
}

_LATIN_SINGLE_BYTE = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "iso8859-1", "iso8859-2", "iso8859-9"}
    | {"iso8859-13", "iso8859-15", "mac-roman", "mac-latin2", "latin-1"}
)

# A letter followed by a symbol that is a letter in the Central European code pages
# (ą ł ż Ą Ż ľ Ľ read as cp1252): the mark of a misread code page.
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][¹³¿¥¯¼¾]")


def _codec_name(label: str | None) -> str | None:
    """Map a charset label from a header or a <meta> to a Python codec, None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A UTF-16/32 label on a document we can read as ASCII bytes is a lie (the spec says
    # to treat it as UTF-8); real UTF-16 documents are caught by their BOM first.
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def decode_html(body: bytes, *, charset: str | None = None) -> str:
    """Decode an HTML document to text, the way a browser would pick its encoding.

    Order: byte order mark, then the HTTP header `charset`, then a <meta charset> or
    <meta http-equiv="Content-Type"> in the first few KB, then UTF-8 if the bytes are
    valid UTF-8, then charset_normalizer's guess, then windows-1252. Never raises: bytes
    that do not fit the chosen encoding become U+FFFD.
    """
    # The BOM wins over everything, the header included: it is written by the same tool
    # that wrote the bytes, while headers are often a server-wide default (the HTML
    # spec's encoding sniffing algorithm ranks them the same way). The header in turn
    # outranks <meta>, which is only consulted when the transport says nothing.
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")

    encoding = _codec_name(charset)
    if encoding is None:
        match = _META_CHARSET.search(body[:META_PRESCAN_BYTES])
        if match:
            encoding = _codec_name(match.group(1).decode("ascii", errors="ignore"))
    if encoding is not None:
        return body.decode(encoding, errors="replace")

    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return body.decode(_guess_encoding(body), errors="replace")


def _guess_encoding(body: bytes) -> str:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - it ships with trafilatura
        return "cp1252"
    best = charset_normalizer.from_bytes(body[:65536]).best()
    guess = _codec_name(best.encoding) if best is not None else None
    if guess is None:
        return "cp1252"
    # Single-byte Latin code pages share most letters and differ in a few accents, so a
    # statistical guess among them is close to a coin toss on a short page ("naïve" reads
    # as "naďve" in cp1250). windows-1252 is what browsers fall back to and by far the
    # most common of them on the web: prefer it whenever it fits the bytes.
    if guess in _LATIN_SINGLE_BYTE and guess != "cp1252":
        try:
            as_cp1252 = body.decode("cp1252")
        except UnicodeDecodeError:
            return guess
        # ...unless it puts symbols inside words ("d³u¿szy" is Polish cp1250 misread).
        if not _SYMBOL_IN_WORD.search(as_cp1252):
            return "cp1252"
    return guess
