"""Safe HTTP fetch of a web page for ingestion.

Users paste links and the server fetches them, so a link must not be able to make the
server reach anything a user could not reach from the outside (the machine itself, the
private network, cloud metadata services) or tie it up (huge or endless bodies,
compression bombs, servers that trickle a byte at a time). ``fetch`` therefore:

- accepts http and https only, and checks every address the host name resolves to,
  on the first request and on every redirect hop;
- connects to the very address it checked (one DNS lookup per hop, no second lookup by
  the HTTP library that a rebinding DNS server could answer differently);
- keeps one deadline for the whole fetch, redirects and slow bodies included;
- caps the body, declared and actual, after decompression;
- accepts only HTML, unless the caller names other content types (feeds).

Conditional requests (``If-None-Match``/``If-Modified-Since`` in ``headers``) come back
as a ``FetchedPage`` with status 304 and no body.

Everything that goes wrong is a ``FetchError`` with a sentence for the user and a
``transient`` flag saying whether trying again later may help.

Test seams: ``resolve_host`` (the DNS lookup), ``open_socket`` (the TCP connection to a
checked address) and ``ssl_context`` (the TLS trust store). Tests replace them with
``monkeypatch`` to map made-up public names and addresses onto a local test server.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

__all__ = [
    "FetchError",
    "FetchedPage",
    "MAX_PAGE_BYTES",
    "fetch",
    "is_public_address",
    "open_socket",
    "resolve_host",
    "ssl_context",
]

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
# Response headers a caller may need for caching and scheduling (lower-case names).
KEPT_HEADERS = ("etag", "last-modified", "cache-control", "expires", "retry-after")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
READ_CHUNK_SIZE = 64 * 1024

# IPv6 ranges that tunnel to IPv4 (6to4, Teredo, NAT64): a way to reach any IPv4
# address, private ones included, through a gateway. News sites are not served there.
_IPV4_TUNNEL_NETWORKS = (
    ipaddress.IPv6Network("2002::/16"),
    ipaddress.IPv6Network("2001::/32"),
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)
# The most a page may weigh, downloaded or read from a file or an import line.
MAX_PAGE_BYTES = 10 * 1024 * 1024

_IPV4_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")
_NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")


class FetchError(Exception):
    """A page could not be fetched.

    ``message`` is a sentence to show the user; ``transient`` is True when the same fetch
    may work later (timeouts, connection errors, 5xx, 429) and False when it will not;
    ``retry_after`` is the seconds the site asked to wait (``Retry-After``), if it did.
    """

    def __init__(
        self, message: str, *, transient: bool = False, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchedPage:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str | None  # from the Content-Type header, if it had one
    body: bytes  # decompressed; empty for a 304
    headers: Mapping[str, str] = field(default_factory=dict)  # KEPT_HEADERS that were sent


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = 5,
    timeout: float = 20.0,
    user_agent: str = "newsreader/0.1 (+self-hosted)",
    content_types: Collection[str] | None = HTML_CONTENT_TYPES,
    headers: Mapping[str, str] | None = None,
) -> FetchedPage:
    """Download the HTML page at ``url``, following redirects, or raise ``FetchError``.

    ``timeout`` bounds the whole fetch; ``max_bytes`` bounds the decompressed body.
    ``allow_private`` turns off the public-address check (and nothing else), for tests
    and benchmarks that fetch from 127.0.0.1. ``content_types`` lists the types accepted
    (None: any); ``headers`` are added to the request (``Accept``, conditional headers).
    """
    request_headers = {"User-Agent": user_agent, "Accept": HTML_ACCEPT, **(headers or {})}
    conditional = any(
        name.lower() in ("if-none-match", "if-modified-since") for name in request_headers
    )
    deadline = _Deadline(timeout)
    current_url = url
    for _hop in range(max_redirects + 1):  # the first request, then each redirect
        target = _Target.parse(current_url)
        addresses = _checked_addresses(
            target.host, target.port, deadline, allow_private=allow_private
        )
        try:
            with _request(target, addresses, deadline, request_headers) as response:
                if response.status == HTTPStatus.NOT_MODIFIED and conditional:
                    return _unchanged_page(response, current_url)
                if response.status not in REDIRECT_STATUSES:
                    return _read_page(response, current_url, max_bytes, deadline, content_types)
                location = response.getheader("Location")
        except TimeoutError:
            raise FetchError(
                f"The page took longer than {_seconds(timeout)} to download.", transient=True
            ) from None
        except ssl.SSLCertVerificationError as error:
            raise FetchError(
                f"The site's security certificate is not valid ({error.verify_message}).",
                transient=False,
            ) from None
        except ssl.SSLError:
            raise FetchError(
                "A secure connection to the site could not be made.", transient=True
            ) from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise FetchError(_connection_message(error), transient=True) from None
        except OSError:
            raise FetchError("newsreader could not connect to the site.", transient=True) from None

        if not location:
            raise FetchError("The site sent a redirect without saying where to.")
        current_url = urljoin(current_url, location.strip())
    raise FetchError(f"The page redirected more than {max_redirects} times.")


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to: the one DNS lookup of a fetch hop."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to ``address``: an IP address already checked, never a name."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The TLS settings for https fetches: the system trust store, hostname checking."""
    return ssl.create_default_context()


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, etc.)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(str(ip.ipv4_mapped))
        if ip.is_site_local or any(ip in network for network in _IPV4_TUNNEL_NETWORKS):
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


