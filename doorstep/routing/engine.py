"""The routing engine (智能分派): suggest who should handle a resident's request.

Residents cannot sort their own request into departments; the worker, or this engine, must.
Given free Chinese text it returns the three most likely labels (catalogue item codes, or
whatever labels it was trained on) with a calibrated-ish confidence and the words that drove
the choice, so a worker can see *why* and overrule it.

How it works, and why:

* `normalise` makes the many ways of writing the same thing look alike: traditional to
  simplified (OpenCC t2s, only when a traditional-only character is present, because the
  pure-Python converter is slow), full-width to half-width, lower case, every run of digits
  to "0" (room numbers carry no meaning), and URLs, phone and ID numbers, WeChat emoji codes
  such as "[抱拳]" removed. Very long texts keep their head and tail: the subject is stated
  first and the request usually last.
* Features: sublinear TF-IDF of character 1–4-grams of the normalised text, computed by
  `ngrams.NgramTfidf` (numpy n-gram packing; equal to sklearn's char TfidfVectorizer for
  1–3-grams, several times faster, and tens of microseconds for one text). 1–4-grams cover
  nearly every word and many two-word phrases without segmentation. (Earlier versions added
  jieba word 1–2-grams and a head-of-message block: jieba cost ~4 µs a character — most of
  the training time and 2–5 ms per long letter — and on the long-letter proxy neither
  block helped; jieba helped the short dev set by ~2 points. See docs/routing.md.)
* Members: two linear SVMs (strong and weak regularisation, balanced class weights) and a
  complement naive Bayes, all on the same features. (Logistic regression was tried and
  dropped: with many labels its solver took ten times the SVM's time for no gain.) All
  three are linear in the features, so the weighted ensemble collapses into ONE weight
  matrix: prediction is one sparse dot product and evidence is feature value × weight.
* Member weights, a softmax temperature and a uniform share (smoothing) are chosen on
  out-of-fold scores of the training data (3-fold; on 2,000+ rows one 25 % hold-out, the
  members fitted on at most `HOLDOUT_FIT_ROWS` of the rest), never on evaluation rows: the
  weights by macro-F1, temperature and smoothing by the log-loss of "the top label is
  right" (the confidence a worker sees and the threshold uses). Near-copies of one phrasing
  (`phrase_groups`) are held out together, so the confidences describe a request in new
  words, not a training sentence in new noise.
* Memory: the feature matrix is float64 (liblinear would copy anything else), built in one
  allocation; the SVMs are fitted one after the other when the matrix is large, because
  each liblinear fit holds its own copy of it.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import importlib.metadata
import math
import os
import re
import sys
import tempfile
import time
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
import scipy
import scipy.sparse as sp

from doorstep.routing.ngrams import NgramTfidf, char_symbols, pack, unpack

if TYPE_CHECKING:  # scikit-learn is imported only where a model is fitted or scored
    from sklearn.svm import LinearSVC

    from doorstep.core.hant import Converter

FORMAT = "doorstep-router"
FORMAT_VERSION = 2

MAX_CHARS = 1200
"""Longer texts keep the first `HEAD_KEEP` and the last `MAX_CHARS - HEAD_KEEP` characters:
the subject comes first, the request last, and the middle of a long story costs training time
(n-gram counting and the SVMs are linear in the text) without adding much signal."""
HEAD_KEEP = 900

CHAR_NGRAMS = (1, 4)
MAX_FEATURES = 400_000
MEMBERS = ("svm_strong", "svm_weak", "bayes")
"""Linear SVM with strong regularisation (C=0.25), with weak (C=1), complement naive Bayes."""
MEMBER_GRID: tuple[tuple[float, float, float], ...] = (
    (1.0, 0.0, 0.0),
    (0.0, 1.0, 0.0),
    (0.0, 0.0, 1.0),
    (1.0, 1.0, 0.0),
    (1.0, 0.0, 0.5),
    (0.0, 1.0, 0.5),
    (1.0, 1.0, 0.5),
    (1.0, 1.0, 1.0),
    (1.0, 0.0, 1.0),
)
"""Candidate member weights on standardised scores; out-of-fold macro-F1 picks one."""

RANDOM_STATE = 0
MIN_DF_ROWS = 3000
"""From this many rows on, n-grams seen in only one text are dropped (noise, and size)."""
HOLDOUT_MIN_ROWS = 2000
HOLDOUT_FIT_ROWS = 4000
"""On large data the members for choosing weights are fitted on at most this many rows of
the other 75 %: enough to rank a few weightings, and it bounds the extra training time."""
THREAD_MAX_NNZ = 4_000_000
"""Above this many non-zeros the two SVMs are fitted one after the other (memory)."""
PHRASE_CHARS = 8
"""Rows of one label sharing a run of this many characters that no other label uses are
near-copies of one phrasing (同一说法) and are held out together (see `phrase_groups`)."""
PHRASE_HEAD = 300
"""Only the first this many characters of a text are searched for phrases (bounds the cost)."""


class IncompatibleModelError(Exception):
    """The file is not a router model, or one written by another format version."""


@dataclass(frozen=True)
class Suggestion:
    """One candidate label (建议分派) with its confidence and the words that support it."""

    label: str
    confidence: float
    evidence: list[str] = field(default_factory=list)


# ── normalisation ─────────────────────────────────────────────────────────────


@lru_cache(maxsize=1)
def _opencc() -> Converter:
    from opencc import OpenCC

    converter: Converter = OpenCC("t2s")
    return converter


@lru_cache(maxsize=1)
def _traditional_only() -> frozenset[str]:
    """Characters that t2s would change; text without any of them skips OpenCC."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars: set[str] = set()
    with table.open(encoding="utf-8") as handle:
        for line in handle:
            key, _, values = line.rstrip("\n").partition("\t")
            if key and key not in values.split():
                chars.add(key)
    return frozenset(chars)


