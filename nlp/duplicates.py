"""Near-duplicate detection for form letters and copy-and-paste campaigns (MinHash + LSH).

Each comment becomes a set of word 3-grams; MinHash signatures go into an LSH index (datasketch
chooses its bands), so finding the earlier copies of a new comment costs about the same with
100 or 100,000 comments already indexed. Candidates from the index are confirmed with the
estimated Jaccard similarity before a comment is called a copy. Short comments ("I agree") are
never grouped: shared wording in a few words is not a campaign.

The index lives in memory (datasketch's MinHashLSH), or on disk for a stream of millions of
comments (`python -m nlp tag`): a temporary SQLite database whose page cache is bounded, so
memory stays flat however long the input.
"""

import json
import re
import sqlite3
import zlib

import numpy
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[a-z0-9']+")
SHINGLE_SIZE = 3
MIN_SHINGLES = 25  # about 27 words: form letters are long, and short comments share wording by chance
THRESHOLD = 0.6
NUM_PERM = 64
INDEXED_PER_GROUP = 16
DISK_CACHE_KIB = 64 * 1024  # the on-disk index's page cache: all the memory it takes


def shingles(text: str) -> set[bytes]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i:i + SHINGLE_SIZE]).encode() for i in range(len(words) - SHINGLE_SIZE + 1)}


