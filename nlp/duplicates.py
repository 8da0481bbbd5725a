"""Near-duplicate detection for form letters and copy-and-paste campaigns (MinHash + LSH).

Each comment becomes a set of word 3-grams; MinHash signatures go into an LSH index (datasketch
chooses its bands), so finding the earlier copies of a new comment costs about the same with
100 or 100,000 comments already indexed. Candidates from the index are confirmed with the
estimated Jaccard similarity before a comment is called a copy. Short comments ("I agree") are
never grouped: shared wording in a few words is not a campaign.

The index lives in memory (a dict of bands), or on disk for a stream of millions of
comments (`python -m nlp tag`): a temporary SQLite database whose page cache is bounded, so
memory stays flat however long the input.
"""

import json
import sqlite3
import unicodedata
import zlib
from functools import lru_cache
from itertools import islice

import numpy
from datasketch import MinHash, MinHashLSH

# Words are runs of a-z, 0-9 and "'" of the text without its accents ("cámara" and "camara" are one
# word: copies of a Spanish letter are typed with and without them): every other byte of the
# lower-cased UTF-8 becomes a space (the same words as re.findall(rb"[a-z0-9']+"), faster).
WORD_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789'"
NON_WORD_TO_SPACE = bytes(byte if byte in WORD_BYTES else ord(" ") for byte in range(256))
MIN_SHINGLES = 25  # about 27 words: form letters are long, and short comments share wording by chance
# Copies that add or drop a paragraph share about half their word triples with the letter; comments
# written apart share almost none (on the corpus's 4,620 training comments, 0.45 groups every copy of
# its 64 campaigns and nothing else; 0.6 missed one pair in ten).
THRESHOLD = 0.45
NUM_PERM = 64
INDEXED_PER_GROUP = 16
# How datasketch weighs a false candidate against a missed one when it chooses the bands. Every
# candidate is checked against the estimated similarity anyway, so misses weigh more: at 0.45,
# 21 bands of 3 values.
LSH_WEIGHTS = (0.1, 0.9)
SIGNATURE_BATCH = 500  # comments hashed in one numpy pass: ~7 MB of temporary arrays
PERMUTATIONS_AT_ONCE = 8  # a batch's shingles permuted 8 ways: about half a megabyte
# Slots of the filter of band keys added so far (4 MB): with the 320,000 keys of 20,000 comments,
# 7% of new keys pass it by chance and are looked up for nothing.
SEEN_SLOTS = 1 << 22
DISK_CACHE_KIB = 64 * 1024  # the on-disk index's page cache: all the memory it takes
WORD_HASH_BASE = numpy.uint64(0x100000001B3)  # FNV's prime: odd, so every byte counts
SHINGLE_MULTIPLIERS = (numpy.uint64(0x9E3779B97F4A7C15), numpy.uint64(0xC2B2AE3D27D4EB4F))  # odd: no two words cancel