_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20
_URL = re.compile(r"(?:https?://|www\.)[\w\-./?%&=#:~+]*", re.ASCII)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+", re.ASCII)
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dx](?!\d)|(?<!\d)\d{15}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_EMOJI_CODE = re.compile(r"\[[\u4e00-\u9fff a-z]{1,6}\]")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return the canonical form the router reads (规范化).

    Traditional → simplified, full-width → half-width, lower case, URLs, e-mail, phone and
    ID numbers and WeChat emoji codes removed, digit runs collapsed to "0", whitespace
    collapsed, and long texts cut to head + tail.
    """
    if not text:
        return ""
    if len(text) > 2 * MAX_CHARS:  # pre-cut so OpenCC and the regexes see bounded text
        text = text[: 2 * HEAD_KEEP] + " " + text[-2 * (MAX_CHARS - HEAD_KEEP) :]
    if not _traditional_only().isdisjoint(text):
        text = _opencc().convert(text)
    text = unicodedata.normalize("NFC", text).translate(_FULL_TO_HALF).lower()
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _ID_NUMBER.sub(" ", text)
    text = _PHONE.sub(" ", text)
    text = _LANDLINE.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    text = _DIGITS.sub("0", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_CHARS:
        text = text[:HEAD_KEEP] + " " + text[-(MAX_CHARS - HEAD_KEEP) :]
    return text


_READABLE = re.compile(r"[a-z0-9\u4e00-\u9fff]+")
"""Evidence shows only n-grams without punctuation or spaces: readable to a worker."""


# ── features ──────────────────────────────────────────────────────────────────


class _Features:
    """Sublinear TF-IDF of character 1–4-grams (特征) over the normalised text.

    Built on `ngrams.NgramTfidf` (numpy n-gram packing: several times faster than sklearn's
    analyzers, and tens of microseconds per text at prediction). Character 1–4-grams cover
    nearly every Chinese word and two-word phrase with no segmentation step: jieba cost about
    4 µs per character, most of the training time and 2–5 ms per long request, for no gain
    on long letters (it helped short, fine-grained requests by ~2 points; see docs).
    """

    def __init__(self, n_samples: int) -> None:
        self.char = NgramTfidf(
            char_symbols,
            CHAR_NGRAMS,
            min_df=2 if n_samples >= MIN_DF_ROWS else 1,
            max_features=MAX_FEATURES,
        )

    @property
    def n_features(self) -> int:
        return len(self.char.vocab)

    def fit_transform(self, norm: list[str]) -> sp.csr_matrix:
        return self.char.fit_transform(norm)

    def transform(self, norm: list[str]) -> sp.csr_matrix:
        return self.char.transform(norm)

    def transform_one(self, norm: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of one text: the prediction fast path, no scipy."""
        return self.char.transform_one(norm)

    def name(self, column: int, norm: str, four_grams: np.ndarray) -> str:
        """The n-gram behind `column` in the text `norm`; `four_grams` = its hashed 4-grams.

        1–3-grams unpack from their code; a hashed 4-gram is found by position in the text.
        """
        code = int(self.char.vocab[column])
        if code >= 0:
            return "".join(map(chr, unpack(code)))
        at = np.flatnonzero(four_grams == code)
        return norm[int(at[0]) : int(at[0]) + 4] if len(at) else ""


