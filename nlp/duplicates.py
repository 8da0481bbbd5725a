"""Near-duplicate detection for form letters and copy-and-paste campaigns (MinHash + LSH).

Each comment becomes a set of word 3-grams; MinHash signatures go into a datasketch LSH index,
so finding the earlier copies of a new comment costs about the same with 100 or 100,000
comments already indexed. Candidates from the index are confirmed with the estimated Jaccard
similarity before a comment is called a copy. Short comments ("I agree") are never grouped:
shared wording in a few words is not a campaign.
"""

import re
import zlib

import numpy
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[a-z0-9']+")
SHINGLE_SIZE = 3
MIN_SHINGLES = 25  # about 27 words: form letters are long, and short comments share wording by chance
THRESHOLD = 0.6
NUM_PERM = 64
INDEXED_PER_GROUP = 16


def shingles(text: str) -> set[bytes]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE_SIZE]).encode() for i in range(len(words) - SHINGLE_SIZE + 1)}


class DuplicateIndex:
    """Add comments in order; each one added is matched against the earlier ones."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        # Drawing the permutations is most of the cost of a MinHash: draw them once.
        self._template = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32)
        # Signatures kept as 4 bytes per permutation (affine32 values fit), not MinHash objects:
        # they are what grows with the number of comments.
        self._signatures: dict = {}
        self._root: dict[str, str] = {}  # a copy's id -> the first comment of its group
        self._indexed: dict = {}  # the first comment of a group -> how many of the group are in the LSH index
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._order)

    def _signature(self, grams: set[bytes]) -> MinHash:
        template = self._template
        signature = MinHash(
            num_perm=self.num_perm, hashfunc=zlib.crc32, permutations=template.permutations, scheme=template.scheme
        )
        signature.update_batch(list(grams))
        return signature

    def add(self, key, text: str):
        """Index the comment; return the key of the first comment it copies, or None."""
        if key in self._order:  # added before (a re-tag): the same answer as then
            return self._root.get(key)
        grams = shingles(text)
        if len(grams) < MIN_SHINGLES:
            return None
        signature = self._signature(grams)
        values = signature.hashvalues.astype(numpy.uint32)
        best, best_order = None, None
        for candidate in self._lsh.query(signature):
            stored = numpy.frombuffer(self._signatures[candidate], dtype=numpy.uint32)
            if numpy.count_nonzero(stored == values) / self.num_perm >= self.threshold:
                root = self._root.get(candidate, candidate)
                if best_order is None or self._order[root] < best_order:
                    best, best_order = root, self._order[root]
        self._order[key] = len(self._order)
        if best is not None:
            self._root[key] = best
        # The first copies of a letter are indexed too, so a copy edited away from the first one
        # is still found through a closer copy; later copies are not, or each new copy of a
        # 10,000-signature letter would be compared with all the others.
        group = best if best is not None else key
        if self._indexed.get(group, 0) < INDEXED_PER_GROUP:
            self._indexed[group] = self._indexed.get(group, 0) + 1
            self._lsh.insert(key, signature)
            self._signatures[key] = values.tobytes()
        return best


def find_duplicates(items) -> dict:
    """{key: key of the first copy or None} for (key, text) pairs in order."""
    index = DuplicateIndex()
    return {key: index.add(key, text) for key, text in items}
