"""OPML subscription lists: read (with folders) and write.

An OPML file comes from elsewhere: it is parsed without DTDs, entities or network access,
so a hostile file cannot read local files or blow up in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from lxml import etree

__all__ = ["OpmlError", "OpmlFeed", "build_opml", "parse_opml"]


class OpmlError(Exception):
    """The file is not OPML that can be read; ``str()`` says why."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str = ""
    site_url: str = ""
    folder: str = ""  # "" for a feed outside any folder


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every feed outline (one with ``xmlUrl``), with the folder (outline) it sits in.

    Folders nested deeper are flattened into the innermost one with a name.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"The file is not valid XML ({exc.msg}).") from None
    if root is None or root.tag != "opml":
        raise OpmlError("The file is not an OPML subscription list.")
    body = root.find("body")
    if body is None:
        raise OpmlError("The OPML file has no <body>.")
    feeds: list[OpmlFeed] = []
    _collect(body, folder="", into=feeds)
    return feeds


def _collect(element: etree._Element, *, folder: str, into: list[OpmlFeed]) -> None:
    for outline in element.iterchildren("outline"):
        name = " ".join((outline.get("title") or outline.get("text") or "").split())[:200]
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            into.append(
                OpmlFeed(
                    url=url,
                    title=name,
                    site_url=(outline.get("htmlUrl") or "").strip(),
                    folder=folder,
                )
            )
        else:
            _collect(outline, folder=name or folder, into=into)


def build_opml(feeds: list[OpmlFeed], *, title: str = "newsreader subscriptions") -> bytes:
    """An OPML 2.0 document of the feeds, one outline per folder."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    folders: dict[str, ElementTree.Element] = {}
    for feed in feeds:
        parent = body
        if feed.folder:
            if feed.folder not in folders:
                folders[feed.folder] = ElementTree.SubElement(
                    body, "outline", text=feed.folder, title=feed.folder
                )
            parent = folders[feed.folder]
        attributes = {"type": "rss", "text": feed.title or feed.url, "title": feed.title}
        attributes["xmlUrl"] = feed.url
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ElementTree.SubElement(parent, "outline", attributes)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