@dataclass(frozen=True)
class _Target:
    """One request's worth of a URL: where to connect and what to ask for."""

    scheme: str
    host: str  # IDNA-encoded, lower case, no brackets around an IPv6 address
    port: int
    path: str  # path and query, as sent in the request line

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise FetchError(f"That is not a web address: {url[:200]!r}") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError("Only http and https links can be read.")
        if "@" in parts.netloc:
            raise FetchError("Links with a user name or password are not accepted.")
        try:
            host = (parts.hostname or "").rstrip(".").encode("idna").decode("ascii").lower()
        except UnicodeError:
            host = ""
        if not host:
            raise FetchError(f"That is not a web address: {url[:200]!r}")
        path = _quote_unsafe(parts.path or "/") + (
            f"?{_quote_unsafe(parts.query)}" if parts.query else ""
        )
        return cls(scheme, host, port or (443 if scheme == "https" else 80), path)


_PRIVATE = "That address points to a private network, which newsreader does not fetch."


def refuse_private_host(url: str) -> None:
    """Raise ``FetchError`` at once if the URL's host is a private IP literal or localhost.

    No DNS lookup, so it can answer a paste immediately; ``fetch`` still checks every
    address a name resolves to.
    """
    target = _Target.parse(url)
    _literal_addresses(target.host, allow_private=False)


def _literal_addresses(host: str, *, allow_private: bool) -> list[str] | None:
    """The address of a host written as an IP literal (None for a name), refusing
    private ones, localhost and numeric hosts that are no valid address."""
    literal = _ip_literal(host)
    if literal is not None:
        if not allow_private and not is_public_address(literal):
            raise FetchError(_PRIVATE)
        return [literal]
    if _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        # Ends in a number but is no valid IPv4 address ("256.0.0.1"): browsers refuse it.
        raise FetchError(f"That is not a web address: {host!r}")
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        raise FetchError(_PRIVATE)  # RFC 6761: always this machine, whatever DNS says
    return None


def _checked_addresses(
    host: str, port: int, deadline: _Deadline, *, allow_private: bool
) -> list[str]:
    """The addresses to connect to, after refusing any host that is not public."""
    literal = _literal_addresses(host, allow_private=allow_private)
    if literal is not None:
        return literal
    try:
        addresses = _resolve_within(host, port, deadline.remaining())
    except TimeoutError:
        raise FetchError(
            f"newsreader could not find the site {host} in time.", transient=True
        ) from None
    except socket.gaierror as error:
        not_found = error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None))
        raise FetchError(
            f"newsreader could not find the site {host}.", transient=not not_found
        ) from None
    except (OSError, UnicodeError):
        raise FetchError(f"newsreader could not find the site {host}.", transient=True) from None
    if not addresses:
        raise FetchError(f"newsreader could not find the site {host}.", transient=True)
    # One private address is enough to refuse: which one gets used is not ours to choose.
    if not allow_private and not all(is_public_address(address) for address in addresses):
        raise FetchError(_PRIVATE)
    return addresses