# ── members ───────────────────────────────────────────────────────────────────


def _fit_svm(x: sp.csr_matrix, y: np.ndarray, c: float) -> LinearSVC:
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=c, class_weight="balanced", max_iter=400, random_state=RANDOM_STATE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence at max_iter: scores are still fine
        svm.fit(x, y)
    return svm


def _fit_members(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, use: tuple[bool, ...] = (True, True, True)
) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """Fit the three linear members; return each as (weights k×d, bias k) over all classes.

    Classes missing from `y` (possible inside a CV fold) get a very low bias so they never
    win there. Members switched off in `use` are not fitted and come back as None.
    """
    present = np.unique(y)
    members: list[tuple[np.ndarray, np.ndarray] | None] = []
    if len(present) < 2:  # a CV fold of tiny data can hold one label only: it always wins
        bias = np.full(n_classes, -1e3)
        bias[present] = 0.0
        zero = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
        return [(zero, bias) if u else None for u in use]

    def full(coef: np.ndarray, bias: np.ndarray, low: float) -> tuple[np.ndarray, np.ndarray]:
        w = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
        b = np.full(n_classes, low, dtype=np.float64)
        if len(present) == 2 and coef.shape[0] == 1:  # sklearn's binary shortcut
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            bias = np.array([-bias[0] / 2, bias[0] / 2])
        w[present] = coef
        b[present] = bias
        return w, b

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # liblinear releases the GIL: the two SVMs train side by side on two cores, unless
        # the matrix is large: each fit holds its own copy of it (16 bytes per non-zero).
        cs = (0.25 * use[0], 1.0 * use[1])
        if x.nnz <= THREAD_MAX_NNZ:
            with ThreadPoolExecutor(max_workers=2) as pool:
                svms = list(pool.map(lambda c: _fit_svm(x, y, c) if c else None, cs))
        else:
            svms = [_fit_svm(x, y, c) if c else None for c in cs]
        for svm in svms:
            members.append(None if svm is None else full(svm.coef_, svm.intercept_, -1e3))
        if use[2]:
            from sklearn.naive_bayes import ComplementNB

            bayes = ComplementNB(alpha=0.3)
            bayes.fit(x, y)
            # ComplementNB's joint log-likelihood is x · feature_log_prob_ (no class prior).
            members.append(full(bayes.feature_log_prob_, np.zeros(len(present)), -1e3))
        else:
            members.append(None)
    # Centre across classes: argmax and softmax ignore a per-row constant, and centred
    # scores of different members become comparable once divided by their spread.
    return [
        None
        if m is None
        else (m[0] - m[0][m[1] > -1e2].mean(axis=0), m[1] - m[1][m[1] > -1e2].mean())
        for m in members
    ]


