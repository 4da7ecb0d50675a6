"""A statistical event-type classifier for sentences the trigger rules do not cover.

Two softmax heads share one set of features: the PLOVER type (16 types and ``NONE``, no political event) and
the CAMEO root (``01``-``20`` and ``NONE``). The model is multinomial logistic regression over

* hashed sparse features of the spaCy parse the coder already has (the sentence root and its dependents, the
  clause a speech verb reports, verbs with their objects and particles, nouns, content lemmas, lemma bigrams,
  negation, modal verbs, entity types), each example's binary vector scaled to unit length, and
* optionally the mean of the sentence's ``doc.tensor`` rows (tok2vec context vectors), standardised. The
  shipped model leaves it out (``FitConfig.dense_scale = 0``): it lowered cross-validated accuracy.

Inference is numpy only: a sum of weight rows and a softmax per sentence (about 0.1-0.2 ms of CPU). The weights ship
in ``events/data/classifier.npz`` with their labels and hashing settings in ``classifier.json``; the training
script (``training/train_classifier.py``, ``make model``) rebuilds both. :func:`fit` trains a model from
featurised examples and is what the script calls.

>>> clf = EventTypeClassifier.load()
>>> probs = clf.predict_span(doc[:])          # {"AGREE": 0.01, ..., "NONE": 0.02}
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from ..errors import EventcoderError
from ..nlp import entities_in

__all__ = [
    "EventTypeClassifier",
    "FitConfig",
    "PLOVER_LABELS",
    "ROOT_LABELS",
    "dense_vector",
    "featurise",
    "fit",
    "hashed_features",
    "span_features",
]

FEATURE_VERSION = 1  # bump when span_features changes: weights built for other features refuse to load
PLOVER_LABELS: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "NONE",
)
ROOT_LABELS: tuple[str, ...] = tuple(f"{i:02d}" for i in range(1, 21)) + ("NONE",)

_MEMO_MAX = 200_000  # feature names remembered per classifier (their weight row), to skip re-hashing
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV", "NUM"})
_VERB_POS = frozenset({"VERB", "AUX"})
# dependents of a verb worth pairing with it ("open > dobj:fire", "pull > prt:out")
_VERB_ARGS = frozenset({"dobj", "prt", "prep", "xcomp", "ccomp", "nsubjpass", "agent", "neg", "acomp",
                        "attr", "dative", "oprd"})
# clauses under the root that may carry the reported event ("X said that Y attacked Z")
_CLAUSES = frozenset({"ccomp", "xcomp", "conj", "advcl", "parataxis", "dobj", "attr", "nsubj", "nsubjpass"})
_NEG_WORDS = frozenset({"not", "n't", "never", "no"})


# ------------------------------------------------------------------------------------------------ features

def span_features(span: Span | Doc) -> list[str]:
    """Sparse feature names of a sentence (a ``Span``, or a whole ``Doc``), sorted, without duplicates."""
    return sorted(_feature_set(span))


def _feature_set(span: Span | Doc) -> set[str]:
    if isinstance(span, Doc):
        span = span[:]
    start = span.start
    toks = list(span)
    lem = [("@" + t.ent_type_) if (t.ent_type_ and t.pos_ == "PROPN") else t.lemma_.lower() for t in toks]
    pos = [t.pos_ for t in toks]
    dep = [t.dep_ for t in toks]
    head = [t.head.i - start for t in toks]
    n = len(toks)
    children: list[list[int]] = [[] for _ in range(n)]
    roots: list[int] = []
    for i in range(n):
        h = head[i]
        if h == i or h < 0 or h >= n:
            roots.append(i)
        else:
            children[h].append(i)
    f: set[str] = {"_"}
    add = f.add
    for r in roots[:3]:
        if pos[r] in ("PUNCT", "SPACE"):
            continue
        add("r=" + lem[r])
        add("rp=" + pos[r])
        for c in children[r]:
            if pos[c] in ("PUNCT", "SPACE"):
                continue
            add("rd=" + dep[c])
            add("rc=" + dep[c] + ":" + lem[c])
            if dep[c] in _CLAUSES:
                add("r2=" + lem[c])
                for g in children[c]:
                    if pos[g] not in ("PUNCT", "SPACE", "DET"):
                        add("r2c=" + dep[g] + ":" + lem[g])
    prev = "<s>"
    for i in range(n):
        p = pos[i]
        if p in ("PUNCT", "SPACE"):
            continue
        lm = lem[i]
        d = dep[i]
        if p in _VERB_POS and d not in ("aux", "auxpass"):
            add("v=" + lm)
            for c in children[i]:
                if dep[c] in _VERB_ARGS:
                    add("vt=" + lm + ">" + dep[c] + ":" + lem[c])
                    if dep[c] == "prep":
                        for g in children[c]:
                            if dep[g] == "pobj":
                                add("vp=" + lm + ">" + lem[c] + ":" + lem[g])
        elif p == "NOUN":
            add("n=" + lm)
            for c in children[i]:
                if dep[c] == "prep":
                    add("np=" + lm + ">" + lem[c])
        if p in _CONTENT_POS and p != "PROPN" and toks[i].is_alpha and not toks[i].is_stop:
            add("w=" + lm)
        if d == "neg" or (lm in _NEG_WORDS and d in ("det", "advmod")):
            add("neg")
            h = head[i]
            if 0 <= h < n:
                add("neg=" + lem[h])
        if toks[i].tag_ == "MD":
            add("md=" + lm)
        add("b=" + prev + "_" + lm)
        prev = lm
    add("b=" + prev + "_</s>")
    for ent in entities_in(span):
        add("e=" + ent.label_)
    return f


def hashed_features(span: Span | Doc, n_bits: int) -> list[int]:
    """The hash buckets (CRC-32, stable across processes) of :func:`span_features`, one per feature, sorted.

    Two features may share a bucket; the list keeps both, so its length is the number of features.
    """
    mask = (1 << n_bits) - 1
    return sorted(zlib.crc32(s.encode("utf-8")) & mask for s in _feature_set(span))


def dense_vector(span: Span | Doc, width: int) -> np.ndarray | None:
    """Mean of the sentence's ``doc.tensor`` rows, or None when the pipeline left no tensor of that width."""
    doc = span if isinstance(span, Doc) else span.doc
    tensor = getattr(doc, "tensor", None)
    if tensor is None or getattr(tensor, "ndim", 0) != 2 or tensor.shape[0] != len(doc) or tensor.shape[1] != width:
        return None
    start, end = (0, len(doc)) if isinstance(span, Doc) else (span.start, span.end)
    if end <= start:
        return None
    return np.asarray(tensor[start:end], dtype=np.float32).mean(axis=0)


