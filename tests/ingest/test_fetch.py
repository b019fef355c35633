"""Tests for the safe fetch, against a real HTTP server on 127.0.0.1.

Most tests pass ``allow_private=True`` because the test server is on loopback. Tests of
the address guard instead give the server a made-up public identity: ``resolve_host``
is replaced so that a name resolves to a public address, and ``open_socket`` so that a
connection to that public address reaches the local server.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from articles.ingest import fetch as fetch_module
from articles.ingest.fetch import FetchedPage, FetchError, fetch, is_public_address
from tests.support import require

PAGE = b"<!DOCTYPE html><html><head><title>Story</title></head><body><p>News.</p></body></html>"
PUBLIC_ADDRESS = "93.184.216.34"  # stands in for a public web server; never contacted


@functools.cache
def gzip_bomb() -> bytes:
    """50 MB of zeros, about 50 kB gzipped."""
    return gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9)


@dataclass
class LocalServer:
    port: int
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


class Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.test_server.requests.append((self.path, dict(self.headers.items())))
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        route = getattr(self, "route_" + parts.path.strip("/").replace("-", "_"), None)
        try:
            if route is None:
                self.reply(404, b"<html>not found</html>")
            else:
                route(query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as some tests expect it to

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.reply(status, b"", headers={"Location": location})

    def route_page(self, query: dict[str, str]) -> None:
        self.reply(200, PAGE)

    def route_xhtml(self, query: dict[str, str]) -> None:
        self.reply(200, PAGE, "application/xhtml+xml")

    def route_latin1(self, query: dict[str, str]) -> None:
        self.reply(200, "<html>café</html>".encode("latin-1"), 'text/html; charset="ISO-8859-1"')

    def route_untyped_html(self, query: dict[str, str]) -> None:
        self.reply(200, b"\xef\xbb\xbf\n  <!doctype html><html></html>", content_type=None)

    def route_untyped_binary(self, query: dict[str, str]) -> None:
        self.reply(200, b"\x89PNG\r\n\x1a\n", content_type=None)

    def route_chain(self, query: dict[str, str]) -> None:
        """/chain?left=N redirects N times, with each redirect status in turn, then /page."""
        left = int(query["left"])
        if left == 0:
            self.redirect("/page")
        else:
            status = [301, 302, 303, 307, 308][left % 5]
            self.redirect(f"/chain?left={left - 1}", status)

    def route_redirect(self, query: dict[str, str]) -> None:
        self.redirect(query["to"])

    def route_redirect_without_location(self, query: dict[str, str]) -> None:
        self.reply(302, b"")

    def route_loop(self, query: dict[str, str]) -> None:
        self.redirect("/loop")

    def route_status(self, query: dict[str, str]) -> None:
        self.reply(int(query["code"]), b"<html>error</html>")

    def route_pdf(self, query: dict[str, str]) -> None:
        self.reply(200, b"%PDF-1.7\n", "application/pdf")

    def route_json(self, query: dict[str, str]) -> None:
        self.reply(200, b'{"title": "Story"}', "application/json")

    def route_big(self, query: dict[str, str]) -> None:
        self.reply(200, b"<html>" + b"x" * 20_000)

    def route_big_unannounced(self, query: dict[str, str]) -> None:
        """20 kB with no Content-Length: the body ends when the connection closes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(20):
            self.wfile.write(b"x" * 1000)

    def route_lying_length(self, query: dict[str, str]) -> None:
        """Announces 100 bytes, sends 20 kB."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.write(b"x" * 20_000)

    def route_truncated(self, query: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"<html>cut")

    def route_gzip(self, query: dict[str, str]) -> None:
        self.reply(200, gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})

    def route_deflate(self, query: dict[str, str]) -> None:
        self.reply(200, zlib.compress(PAGE), headers={"Content-Encoding": "deflate"})

    def route_raw_deflate(self, query: dict[str, str]) -> None:
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = compressor.compress(PAGE) + compressor.flush()
        self.reply(200, body, headers={"Content-Encoding": "deflate"})

    def route_brotli(self, query: dict[str, str]) -> None:
        self.reply(200, b"\x0b\x02\x80", headers={"Content-Encoding": "br"})

    def route_gzip_bomb(self, query: dict[str, str]) -> None:
        self.reply(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})

    def route_trickle(self, query: dict[str, str]) -> None:
        """Sends the body one byte every 0.2 s, for up to 20 s."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.2)

    def route_trickle_headers(self, query: dict[str, str]) -> None:
        """Sends one header every 0.2 s, never finishing the headers."""
        self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for number in range(100):
            self.wfile.write(f"X-Slow-{number}: 1\r\n".encode())
            self.wfile.flush()
            time.sleep(0.2)

    def route_silent(self, query: dict[str, str]) -> None:
        time.sleep(5)

    def route_cached(self, query: dict[str, str]) -> None:
        """Answers 304 to a request carrying its ETag; the page with caching headers else."""
        if self.headers.get("If-None-Match") == '"v1"':
            self.reply(304, b"", content_type=None, headers={"ETag": '"v1"'})
            return
        headers = {"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}
        self.reply(200, PAGE, headers={**headers, "Cache-Control": "max-age=600"})

    def route_busy(self, query: dict[str, str]) -> None:
        self.reply(503, b"<html>busy</html>", headers={"Retry-After": query["after"]})


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    test_server: LocalServer


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    httpd = _Server(("127.0.0.1", 0), Handler)
    httpd.test_server = LocalServer(port=httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.test_server
    httpd.shutdown()
    httpd.server_close()


@dataclass
class FakeDNS:
    """Names the test makes up, mapped to addresses; every lookup and connection logged."""

    names: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Replace the fetch's DNS lookup with a FakeDNS; connections to PUBLIC_ADDRESS reach
    the local test server, connections anywhere else fail the test.
    """
    fake = FakeDNS()
    real_open_socket = fetch_module.open_socket

    def resolve_host(host: str, port: int) -> list[str]:
        fake.lookups.append(host)
        if host not in fake.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return fake.names[host]

    def open_socket(address: str, port: int, timeout: float) -> socket.socket:
        fake.connections.append(address)
        if address != PUBLIC_ADDRESS:
            pytest.fail(f"fetch connected to {address}, which the test did not expect")
        return real_open_socket("127.0.0.1", port, timeout)

    monkeypatch.setattr(fetch_module, "resolve_host", resolve_host)
    monkeypatch.setattr(fetch_module, "open_socket", open_socket)
    return fake


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any DNS lookup or connection fails the test."""

    def forbidden(*args: object, **kwargs: object) -> None:
        pytest.fail(f"unexpected network use: {args}")

    monkeypatch.setattr(fetch_module, "resolve_host", forbidden)
    monkeypatch.setattr(fetch_module, "open_socket", forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", forbidden)


def fetch_local(url: str, **options: object) -> FetchedPage:
    return fetch(url, allow_private=True, **options)  # type: ignore[arg-type]


def refusal(call: Callable[[], object]) -> FetchError:
    with pytest.raises(FetchError) as raised:
        call()
    return raised.value


# The page itself


def test_html_page_is_fetched(server: LocalServer) -> None:
    page = fetch_local(server.url("/page"))
    assert page == FetchedPage(
        url=server.url("/page"),
        status=200,
        content_type="text/html",
        charset="utf-8",
        body=PAGE,
    )


def test_request_identifies_newsreader_and_asks_for_compression(server: LocalServer) -> None:
    fetch_local(server.url("/page?id=headers"), user_agent="newsreader-test/1")
    headers = next(h for path, h in server.requests if path == "/page?id=headers")
    assert headers["User-Agent"] == "newsreader-test/1"
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert headers["Host"] == f"127.0.0.1:{server.port}"


def test_xhtml_page_is_accepted(server: LocalServer) -> None:
    assert fetch_local(server.url("/xhtml")).content_type == "application/xhtml+xml"


def test_charset_comes_from_the_content_type_header(server: LocalServer) -> None:
    page = fetch_local(server.url("/latin1"))
    assert page.charset == "ISO-8859-1"
    assert page.body == "<html>café</html>".encode("latin-1")


def test_page_without_content_type_is_accepted_when_it_looks_like_html(
    server: LocalServer,
) -> None:
    page = fetch_local(server.url("/untyped-html"))
    assert page.content_type == "text/html"
    assert page.charset is None


def test_file_without_content_type_that_is_not_html_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/untyped-binary")))
    assert error.message == "The link is not to a web page."
    assert not error.transient


def test_pdf_is_refused_with_its_type(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/pdf")))
    assert error.message == "The link is to a PDF (application/pdf), not a web page."
    assert not error.transient


def test_json_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/json")))
    assert error.message == "The link is to JSON data (application/json), not a web page."


def test_json_is_read_when_the_caller_accepts_any_type(server: LocalServer) -> None:
    page = fetch_local(server.url("/json"), content_types=None)
    assert page.content_type == "application/json"
    assert page.body == b'{"title": "Story"}'


def test_caller_headers_replace_the_default_accept(server: LocalServer) -> None:
    fetch_local(server.url("/page"), headers={"Accept": "application/rss+xml"})
    sent = server.requests[-1][1]
    assert sent["Accept"] == "application/rss+xml"


# Conditional requests


def test_caching_headers_come_back_with_the_page(server: LocalServer) -> None:
    page = fetch_local(server.url("/cached"))
    assert page.headers == {
        "etag": '"v1"',
        "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT",
        "cache-control": "max-age=600",
    }


def test_conditional_request_answered_304_is_an_empty_page(server: LocalServer) -> None:
    page = fetch_local(server.url("/cached"), headers={"If-None-Match": '"v1"'})
    assert (page.status, page.body, page.headers["etag"]) == (304, b"", '"v1"')


def test_304_to_a_plain_request_is_an_error(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/status?code=304")))
    assert error.message.startswith("The site answered 304")


@pytest.mark.parametrize(
    ("after", "seconds"), [("120", 120), ("Thu, 01 Jan 1970 00:00:00 GMT", 0), ("soon", None)]
)
def test_retry_after_comes_with_the_error(server: LocalServer, after: str, seconds: int) -> None:
    error = refusal(lambda: fetch_local(server.url(f"/busy?after={after}")))
    assert error.transient
    assert error.retry_after == seconds


# Status codes


def test_not_found_is_a_permanent_error(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/status?code=404")))
    assert error.message == "The site answered 404 Not Found."
    assert str(error) == error.message
    assert not error.transient


@pytest.mark.parametrize("code", [500, 502, 503, 429])
def test_server_errors_and_rate_limits_are_transient(server: LocalServer, code: int) -> None:
    error = refusal(lambda: fetch_local(server.url(f"/status?code={code}")))
    assert error.message.startswith(f"The site answered {code} ")
    assert error.transient


def test_service_unavailable_reads_as_a_sentence(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/status?code=503")))
    assert error.message == "The site answered 503 Service Unavailable."


@pytest.mark.parametrize("code", [400, 403, 410, 451])
def test_client_errors_are_permanent(server: LocalServer, code: int) -> None:
    assert not refusal(lambda: fetch_local(server.url(f"/status?code={code}"))).transient


# Redirects


def test_redirect_chain_is_followed_to_the_final_url(server: LocalServer) -> None:
    page = fetch_local(server.url("/chain?left=4"))  # 5 redirects: 301 302 303 307 308
    assert page.url == server.url("/page")
    assert page.body == PAGE


def test_more_redirects_than_allowed_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/chain?left=5")))  # 6 redirects
    assert error.message == "The page redirected more than 5 times."
    assert not error.transient


def test_redirect_limit_is_configurable(server: LocalServer) -> None:
    assert fetch_local(server.url("/chain?left=1"), max_redirects=2).url == server.url("/page")
    refusal(lambda: fetch_local(server.url("/chain?left=1"), max_redirects=1))


def test_redirect_loop_is_refused(server: LocalServer) -> None:
    assert "redirected more than" in refusal(lambda: fetch_local(server.url("/loop"))).message


def test_redirect_without_location_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/redirect-without-location")))
    assert error.message == "The site sent a redirect without saying where to."


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "gopher://x.example/"],
)
def test_redirect_to_another_scheme_is_refused(server: LocalServer, location: str) -> None:
    error = refusal(lambda: fetch_local(server.url(f"/redirect?to={location}")))
    assert error.message == "Only http and https links can be read."


# The address guard


PRIVATE_URLS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://127.0.0.1:8000/admin/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://api.localhost/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fec0::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://198.18.0.1/",
    "http://192.0.2.1/",
    "http://[2002:7f00:1::]/",  # 6to4 for 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
    "http://[64:ff9b::7f00:1]/",  # NAT64 for 127.0.0.1
    "https://127.0.0.1/",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_address_in_any_spelling_is_refused_without_network(
    no_network: None, url: str
) -> None:
    error = refusal(lambda: fetch(url))
    assert error.message == (
        "That address points to a private network, which newsreader does not fetch."
    )
    assert not error.transient


@pytest.mark.parametrize("host", ["256.0.0.1", "1.2.3.08", "0x7g.0.0.1.0x1"])
def test_host_ending_in_an_invalid_number_is_refused_without_network(
    no_network: None, host: str
) -> None:
    refusal(lambda: fetch(f"http://{host}/"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/", "data:,x"])
def test_non_web_scheme_is_refused_without_network(no_network: None, url: str) -> None:
    assert refusal(lambda: fetch(url)).message == "Only http and https links can be read."


def test_user_info_is_refused_without_network(no_network: None) -> None:
    error = refusal(lambda: fetch("http://admin:secret@example.com/"))
    assert error.message == "Links with a user name or password are not accepted."


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"]
)
def test_public_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


def test_name_resolving_to_a_private_address_is_refused_before_connecting(
    dns: FakeDNS,
) -> None:
    dns.names["intranet.example"] = ["10.1.2.3"]
    refusal(lambda: fetch("http://intranet.example/"))
    assert dns.connections == []


def test_name_resolving_to_any_private_address_is_refused(
    dns: FakeDNS,
) -> None:
    dns.names["mixed.example"] = [PUBLIC_ADDRESS, "127.0.0.1"]
    error = refusal(lambda: fetch("http://mixed.example/"))
    assert "private network" in error.message
    assert dns.connections == []


def test_unknown_name_is_a_permanent_error(dns: FakeDNS) -> None:
    error = refusal(lambda: fetch("http://no-such-site.example/"))
    assert error.message == "newsreader could not find the site no-such-site.example."
    assert not error.transient


def test_public_name_is_fetched_from_the_checked_address(server: LocalServer, dns: FakeDNS) -> None:
    dns.names["news.example"] = [PUBLIC_ADDRESS]
    page = fetch(f"http://news.example:{server.port}/page?id=public")
    assert page.body == PAGE
    assert dns.connections == [PUBLIC_ADDRESS]
    headers = next(h for path, h in server.requests if path == "/page?id=public")
    assert headers["Host"] == f"news.example:{server.port}"


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/page",
        "http://localhost:{port}/page",
        "http://127.1:{port}/page",
        "http://[::1]:{port}/page",
        "http://[::ffff:127.0.0.1]:{port}/page",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.example:{port}/page",
    ],
)
def test_redirect_to_loopback_or_private_address_is_refused(
    server: LocalServer, dns: FakeDNS, location: str
) -> None:
    dns.names["news.example"] = [PUBLIC_ADDRESS]
    dns.names["intranet.example"] = ["192.168.0.10"]
    target = location.format(port=server.port)
    error = refusal(lambda: fetch(f"http://news.example:{server.port}/redirect?to={target}"))
    assert error.message == (
        "That address points to a private network, which newsreader does not fetch."
    )
    assert dns.connections == [PUBLIC_ADDRESS]  # the first hop only


def test_redirect_to_a_public_name_is_followed(server: LocalServer, dns: FakeDNS) -> None:
    dns.names["news.example"] = [PUBLIC_ADDRESS]
    dns.names["www.news.example"] = [PUBLIC_ADDRESS]
    target = f"http://www.news.example:{server.port}/page"
    page = fetch(f"http://news.example:{server.port}/redirect?to={target}")
    assert page.url == target
    assert dns.lookups == ["news.example", "www.news.example"]


def test_dns_answering_differently_the_second_time_is_never_asked_twice(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebinding DNS server answers a public address first and loopback after: only
    the first answer is used, and the connection goes to the address that was checked.
    """
    answers = [PUBLIC_ADDRESS, "127.0.0.1"]
    lookups: list[str] = []
    connections: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        lookups.append(host)
        address = answers[min(len(lookups), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    real_open_socket = fetch_module.open_socket

    def open_socket(address: str, port: int, timeout: float) -> socket.socket:
        connections.append(address)
        return real_open_socket(
            "127.0.0.1" if address == PUBLIC_ADDRESS else address, port, timeout
        )

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(fetch_module, "open_socket", open_socket)

    page = fetch(f"http://rebind.example:{server.port}/page")

    assert page.body == PAGE
    assert lookups == ["rebind.example"]
    assert connections == [PUBLIC_ADDRESS]


def test_allow_private_turns_off_only_the_address_check(no_network: None) -> None:
    error = refusal(lambda: fetch("file:///etc/passwd", allow_private=True))
    assert error.message == "Only http and https links can be read."


# Size limits


def test_body_over_the_cap_with_content_length_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/big"), max_bytes=10_000))
    assert error.message == "The page is larger than 9.76562 KB, the most newsreader downloads."
    assert not error.transient


def test_body_over_the_cap_without_content_length_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/big-unannounced"), max_bytes=10_000))
    assert "larger than" in error.message


def test_body_over_the_cap_with_a_lying_content_length_is_cut_at_the_declared_length(
    server: LocalServer,
) -> None:
    page = fetch_local(server.url("/lying-length"), max_bytes=10_000)
    assert page.body == b"x" * 100


def test_body_at_the_cap_is_accepted(server: LocalServer) -> None:
    assert len(fetch_local(server.url("/big"), max_bytes=20_006).body) == 20_006


def test_truncated_body_is_a_transient_error(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/truncated")))
    assert error.message == "The connection was cut before the page finished downloading."
    assert error.transient


# Compression


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_page_is_decompressed(server: LocalServer, path: str) -> None:
    assert fetch_local(server.url(path)).body == PAGE


def test_gzip_bomb_is_refused_by_decompressed_size(server: LocalServer) -> None:
    assert len(gzip_bomb()) < 1024 * 1024  # small on the wire, 50 MB unpacked
    started = time.monotonic()
    error = refusal(lambda: fetch_local(server.url("/gzip-bomb"), max_bytes=1024 * 1024))
    assert error.message == "The page is larger than 1 MB, the most newsreader downloads."
    assert time.monotonic() - started < 2


def test_unknown_compression_is_refused(server: LocalServer) -> None:
    error = refusal(lambda: fetch_local(server.url("/brotli")))
    assert (
        error.message == "The site sent the page compressed as 'br', which newsreader cannot read."
    )


# Time limits


def test_trickling_body_is_cut_off_at_the_deadline(server: LocalServer) -> None:
    started = time.monotonic()
    error = refusal(lambda: fetch_local(server.url("/trickle"), timeout=1.0))
    elapsed = time.monotonic() - started
    assert error.message == "The page took longer than 1 second to download."
    assert error.transient
    assert elapsed < 1.5


def test_trickling_headers_are_cut_off_at_the_deadline(server: LocalServer) -> None:
    started = time.monotonic()
    error = refusal(lambda: fetch_local(server.url("/trickle-headers"), timeout=1.0))
    assert error.transient
    assert time.monotonic() - started < 1.5


def test_silent_server_times_out(server: LocalServer) -> None:
    started = time.monotonic()
    error = refusal(lambda: fetch_local(server.url("/silent"), timeout=0.5))
    assert error.message == "The page took longer than 0.5 seconds to download."
    assert time.monotonic() - started < 1.0


def test_deadline_covers_the_whole_redirect_chain(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open_socket = fetch_module.open_socket

    def slow_open_socket(address: str, port: int, timeout: float) -> socket.socket:
        time.sleep(0.3)
        return real_open_socket(address, port, timeout)

    monkeypatch.setattr(fetch_module, "open_socket", slow_open_socket)
    started = time.monotonic()
    error = refusal(lambda: fetch_local(server.url("/chain?left=4"), timeout=1.0))
    assert "took longer than" in error.message
    assert time.monotonic() - started < 1.5


def test_refused_connection_is_transient() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    error = refusal(lambda: fetch_local(f"http://127.0.0.1:{port}/"))
    assert error.message == "The site refused the connection."
    assert error.transient


# HTTPS


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """An HTTPS server with a self-signed certificate for news.example."""
    require(
        shutil.which("openssl") is not None,
        "the openssl command (for a test certificate) is missing",
    )
    folder = tmp_path_factory.mktemp("tls")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(certificate), "-subj", "/CN=news.example",
            "-addext", "subjectAltName=DNS:news.example",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    httpd = _Server(("127.0.0.1", 0), Handler)
    httpd.test_server = LocalServer(port=httpd.server_address[1])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], certificate
    httpd.shutdown()
    httpd.server_close()


def test_https_page_is_fetched_from_the_checked_address_with_the_sites_certificate(
    tls_server: tuple[int, Path],
    dns: FakeDNS,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, certificate = tls_server
    dns.names["news.example"] = [PUBLIC_ADDRESS]
    trusting = ssl.create_default_context(cafile=str(certificate))
    monkeypatch.setattr(fetch_module, "ssl_context", lambda: trusting)

    page = fetch(f"https://news.example:{port}/page")

    assert page.body == PAGE
    assert dns.connections == [PUBLIC_ADDRESS]


def test_https_certificate_for_another_name_is_refused(
    tls_server: tuple[int, Path],
    dns: FakeDNS,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, certificate = tls_server
    dns.names["other.example"] = [PUBLIC_ADDRESS]
    trusting = ssl.create_default_context(cafile=str(certificate))
    monkeypatch.setattr(fetch_module, "ssl_context", lambda: trusting)

    error = refusal(lambda: fetch(f"https://other.example:{port}/page"))

    assert error.message.startswith("The site's security certificate is not valid")
    assert not error.transient


def test_https_self_signed_certificate_is_refused(
    tls_server: tuple[int, Path], dns: FakeDNS
) -> None:
    port, _ = tls_server
    dns.names["news.example"] = [PUBLIC_ADDRESS]
    error = refusal(lambda: fetch(f"https://news.example:{port}/page"))
    assert error.message.startswith("The site's security certificate is not valid")


def test_a_dns_lookup_that_hangs_is_cut_off_by_the_deadline(monkeypatch) -> None:
    def slow_lookup(host: str, port: int) -> list[str]:
        time.sleep(3)
        return ["93.184.216.34"]

    monkeypatch.setattr(fetch_module, "resolve_host", slow_lookup)
    started = time.monotonic()
    with pytest.raises(FetchError, match="in time") as caught:
        fetch("http://slow-dns.example/story", timeout=0.5)
    assert time.monotonic() - started < 2
    assert caught.value.transient


@pytest.mark.parametrize(
    "url", ["http://127.1/a", "http://[::1]/", "http://0x7f.0.0.1/", "http://localhost:8000/"]
)
def test_a_private_literal_is_refused_before_any_lookup(url: str, monkeypatch) -> None:
    monkeypatch.setattr(fetch_module, "resolve_host", lambda *args: pytest.fail("no lookup"))
    with pytest.raises(FetchError, match="private network"):
        fetch_module.refuse_private_host(url)


def test_a_public_name_passes_the_quick_check_without_a_lookup(monkeypatch) -> None:
    monkeypatch.setattr(fetch_module, "resolve_host", lambda *args: pytest.fail("no lookup"))
    fetch_module.refuse_private_host("https://news.example.org/story")