def phrase_groups(norm: Sequence[str], y: Sequence[int] | np.ndarray) -> np.ndarray:
    """A group number per row: rows that are near-copies of one phrasing share a number.

    Requests are often the same sentence in new noise (a greeting, an address, a typo): the
    demo's are generated that way, and real ones repeat too (one resident writing twice, a
    neighbour copying a message). Held out one by one, a near-copy is scored against its own
    twin and the calibration learns that every request is certain (1.00 / 0.00). A row's
    phrase is its most repeated run of `PHRASE_CHARS` characters that occurs under one label
    only (a greeting or a filler sentence occurs under many); rows with the same phrase form
    one group, a row with none is a group of its own.
    """
    labels_of: dict[str, int] = {}
    rows_of: dict[str, int] = {}
    grams_per_row: list[set[str]] = []
    for text, label in zip(norm, y, strict=True):
        grams = {
            run[i : i + PHRASE_CHARS]
            for run in _READABLE.findall(text[:PHRASE_HEAD])
            for i in range(len(run) - PHRASE_CHARS + 1)
        }
        grams_per_row.append(grams)
        for gram in grams:
            seen = labels_of.get(gram)
            labels_of[gram] = int(label) if seen is None or seen == int(label) else -1
            rows_of[gram] = rows_of.get(gram, 0) + 1
    groups = np.empty(len(grams_per_row), dtype=np.int64)
    number: dict[str, int] = {}
    for row, grams in enumerate(grams_per_row):
        shared = [g for g in grams if labels_of[g] >= 0 and rows_of[g] > 1]
        key = min(shared, key=lambda g: (-rows_of[g], g)) if shared else f"\0{row}"
        groups[row] = number.setdefault(key, len(number))
    return groups


def phrase_holdout(
    texts: Sequence[str], labels: Sequence[str], share: float = 0.2
) -> tuple[list[int], list[int]]:
    """(training rows, test rows): about `share` of the rows, whole phrase groups at a time.

    An evaluation that holds out near-copies one by one measures recall of known sentences
    (0.99+ on the demo), not routing of a new request; this measures the latter.
    """
    index = {label: i for i, label in enumerate(sorted(set(labels)))}
    groups = phrase_groups([normalise(t) for t in texts], [index[lab] for lab in labels])
    order = np.random.default_rng(RANDOM_STATE).permutation(np.unique(groups))
    sizes = np.bincount(groups)[order]
    held = order[: int(np.searchsorted(np.cumsum(sizes), share * len(texts))) + 1]
    is_test = np.isin(groups, held)
    return np.flatnonzero(~is_test).tolist(), np.flatnonzero(is_test).tolist()


def _splits(n: int, groups: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit rows, held-out rows) pairs, a group never on both sides.

    3-fold (2 on tiny data) by groups; from `HOLDOUT_MIN_ROWS` rows on one hold-out of whole
    groups holding about a quarter of the rows, the members fitted on at most
    `HOLDOUT_FIT_ROWS` of the others.
    """
    rng = np.random.default_rng(RANDOM_STATE)
    if n >= HOLDOUT_MIN_ROWS:
        unique = rng.permutation(np.unique(groups))
        sizes = np.bincount(groups)[unique]
        held_groups = unique[: int(np.searchsorted(np.cumsum(sizes), n // 4)) + 1]
        is_held = np.isin(groups, held_groups)
        rest = rng.permutation(np.flatnonzero(~is_held))
        return [(np.sort(rest[:HOLDOUT_FIT_ROWS]), np.flatnonzero(is_held))]
    from sklearn.model_selection import GroupKFold

    n_splits = min(3 if n >= 30 else 2, len(np.unique(groups)))
    folds = GroupKFold(n_splits=n_splits, shuffle=True, random_state=RANDOM_STATE)
    return list(folds.split(np.zeros(n), groups=groups))


def _out_of_fold(
    x: sp.csr_matrix, y: np.ndarray, n_classes: int, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Member scores for rows each member did not see: (row indices, members × rows × k).

    Near-copies (one `groups` number) are held out together, so the scores, and the
    temperature chosen on them, reflect a request in words the members have not seen.
    """
    splits = _splits(x.shape[0], groups)
    held_all = np.concatenate([held for _, held in splits])
    position = {int(r): i for i, r in enumerate(held_all)}
    oof = np.zeros((len(MEMBERS), len(held_all), n_classes))
    for fit_rows, held_rows in splits:
        at = [position[int(r)] for r in held_rows]
        for m, member in enumerate(_fit_members(x[fit_rows], y[fit_rows], n_classes)):
            if member is not None:
                oof[m, at] = _scores(x[held_rows], member)
    return held_all, oof


