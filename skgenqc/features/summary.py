"""Mergeable per-class summaries of sequences: exact counts that add across chunks and shards.

A :class:`SequenceSummary` holds, per class, only integer counts: the number
of sequences, the value counts of lengths and of (GC count, length) pairs
(so an AU-ROC between classes is computed exactly from histograms), the byte
histogram (alphabet, case, N), dinucleotide totals, base counts per position
from both ends, k-mer presence counts, and a table of 64-bit hashes with
counts for exact and reverse-complement duplicates.  Memory does not grow
with the number of sequences except for that table (20 bytes per distinct
sequence: its exact hash, canonical hash and count).  ``update`` and
``merge`` are exact, associative and commutative, so a summary of the whole
equals the merge of summaries of any partition into shards.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from skgenqc._core.params import ParamsMixin, reject_bools
from skgenqc._core.sequences import BASES, as_sequence_list, pack_sequences

__all__ = ["SequenceSummary"]

_TABLES = ("byte_counts", "dinucleotides", "pos_start", "pos_end", "kmers")


class _LazyConstraints:
    """``_parameter_constraints`` built on access, so scikit-learn loads only when validating."""

    def __get__(self, obj, owner):
        from sklearn.utils._param_validation import Interval

        return {"k": [Interval(numbers.Integral, 0, 6, closed="both")],
                "max_positions": [Interval(numbers.Integral, 0, None, closed="left")]}


class _ClassCounts:
    """The counts of one class (plain arrays and dicts, cheap to pickle)."""

    def __init__(self, k, n_positions):
        self.n = 0
        self.lengths = {}
        self.gc = {}
        self.byte_counts = np.zeros(256, dtype=np.int64)
        self.dinucleotides = np.zeros(16, dtype=np.int64)
        self.pos_start = np.zeros((n_positions, 5), dtype=np.int64)
        self.pos_end = np.zeros((n_positions, 5), dtype=np.int64)
        self.kmers = np.zeros(4 ** k if k else 0, dtype=np.int64)
        self.hashes = _HashCounts()

    def add(self, other):
        self.n += other.n
        _add_dict(self.lengths, other.lengths)
        _add_dict(self.gc, other.gc)
        for name in _TABLES:
            getattr(self, name).__iadd__(getattr(other, name))
        self.hashes.add(other.hashes)


def _add_dict(into, other):
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


class _HashCounts:
    """Distinct exact hashes (sorted) with their canonical hash and count.

    New hashes are appended to a pending list and folded in when the pending
    part outgrows the compacted one, so an update costs amortised O(n log n).
    """

    def __init__(self):
        self.exact = np.zeros(0, dtype=np.uint64)
        self.canon = np.zeros(0, dtype=np.uint64)
        self.count = np.zeros(0, dtype=np.uint32)
        self._pending = []
        self._n_pending = 0

    def append(self, exact, canon, count):
        self._pending.append((exact, canon, count))
        self._n_pending += len(exact)
        if self._n_pending > max(len(self.exact), 1 << 16):
            self.compact()

    def add(self, other):
        other.compact()
        self.append(other.exact, other.canon, other.count)

    def compact(self):
        if not self._pending:
            return
        exact = np.concatenate([self.exact, *(p[0] for p in self._pending)])
        canon = np.concatenate([self.canon, *(p[1] for p in self._pending)])
        count = np.concatenate([self.count, *(p[2] for p in self._pending)])
        self._pending, self._n_pending = [], 0
        order = np.argsort(exact, kind="stable")
        exact = exact[order]
        first = np.ones(len(exact), dtype=bool)
        np.not_equal(exact[1:], exact[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        self.exact = exact[starts]
        self.canon = canon[order][starts]
        self.count = np.add.reduceat(count[order], starts).astype(np.uint32) if len(
            starts) else np.zeros(0, dtype=np.uint32)

    @property
    def nbytes(self):
        self.compact()
        return self.exact.nbytes + self.canon.nbytes + self.count.nbytes


class SequenceSummary(ParamsMixin):
    """Exact, mergeable per-class counts of a set of sequences.

    Parameters
    ----------
    k : int, default=6
        Length of the k-mers whose presence is counted (the number of sequences
        of a class holding each k-mer at least once); 0 counts none.
    max_positions : int, default=100
        Positions profiled from each end (base counts per position).

    Attributes
    ----------
    classes_ : list
        Class labels seen, in first-seen order (``"all"`` for unlabelled data).
    n_sequences_ : int

    See Also
    --------
    skgenqc.features.summarize_files : Summaries of many files or shards, in parallel.
    skgenqc.features.composition_table : The same statistics per sequence, in memory.

    Examples
    --------
    >>> s = SequenceSummary(k=2).update(["ACGT", "acgg", "ACGT"], [0, 0, 1])
    >>> s.n_sequences_, s.classes_
    (3, [0, 1])
    >>> s.length_counts(0), s.gc_counts(0)
    ({4: 2}, {(2, 4): 1, (3, 4): 1})
    >>> other = SequenceSummary(k=2).update(["CGTT"], [1])
    >>> s.merge(other).duplicate_counts()["n_reverse_complement_groups"]
    0
    """

    _parameter_constraints = _LazyConstraints()

    def __init__(self, *, k=6, max_positions=100):
        self.k = k
        self.max_positions = max_positions

    # -- accumulation -----------------------------------------------------------------
    def _validate_params(self):
        reject_bools(self, ["k", "max_positions"], {"k": "an int in the range [0, 6]",
                                                    "max_positions": "an int >= 0"})
        super()._validate_params()

    def _counts(self, label):
        if not hasattr(self, "_classes"):
            self._validate_params()
            self._classes = {}
        if label not in self._classes:
            self._classes[label] = _ClassCounts(self.k, self.max_positions)
        return self._classes[label]

    def update(self, sequences, labels=None):
        """Add sequences (one chunk) to the summary.

        Parameters
        ----------
        sequences : list, array or Series of str
        labels : array-like, optional
            One label per sequence; all ``"all"`` when omitted.

        Returns
        -------
        self
        """
        seqs = as_sequence_list(sequences)
        if labels is not None and len(labels) != len(seqs):
            raise ValueError(f"labels has {len(labels)} entries but sequences has {len(seqs)}; "
                             "give one label per sequence.")
        packed = pack_sequences(seqs)
        return self.update_packed(packed.raw, packed.offsets, labels)

    def update_packed(self, raw, offsets, labels=None, *, label=None):
        """Add packed sequences: ``raw[offsets[i]:offsets[i + 1]]`` is sequence ``i``.

        The fast path of streamed reading (no ``str`` per sequence).

        Parameters
        ----------
        raw : numpy.ndarray of uint8
        offsets : numpy.ndarray of int64
        labels : array-like, optional
            One label per sequence.
        label : scalar, optional
            The label of every sequence (instead of ``labels``); ``"all"`` when
            neither is given.

        Returns
        -------
        self

        Examples
        --------
        >>> import numpy as np
        >>> raw = np.frombuffer(b"ACGTGG", dtype=np.uint8)
        >>> SequenceSummary(k=1).update_packed(raw, np.array([0, 4, 6]), label="x").gc_counts("x")
        {(2, 2): 1, (2, 4): 1}
        """
        from skgenqc.features._summary_kernel import count_chunk

        n = len(offsets) - 1
        if labels is not None and len(labels) != n:
            raise ValueError(f"labels has {len(labels)} entries but there are {n} sequences; "
                             "give one label per sequence.")
        if not hasattr(self, "_classes"):
            self._counts(None)
            del self._classes[None]
        if n <= 0:
            return self
        if labels is None:
            classes, cls = ["all" if label is None else label], np.zeros(n, dtype=np.int64)
        else:
            classes, cls = _class_index(labels)
        out = count_chunk(raw, offsets, cls, len(classes), self.k, self.max_positions)
        lengths = np.diff(offsets)
        for c, name in enumerate(classes):
            counts = self._counts(name)
            rows = np.flatnonzero(cls == c) if len(classes) > 1 else slice(None)
            counts.n += n if len(classes) == 1 else len(rows)
            values, n = np.unique(lengths[rows], return_counts=True)
            _add_dict(counts.lengths, dict(zip(values.tolist(), n.tolist())))
            key = out["gc"][rows] * (1 << 32) + lengths[rows]
            values, n = np.unique(key, return_counts=True)
            _add_dict(counts.gc, {(int(v >> 32), int(v & 0xFFFFFFFF)): int(m)
                                  for v, m in zip(values, n)})
            for name in _TABLES:
                getattr(counts, name).__iadd__(out[name][c])
            exact = out["hash_exact"][rows]
            counts.hashes.append(exact, out["hash_canon"][rows],
                                 np.ones(len(exact), dtype=np.uint32))
        return self

    def merge(self, other):
        """Add another summary's counts to this one (in place; associative and commutative).

        Parameters
        ----------
        other : SequenceSummary
            Made with the same ``k`` and ``max_positions``.

        Returns
        -------
        self
        """
        if not isinstance(other, SequenceSummary):
            raise TypeError(f"other must be a SequenceSummary, got {type(other).__name__}.")
        if (other.k, other.max_positions) != (self.k, self.max_positions):
            raise ValueError(
                f"cannot merge a summary with k={other.k}, max_positions={other.max_positions} "
                f"into one with k={self.k}, max_positions={self.max_positions}; summarize both "
                "with the same parameters.")
        for label, counts in getattr(other, "_classes", {}).items():
            self._counts(label).add(counts)
        if not hasattr(self, "_classes"):
            self._counts(None)
            del self._classes[None]
        return self

    # -- results ----------------------------------------------------------------------
    @property
    def classes_(self):
        return list(getattr(self, "_classes", {}))

    @property
    def n_sequences_(self):
        return sum(c.n for c in getattr(self, "_classes", {}).values())

    def _get(self, label):
        classes = getattr(self, "_classes", {})
        if label not in classes:
            raise ValueError(f"label {label!r} is not in the summary; its classes are "
                             f"{list(classes)}.")
        return classes[label]

    def length_counts(self, label):
        """``{length: number of sequences}`` of one class."""
        return dict(sorted(self._get(label).lengths.items()))

    def gc_counts(self, label):
        """``{(GC count, length): number of sequences}`` of one class.

        ``gc / length`` is the ``gc_content`` of
        :func:`~skgenqc.features.composition_table`, as the same float.
        """
        return dict(sorted(self._get(label).gc.items()))

    def gc_content_counts(self, label):
        """Value counts of per-sequence GC content (a float per distinct value), sorted.

        Returns
        -------
        values, counts : numpy.ndarray
        """
        items = self.gc_counts(label)
        gc = np.array([key[0] for key in items], dtype=np.float64)
        length = np.array([key[1] for key in items], dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = gc / length
        counts = np.array(list(items.values()), dtype=np.int64)
        order = np.argsort(values, kind="stable")
        values, counts = values[order], counts[order]
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = values[1:] != values[:-1]
        starts = np.flatnonzero(keep)
        return values[starts], np.add.reduceat(counts, starts) if len(starts) else counts

    def histogram(self, feature, label):
        """Distinct values and counts of a per-sequence feature of one class, sorted.

        Parameters
        ----------
        feature : {"length", "gc_content"}
        label : scalar
            A class of the summary.

        Returns
        -------
        values : numpy.ndarray of float
        counts : numpy.ndarray of int
        """
        if feature == "gc_content":
            return self.gc_content_counts(label)
        if feature == "length":
            items = self.length_counts(label)
            return (np.array(list(items), dtype=np.float64),
                    np.array(list(items.values()), dtype=np.int64))
        raise ValueError(f"feature must be 'length' or 'gc_content', got {feature!r}.")

    def byte_counts(self, label):
        """``{character: count}`` of one class (case kept)."""
        counts = self._get(label).byte_counts
        return {chr(b): int(counts[b]) for b in np.flatnonzero(counts)}

    def base_totals(self):
        """Per class: characters, A/C/G/T (case-insensitive, U as T), other, lowercase.

        Returns
        -------
        pandas.DataFrame
            Index: class; columns ``n_sequences, length, A, C, G, T, N, lowercase``.
        """
        rows = {}
        for label, counts in self._classes_items():
            b = counts.byte_counts
            row = {"n_sequences": counts.n, "length": int(b.sum())}
            for base in BASES:
                row[base] = int(b[ord(base)] + b[ord(base.lower())])
            row["T"] += int(b[ord("U")] + b[ord("u")])
            row["N"] = row["length"] - sum(row[base] for base in BASES)
            row["lowercase"] = int(b[ord("a"):ord("z") + 1].sum())
            rows[label] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    def dinucleotide_totals(self):
        """Per class, the overlapping ACGT dinucleotide counts (``AA`` ... ``TT``)."""
        names = [a + b for a in BASES for b in BASES]
        return pd.DataFrame({label: c.dinucleotides for label, c in self._classes_items()},
                            index=names).T

    def positional_counts(self, *, from_end=False):
        """Base counts per (class, position), as :func:`positional_composition`'s counts.

        Returns
        -------
        pandas.DataFrame
            Index ``(label, position)``; columns ``A, C, G, T, N`` and ``n``;
            positions no sequence reaches are left out.
        """
        frames = []
        for label, counts in self._classes_items():
            table = counts.pos_end if from_end else counts.pos_start
            frame = pd.DataFrame(table, columns=list(BASES) + ["N"])
            frame["n"] = table.sum(axis=1)
            frame.index = pd.MultiIndex.from_product([[label], range(len(frame))],
                                                     names=["label", "position"])
            frames.append(frame[frame["n"] > 0])
        return pd.concat(frames) if frames else pd.DataFrame()

    def kmer_presence(self, label):
        """Number of sequences of a class holding each k-mer (index ``4**k`` codes)."""
        return self._get(label).kmers.copy()

    def duplicate_counts(self):
        """Exact and reverse-complement duplicate counts, from the hash table.

        Definitions are those of :func:`~skgenqc.qc.duplicates.check_duplicates`
        (case ignored; on both strands U is read as T; palindromes are not
        reverse-complement copies).

        Returns
        -------
        dict
            ``n_sequences``, ``n_redundant`` (copies beyond the first within a
            class), ``n_redundant_per_class``, ``n_conflicting_sequences`` (one
            sequence under several labels), ``n_conflict_records``,
            ``n_reverse_complement_groups``, ``n_rc_records`` and
            ``rc_groups_spanning_labels``.
        """
        items = self._classes_items()
        per_class = {}
        exact, canon, count, cls = [], [], [], []
        for c, (label, counts) in enumerate(items):
            h = counts.hashes
            h.compact()
            per_class[label] = int(h.count.sum(dtype=np.int64) - len(h.count))
            exact.append(h.exact)
            canon.append(h.canon)
            count.append(h.count.astype(np.int64))
            cls.append(np.full(len(h.exact), c))
        exact = np.concatenate(exact) if exact else np.zeros(0, np.uint64)
        canon = np.concatenate(canon) if canon else np.zeros(0, np.uint64)
        count = np.concatenate(count) if count else np.zeros(0, np.int64)
        cls = np.concatenate(cls) if cls else np.zeros(0, np.int64)
        # Exact hashes under more than one class: label conflicts.
        uniq, inverse, n_classes = np.unique(exact, return_inverse=True, return_counts=True)
        conflicted = n_classes[inverse] > 1
        # Canonical groups holding more than one distinct exact hash: reverse-complement copies.
        pairs = np.unique(np.stack([canon, exact]), axis=1) if len(exact) else np.zeros((2, 0))
        groups, strands = np.unique(pairs[0], return_counts=True)
        rc_groups = groups[strands > 1]
        in_rc = np.isin(canon, rc_groups)
        spanning = 0
        if len(rc_groups):
            group_of = np.searchsorted(rc_groups, canon[in_rc])
            labels_per_group = np.unique(np.stack([group_of, cls[in_rc]]), axis=1)[0]
            spanning = int(np.count_nonzero(np.bincount(labels_per_group) > 1))
        return {
            "n_sequences": self.n_sequences_,
            "n_redundant": sum(per_class.values()),
            "n_redundant_per_class": per_class,
            "n_conflicting_sequences": int(np.count_nonzero(n_classes > 1)),
            "n_conflict_records": int(count[conflicted].sum()),
            "n_reverse_complement_groups": int(len(rc_groups)),
            "n_rc_records": int(count[in_rc].sum()),
            "rc_groups_spanning_labels": spanning,
            "n_distinct": int(len(uniq)),
        }

    def _classes_items(self):
        return list(getattr(self, "_classes", {}).items())

    @property
    def nbytes_(self):
        """Bytes held by the summary's arrays (the hash table grows with distinct sequences)."""
        total = 0
        for _, counts in self._classes_items():
            total += counts.hashes.nbytes + sum(getattr(counts, n).nbytes for n in _TABLES)
        return total

    def __eq__(self, other):
        if not isinstance(other, SequenceSummary):
            return NotImplemented
        if (self.k, self.max_positions) != (other.k, other.max_positions):
            return False
        mine, theirs = dict(self._classes_items()), dict(other._classes_items())
        if set(mine) != set(theirs):
            return False
        for label, a in mine.items():
            b = theirs[label]
            a.hashes.compact()
            b.hashes.compact()
            if (a.n, a.lengths, a.gc) != (b.n, b.lengths, b.gc):
                return False
            for name in _TABLES:
                if not np.array_equal(getattr(a, name), getattr(b, name)):
                    return False
            for name in ("exact", "canon", "count"):
                if not np.array_equal(getattr(a.hashes, name), getattr(b.hashes, name)):
                    return False
        return True

    __hash__ = None

    def __repr__(self):
        return (f"SequenceSummary(k={self.k}, max_positions={self.max_positions}; "
                f"{self.n_sequences_} sequences in {len(self.classes_)} classes)")


def _class_index(labels):
    """Labels in first-seen order and each record's index into them."""
    values = labels.tolist() if hasattr(labels, "tolist") else list(labels)
    index = {}
    cls = np.fromiter((index.setdefault(label, len(index)) for label in values),
                      dtype=np.int64, count=len(values))
    return list(index), cls

