from __future__ import annotations

import pytest

from articles.ingest.urls import InvalidURL, canonicalize_url

CANONICAL = "https://example.com/news/story"


@pytest.mark.parametrize(
    "spelling",
    [
        "https://example.com/news/story",
        "  https://example.com/news/story \n",
        "example.com/news/story",
        "//example.com/news/story",
        "HTTPS://EXAMPLE.COM/news/story",
        "https://Example.Com:443/news/story",
        "https://example.com./news/story",
        "https://example.com/news/story/",
        "https://example.com/news/story#comments",
        "https://example.com/news/story?",
        "https://example.com/news/./story",
        "https://example.com/news/opinion/../story",
        "https://example.com/%6Eews/story",
        "https:/example.com/news/story",
        "https://example.com/news/story?utm_source=twitter&utm_medium=social",
        "https://example.com/news/story?fbclid=IwAR0abc",
        "https://example.com/news/story?gclid=1&dclid=2&msclkid=3&yclid=4&igshid=5",
        "https://example.com/news/story?mc_cid=1&mc_eid=2&_ga=3&ref_src=twsrc",
        "https://example.com/news/story?UTM_Campaign=spring",
    ],
)
def test_spellings_of_one_article_give_one_canonical_url(spelling: str) -> None:
    assert canonicalize_url(spelling) == CANONICAL


def test_bare_host_is_assumed_https_with_root_path() -> None:
    assert canonicalize_url("example.com") == "https://example.com/"


def test_bare_host_with_port_is_not_mistaken_for_a_scheme() -> None:
    assert canonicalize_url("example.com:8080/a") == "https://example.com:8080/a"
    assert canonicalize_url("localhost:8000/a") == "https://localhost:8000/a"


def test_default_http_port_is_dropped_and_other_ports_kept() -> None:
    assert canonicalize_url("http://example.com:80/a") == "http://example.com/a"
    assert canonicalize_url("http://example.com:443/a") == "http://example.com:443/a"
    assert canonicalize_url("https://example.com:8443/a") == "https://example.com:8443/a"


def test_http_and_https_stay_different_urls() -> None:
    assert canonicalize_url("http://example.com/a") == "http://example.com/a"


def test_root_path_keeps_its_slash() -> None:
    assert canonicalize_url("https://example.com") == "https://example.com/"
    assert canonicalize_url("https://example.com/") == "https://example.com/"
    assert canonicalize_url("https://example.com/?a=1") == "https://example.com/?a=1"


def test_other_query_parameters_keep_their_order() -> None:
    url = "https://example.com/search?q=news&utm_source=x&page=2&fbclid=y&a=1&a=0"
    assert canonicalize_url(url) == "https://example.com/search?q=news&page=2&a=1&a=0"


def test_query_parameters_without_value_are_kept() -> None:
    assert canonicalize_url("https://example.com/?amp&b=") == "https://example.com/?amp&b="


def test_percent_escapes_are_upper_cased() -> None:
    assert canonicalize_url("https://example.com/caf%c3%a9?q=%e2%82%ac") == (
        "https://example.com/caf%C3%A9?q=%E2%82%AC"
    )


def test_non_ascii_path_is_percent_encoded_like_its_escaped_spelling() -> None:
    assert canonicalize_url("https://example.com/café") == canonicalize_url(
        "https://example.com/caf%C3%A9"
    )


def test_escaped_slash_is_not_decoded() -> None:
    assert canonicalize_url("https://example.com/a%2fb") == "https://example.com/a%2Fb"


def test_lone_percent_sign_is_escaped() -> None:
    assert canonicalize_url("https://example.com/100%") == "https://example.com/100%25"


def test_spaces_in_path_are_escaped() -> None:
    assert canonicalize_url("https://example.com/a b") == "https://example.com/a%20b"


def test_international_host_is_idna_encoded() -> None:
    assert canonicalize_url("https://Bücher.example/a") == "https://xn--bcher-kva.example/a"
    assert canonicalize_url("bücher.example/a") == "https://xn--bcher-kva.example/a"


def test_ipv6_host_is_compressed_and_bracketed() -> None:
    assert canonicalize_url("http://[2001:DB8:0:0::1]:80/a") == "http://[2001:db8::1]/a"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/file",
        "gopher://example.com/",
        "mailto:editor@example.com",
        "ws://example.com/socket",
    ],
)
def test_non_web_schemes_are_refused(url: str) -> None:
    with pytest.raises(InvalidURL, match="Only http and https links can be read"):
        canonicalize_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:secret@example.com/",
        "https://user@example.com/",
        "https://example.com@evil.example/",
        "https://evil.example\\@example.com/",
    ],
)
def test_links_with_user_info_are_refused(url: str) -> None:
    with pytest.raises(InvalidURL, match="user name or password"):
        canonicalize_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "https://",
        "https:///",
        "https://:443/",
        "hello",
        "not a url",
        "https://exa mple.com/",
        "https://a..b/",
        "https://[::1/",
        "https://[not-an-ip]/",
        "https://example.com/\x00",
        "https://example.com/\ud800",
        "https://<script>/",
    ],
)
def test_text_that_is_no_web_address_is_refused(url: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(url)


@pytest.mark.parametrize("url", ["https://example.com:99999/", "https://example.com:0/"])
def test_invalid_port_is_refused(url: str) -> None:
    with pytest.raises(InvalidURL, match="port"):
        canonicalize_url(url)


def test_over_long_url_is_refused() -> None:
    with pytest.raises(InvalidURL, match="too long"):
        canonicalize_url("https://example.com/" + "a" * 2048)


def test_url_at_the_length_limit_is_accepted() -> None:
    url = "https://example.com/" + "a" * (2048 - len("https://example.com/"))
    assert canonicalize_url(url) == url


def test_refusals_read_as_sentences_for_users() -> None:
    with pytest.raises(InvalidURL) as refusal:
        canonicalize_url("not a url")
    assert str(refusal.value) == "That is not a web address: 'not a url'"


def test_canonical_url_is_a_fixed_point() -> None:
    for url in [
        "Example.com/a/b/?x=1&utm_source=y#z",
        "http://[::1]:8080/%7euser/",
        "https://bücher.example/caf%c3%a9",
    ]:
        once = canonicalize_url(url)
        assert canonicalize_url(once) == once