class DuplicateIndex:
    """Add comments in order; each one added is matched against the earlier ones."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM, on_disk: bool = False):
        self.threshold = threshold
        self.num_perm = num_perm
        self._store = _DiskStore(threshold, num_perm) if on_disk else _MemoryStore(threshold, num_perm)
        # Drawing the permutations is most of the cost of a MinHash: draw them once.
        self._template = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32)

    def __len__(self) -> int:
        return len(self._store)

    def _signature(self, grams: set[bytes]) -> MinHash:
        template = self._template
        signature = MinHash(
            num_perm=self.num_perm, hashfunc=zlib.crc32, permutations=template.permutations, scheme=template.scheme
        )
        signature.update_batch(list(grams))
        return signature

    def add(self, key, text: str):
        """Index the comment; return the key of the first comment it copies, or None."""
        added_before, root = self._store.lookup(key)
        if added_before:  # a re-tag: the same answer as then
            return root
        grams = shingles(text)
        if len(grams) < MIN_SHINGLES:
            return None
        signature = self._signature(grams)
        # Signatures kept as 4 bytes per permutation (affine32 values fit): they grow with the comments.
        values = signature.hashvalues.astype(numpy.uint32)
        best, best_order = None, None
        for stored, root, order in self._store.candidates(signature):
            if numpy.count_nonzero(stored == values) / self.num_perm >= self.threshold:
                if best_order is None or order < best_order:
                    best, best_order = root, order
        # The first copies of a letter are indexed too, so a copy edited away from the first one
        # is still found through a closer copy; later copies are not, or each new copy of a
        # 10,000-signature letter would be compared with all the others.
        group = best if best is not None else key
        indexed = self._store.indexed_in(group) < INDEXED_PER_GROUP
        self._store.add(key, best, group, signature if indexed else None, values.tobytes())
        return best

    def close(self) -> None:
        self._store.close()


class _MemoryStore:
    def __init__(self, threshold: float, num_perm: int):
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict = {}
        self._root: dict = {}  # a copy's key -> the first comment of its group
        self._indexed: dict = {}  # the first comment of a group -> how many of the group are in the LSH index
        self._order: dict = {}

    def __len__(self) -> int:
        return len(self._order)

    def lookup(self, key) -> tuple[bool, object]:
        return key in self._order, self._root.get(key)

    def candidates(self, signature: MinHash):
        """(signature, first comment of its group, that comment's order) of each indexed comment in a shared band."""
        for key in self._lsh.query(signature):
            root = self._root.get(key, key)
            yield numpy.frombuffer(self._signatures[key], dtype=numpy.uint32), root, self._order[root]

    def indexed_in(self, group) -> int:
        return self._indexed.get(group, 0)

    def add(self, key, root, group, signature: MinHash | None, values: bytes) -> None:
        self._order[key] = len(self._order)
        if root is not None:
            self._root[key] = root
        if signature is not None:
            self._indexed[group] = self._indexed.get(group, 0) + 1
            self._lsh.insert(key, signature)
            self._signatures[key] = values

    def close(self) -> None:
        pass


class _DiskStore:
    """The same in a private temporary SQLite database (deleted on close), with datasketch's bands."""

    def __init__(self, threshold: float, num_perm: int):
        self._ranges = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        self._db = sqlite3.connect("")  # "": a temporary file, removed when the connection closes
        self._db.executescript(f"""
            PRAGMA cache_size = -{DISK_CACHE_KIB};
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE items (key TEXT PRIMARY KEY, ord INTEGER NOT NULL, root TEXT, signature BLOB);
            CREATE TABLE groups (root TEXT PRIMARY KEY, indexed INTEGER NOT NULL);
            CREATE TABLE bands (band INTEGER NOT NULL, hash BLOB NOT NULL, key TEXT NOT NULL);
            CREATE INDEX bands_lookup ON bands (band, hash);
        """)
        self._count = 0
        bands = ", ".join("(?, ?)" for _ in self._ranges)
        # CROSS JOIN keeps SQLite's order: the ten wanted bands first, each found through the index.
        self._candidates_sql = f"""
            WITH wanted (band, hash) AS (VALUES {bands})
            SELECT DISTINCT i.signature, COALESCE(i.root, i.key), head.ord
            FROM wanted w CROSS JOIN bands b ON b.band = w.band AND b.hash = w.hash
            JOIN items i ON i.key = b.key JOIN items head ON head.key = COALESCE(i.root, i.key)"""

    def __len__(self) -> int:
        return self._count

    def _bands(self, signature: MinHash) -> list[tuple[int, bytes]]:
        return [(band, signature.hashvalues[start:end].tobytes()) for band, (start, end) in enumerate(self._ranges)]

    def lookup(self, key) -> tuple[bool, object]:
        row = self._db.execute("SELECT root FROM items WHERE key = ?", (json.dumps(key),)).fetchone()
        return row is not None, (json.loads(row[0]) if row and row[0] is not None else None)

    def candidates(self, signature: MinHash):
        parameters = [value for pair in self._bands(signature) for value in pair]
        for stored, root, order in self._db.execute(self._candidates_sql, parameters):
            yield numpy.frombuffer(stored, dtype=numpy.uint32), json.loads(root), order

    def indexed_in(self, group) -> int:
        row = self._db.execute("SELECT indexed FROM groups WHERE root = ?", (json.dumps(group),)).fetchone()
        return row[0] if row else 0

    def add(self, key, root, group, signature: MinHash | None, values: bytes) -> None:
        encoded = json.dumps(key)
        self._db.execute(
            "INSERT INTO items VALUES (?, ?, ?, ?)",
            (encoded, self._count, None if root is None else json.dumps(root), values if signature is not None else None),
        )
        self._count += 1
        if signature is not None:
            self._db.execute("INSERT INTO groups VALUES (?, 1) ON CONFLICT (root) DO UPDATE SET indexed = indexed + 1",
                             (json.dumps(group),))
            self._db.executemany("INSERT INTO bands VALUES (?, ?, ?)",
                                 [(band, hashed, encoded) for band, hashed in self._bands(signature)])

    def close(self) -> None:
        self._db.close()


def find_duplicates(items, on_disk: bool = False) -> dict:
    """{key: key of the first copy or None} for (key, text) pairs in order."""
    index = DuplicateIndex(on_disk=on_disk)
    try:
        return {key: index.add(key, text) for key, text in items}
    finally:
        index.close()
