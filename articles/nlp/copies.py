"""Copies and near-copies of one text (syndicated wire copy, reposts): MinHash over word
shingles with datasketch, candidates from locality-sensitive hashing, so grouping n texts
costs about n lookups rather than n * n comparisons. No database is needed here.

Two texts are copies when the estimated Jaccard similarity of their 5-word shingles is
at least COPY_SIMILARITY. Different boilerplate around the same story (a dateline, a
copyright line, a newsletter plea) changes few shingles; a different story on the same
people shares almost none. bench/stories.py measures the threshold on a labelled set.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping

import numpy
from datasketch import MinHash, MinHashLSH

SHINGLE_WORDS = 5
PERMUTATIONS = 128
COPY_SIMILARITY = 0.4
COPY_MIN_WORDS = 20
# A fixed seed and permutation scheme: a stored signature must stay comparable with one
# computed later, in another process or release.
SEED = 1
SCHEME = "affine32"

_WORD = re.compile(r"[^\W_]+")
# The bands and rows per band that datasketch picks for the threshold: two texts whose
# signatures agree on all rows of one band are candidates, checked by their estimate.
_LSH = MinHashLSH(threshold=COPY_SIMILARITY, num_perm=PERMUTATIONS)
BANDS, ROWS = _LSH.b, _LSH.r


def shingles(text: str) -> set[bytes]:
    """The text's runs of SHINGLE_WORDS words, casefolded. None for a text of fewer than
    COPY_MIN_WORDS words: too short to tell a copy from two briefs that say the same."""
    words = _WORD.findall(text.casefold())
    if len(words) < COPY_MIN_WORDS:
        return set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash


def signature_to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    hashvalues = numpy.frombuffer(data, dtype=numpy.uint32)
    return MinHash(seed=SEED, scheme=SCHEME, hashvalues=hashvalues)


def band_keys(minhash: MinHash) -> list[int]:
    """One signed 64-bit key per LSH band, for an indexed lookup of candidate copies."""
    keys = []
    for band in range(BANDS):
        rows = minhash.hashvalues[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "big") + rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def copy_groups(texts: Mapping[int, str], *, threshold: float = COPY_SIMILARITY) -> list[set[int]]:
    """Groups of two or more ids whose texts are copies of each other (transitively).

    The same steps as ``services.copies`` over the database: texts sharing a band key
    are candidates, their signatures' estimate decides.
    """
    signatures = {key: signature(text) for key, text in texts.items() if shingles(text)}
    buckets: dict[int, list[int]] = defaultdict(list)
    parent = {key: key for key in signatures}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, minhash in signatures.items():
        bands = band_keys(minhash)
        for other in {other for band in bands for other in buckets[band]}:
            if minhash.jaccard(signatures[other]) >= threshold:
                parent[root(key)] = root(other)
        for band in bands:
            buckets[band].append(key)
    groups: dict[int, set[int]] = {}
    for key in signatures:
        groups.setdefault(root(key), set()).add(key)
    return [group for group in groups.values() if len(group) > 1]