def _resolve_within(host: str, port: int, seconds: float) -> list[str]:
    """``resolve_host`` bounded by the fetch's deadline: getaddrinfo has no timeout of its
    own, so it runs in a thread that is abandoned when time is up."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resolve")
    try:
        return pool.submit(resolve_host, host, port).result(timeout=max(seconds, 0.001))
    finally:
        pool.shutdown(wait=False)


def _ip_literal(host: str) -> str | None:
    """The address a host written as an IP literal stands for, in any spelling.

    IPv4 follows inet_aton and the WHATWG URL standard: 1 to 4 parts, each decimal, octal
    (leading 0) or hex (0x), the last filling the remaining bytes, so "127.1",
    "2130706433", "0x7f.0.0.1" and "0177.0.0.1" are all 127.0.0.1.
    """
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.match(part) for part in parts):
        return None
    numbers = [_parse_ipv4_part(part) for part in parts]
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for position, number in enumerate(leading):
        value += number << (8 * (3 - position))
    return str(ipaddress.IPv4Address(value))


def _parse_ipv4_part(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


class _Deadline:
    """One time limit shared by every step of a fetch."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raises ``TimeoutError`` when there are none."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("fetch deadline passed")
        return left


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address checked beforehand, never a fresh DNS lookup.

    ``host`` stays the site's name, for the Host header and TLS (SNI and certificate
    checking); the socket goes to one of ``addresses``.
    """

    def __init__(self, target: _Target, addresses: list[str], deadline: _Deadline) -> None:
        super().__init__(target.host, target.port, timeout=deadline.remaining())
        # http.client leaves the default port out of the Host header.
        self.default_port = 443 if target.scheme == "https" else 80
        self._addresses = addresses
        self._deadline = deadline
        self._use_tls = target.scheme == "https"
        self._raw_socket: socket.socket | None = None

    def connect(self) -> None:
        raw_socket = self._connect_to_any_address()
        self._raw_socket = raw_socket
        if self._use_tls:
            raw_socket.settimeout(self._deadline.remaining())
            raw_socket = ssl_context().wrap_socket(raw_socket, server_hostname=self.host)
            self._raw_socket = raw_socket
        self.sock = _DeadlineSocket(raw_socket, self._deadline)

    def _connect_to_any_address(self) -> socket.socket:
        last_error: OSError | None = None
        for address in self._addresses:
            try:
                return open_socket(address, self.port, self._deadline.remaining())
            except TimeoutError:
                raise
            except OSError as error:
                last_error = error
        assert last_error is not None
        raise last_error

    def close_socket(self) -> None:
        """Close the real socket (http.client's ``close`` only lets go of its wrapper)."""
        if self._raw_socket is not None:
            self._raw_socket.close()
            self._raw_socket = None


class _DeadlineSocket:
    """The socket as http.client sees it: every send and receive waits at most until the
    fetch deadline, so a server sending a byte now and then cannot stretch a fetch.

    The connection owns the real socket and closes it; ``close`` here does nothing so the
    response can go on reading after http.client "hands the connection" to it.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data)

    def recv_into(self, buffer: memoryview) -> int:
        self._sock.settimeout(self._deadline.remaining())
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        pass


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:
        return self._sock.recv_into(buffer)


@contextlib.contextmanager
def _request(
    target: _Target, addresses: list[str], deadline: _Deadline, headers: Mapping[str, str]
) -> Iterator[http.client.HTTPResponse]:
    """Send one GET request; yield the response with its headers read, body unread."""
    connection = _PinnedConnection(target, addresses, deadline)
    try:
        connection.putrequest("GET", target.path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Accept-Encoding", "gzip, deflate")
        connection.putheader("Connection", "close")
        connection.endheaders()
        yield connection.getresponse()
    finally:
        connection.close()
        connection.close_socket()


def _unchanged_page(response: http.client.HTTPResponse, url: str) -> FetchedPage:
    content_type, charset = _parse_content_type(response.getheader("Content-Type"))
    return FetchedPage(
        url=url,
        status=response.status,
        content_type=content_type,
        charset=charset,
        body=b"",
        headers=_kept_headers(response),
    )


def _read_page(
    response: http.client.HTTPResponse,
    url: str,
    max_bytes: int,
    deadline: _Deadline,
    content_types: Collection[str] | None,
) -> FetchedPage:
    status = response.status
    if not 200 <= status < 300:
        raise FetchError(
            f"The site answered {status} {_reason(response)}.",
            transient=status >= 500 or status in (408, 429),
            retry_after=_retry_after_seconds(response.getheader("Retry-After")),
        )

    content_type, charset = _parse_content_type(response.getheader("Content-Type"))
    if content_types is not None and content_type and content_type not in content_types:
        raise FetchError(
            f"The link is to {_describe(content_type)} ({content_type}), not a web page."
        )

    declared_length = response.getheader("Content-Length")
    if declared_length and declared_length.strip().isdigit() and int(declared_length) > max_bytes:
        raise _too_big(max_bytes)

    body = _read_body(response, max_bytes, deadline)
    if not content_type and content_types is not None:
        if not _looks_like_html(body):
            raise FetchError("The link is not to a web page.")
        content_type = "text/html"
    return FetchedPage(
        url=url,
        status=status,
        content_type=content_type,
        charset=charset,
        body=body,
        headers=_kept_headers(response),
    )


def _kept_headers(response: http.client.HTTPResponse) -> dict[str, str]:
    return {
        name: value.strip()
        for name in KEPT_HEADERS
        if (value := response.getheader(name)) is not None and value.strip()
    }


def _retry_after_seconds(value: str | None) -> int | None:
    """``Retry-After`` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, int(when.timestamp() - time.time()))