def word_hashes(texts: list[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The hash of each word of the texts, in order (uint64), and the text each word is in.

    A word's hash is sum(byte[i] * WORD_HASH_BASE**i) modulo 2**64, mixed by splitmix64's
    finaliser so that its low bits depend on every byte. Computed for all texts at once in numpy:
    a zlib.crc32 call per word cost a twentieth of the pipeline's time."""
    encoded = [_without_accents(text.lower()).encode() for text in texts]
    # The texts one after another, a space apart, so that no word runs from one into the next.
    data = numpy.frombuffer(b" ".join(encoded).translate(NON_WORD_TO_SPACE), dtype=numpy.uint8)
    in_word = numpy.zeros(len(data) + 2, dtype=bool)  # with a space before and after the batch
    numpy.not_equal(data, ord(" "), out=in_word[1:-1])
    edges = numpy.flatnonzero(in_word[1:] != in_word[:-1])
    starts, ends = edges[::2], edges[1::2]
    text_starts = numpy.cumsum([0] + [len(text) + 1 for text in encoded[:-1]])
    text_of_word = (numpy.searchsorted(text_starts, starts, side="right") - 1).astype(numpy.uint64)
    # The polynomial of a word is (prefix[end] - prefix[start]) / BASE**start, where prefix[k] sums
    # byte[j] * BASE**j over the batch's first k bytes: a few passes over the bytes in all, where
    # summing each word's own powers took twice as many. BASE is odd, so it has an inverse modulo 2**64.
    powers, inverse_powers = _powers_of_base(len(data).bit_length())
    prefix = numpy.empty(len(data) + 1, dtype=numpy.uint64)  # not zeros: a pass over megabytes, written over next
    prefix[0] = 0
    numpy.multiply(data, powers[: len(data)], out=prefix[1:])  # in place: wraps modulo 2**64
    numpy.cumsum(prefix, out=prefix)
    return _splitmix64((prefix[ends] - prefix[starts]) * inverse_powers[starts]), text_of_word


def _without_accents(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@lru_cache(maxsize=1)
def _powers_of_base(bits: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """WORD_HASH_BASE**i and its inverse modulo 2**64 to the power i, for i below 2**bits.
    Kept: a stream's batches are about the same size, and each power costs a multiplication."""
    count = 1 << bits
    inverse = numpy.uint64(pow(int(WORD_HASH_BASE), -1, 2**64))
    powers, inverse_powers = numpy.ones(count, dtype=numpy.uint64), numpy.ones(count, dtype=numpy.uint64)
    numpy.cumprod(numpy.full(count - 1, WORD_HASH_BASE), out=powers[1:])  # wraps modulo 2**64
    numpy.cumprod(numpy.full(count - 1, inverse), out=inverse_powers[1:])
    return powers, inverse_powers


def _splitmix64(values: numpy.ndarray) -> numpy.ndarray:
    """splitmix64's finaliser on uint64 values: every bit of the result depends on every bit of the value."""
    values = (values ^ (values >> numpy.uint64(30))) * numpy.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> numpy.uint64(27))) * numpy.uint64(0x94D049BB133111EB)
    return values ^ (values >> numpy.uint64(31))


def shingle_hashes(words: numpy.ndarray) -> numpy.ndarray:
    """One 32-bit hash for each run of three words, from the words' hashes (uint64, in order).

    Computed in numpy for a whole batch: hashing each joined run of words in Python was a
    tenth of the pipeline's time."""
    mixed = words[:-2] * SHINGLE_MULTIPLIERS[0] + words[1:-1] * SHINGLE_MULTIPLIERS[1] + words[2:]
    return (mixed ^ (mixed >> numpy.uint64(32))).astype(numpy.uint32)


def _first_of_each_run(values: numpy.ndarray) -> numpy.ndarray:
    """True where a sorted array's value differs from the one before it (and at its start)."""
    first = numpy.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return first


def _murmur3_finalizer(values: numpy.ndarray) -> numpy.ndarray:
    """The 32-bit mix datasketch's "affine32" MinHash applies to each hash before permuting it."""
    values = values ^ (values >> numpy.uint32(16))
    values = values * numpy.uint32(0x85EBCA6B)
    values = values ^ (values >> numpy.uint32(13))
    values = values * numpy.uint32(0xC2B2AE35)
    return values ^ (values >> numpy.uint32(16))


class DuplicateIndex:
    """Add comments in order; each one added is matched against the earlier ones."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM, on_disk: bool = False):
        self.threshold = threshold
        self.num_perm = num_perm
        # datasketch's permutations (seed 1, affine32) and its choice of LSH bands for the threshold:
        # band_count bands of band_width values each, one after another.
        self._permutations = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32).permutations
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self._band_count, self._band_width = lsh.b, lsh.r
        self._band_powers = WORD_HASH_BASE ** numpy.arange(1, lsh.r + 1, dtype=numpy.uint64)  # wraps modulo 2**64
        self._store = _DiskStore() if on_disk else _MemoryStore()
        self._seen = numpy.zeros(SEEN_SLOTS, dtype=bool)  # which band keys may have been added (_maybe_shared)

    def __len__(self) -> int:
        return len(self._store)

    def signatures(self, texts: list[str]) -> list[numpy.ndarray | None]:
        """The MinHash signature of each text (None if too short to group): the same values as
        datasketch's MinHash.update_batch gives for the text's distinct shingle hashes, computed
        for all texts in one numpy pass (one update_batch per comment cost more than the rest of
        the pipeline together)."""
        words, text_of_word = word_hashes(texts)
        within_one_text = text_of_word[:-2] == text_of_word[2:]
        # Sorted (text, shingle) pairs without repeats: each text's distinct shingles, together.
        pairs = numpy.sort((text_of_word[:-2] << numpy.uint64(32) | shingle_hashes(words))[within_one_text])
        pairs = pairs[_first_of_each_run(pairs)]  # numpy.unique: ten times slower here
        text_of_pair = (pairs >> numpy.uint64(32)).astype(numpy.intp)
        long_enough = numpy.bincount(text_of_pair, minlength=len(texts)) >= MIN_SHINGLES
        result = [None] * len(texts)
        if not long_enough.any():
            return result
        kept = long_enough[text_of_pair]
        shingles, text_of_pair = pairs[kept].astype(numpy.uint32), text_of_pair[kept]  # astype keeps the low 32 bits
        mixed, starts = _murmur3_finalizer(shingles), numpy.flatnonzero(_first_of_each_run(text_of_pair))
        minima = numpy.empty((self.num_perm, len(starts)), dtype=numpy.uint32)
        # A few permutations at a time, one row each (the minimum runs along contiguous memory), so
        # that the permuted values stay in the processor's cache. Wraps modulo 2**32 as datasketch's.
        for first in range(0, self.num_perm, PERMUTATIONS_AT_ONCE):
            a, b = (values[first : first + PERMUTATIONS_AT_ONCE, None] for values in self._permutations)
            permuted = a * mixed
            permuted += b
            minima[first : first + PERMUTATIONS_AT_ONCE] = numpy.minimum.reduceat(permuted, starts, axis=1)
        # One row per text, contiguous: a row of minima.T would touch a cache line for each value.
        for i, values in zip(text_of_pair[starts].tolist(), numpy.ascontiguousarray(minima.T)):
            result[i] = values
        return result

    def add(self, key, text: str):
        """Index the comment; return the key of the first comment it copies, or None."""
        return self.add_many([(key, text)])[0]

    def add_many(self, pairs) -> list:
        """Index (key, text) pairs in order; the key of the first comment each copies, or None."""
        roots, pairs = [], iter(pairs)
        while chunk := list(islice(pairs, SIGNATURE_BATCH)):
            signatures = self.signatures([text for _, text in chunk])
            grouped = [values for values in signatures if values is not None]
            keys = self.band_keys(numpy.stack(grouped)) if grouped else numpy.zeros((0, self._band_count), numpy.int64)
            bands = iter(zip(keys.tolist(), self._maybe_shared(keys)))
            for (key, _), values in zip(chunk, signatures):
                band_keys, maybe_shared = next(bands) if values is not None else (None, None)
                roots.append(self._add(key, values, band_keys, maybe_shared))
        return roots

    def _maybe_shared(self, keys: numpy.ndarray) -> list[list[int]]:
        """For each row of band keys, those an earlier comment may have: keys in the filter of
        those added before this batch, or earlier in the batch. The others are in no table, and
        most comments share no band with any other; looking each up in a table of hundreds of
        thousands is a cache miss or two."""
        flat = keys.ravel()
        slots = (flat & (SEEN_SLOTS - 1)).astype(numpy.intp)
        maybe = self._seen[slots]
        order = numpy.argsort(flat, kind="stable")
        maybe[order[~_first_of_each_run(flat[order])]] = True  # a key's repeats after its first in the batch
        self._seen[slots] = True
        maybe = maybe.reshape(keys.shape)
        shared = [[] for _ in range(len(keys))]
        for row in numpy.flatnonzero(maybe.any(axis=1)).tolist():
            shared[row] = keys[row][maybe[row]].tolist()
        return shared

    def band_keys(self, signatures: numpy.ndarray) -> numpy.ndarray:
        """For each signature (a row), one 64-bit key per LSH band: a hash of the band's number and
        values, so that one dict holds all bands and its keys are integers (byte strings of the
        values cost twice as much to make, hash and store). Signed, as SQLite stores integers."""
        count, width = self._band_count, self._band_width
        bands = signatures[:, : count * width].reshape(len(signatures), count, width).astype(numpy.uint64)
        summed = (bands * self._band_powers).sum(axis=2, dtype=numpy.uint64) + numpy.arange(count, dtype=numpy.uint64)
        return _splitmix64(summed).view(numpy.int64)

    def _add(self, key, values: numpy.ndarray | None, bands: list[int] | None, maybe_shared: list[int] | None):
        added_before, root = self._store.lookup(key)
        if added_before:  # a re-tag: the same answer as then
            return root
        if values is None:
            return None
        signature = values.tobytes()
        best, best_order = None, None
        for stored, root, order in self._store.candidates(maybe_shared) if maybe_shared else ():
            if numpy.count_nonzero(stored == values) / self.num_perm >= self.threshold:
                if best_order is None or order < best_order:
                    best, best_order = root, order
        # The first copies of a letter are indexed too, so a copy edited away from the first one
        # is still found through a closer copy; later copies are not, or each new copy of a
        # 10,000-signature letter would be compared with all the others.
        group = best if best is not None else key
        indexed = self._store.indexed_in(group) < INDEXED_PER_GROUP
        self._store.add(key, best, group, bands if indexed else None, signature)
        return best

    def close(self) -> None:
        self._store.close()


class _MemoryStore:
    def __init__(self):
        # Band key -> indexed keys, in tuples: tuples of keys are atomic to Python's garbage
        # collector, which would otherwise walk a list per band and comment on every full collection.
        self._bands: dict[int, tuple] = {}
        self._signatures: dict = {}
        self._root: dict = {}  # a copy's key -> the first comment of its group
        self._indexed: dict = {}  # the first comment of a group -> how many of the group are in the bands
        self._order: dict = {}

    def __len__(self) -> int:
        return len(self._order)

    def lookup(self, key) -> tuple[bool, object]:
        return key in self._order, self._root.get(key)

    def candidates(self, bands: list[int]):
        """(signature, first comment of its group, that comment's order) of each indexed comment in a shared band."""
        keys = set()
        for found in map(self._bands.get, bands):  # most comments share no band at all
            if found is not None:
                keys.update(found)
        for key in keys:
            root = self._root.get(key, key)
            yield numpy.frombuffer(self._signatures[key], dtype=numpy.uint32), root, self._order[root]

    def indexed_in(self, group) -> int:
        return self._indexed.get(group, 0)

    def add(self, key, root, group, bands: list[int] | None, values: bytes) -> None:
        self._order[key] = len(self._order)
        if root is not None:
            self._root[key] = root
        if bands is not None:
            self._indexed[group] = self._indexed.get(group, 0) + 1
            added = dict.fromkeys(bands, (key,))
            for shared in added.keys() & self._bands.keys():
                added[shared] = self._bands[shared] + added[shared]
            self._bands.update(added)
            self._signatures[key] = values

    def close(self) -> None:
        pass


class _DiskStore:
    """The same in a private temporary SQLite database (deleted on close), with datasketch's bands."""

    def __init__(self):
        self._db = sqlite3.connect("")  # "": a temporary file, removed when the connection closes
        self._db.executescript(f"""
            PRAGMA cache_size = -{DISK_CACHE_KIB};
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE items (key TEXT PRIMARY KEY, ord INTEGER NOT NULL, root TEXT, signature BLOB);
            CREATE TABLE groups (root TEXT PRIMARY KEY, indexed INTEGER NOT NULL);
            CREATE TABLE bands (band_key INTEGER NOT NULL, key TEXT NOT NULL);
            CREATE INDEX bands_lookup ON bands (band_key);
        """)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def lookup(self, key) -> tuple[bool, object]:
        row = self._db.execute("SELECT root FROM items WHERE key = ?", (json.dumps(key),)).fetchone()
        return row is not None, (json.loads(row[0]) if row and row[0] is not None else None)

    def candidates(self, bands: list[int]):
        sql = f"""
            SELECT DISTINCT i.signature, COALESCE(i.root, i.key), head.ord
            FROM bands b JOIN items i ON i.key = b.key JOIN items head ON head.key = COALESCE(i.root, i.key)
            WHERE b.band_key IN ({", ".join("?" * len(bands))})"""
        for stored, root, order in self._db.execute(sql, bands):
            yield numpy.frombuffer(stored, dtype=numpy.uint32), json.loads(root), order

    def indexed_in(self, group) -> int:
        row = self._db.execute("SELECT indexed FROM groups WHERE root = ?", (json.dumps(group),)).fetchone()
        return row[0] if row else 0

    def add(self, key, root, group, bands: list[int] | None, values: bytes) -> None:
        encoded = json.dumps(key)
        self._db.execute(
            "INSERT INTO items VALUES (?, ?, ?, ?)",
            (encoded, self._count, None if root is None else json.dumps(root), values if bands is not None else None),
        )
        self._count += 1
        if bands is not None:
            self._db.execute("INSERT INTO groups VALUES (?, 1) ON CONFLICT (root) DO UPDATE SET indexed = indexed + 1",
                             (json.dumps(group),))
            self._db.executemany("INSERT INTO bands VALUES (?, ?)", [(band_key, encoded) for band_key in bands])

    def close(self) -> None:
        self._db.close()


def find_duplicates(items, on_disk: bool = False) -> dict:
    """{key: key of the first copy or None} for (key, text) pairs in order."""
    index = DuplicateIndex(on_disk=on_disk)
    try:
        items = list(items)
        return dict(zip((key for key, _ in items), index.add_many(items)))
    finally:
        index.close()
