"""The word lists the stages consult, read once per process from ``knowledge/``.

Each list is one text file, one entry a line, under a ``#`` comment header that says what
it is; ``knowledge/README.md`` lists them with their sources. A list is data when a
linguist could extend it without reading the code (roles, head words, given names);
small sets that only make sense next to the rule that uses them stay in that module.
"""

from __future__ import annotations

import csv
import functools

import pycountry

from articles.nlp.knowledge_base import KNOWLEDGE_DIR
from articles.nlp.text import normalise_key


@functools.cache
def word_list(name: str) -> frozenset[str]:
    """The entries of ``knowledge/<name>.txt``, as written: ``word_list("role_words")``."""
    with (KNOWLEDGE_DIR / f"{name}.txt").open(encoding="utf-8") as handle:
        lines = (line.strip() for line in handle)
        return frozenset(line for line in lines if line and not line.startswith("#"))


# Particles that begin a surname ("al-Assad", "van Gogh", "bin Laden", "de Gaulle"): the
# name particles that do not join the words of organisations' and places' names ("Bank
# of America"), written in lower case inside a person's name whatever its title.
SURNAME_PARTICLES = word_list("name_particles") - {
    "and",
    "at",
    "e",
    "et",
    "for",
    "in",
    "of",
    "on",
    "the",
    "und",
    "upon",
    "y",
}


def is_given_name(word: str) -> bool:
    """Whether a capitalised word is, or begins with, a common given name ("Jo-Wilfried")."""
    names = word_list("given_names")
    return word in names or word.split("-")[0] in names


@functools.cache
def _places() -> dict[str, int]:
    """The population of each city name of ``knowledge/places.tsv`` that is not also a
    common given name or surname, by name key."""
    populations: dict[str, int] = {}
    with (KNOWLEDGE_DIR / "places.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name, population, _, also_a_name = line.rstrip("\n").split("\t")
            if also_a_name == "0":
                key = normalise_key(name)
                populations[key] = max(populations.get(key, 0), int(population))
    return populations


def city_population(name: str) -> int:
    """The population of the largest city of over 15,000 people called ``name``; 0 when
    there is none, or when the name is also a common given name or surname ("Jackson")."""
    return _places().get(normalise_key(name), 0)


@functools.cache
def not_entities() -> dict[str, str]:
    """Words the model takes for names that are none of ours, each with its kind:
    time zones ("UTC"), technical terms ("USB"), celestial bodies ("Jupiter"), holidays,
    and the ISO 4217 currency codes ("DKK", "MXN": ``currency``, from pycountry)."""
    kinds = {currency.alpha_3: "currency" for currency in pycountry.currencies}
    with (KNOWLEDGE_DIR / "not_entities.csv").open(encoding="utf-8") as handle:
        kinds.update((row["form"], row["kind"]) for row in csv.DictReader(handle))
    return kinds