def _read_body(response: http.client.HTTPResponse, max_bytes: int, deadline: _Deadline) -> bytes:
    decoder = _Decoder(response.getheader("Content-Encoding"))
    body = bytearray()
    received = 0
    while True:
        deadline.remaining()  # raises once time is up, even if data keeps coming
        chunk = response.read1(READ_CHUNK_SIZE)
        if not chunk:
            break
        received += len(chunk)
        if received > max_bytes:
            raise _too_big(max_bytes)
        # Ask for one byte more than allowed: getting it means the page is too big, and a
        # compression bomb never expands beyond that in memory.
        body += decoder.decompress(chunk, max_bytes - len(body) + 1)
        if len(body) > max_bytes:
            raise _too_big(max_bytes)
    if response.length:  # fewer bytes than Content-Length promised
        raise FetchError(
            "The connection was cut before the page finished downloading.", transient=True
        )
    body += decoder.flush()
    if len(body) > max_bytes:
        raise _too_big(max_bytes)
    return bytes(body)


class _Decoder:
    """Streaming Content-Encoding decoder (gzip, deflate or none)."""

    def __init__(self, content_encoding: str | None) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            # Meant to be zlib-wrapped, but some servers send raw deflate: detected below.
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding == "identity":
            self._zlib = None
        else:
            raise FetchError(
                f"The site sent the page compressed as {encoding!r}, which newsreader cannot read."
            )
        self._may_be_raw_deflate = encoding == "deflate"

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._zlib is None:
            return data
        try:
            output = self._zlib.decompress(data, max_length)
        except zlib.error:
            if not self._may_be_raw_deflate:
                raise _damaged() from None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._may_be_raw_deflate = False
            return self.decompress(data, max_length)
        self._may_be_raw_deflate = False
        return output

    def flush(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._zlib.flush()
        except zlib.error:
            raise _damaged() from None


def _parse_content_type(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    mime_type, _, parameters = header.partition(";")
    match = re.search(r"""charset\s*=\s*["']?([^"';\s]+)""", parameters, re.IGNORECASE)
    return mime_type.strip().lower(), (match.group(1) if match else None)


def _looks_like_html(body: bytes) -> bool:
    start = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _describe(content_type: str) -> str:
    known = {
        "application/pdf": "a PDF",
        "application/json": "JSON data",
        "application/xml": "an XML file",
        "text/xml": "an XML file",
        "application/rss+xml": "an RSS feed",
        "application/atom+xml": "an Atom feed",
        "text/plain": "a plain text file",
        "application/zip": "a ZIP archive",
    }
    if content_type in known:
        return known[content_type]
    kind = content_type.split("/")[0]
    return {"image": "an image", "video": "a video", "audio": "an audio file"}.get(kind, "a file")


def _reason(response: http.client.HTTPResponse) -> str:
    try:
        return HTTPStatus(response.status).phrase
    except ValueError:
        return response.reason.strip() or "an error"


def _connection_message(error: Exception) -> str:
    if isinstance(error, http.client.RemoteDisconnected):
        return "The site closed the connection without answering."
    if isinstance(error, ConnectionRefusedError):
        return "The site refused the connection."
    if isinstance(error, http.client.HTTPException):
        return "The site's answer was cut off or could not be understood."
    return "The connection to the site failed."


def _too_big(max_bytes: int) -> FetchError:
    return FetchError(f"The page is larger than {_size(max_bytes)}, the most newsreader downloads.")


def _damaged() -> FetchError:
    return FetchError("The site sent a damaged compressed page.", transient=True)


def _size(byte_count: int) -> str:
    if byte_count >= 1024 * 1024:
        return f"{byte_count / (1024 * 1024):g} MB"
    if byte_count >= 1024:
        return f"{byte_count / 1024:g} KB"
    return f"{byte_count} bytes"


def _seconds(seconds: float) -> str:
    return "1 second" if seconds == 1 else f"{seconds:g} seconds"


def _quote_unsafe(text: str) -> str:
    """Percent-encode what may not appear in a request line (spaces, non-ASCII, controls)."""
    return "".join(
        character
        if 0x20 < ord(character) < 0x7F
        else "".join(f"%{b:02X}" for b in character.encode())
        for character in text
    )