def _scores(x: sp.csr_matrix, member: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    w, b = member
    return np.asarray(x @ w.T, dtype=np.float64) + b


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


SMOOTHING_GRID = (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
"""Candidate shares of probability spread evenly over all labels (see `_fit_calibration`)."""


def _calibrated(z: np.ndarray, temperature: float, smoothing: float) -> np.ndarray:
    """Softmax at `temperature`, mixed with the uniform distribution by `smoothing`."""
    return (1.0 - smoothing) * _softmax(z / temperature) + smoothing / z.shape[1]


def _fit_calibration(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(temperature, smoothing) that make the top suggestion's confidence mean what it says.

    The number a worker sees, and the threshold auto-routing compares against, is the top
    label's probability, so both are fitted on the out-of-fold log-loss of "the top label is
    right" (a multi-class log-loss mostly rewards the right label's share, and chose a
    temperature that still said 1.00 on requests the held-out rows got wrong). The uniform
    share caps the confidence at what even large margins earned; for each share in
    `SMOOTHING_GRID` the temperature is found by golden-section search on log T.
    """
    right = np.argmax(scores, axis=1) == y
    best = (math.inf, 1.0, 0.0)
    for smoothing in SMOOTHING_GRID:

        def loss(log_t: float, smoothing: float = smoothing) -> float:
            top = np.clip(_calibrated(scores, math.exp(log_t), smoothing).max(axis=1), 1e-12, 1)
            miss = np.clip(1.0 - top, 1e-12, None)
            return float(-np.mean(np.where(right, np.log(top), np.log(miss))))

        lo, hi = math.log(0.01), math.log(100.0)
        ratio = (math.sqrt(5) - 1) / 2
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        fa, fb = loss(a), loss(b)
        for _ in range(60):
            if fa < fb:
                hi, b, fb = b, a, fa
                a = hi - ratio * (hi - lo)
                fa = loss(a)
            else:
                lo, a, fa = a, b, fb
                b = lo + ratio * (hi - lo)
                fb = loss(b)
        log_t = (lo + hi) / 2
        value = loss(log_t)
        if value < best[0] - 1e-9:
            best = (value, math.exp(log_t), smoothing)
    return best[1], best[2]


# ── the router ────────────────────────────────────────────────────────────────


def _training_pairs(
    texts: Sequence[str], labels: Sequence[str], extra: Sequence[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[str]]:
    """(text, label) rows to train on and the sorted label names; see `Router.train`."""
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    pairs = [(t, str(lab)) for t, lab in zip(texts, labels, strict=True) if t and t.strip()]
    known = {lab for _, lab in pairs}
    pairs += [(t, lab) for t, lab in extra if t and t.strip() and lab in known]
    if not pairs:
        raise ValueError("no non-empty texts to train on")
    label_names = sorted(known)
    if len(label_names) < 2:
        raise ValueError("at least two different labels are needed")
    return pairs, label_names


def _choose_member_weights(
    oof: np.ndarray, y_oof: np.ndarray
) -> tuple[tuple[float, tuple[float, ...]], list[float]]:
    """The member weighting (from `MEMBER_GRID`) with the best out-of-fold macro F1, each
    member's scores scaled by their spread: ((score, grid), weights)."""
    from sklearn.metrics import f1_score

    scales = []
    for m in range(len(MEMBERS)):
        finite = oof[m][oof[m] > -1e2]
        scales.append(float(finite.std()) or 1.0)
    best: tuple[float, tuple[float, ...]] = (-1.0, MEMBER_GRID[0])
    for grid in MEMBER_GRID:
        combined = sum(g / s * oof[m] for m, (g, s) in enumerate(zip(grid, scales, strict=True)))
        score = f1_score(y_oof, np.argmax(combined, axis=1), average="macro")
        if score > best[0] + 1e-9:
            best = (float(score), grid)
    return best, [g / s for g, s in zip(best[1], scales, strict=True)]


def _blend(
    members: Sequence[tuple[np.ndarray, np.ndarray] | None],
    member_weights: Sequence[float],
    n_features: int,
    n_classes: int,
) -> tuple[np.ndarray, np.ndarray]:
    """One linear model (features × classes weights, bias) from the weighted members."""
    weights = np.zeros((n_features, n_classes), dtype=np.float64)
    bias = np.zeros(n_classes, dtype=np.float64)
    for w, member in zip(member_weights, members, strict=True):
        if member is not None:
            weights += w * member[0].T
            bias += w * member[1]
    return weights, bias


def _stamp() -> dict[str, Any]:
    """What every saved model records about its making: format, when, library versions."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
    }


class Router:
    """A trained router: features, one combined linear layer and a softmax temperature.

    `weights` is stored features × labels, float32 (C-contiguous): one prediction gathers
    only the rows of its non-zero features. Multiplying a float64 matrix by it directly
    would make scipy upcast the whole weight matrix on every call (25 ms instead of 0.1).
    """

    def __init__(
        self,
        features: _Features,
        labels: list[str],
        weights: np.ndarray,
        bias: np.ndarray,
        temperature: float,
        metadata: dict[str, Any],
        smoothing: float = 0.0,
    ) -> None:
        self.features = features
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.temperature = temperature
        self.smoothing = smoothing
        self.metadata = metadata

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        extra: Sequence[tuple[str, str]] = (),
    ) -> Router:
        """Train on resident texts and labels, plus `extra` (text, label) rows.

        `extra` is meant for catalogue rows (see `catalogue_examples`); rows whose label is
        not among `labels` are ignored, so a catalogue never adds labels the data lacks.
        Raises ValueError for mismatched lengths, no usable text or fewer than two labels.
        """
        started = time.perf_counter()
        pairs, label_names = _training_pairs(texts, labels, extra)
        index = {lab: i for i, lab in enumerate(label_names)}
        y = np.array([index[lab] for _, lab in pairs])
        norm = [normalise(t) for t, _ in pairs]

        features = _Features(len(pairs))
        x = features.fit_transform(norm)
        groups = phrase_groups(norm, y)
        del norm
        _release_freed_memory()

        # Out-of-fold member scores choose the member weights and the temperature: 3-fold
        # on small data, one stratification-free 25 % hold-out on large data (enough rows to
        # choose among a few weightings, and it keeps training within a minute).
        n_classes = len(label_names)
        oof_rows, oof = _out_of_fold(x, y, n_classes, groups)
        _release_freed_memory()
        y_oof = y[oof_rows]
        best, member_weights = _choose_member_weights(oof, y_oof)
        combined_oof = sum(w * oof[m] for m, w in enumerate(member_weights))
        temperature, smoothing = _fit_calibration(np.asarray(combined_oof), y_oof)

        members = _fit_members(x, y, n_classes, use=tuple(g > 0 for g in best[1]))
        weights, bias = _blend(members, member_weights, x.shape[1], n_classes)
        seconds = time.perf_counter() - started
        metadata = {
            **_stamp(),
            "n_samples": len(pairs),
            "n_extra": len(pairs) - sum(1 for t in texts if t and t.strip()),
            "labels": label_names,
            "n_features": int(x.shape[1]),
            "member_weights": dict(zip(MEMBERS, best[1], strict=True)),
            "oof_macro_f1": round(best[0], 4),
            "temperature": round(temperature, 4),
            "smoothing": smoothing,
            "training_seconds": round(seconds, 2),
        }
        return cls(
            features,
            label_names,
            np.ascontiguousarray(weights, dtype=np.float32),
            np.asarray(bias, dtype=np.float64),
            temperature,
            metadata,
            smoothing,
        )

    # prediction

    def _matrix(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
        norm = [normalise(t) for t in texts]
        return self.features.transform(norm), norm

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Label probabilities (n × labels, columns in `self.labels` order)."""
        x, _ = self._matrix(texts)
        z = np.asarray(x.astype(np.float32) @ self.weights, dtype=np.float64) + self.bias
        return _calibrated(z, self.temperature, self.smoothing)

    def predict_labels(self, texts: Sequence[str]) -> list[str]:
        """The top label of each text; the fast path for evaluation."""
        p = self.probabilities(texts)
        return [self.labels[i] for i in np.argmax(p, axis=1)]

    def predict(self, text: str, k: int = 3) -> list[Suggestion]:
        """The `k` most likely labels, most likely first, with evidence for each.

        The fast path: no scipy matrix, only the weight rows of the text's n-grams.
        """
        norm = normalise(text)
        indices, values = self.features.transform_one(norm)
        gathered = self.weights[indices]  # nnz × labels, float32
        z = (values.astype(np.float32) @ gathered).astype(np.float64) + self.bias
        p = _calibrated(z[None, :], self.temperature, self.smoothing)[0]
        order = np.argsort(-p, kind="stable")[: max(1, k)]
        return [
            Suggestion(
                self.labels[i],
                round(float(p[i]), 4),
                self._evidence(indices, values * gathered[:, i], norm),
            )
            for i in order
        ]

    def _evidence(
        self, indices: np.ndarray, contributions: np.ndarray, norm: str, limit: int = 5
    ) -> list[str]:
        """Readable words and n-grams that pushed most towards a label (依据)."""
        top = np.flatnonzero(contributions > 0)
        top = top[np.argsort(-contributions[top], kind="stable")][: 12 * limit]
        four_grams = pack(char_symbols(norm), 4, 4)
        chosen: list[str] = []
        for j in top.tolist():
            if len(chosen) >= limit:
                break
            name = self.features.name(int(indices[j]), norm, four_grams)
            if not _READABLE.fullmatch(name) or name == "0":
                continue
            if any(name in c for c in chosen):
                continue
            chosen = [c for c in chosen if c not in name]
            chosen.append(name)
        return chosen

    # persistence

    def save(self, path: Path) -> None:
        """Write atomically: a temp file in the same directory, then os.replace."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "metadata": self.metadata,
            "features": self.features,
            "labels": self.labels,
            "weights": self.weights,
            "bias": self.bias,
            "temperature": self.temperature,
            "smoothing": self.smoothing,
        }
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(handle)
        try:
            joblib.dump(payload, tmp_name, compress=("zlib", 3))
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Router:
        """Read a saved router; IncompatibleModelError if it is not one of this version."""
        try:
            payload = joblib.load(Path(path))
        except FileNotFoundError:
            raise
        except Exception as exc:  # pickle, zlib, EOF … errors: not a model file at all
            raise IncompatibleModelError(f"{path} is not a router model file") from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise IncompatibleModelError(f"{path} is not a router model file")
        if payload.get("format_version") != FORMAT_VERSION:
            raise IncompatibleModelError(
                f"{path} has format version {payload.get('format_version')}, "
                f"this code reads version {FORMAT_VERSION}"
            )
        return cls(
            payload["features"],
            list(payload["labels"]),
            payload["weights"],
            payload["bias"],
            float(payload["temperature"]),
            dict(payload["metadata"]),
            float(payload.get("smoothing", 0.0)),
        )


def _release_freed_memory() -> None:
    """Give freed heap memory back to the OS (glibc keeps it otherwise).

    Counting n-grams frees many small arrays; without this their memory stays in the
    process while liblinear maps a fresh copy of the matrix, and the peak grows by ~100 MB.
    A no-op where glibc is not the C library.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _versions() -> dict[str, str]:
    return {
        "python": sys.version.split()[0],
        "scikit-learn": importlib.metadata.version("scikit-learn"),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


# ── evaluation and catalogue rows ─────────────────────────────────────────────


def evaluate(router: Router, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label precision/recall/F1/support and the confusion matrix.

    Labels the router never saw still count (they can only be missed); macro-F1 averages
    over every label present in the gold labels or predictions.
    """
    gold = [str(label) for label in labels]
    predicted = router.predict_labels(list(texts)) if gold else []
    names = sorted(set(gold) | set(predicted))
    from sklearn.metrics import precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=names, zero_division=0
    )
    index = {name: i for i, name in enumerate(names)}
    matrix = [[0] * len(names) for _ in names]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "n": len(gold),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(float(np.mean(f1)), 4) if names else 0.0,
        "per_label": {
            name: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, name in enumerate(names)
        },
        "confusion": {"labels": names, "matrix": matrix},
    }


def catalogue_examples(items: Iterable[dict[str, object]]) -> list[tuple[str, str]]:
    """(text, label) rows from catalogue items (服务清单): name, keywords, guidance, examples.

    These give every item some vocabulary before residents' own requests exist.
    """
    rows: list[tuple[str, str]] = []
    for item in items:
        code = str(item["code"])
        name = str(item.get("name", ""))
        keywords = [str(k) for k in _as_list(item.get("keywords"))]
        if name:
            rows.append((name, code))
        if keywords:
            rows.append((" ".join(keywords), code))
        for key in ("resident_guidance", "worker_guidance"):
            text = str(item.get(key) or "")
            if text:
                rows.append((text, code))
        for example in _as_list(item.get("examples")):
            rows.append((str(example), code))
    return rows


def _as_list(value: object) -> list[object]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return []
