"""Fast n-gram TF-IDF for the router (n 元特征): numpy instead of sklearn's Python analyzers.

Every symbol (a character's code point) is an integer below 2**21, so an n-gram of up to
three symbols packs into one int64: ``s0 << 42 | s1 << 21 | s2``. Symbols are never 0, so
unigrams, bigrams and trigrams never collide. Counting is then `np.unique` per document
instead of a Python dict per n-gram, which makes fitting several times faster than
`TfidfVectorizer(analyzer="char")` and a single-text transform take microseconds.

The weighting is sklearn's `TfidfVectorizer(sublinear_tf=True)`: tf → 1 + log tf, smooth
idf = ln((1 + n) / (1 + df)) + 1, rows scaled to unit length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

BITS = 21
MASK = (1 << BITS) - 1
CHUNK = 256
Chunk = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Unique codes, their counts, and how many of them belong to each document of a chunk."""
HASH_MUL = 0x9E3779B97F4A7C15 - (1 << 64)  # golden-ratio multiplier as a signed int64
HASH_MASK = (1 << 62) - 1


def char_symbols(text: str) -> np.ndarray:
    """The code points of `text` as int64 (NUL, which would collide with padding, → space)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    codes[codes == 0] = 32
    return codes


def pack(symbols: np.ndarray, low: int, high: int) -> np.ndarray:
    """All n-grams, `low` ≤ n ≤ `high` ≤ 4, of a symbol sequence (symbols > 0) as int64.

    1–3-grams are packed exactly (and can be unpacked); 4-grams do not fit in 63 bits and are
    hashed into the negative numbers, which packed codes never use (collisions among 10⁶
    distinct 4-grams: about one chance in ten million).
    """
    s = symbols
    parts = []
    if low <= 1 <= high and len(s) >= 1:
        parts.append(s)
    if low <= 2 <= high and len(s) >= 2:
        parts.append((s[:-1] << BITS) | s[1:])
    if low <= 3 <= high and len(s) >= 3:
        parts.append((s[:-2] << (2 * BITS)) | (s[1:-1] << BITS) | s[2:])
    if low <= 4 <= high and len(s) >= 4:
        h = s[:-3] * HASH_MUL  # int64 arithmetic wraps around: a multiplicative hash
        h = (h + s[1:-2]) * HASH_MUL
        h = (h + s[2:-1]) * HASH_MUL
        h = h + s[3:]
        parts.append(-((h & HASH_MASK) + 1))
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def unpack(code: int) -> list[int]:
    """The symbols of one packed n-gram, first symbol first."""
    out = []
    while code:
        out.append(code & MASK)
        code >>= BITS
    return out[::-1]


class NgramTfidf:
    """Sublinear TF-IDF over packed n-grams of symbol sequences.

    `symbols` turns one document into its symbol array (`char_symbols`). After fitting,
    `vocab` holds the kept codes (sorted) and `idf` their weights; `transform_one` is the
    per-request fast path.
    """

    def __init__(
        self,
        symbols: Callable[[str], np.ndarray],
        ngram_range: tuple[int, int] = (1, 3),
        *,
        min_df: int = 1,
        max_features: int | None = None,
        weight: float = 1.0,
    ) -> None:
        self.symbols = symbols
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.weight = weight
        self.vocab = np.zeros(0, dtype=np.int64)
        self.idf = np.zeros(0, dtype=np.float64)

    def _counts(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        codes = pack(self.symbols(doc), *self.ngram_range)
        uniq, counts = np.unique(codes, return_counts=True)
        return uniq, counts.astype(np.int32)

    def _count_chunks(self, docs: Sequence[str]) -> list[Chunk]:
        """Per-document unique codes and counts, concatenated per chunk of documents.

        Chunks keep the many small per-document arrays short-lived: the heap reuses their
        memory instead of fragmenting (peak memory matters as much as time here).
        """
        chunks: list[Chunk] = []
        for start in range(0, len(docs), CHUNK):
            parts = [self._counts(doc) for doc in docs[start : start + CHUNK]]
            chunks.append(
                (
                    np.concatenate([u for u, _ in parts]),
                    np.concatenate([c for _, c in parts]),
                    np.array([len(u) for u, _ in parts], dtype=np.int64),
                )
            )
        return chunks

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        chunks = self._count_chunks(docs)
        # Document frequencies merged chunk by chunk: the distinct n-grams are far fewer than
        # all (document, n-gram) pairs, so this never sorts the whole corpus at once.
        vocab, df = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        for uniq, _, _ in chunks:
            codes, counts = np.unique(uniq, return_counts=True)
            vocab, inverse = np.unique(np.concatenate([vocab, codes]), return_inverse=True)
            df = np.bincount(
                inverse, weights=np.concatenate([df, counts]), minlength=len(vocab)
            ).astype(np.int64)
        keep = df >= self.min_df
        if not keep.any():  # tiny data: keep everything rather than nothing
            keep[:] = True
        vocab, df = vocab[keep], df[keep]
        if self.max_features is not None and len(vocab) > self.max_features:
            # The most frequent (by document frequency; ties by code, deterministic).
            order = np.lexsort((vocab, -df))[: self.max_features]
            order.sort()
            vocab, df = vocab[order], df[order]
        self.vocab = vocab
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
        return self._matrix(chunks, len(docs))

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        return self._matrix(self._count_chunks(docs), len(docs))

    def transform_one(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of one document: the prediction fast path."""
        uniq, counts = self._counts(doc)
        if len(self.vocab) == 0 or len(uniq) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        pos = np.searchsorted(self.vocab, uniq)
        pos[pos >= len(self.vocab)] = 0
        hit = self.vocab[pos] == uniq
        pos = pos[hit]
        values = (1.0 + np.log(counts[hit])) * self.idf[pos]
        norm = float(np.sqrt(values @ values))
        if norm > 0:
            values *= self.weight / norm
        return pos, values

    def _matrix(self, chunks: list[Chunk], n_rows: int) -> sp.csr_matrix:
        """Vectorised per chunk: look codes up, weight, scale each row to unit length.

        Two passes keep the peak low: first every chunk's codes are replaced by their column
        (int32, n-grams outside the vocabulary dropped), then the exact-size output is filled.
        """
        size = len(self.vocab)
        for i, (uniq, counts, per_doc) in enumerate(chunks):
            rows = np.repeat(np.arange(len(per_doc)), per_doc)
            if size:
                pos = np.searchsorted(self.vocab, uniq)
                pos[pos >= size] = 0
                hit = self.vocab[pos] == uniq
            else:
                pos, hit = np.zeros(len(uniq), dtype=np.int64), np.zeros(len(uniq), dtype=bool)
            chunks[i] = (
                pos[hit].astype(np.int32),
                counts[hit],
                np.bincount(rows[hit], minlength=len(per_doc)),
            )
        nnz = sum(len(c[0]) for c in chunks)
        indices = np.empty(nnz, dtype=np.int32)
        data = np.empty(nnz, dtype=np.float64)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        at, row0 = 0, 0
        chunks.reverse()
        while chunks:
            pos, counts, per_doc = chunks.pop()
            rows = np.repeat(np.arange(len(per_doc)), per_doc)
            values = (1.0 + np.log(counts)) * self.idf[pos]
            norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(per_doc)))
            norms[norms == 0] = 1.0
            values *= self.weight / norms[rows]
            indices[at : at + len(pos)] = pos
            data[at : at + len(pos)] = values
            at += len(pos)
            indptr[row0 + 1 : row0 + 1 + len(per_doc)] = per_doc
            row0 += len(per_doc)
        np.cumsum(indptr, out=indptr)
        return sp.csr_matrix((data, indices, indptr.astype(np.int32)), shape=(n_rows, size))
