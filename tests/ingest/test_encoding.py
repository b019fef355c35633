"""Tests for articles/ingest/encoding.py: a page's bytes to text, as a browser decodes them."""

from __future__ import annotations

from articles.ingest.encoding import decode_html


def test_decode_cp1252_bytes_without_any_declaration() -> None:
    body = "<html><body><p>It’s a “café” – naïve</p></body></html>".encode("cp1252")
    assert "It’s a “café” – naïve" in decode_html(body)


def test_decode_latin1_label_means_windows_1252() -> None:
    body = "<p>“quoted”</p>".encode("cp1252")
    assert decode_html(body, charset="ISO-8859-1") == "<p>“quoted”</p>"


def test_decode_shift_jis_from_meta() -> None:
    text = (
        '<html><head><meta charset="Shift_JIS"></head><body><p>日本語の記事です。</p></body></html>'
    )
    assert "日本語の記事です。" in decode_html(text.encode("shift_jis"))


def test_decode_shift_jis_from_header() -> None:
    body = "<p>東京で会議が開かれた。</p>".encode("shift_jis")
    assert decode_html(body, charset="shift_jis") == "<p>東京で会議が開かれた。</p>"


def test_decode_utf8_bom_is_removed_and_wins_over_header() -> None:
    body = b"\xef\xbb\xbf" + "<p>Zürich – ça va</p>".encode()
    assert decode_html(body, charset="windows-1252") == "<p>Zürich – ça va</p>"


def test_decode_header_wins_over_contradicting_meta() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><p>Crème brûlée</p></body></html>'
    assert "Crème brûlée" in decode_html(html.encode("cp1252"), charset="windows-1252")


def test_decode_meta_http_equiv_is_read() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "</head><body><p>Señor “Ñandú”</p></body></html>"
    )
    assert "Señor “Ñandú”" in decode_html(html.encode("cp1252"))


def test_decode_plain_utf8_without_declaration() -> None:
    assert decode_html("<p>Łódź – Kraków</p>".encode()) == "<p>Łódź – Kraków</p>"


def test_decode_unknown_header_charset_falls_through() -> None:
    assert decode_html("<p>naïve</p>".encode(), charset="x-no-such-charset") == "<p>naïve</p>"


def test_decode_never_raises_on_bad_bytes() -> None:
    body = b'<meta charset="utf-8"><p>broken \xff\xfe\xc3 bytes</p>'
    decoded = decode_html(body)
    assert "broken" in decoded
    assert "\ufffd" in decoded
