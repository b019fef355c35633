"""URL canonicalisation: one spelling for every way of writing the same article's address.

The canonical URL is the key an article is stored under, so a link pasted as
``Example.com/story/?utm_source=x#top`` and one pasted as ``https://example.com/story``
find the same article. This module only rewrites text; it never touches the network
(whether an address is safe to fetch is decided in ``fetch.py``).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

__all__ = ["InvalidURL", "MAX_URL_LENGTH", "canonicalize_url"]

MAX_URL_LENGTH = 2048

# Query parameters that say how a reader arrived, not what they are reading.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "_openstat",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ncid",
        "cmpid",
        "ocid",
        "sr_share",
        "at_medium",
        "at_campaign",
        "pk_campaign",
        "pk_kwd",
        "pk_source",
        "pk_medium",
        "pk_content",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "mtm_")

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _UNRESERVED | frozenset(_SUB_DELIMS + ":@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_SCHEME_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HOST_CHARACTERS = re.compile(r"^[a-z0-9_\-.]+$")
# Control characters, and half a surrogate pair (valid JSON, but no UTF-8 can encode it).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class InvalidURL(ValueError):
    """A URL newsreader will not accept; ``str()`` is a sentence to show the user."""


def canonicalize_url(url: str) -> str:
    """Return the one canonical spelling of ``url``, or raise ``InvalidURL`` saying why not.

    Only http(s) URLs without user names are accepted; a bare ``example.com/x`` is taken
    to mean https. The result has a lower-case scheme and IDNA host, no default port, no
    fragment, no tracking parameters, no trailing slash (except the root ``/``) and
    upper-case percent escapes.
    """
    text = url.strip()
    if not text:
        raise InvalidURL("Please give a web address, such as https://example.com/story.")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidURL(f"That web address is too long (over {MAX_URL_LENGTH} characters).")
    if _CONTROL_CHARACTERS.search(text):
        raise InvalidURL(f"That is not a web address: {_shorten(text)!r}")

    scheme, rest, assumed = _split_scheme(text)
    if scheme not in ("http", "https"):
        raise InvalidURL("Only http and https links can be read.")
    # Like browsers, forgive missing or extra slashes after the scheme ("http:/x.com").
    try:
        parts = urlsplit(f"{scheme}://{rest.lstrip('/')}")
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        raise InvalidURL(f"That is not a web address: {_shorten(text)!r}") from None

    host, port = _host_and_port(parts, original=text, assumed_scheme=assumed)
    default_port = 443 if scheme == "https" else 80
    netloc = host if port in (None, default_port) else f"{host}:{port}"

    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)).rstrip("/") or "/"
    query = _clean_query(parts.query)

    canonical = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidURL(f"That web address is too long (over {MAX_URL_LENGTH} characters).")
    return canonical


def _split_scheme(text: str) -> tuple[str, str, bool]:
    """Split off the scheme; a missing one (``example.com:8080/x`` too) means https."""
    if text.startswith("//"):
        return "https", text, True
    match = _SCHEME_PREFIX.match(text)
    if match:
        rest = text[match.end() :]
        # "example.com:8080/x" looks like a scheme followed by a port: it's a host.
        if not rest[:1].isdigit():
            return match.group(1).lower(), rest, False
    return "https", text, True


def _host_and_port(
    parts: SplitResult, *, original: str, assumed_scheme: bool
) -> tuple[str, int | None]:
    if "@" in parts.netloc:
        raise InvalidURL("Links with a user name or password are not accepted.")
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL("The port number in that web address is not valid.") from None
    if port == 0:
        raise InvalidURL("The port number in that web address is not valid.")

    raw_host = parts.hostname or ""  # lower-cased, brackets of an IPv6 literal removed
    if not raw_host:
        raise InvalidURL(f"That is not a web address: {_shorten(original)!r}")
    if parts.netloc.startswith("["):
        return f"[{_ipv6_literal(raw_host, original)}]", port

    host = _encode_host(raw_host, original)
    # A single word without a scheme ("hello") is more likely a typo than an intranet host.
    if assumed_scheme and "." not in host and host != "localhost":
        raise InvalidURL(f"That is not a web address: {_shorten(original)!r}")
    return host, port


def _ipv6_literal(host: str, original: str) -> str:
    try:
        address = ipaddress.IPv6Address(host)
    except ValueError:
        raise InvalidURL(f"That is not a web address: {_shorten(original)!r}") from None
    return address.compressed


def _encode_host(host: str, original: str) -> str:
    host = host.rstrip(".")  # "example.com." is the fully-qualified spelling of example.com
    try:
        encoded = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidURL(f"That is not a web address: {_shorten(original)!r}") from None
    if not encoded or not _HOST_CHARACTERS.match(encoded) or ".." in encoded:
        raise InvalidURL(f"That is not a web address: {_shorten(original)!r}")
    return encoded


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    """Upper-case escapes, decode escaped unreserved characters, escape everything unsafe."""
    output: list[str] = []
    index = 0
    while index < len(text):
        character = text[index]
        if character == "%":
            match = _PERCENT_ESCAPE.match(text, index)
            if match:
                decoded = chr(int(match.group(1), 16))
                output.append(decoded if decoded in _UNRESERVED else match.group(0).upper())
                index = match.end()
                continue
            output.append("%25")  # a lone "%" is a literal percent sign
        elif character in safe:
            output.append(character)
        else:
            output.append("".join(f"%{byte:02X}" for byte in character.encode("utf-8")))
        index += 1
    return "".join(output)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: "/a/./b/../c" -> "/a/c"."""
    segments: list[str] = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if path.endswith(("/.", "/..")):
        segments.append("")
    return "/" + "/".join(segments)


def _clean_query(query: str) -> str:
    kept = []
    for parameter in query.split("&"):
        if not parameter:
            continue
        name = _normalise_escapes(parameter.split("=", 1)[0], _QUERY_SAFE).lower()
        if name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES):
            continue
        kept.append(_normalise_escapes(parameter, _QUERY_SAFE))
    return "&".join(kept)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