# ------------------------------------------------------------------------------------------------ model

class EventTypeClassifier:
    """PLOVER-type and CAMEO-root probabilities for a parsed sentence.

    Use :meth:`load` for the shipped model; :func:`fit` builds new ones.
    """

    def __init__(self, *, plover_labels: Sequence[str], root_labels: Sequence[str], buckets: np.ndarray,
                 weights: np.ndarray, dense_weights: np.ndarray | None, bias: np.ndarray,
                 dense_mean: np.ndarray | None, dense_std: np.ndarray | None, n_bits: int,
                 dense_scale: float = 1.0, temperature: Sequence[float] = (1.0, 1.0),
                 meta: dict[str, Any] | None = None) -> None:
        self.plover_labels = tuple(plover_labels)
        self.root_labels = tuple(root_labels)
        self.n_bits = int(n_bits)
        self._mask = (1 << self.n_bits) - 1
        self.buckets = np.asarray(buckets, dtype=np.int64)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.dense_weights = None if dense_weights is None else np.asarray(dense_weights, dtype=np.float32)
        self.dense_mean = None if dense_mean is None else np.asarray(dense_mean, dtype=np.float32)
        self.dense_std = None if dense_std is None else np.asarray(dense_std, dtype=np.float32)
        self.dense_scale = float(dense_scale)
        # softmax temperatures of the PLOVER and root heads, fitted on out-of-fold predictions
        self.temperature = (float(temperature[0]), float(temperature[1]))
        self.dense_width = 0 if self.dense_weights is None else int(self.dense_weights.shape[0])
        self.meta = dict(meta or {})
        self._row = {int(b): i for i, b in enumerate(self.buckets.tolist())}
        self._memo: dict[str, int] = {}  # feature name -> weight row (-1: not in the model)
        self._np = len(self.plover_labels)
        self._cache: tuple[Any, int, int, np.ndarray, np.ndarray] | None = None
        if self.weights.shape != (len(self.buckets), self._np + len(self.root_labels)):
            raise ValueError("classifier weights do not match its labels and buckets")

    # ---------------------------------------------------------------------------------- loading

    @classmethod
    def load(cls, path: str | Path | None = None) -> EventTypeClassifier:
        """The shipped model (cached), or the one saved at ``path`` (``.npz``, with a ``.json`` beside it)."""
        if path is None:
            return _load_default()
        return cls._read(Path(path).with_suffix(".npz").read_bytes(),
                         Path(path).with_suffix(".json").read_text(encoding="utf-8"))

    @classmethod
    def _read(cls, npz_bytes: bytes, meta_text: str) -> EventTypeClassifier:
        import io

        meta = json.loads(meta_text)
        with np.load(io.BytesIO(npz_bytes)) as z:
            arrays = {k: z[k] for k in z.files}
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"classifier features are version {meta.get('feature_version')}, "
                             f"this code computes version {FEATURE_VERSION}: retrain with `make model`")
        has_dense = "dense_weights" in arrays
        return cls(plover_labels=meta["plover_labels"], root_labels=meta["root_labels"],
                   buckets=arrays["buckets"], weights=arrays["weights"], bias=arrays["bias"],
                   dense_weights=arrays["dense_weights"] if has_dense else None,
                   dense_mean=arrays["dense_mean"] if has_dense else None,
                   dense_std=arrays["dense_std"] if has_dense else None,
                   n_bits=meta["n_bits"], dense_scale=meta.get("dense_scale", 1.0),
                   temperature=meta.get("temperature", (1.0, 1.0)), meta=meta)

    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> tuple[Path, Path]:
        """Write ``<path>.npz`` (float16 weights) and ``<path>.json`` (labels, hashing, ``meta``)."""
        npz = Path(path).with_suffix(".npz")
        js = Path(path).with_suffix(".json")
        arrays: dict[str, np.ndarray] = {
            "buckets": self.buckets.astype(np.int32 if self.n_bits < 31 else np.int64),
            "weights": self.weights.astype(np.float16),
            "bias": self.bias.astype(np.float32),
        }
        if self.dense_weights is not None:
            arrays["dense_weights"] = self.dense_weights.astype(np.float16)
            arrays["dense_mean"] = self.dense_mean.astype(np.float32)  # type: ignore[union-attr]
            arrays["dense_std"] = self.dense_std.astype(np.float32)  # type: ignore[union-attr]
        npz.parent.mkdir(parents=True, exist_ok=True)
        with open(npz, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        info = {**self.meta, **(meta or {}), "feature_version": FEATURE_VERSION, "n_bits": self.n_bits,
                "plover_labels": list(self.plover_labels), "root_labels": list(self.root_labels),
                "dense_width": self.dense_width, "dense_scale": self.dense_scale,
                "temperature": list(self.temperature),
                "n_features": int(len(self.buckets))}
        js.write_text(json.dumps(info, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        self.meta = info
        return npz, js

    # ---------------------------------------------------------------------------------- prediction

    def _probs(self, span: Span | Doc) -> tuple[np.ndarray, np.ndarray]:
        doc = span if isinstance(span, Doc) else span.doc
        start, end = (0, len(doc)) if isinstance(span, Doc) else (span.start, span.end)
        c = self._cache
        if c is not None and c[0] is doc and c[1] == start and c[2] == end:
            return c[3], c[4]
        feats = _feature_set(span)
        memo = self._memo
        rows: list[int] = []
        for f in feats:
            r = memo.get(f)
            if r is None:
                r = self._row.get(zlib.crc32(f.encode("utf-8")) & self._mask, -1)
                if len(memo) < _MEMO_MAX:
                    memo[f] = r
            if r >= 0:
                rows.append(r)
        rows.sort()
        z = self._logits_rows(rows, len(feats),
                              dense_vector(span, self.dense_width) if self.dense_width else None)
        p = _softmax(z[: self._np] / self.temperature[0])
        r = _softmax(z[self._np:] / self.temperature[1])
        self._cache = (doc, start, end, p, r)
        return p, r

    def logits(self, buckets: Sequence[int], dense: np.ndarray | None) -> np.ndarray:
        """Raw scores (PLOVER labels, then root labels) for hashed features and a dense vector."""
        rows = sorted(r for r in map(self._row.get, buckets) if r is not None)
        return self._logits_rows(rows, len(buckets), dense)

    def _logits_rows(self, rows: list[int], n_features: int, dense: np.ndarray | None) -> np.ndarray:
        z = self.bias.copy()
        if rows:
            z += self.weights[rows].sum(axis=0) * (1.0 / math.sqrt(max(1, n_features)))
        if dense is not None and self.dense_weights is not None:
            z += ((dense - self.dense_mean) / self.dense_std * self.dense_scale) @ self.dense_weights
        return z

    def predict_span(self, span: Span | Doc) -> dict[str, float]:
        """PLOVER type probabilities for a sentence, ``NONE`` (no political event) included; they sum to 1."""
        p, _ = self._probs(span)
        return dict(zip(self.plover_labels, p.tolist()))

    def predict_root(self, span: Span | Doc) -> dict[str, float]:
        """CAMEO root probabilities (``"01"``-``"20"`` and ``NONE``) for a sentence; they sum to 1."""
        _, r = self._probs(span)
        return dict(zip(self.root_labels, r.tolist()))

    def predict(self, span: Span | Doc) -> tuple[dict[str, float], dict[str, float]]:
        """Both heads at once: ``(predict_span(span), predict_root(span))``."""
        return self.predict_span(span), self.predict_root(span)

    def top(self, span: Span | Doc, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` most probable PLOVER labels, best first."""
        return sorted(self.predict_span(span).items(), key=lambda kv: -kv[1])[:k]

    def predict_arrays(self, buckets: Sequence[Sequence[int]], dense: np.ndarray | None
                       ) -> tuple[np.ndarray, np.ndarray]:
        """Probability matrices (PLOVER, root) for many featurised sentences (training and evaluation)."""
        z = np.stack([self.logits(b, None) for b in buckets]) if len(buckets) else \
            np.zeros((0, len(self.bias)), np.float32)
        if dense is not None and self.dense_weights is not None and len(buckets):
            z += ((dense - self.dense_mean) / self.dense_std * self.dense_scale) @ self.dense_weights
        return _softmax(z[:, : self._np] / self.temperature[0]), _softmax(z[:, self._np:] / self.temperature[1])


@lru_cache(maxsize=1)
def _load_default() -> EventTypeClassifier:
    data = resources.files("eventcoder.events") / "data"
    try:
        npz = (data / "classifier.npz").read_bytes()
        meta = (data / "classifier.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EventcoderError("the event-type classifier's weights (events/data/classifier.npz and .json) "
                              "are not installed; build them with `make model`") from None
    return EventTypeClassifier._read(npz, meta)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------------------------------------ training

@dataclass
class FitConfig:
    """Training settings; the defaults are those of the shipped model."""

    n_bits: int = 20            # hash space: 2**n_bits buckets (only those seen min_df times are kept)
    min_df: int = 2             # a bucket must occur in this many training examples
    weight_decay: float = 1e-3  # decoupled (AdamW-style) decay per unit learning rate, on all weights
    epochs: int = 12            # passes over the data in mini-batches
    batch_size: int = 32
    lr: float = 0.1             # peak Adam step; cosine decay to 5% of it
    dense_scale: float = 0.0    # multiplier on the standardised tok2vec mean; 0 (the default) leaves it out
    class_power: float = 0.5    # class weight = (share of a uniform split / class share) ** class_power
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def fit(buckets: Sequence[Sequence[int]], dense: np.ndarray | None, plover_masks: np.ndarray,
        root_masks: np.ndarray, sample_weights: np.ndarray | None = None, config: FitConfig | None = None,
        plover_labels: Sequence[str] = PLOVER_LABELS, root_labels: Sequence[str] = ROOT_LABELS,
        verbose: bool = False) -> EventTypeClassifier:
    """Train both heads on the class-weighted softmax loss with mini-batch Adam.

    ``buckets``: per example, the sorted distinct hash buckets (:func:`hashed_features`, same ``n_bits``).
    ``dense``: (n, width) tok2vec means or None. ``plover_masks`` (n, len(plover_labels)) and ``root_masks``
    (n, len(root_labels)) are boolean: the labels an example may have. One true entry is an ordinary label;
    several are a partial label (the loss is minus the log of their summed probability, e.g. CONCEDE|RETREAT
    for a YIELD record); an all-false row leaves the example out of that head.

    The sparse weights get "lazy" Adam updates (only the rows a mini-batch touches) and a decoupled weight
    decay applied to all weights at every step through a shared scale factor, so a step costs what the
    mini-batch's features cost, not the size of the vocabulary.
    """
    cfg = config or FitConfig()
    n = len(buckets)
    pm = np.asarray(plover_masks, dtype=bool)
    rm = np.asarray(root_masks, dtype=bool)
    sw = np.ones(n, np.float64) if sample_weights is None else np.asarray(sample_weights, np.float64)
    n_p, n_r = pm.shape[1], rm.shape[1]
    n_c = n_p + n_r
    # ---- vocabulary: buckets seen in at least min_df examples; CSR rows of kept columns
    flat = np.fromiter((b for row in buckets for b in row), dtype=np.int64)
    lengths = np.fromiter((len(row) for row in buckets), dtype=np.int64, count=n)
    uniq, counts = np.unique(flat, return_counts=True)
    vocab = uniq[counts >= cfg.min_df]
    if len(vocab) == 0:
        raise ValueError("no feature occurs in min_df training examples")
    col = np.minimum(np.searchsorted(vocab, flat), len(vocab) - 1)
    keep = vocab[col] == flat
    rowid = np.repeat(np.arange(n), lengths)[keep]
    col = col[keep]
    vals = (1.0 / np.sqrt(np.maximum(lengths, 1)))[rowid].astype(np.float32)
    indptr = np.searchsorted(rowid, np.arange(n + 1))
    if np.any(np.diff(indptr) == 0):
        raise ValueError("every example needs at least one kept feature (the constant '_' feature)")
    # ---- dense part
    use_dense = dense is not None and cfg.dense_scale > 0
    d_mean = d_std = None
    dz = np.zeros((n, 0), np.float32)
    if use_dense:
        d = np.asarray(dense, np.float32)
        d_mean = d.mean(axis=0)
        d_std = d.std(axis=0) + 1e-3
        dz = ((d - d_mean) / d_std * cfg.dense_scale).astype(np.float32)
    # ---- example weights per head (sample weight x class weight, mean 1 over labelled examples)
    wp = sw * _class_weights(pm, cfg.class_power)
    wr = sw * _class_weights(rm, cfg.class_power)
    wp *= max(1, (wp > 0).sum()) / max(wp.sum(), 1e-9)
    wr *= max(1, (wr > 0).sum()) / max(wr.sum(), 1e-9)
    mask_all = np.concatenate([np.where(pm.any(axis=1, keepdims=True), pm, True),
                               np.where(rm.any(axis=1, keepdims=True), rm, True)], axis=1).astype(np.float32)
    w_all = np.stack([wp, wr], axis=1).astype(np.float32)
    # ---- parameters: W = scale * V (the scale carries the weight decay), Adam moments per row
    rng = np.random.default_rng(cfg.seed)
    V = np.zeros((len(vocab), n_c), np.float32)
    m1 = np.zeros_like(V)
    m2 = np.zeros_like(V)
    t_row = np.zeros(len(vocab), np.int64)  # Adam step count per row (bias correction of lazy updates)
    scale = 1.0
    Wd = np.zeros((dz.shape[1], n_c), np.float32)
    b = np.zeros(n_c, np.float32)
    small = [Wd, b]
    s1 = [np.zeros_like(x) for x in small]
    s2 = [np.zeros_like(x) for x in small]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    bs = max(1, cfg.batch_size)
    steps = cfg.epochs * ((n + bs - 1) // bs)
    step = 0
    for epoch in range(cfg.epochs):
        perm = rng.permutation(n)
        loss_sum = 0.0
        for s0 in range(0, n, bs):
            step += 1
            lr = cfg.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (step - 1) / steps)))
            ex = perm[s0:s0 + bs]
            nb = len(ex)
            lo, hi = indptr[ex], indptr[ex + 1]
            ln = hi - lo
            pos = np.repeat(lo - np.cumsum(ln) + ln, ln) + np.arange(ln.sum())
            cb, vb = col[pos], vals[pos]
            local = np.repeat(np.arange(nb), ln)
            rows, inv = np.unique(cb, return_inverse=True)
            Wb = V[rows] * scale
            Z = np.add.reduceat(Wb[inv] * vb[:, None], np.cumsum(ln) - ln, axis=0) + b
            if use_dense:
                Z += dz[ex] @ Wd
            G = np.empty_like(Z)
            for sl, h in ((slice(0, n_p), 0), (slice(n_p, n_c), 1)):
                P = _softmax(Z[:, sl])
                Q = P * mask_all[ex, sl]
                sq = np.maximum(Q.sum(axis=1, keepdims=True), 1e-30)
                wt = w_all[ex, h][:, None]
                G[:, sl] = (P - Q / sq) * wt / nb
                loss_sum -= float((wt[:, 0] * np.log(sq[:, 0])).sum())
            gb = np.zeros((len(rows), n_c), np.float32)
            np.add.at(gb, inv, G[local] * vb[:, None])
            # lazy Adam on the touched rows of V (gradient w.r.t. W; V = W / scale)
            t_row[rows] += 1
            tr = t_row[rows][:, None]
            a = m1[rows] * beta1 + (1 - beta1) * gb
            v = m2[rows] * beta2 + (1 - beta2) * gb * gb
            m1[rows] = a
            m2[rows] = v
            upd = lr * (a / (1 - beta1 ** tr)) / (np.sqrt(v / (1 - beta2 ** tr)) + eps)
            V[rows] -= upd / scale
            for x, g, ma, va in zip(small, (dz[ex].T @ G if use_dense else Wd, G.sum(axis=0)), s1, s2):
                ma *= beta1
                ma += (1 - beta1) * g
                va *= beta2
                va += (1 - beta2) * g * g
                x -= lr * (ma / (1 - beta1 ** step)) / (np.sqrt(va / (1 - beta2 ** step)) + eps)
            # decoupled weight decay on every weight (the bias excepted)
            decay = 1.0 - lr * cfg.weight_decay
            scale *= decay
            Wd *= decay
            if scale < 1e-3:
                V *= scale
                scale = 1.0
        if verbose:
            print(f"  epoch {epoch + 1:3d}  loss {loss_sum / n:.4f}")
    return EventTypeClassifier(
        plover_labels=plover_labels, root_labels=root_labels, buckets=vocab, weights=V * scale,
        dense_weights=Wd if use_dense else None, bias=b, dense_mean=d_mean, dense_std=d_std,
        n_bits=cfg.n_bits, dense_scale=cfg.dense_scale if use_dense else 1.0,
        meta={"fit": {k: v for k, v in cfg.__dict__.items() if k != "extra"} | cfg.extra},
    )


def _class_weights(masks: np.ndarray, power: float) -> np.ndarray:
    """Per-example weight from the (partial) label's class frequencies; 0 for examples without a label."""
    active = masks.any(axis=1)
    if not active.any():
        return np.zeros(len(masks))
    share = masks[active] / masks[active].sum(axis=1, keepdims=True)
    freq = share.sum(axis=0)
    present = freq > 0
    cw = np.zeros(masks.shape[1])
    cw[present] = (freq[present].sum() / (present.sum() * freq[present])) ** power
    w = np.zeros(len(masks))
    w[active] = (share * cw).sum(axis=1)
    return w


def featurise(spans: Iterable[Span | Doc], n_bits: int, dense_width: int = 96
              ) -> tuple[list[list[int]], np.ndarray | None]:
    """Hashed features and tok2vec means for many sentences (rows of zeros where a tensor is missing)."""
    buckets: list[list[int]] = []
    dense: list[np.ndarray | None] = []
    for s in spans:
        buckets.append(hashed_features(s, n_bits))
        dense.append(dense_vector(s, dense_width) if dense_width else None)
    if not dense_width or all(v is None for v in dense):
        return buckets, None
    return buckets, np.stack([v if v is not None else np.zeros(dense_width, np.float32) for v in dense])
