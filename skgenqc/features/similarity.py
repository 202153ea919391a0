"""Find exact, reverse-complement and near-identical sequence pairs, built in.

The search has two stages, as homology tools do:

1. *Exact* copies (case-insensitive) and exact *reverse-complement* copies are
   found by hashing, whatever their length (a 12 nt miRNA copy included).
2. *Near-identical* copies are found by seeding with shared k-mers
   (reverse-complement canonical, so both strands are searched at once) and
   then verified exactly.

Identity is coverage-aware and sees shifted windows (:func:`sequence_identity`)::

    identity = 1 - max(D, |len_a - len_b|) / max(len_a, len_b)

where ``D`` is an edit distance in which a base left over at either end of
either sequence (an *overhang*) costs one half and every internal
substitution, insertion or deletion costs one, on the better strand.  So:

* two 200 bp windows shifted by ``s`` bp are ``1 - s / 200`` identical (the
  plain edit distance charges ``2 s``: ``s`` bases lost at one end and ``s``
  gained at the other), as genomic-benchmarks-qc's ``min(qcov, tcov) * pident``
  and BLAST see them; sliding windows at a 20 bp step are 90 % identical;
* a sequence contained in a longer one is ``len_short / len_long`` identical
  (the length-difference floor: a 20 nt sequence inside a 200 nt one is not a
  near-copy, a 190 bp piece of a 200 bp one is 95 % identical);
* sequences of one length differing by substitutions keep ``1 - edits / length``.

The search also reports ``global_identity``, ``1 - edit distance / longer
length``: a pair whose ``identity`` is above it owes the difference to a shift.

The guarantee is exact: every pair at or above the threshold is reported.
The seed length comes from one rule, :func:`seed_plan`, used for the
self-search (QC near-duplicates, :class:`~skgenqc.model_selection.SimilarityGroupKFold`)
and the test-vs-train search (QC leakage, split diagnostics) alike:

* A pair at identity ``>= t`` whose longer member has length ``L`` has
  ``D <= T = (1 - t) * L``: at most ``d = floor(T)`` internal edits ``e`` and
  at most ``floor(2 T) - 2 e`` overhanging bases; and ``L <= len(shorter) / t``.
* Every internal edit touches at most one of the exactly copied runs of the
  longer sequence, so with ``V`` valid (A/C/G/T/U) bases and ``r`` runs of
  other characters (an ``N`` matches an ``N`` but is never part of a seed) at
  least ``V - floor(2 T) + e`` valid bases are copied in at most ``e + r + 1``
  runs; the worst case is ``e = d``, which leaves an exactly copied seed of
  ``k = ceil((V - floor(2 T) + d) / (d + r + 1))`` bases (pigeonhole; for an
  integer ``T`` this is ``ceil((V - d) / (d + r + 1))``).  All k-mers are
  indexed (no sampling: indexing every s-th k-mer would need pieces of
  ``k + s - 1``), so ONE shared seed is enough, and no pair is discarded
  for sharing too few: the only filter is the q-gram bound on distinct
  k-mers (an internal edit removes at most ``k`` of a sequence's k-mers, an
  overhanging base one), which every true pair meets.
* Where that seed would be so short that chance hits reach most pairs
  (``4**k < L**2``, or no seed at all), the tier's pairs of compatible
  lengths are all verified directly.
* Candidates are verified exactly: rapidfuzz's bit-parallel indel distance
  (``<= 2 D``) rejects most, the plain edit distance bounds ``D`` from both
  sides (``ED / 2 <= D <= ED``); the rest get the exact distance from a banded dynamic
  programme compiled with numba (:mod:`skgenqc.features._overlap_kernel`,
  compiled once per process, about a second).

Cost: at 90 % identity, 200 bp sequences get k = 9 whatever the size of the
set, so the chance seed hits grow with the square of the number of sequences
(a k-mer join, not a full comparison) and are pruned by the q-gram bound
before any alignment; below about 87 % identity for 200 bp (80 % for
25 nt) the exact search verifies every length-compatible pair.  A shifted
pair costs about 70 microseconds to verify (a band of ``4 T + 1`` cells per
row), a pair differing by a few substitutions about 2.  Seeds found
in more than ``max_occurrences`` sequences can be masked to save time, but
that drops the guarantee, and it is off by default.  See
``benchmarks/RESULTS_similarity_guarantee.md`` for the measured cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel, Levenshtein

from skgenqc.features.encoding import (
    INVALID,
    kmer_codes,
    pack_sequences,
    reverse_complement,
    sorted_unique,
)

PAIR_COLUMNS = ["query", "target", "identity", "global_identity", "strand", "kind"]
_PAIR_CHUNK = 1_000_000  # pairs verified per batch in the direct comparison
_TARGET_CHUNK = 50_000  # target sequences per k-mer index (bounds the memory of a search)


def _check_threshold(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) or \
            not 0.5 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold={threshold!r} must be a number from 0.5 to 1.0 (identity).")
    return float(threshold)


def max_edits(length, threshold):
    """Most edits a pair can have at ``threshold`` identity when its longer member is ``length``.

    Examples
    --------
    >>> int(max_edits(200, 0.9)), int(max_edits(22, 0.8))
    (20, 4)
    """
    length = np.asarray(length, dtype=np.int64)
    return np.floor((1.0 - threshold) * length + 1e-9).astype(np.int64)


def doubled_budget(length, threshold):
    """``floor(2 (1 - threshold) length)``: the distance a pair may have, in half-edits.

    A pair whose longer member is ``length`` long reaches ``threshold`` when its
    doubled distance (an internal edit counts 2, an overhanging base 1) is at
    most this; it is the one cutoff of the verification and of the seed bound.

    Examples
    --------
    >>> int(doubled_budget(200, 0.9)), int(doubled_budget(199, 0.9))
    (40, 39)
    """
    length = np.asarray(length, dtype=np.int64)
    return np.floor(2.0 * (1.0 - threshold) * length + 1e-9).astype(np.int64)


def seed_plan(threshold, lengths, *, n_valid=None, n_invalid_runs=None, max_k=15):
    """Seed length per sequence that guarantees ONE shared seed with every partner at ``threshold``.

    This is the one parameters-to-seed rule of the search: the self-search
    (near-duplicates, the similarity splitter) and the test-vs-train search
    (leakage, split diagnostics) both take a pair's seed length as the smaller
    of its two sequences' values here, and need one shared seed.

    The distance is symmetric, so the pigeonhole argument may split either
    member of a pair; it splits the longer one, of length ``n`` with ``V``
    valid bases in ``r`` runs broken by other characters.  At identity ``t``
    the pair's distance is at most ``T = (1 - t) * n``: ``e <= d = floor(T)``
    internal edits (substitutions or indels) and at most ``floor(2 T) - 2 e``
    overhanging bases, half a unit each.  Each internal edit touches at most
    one run of exactly copied bases, so at least ``V - floor(2 T) + e`` valid
    bases are copied into the partner in at most ``e + r + 1`` runs; that share
    is smallest at ``e = d`` (or at ``e = 0`` for sequences nearly all ``N``),
    where one run has ``k = ceil((V - floor(2 T) + d) / (d + r + 1))`` bases.
    For an integer ``T`` and ``r = 0`` this is ``floor(n / (d + 1))``.  A
    pair's seed, the smaller value of its two members, is at most the longer
    member's, so it is within the bound.

    Parameters
    ----------
    threshold : float
        Identity threshold, ``1 - edit distance / longer length``.
    lengths : int or array of int
        Sequence lengths.
    n_valid : array of int, optional
        A/C/G/T/U bases per sequence (default: all).
    n_invalid_runs : array of int, optional
        Runs of other characters (``N`` ...) per sequence (default: none).
    max_k : int, default=15
        Largest seed; a shorter seed than the bound keeps the guarantee.

    Returns
    -------
    numpy.ndarray of int
        Seed length per sequence; 0 where no seed is guaranteed or where one
        would hit most pairs by chance (``4**k < n**2``): those sequences are
        compared with every partner of compatible length.

    Examples
    --------
    >>> seed_plan(0.9, [200, 100, 20, 12]).tolist()
    [9, 9, 6, 6]
    >>> seed_plan(0.95, [200]).tolist(), seed_plan(0.8, [200, 25]).tolist()
    ([15], [0, 0])
    >>> seed_plan(0.9, [200], n_valid=[180], n_invalid_runs=[1]).tolist()
    [8]
    """
    lengths = np.atleast_1d(np.asarray(lengths, dtype=np.int64))
    valid = lengths if n_valid is None else np.atleast_1d(np.asarray(n_valid, dtype=np.int64))
    runs = np.zeros_like(lengths) if n_invalid_runs is None else \
        np.atleast_1d(np.asarray(n_invalid_runs, dtype=np.int64))
    edits = max_edits(lengths, threshold)
    overhang = doubled_budget(lengths, threshold)  # the overhanging bases with no internal edit
    copied = valid - overhang + edits  # fewest exactly copied valid bases, at e = d edits
    k = np.where(copied > 0, -(-copied // (edits + runs + 1)), 0)
    no_edit = valid - overhang  # ... and at e = 0 (all the distance in overhangs)
    k = np.minimum(k, np.where(no_edit > 0, -(-no_edit // (runs + 1)), 0))
    k = np.minimum(k, max_k)
    # A seed this short is shared by most pairs anyway: comparing them directly is cheaper.
    k[4.0 ** k < lengths.astype(np.float64) ** 2] = 0
    return k


def _plan(threshold, packed, max_k):
    n_valid, n_runs = _valid_runs(packed)
    return seed_plan(threshold, packed.lengths, n_valid=n_valid, n_invalid_runs=n_runs,
                     max_k=max_k)


def _valid_runs(packed):
    """Valid bases and runs of invalid characters per packed sequence."""
    n = packed.n_sequences
    invalid = packed.codes == INVALID
    seq_of = np.repeat(np.arange(n), packed.lengths)
    n_valid = packed.lengths - np.bincount(seq_of, weights=invalid, minlength=n).astype(np.int64)
    run_start = invalid.copy()
    run_start[1:] &= ~invalid[:-1]
    starts = packed.offsets[:-1][packed.lengths > 0]
    run_start[starts] = invalid[starts]  # a run never continues across sequences
    n_runs = np.bincount(seq_of, weights=run_start, minlength=n).astype(np.int64)
    return n_valid, n_runs


def _exact_pairs(query_upper, target_upper, same_set):
    """Exact and reverse-complement copies by hashing."""
    rows = []
    q = pd.DataFrame({"seq": query_upper, "query": np.arange(len(query_upper))})
    t = pd.DataFrame({"seq": target_upper, "target": np.arange(len(target_upper))})
    exact = q.merge(t, on="seq")
    if same_set:
        exact = exact[exact["query"] < exact["target"]]
    exact = exact.assign(identity=1.0, global_identity=1.0, strand="+", kind="exact")
    rows.append(exact[PAIR_COLUMNS])
    q_rc = q.assign(seq=[reverse_complement(s) for s in query_upper])
    rc = q_rc.merge(t, on="seq")
    palindromes = q_rc["seq"].to_numpy() == q["seq"].to_numpy()
    rc = rc[~palindromes[rc["query"].to_numpy()]]  # a palindrome is its own exact copy
    if same_set:
        rc = rc[rc["query"] < rc["target"]]
    rc = rc.assign(identity=1.0, global_identity=1.0, strand="-", kind="reverse_complement")
    rows.append(rc[PAIR_COLUMNS])
    return pd.concat(rows, ignore_index=True)


def _kmer_index(packed, k, keep):
    """Sorted (code, sequence) postings of the canonical k-mers of selected sequences."""
    codes, seq = kmer_codes(packed, k, canonical=True)
    if not keep.all():
        mask = keep[seq]
        codes, seq = codes[mask], seq[mask]
    # One posting per (k-mer, sequence): repeats inside a sequence add nothing.
    # k <= 16 and fewer than 2**31 sequences, so (code, sequence) fits one uint64;
    # the key is built and sorted in place to keep the peak memory at one copy.
    n_seq = np.uint64(packed.n_sequences)
    key = codes.astype(np.uint64)
    del codes
    key *= n_seq
    key += seq.astype(np.uint64)
    del seq
    key.sort()
    first = np.empty(len(key), dtype=bool)
    if len(key):
        first[0] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
    key = key[first]
    del first
    seq = (key % n_seq).astype(np.int32 if packed.n_sequences < 2**31 - 1 else np.int64)
    key //= n_seq
    return key.astype(np.uint32 if k <= 16 else np.uint64), seq


def _blocks(owner, n_pairs, chunk):
    """Cut postings sorted by ``owner`` into runs of about ``chunk`` pairs, never inside an owner.

    All shared seeds of a pair come from postings of its owner (its query, or its
    smaller index), so a block holds complete seed counts and is filtered at once:
    memory stays proportional to ``chunk``, not to the number of candidate pairs.
    """
    ends = np.cumsum(n_pairs)
    starts_of_owner = np.flatnonzero(np.append(True, owner[1:] != owner[:-1]))
    lo = 0
    while lo < len(owner):
        want = int(np.searchsorted(ends, ends[lo] - n_pairs[lo] + chunk, side="right"))
        cut = np.searchsorted(starts_of_owner, max(want, lo + 1), side="left")
        hi = int(starts_of_owner[cut]) if cut < len(starts_of_owner) else len(owner)
        yield lo, hi
        lo = hi


def _count_pairs(i, j, n):
    """Distinct (i, j) with the number of times each occurs."""
    pair, counts = sorted_unique(i.astype(np.int64) * n + j, return_counts=True)
    return pair // n, pair % n, counts


def _candidate_pairs(q_codes, q_seq, t_codes, t_seq, max_occurrences, chunk=4_000_000):
    """Blocks of (query, target, number of shared k-mers), each query's pairs in one block."""
    starts = np.searchsorted(t_codes, q_codes, side="left")
    hits = np.searchsorted(t_codes, q_codes, side="right") - starts
    usable = np.flatnonzero((hits > 0) & (hits <= max_occurrences))
    usable = usable[np.argsort(q_seq[usable], kind="stable")]
    starts, hits, owner = starts[usable], hits[usable], q_seq[usable]
    n = int(t_seq.max()) + 1 if len(t_seq) else 1
    for lo, hi in _blocks(owner, hits, chunk):
        h = hits[lo:hi]
        first = np.repeat(starts[lo:hi] - np.cumsum(h) + h, h)
        yield _count_pairs(np.repeat(owner[lo:hi], h), t_seq[first + np.arange(h.sum())], n)


def _self_candidate_pairs(codes, seq, max_occurrences, chunk=4_000_000):
    """Blocks of pairs (i < j) of one set sharing k-mers, without the self-matches of a join.

    Postings are sorted by (k-mer, sequence), so each posting pairs with the
    later postings of its k-mer, whose sequences are all larger: the pair is
    owned by its smaller index, and blocks are cut by that index.
    """
    if len(codes) == 0:
        return
    change = np.flatnonzero(np.append(True, codes[1:] != codes[:-1]))
    sizes = np.diff(np.append(change, len(codes)))
    group = np.repeat(np.arange(len(change)), sizes)
    later = (change + sizes)[group] - np.arange(len(codes)) - 1
    later[(sizes[group] < 2) | (sizes[group] > max_occurrences)] = 0
    posting = np.flatnonzero(later)
    posting = posting[np.argsort(seq[posting], kind="stable")]
    later = later[posting]
    owner = seq[posting]
    n = int(seq.max()) + 1
    for lo, hi in _blocks(owner, later, chunk):
        m = later[lo:hi]
        a = np.repeat(posting[lo:hi], m)
        b = a + 1 + np.arange(m.sum()) - np.repeat(np.cumsum(m) - m, m)
        yield _count_pairs(seq[a], seq[b], n)


def find_similar_pairs(query, target=None, *, threshold=0.9, reverse_complement=True,
                       max_k=15, max_occurrences=None):
    """Every pair of sequences at or above an identity threshold (exhaustive).

    The search is exact: each pair whose :func:`sequence_identity` is at or
    above ``threshold`` is reported, on either strand, whatever the lengths or
    the substitution and indel pattern (the seed length comes from
    :func:`seed_plan`, one shared seed suffices; see the module notes).  Its
    cost is a k-mer join whose seed shrinks as the threshold drops: at 90 %
    identity 200 bp sequences are seeded with 9-mers; at 87 % and below (200
    bp) or 80 % (25 nt) every length-compatible pair is aligned.

    Parameters
    ----------
    query : list, array or Series of str
        Sequences to look up (e.g. the test set).
    target : list, array or Series of str, optional
        Sequences to search (e.g. the training set). When omitted, ``query`` is
        searched against itself and each unordered pair is reported once.
    threshold : float, default=0.9
        Minimal coverage-aware identity (:func:`sequence_identity`): windows
        shifted by ``s`` bp are ``1 - s / length`` identical.
    reverse_complement : bool, default=True
        Also report copies on the other strand.
    max_k : int, default=15
        Largest seed length; smaller seeds than the bound keep the guarantee.
    max_occurrences : int or None, default=None
        When set, seeds found in more sequences than this are ignored
        (low-complexity repeats), as homology search tools mask them.  This
        saves time on repetitive data but **drops the guarantee**: a pair whose
        only shared seeds are masked is not reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``query``, ``target`` (positions in the inputs), ``identity``,
        ``global_identity`` (``1 - edit distance / longer length``, on the same
        strand: below ``identity`` when the pair is a shifted window),
        ``strand`` (``"+"`` or ``"-"``) and ``kind`` (``"exact"``,
        ``"reverse_complement"`` or ``"near"``), one row per pair (the best strand).

    Examples
    --------
    >>> train = ["ACGTACGTTTGACCA", "GGGGCCCCAAAATTTT"]
    >>> test = ["acgtacgtttgacca", "CCCCGGGGTTTTAAAA", "TGGTCAAACGTACGT"]
    >>> find_similar_pairs(test, train, threshold=0.9)[["query", "target", "kind"]].values.tolist()
    [[0, 0, 'exact'], [2, 0, 'reverse_complement']]
    """
    threshold = _check_threshold(threshold)
    same_set = target is None
    query_upper = [s.upper() for s in _as_list(query, "query")]
    target_upper = query_upper if same_set else [s.upper() for s in _as_list(target, "target")]
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        PAIR_COLUMNS, ["int64", "int64", "float64", "float64", "object", "object"])})
    if not query_upper or not target_upper:
        return empty
    exact = _exact_pairs(query_upper, target_upper, same_set)
    if not reverse_complement:
        exact = exact[exact["kind"] == "exact"]
    if max_occurrences is None:
        max_occurrences = np.inf
    near = _near_pairs(query_upper, target_upper, same_set, threshold, reverse_complement,
                       max_k, max_occurrences)
    pairs = pd.concat([exact, near], ignore_index=True) if len(near) else exact
    # One row per pair: exact beats reverse complement beats near.
    pairs = pairs.drop_duplicates(["query", "target"], keep="first")
    pairs = pairs.sort_values(["query", "target"], kind="stable").reset_index(drop=True)
    return pairs.astype({"query": "int64", "target": "int64", "identity": "float64",
                         "global_identity": "float64", "strand": str, "kind": str})


def _as_list(values, name):
    from skgenqc.features.encoding import as_sequence_list

    return as_sequence_list(values, name=name)


def _near_pairs(query_upper, target_upper, same_set, threshold, reverse_complement, max_k,
                max_occurrences):
    packed_q = pack_sequences(query_upper)
    packed_t = packed_q if same_set else pack_sequences(target_upper)
    len_q, len_t = packed_q.lengths, packed_t.lengths
    k_q = _plan(threshold, packed_q, max_k)
    k_t = k_q if same_set else _plan(threshold, packed_t, max_k)
    found = []
    for k in np.unique(np.concatenate([k_q, k_t])):
        k = int(k)
        # Sequences in this tier, plus longer ones they could still pair with.
        tier_max_len = max(len_q[k_q == k].max(initial=0), len_t[k_t == k].max(initial=0))
        reach = tier_max_len / threshold + 1e-9
        keep_q = (k_q >= k) & (len_q <= reach)
        keep_t = (k_t >= k) & (len_t <= reach)
        if not keep_q.any() or not keep_t.any():
            continue
        if k == 0:
            found += _direct_pairs(k_q, k_t, keep_q, keep_t, len_q, len_t, same_set, threshold,
                                   query_upper, target_upper, reverse_complement)
            continue
        if same_set:
            t_codes, t_seq = _kmer_index(packed_t, k, keep_t)
            distinct = np.bincount(t_seq, minlength=len(len_t))
            for qq, tt, shared in _self_candidate_pairs(t_codes, t_seq, max_occurrences):
                found.append(_filter_and_verify(qq, tt, shared, k, k_q, k_t, len_q, len_t,
                                                distinct, distinct, same_set, threshold,
                                                query_upper, target_upper, reverse_complement))
            del t_codes, t_seq
            continue
        q_codes, q_seq = _kmer_index(packed_q, k, keep_q)
        distinct_q = np.bincount(q_seq, minlength=len(len_q))
        # The target index is built chunk by chunk: a pair's shared seeds all come from
        # its one target sequence, so chunks need no merging and memory stays bounded.
        n_t = len(target_upper)
        # Every chunk costs one lookup of all query seeds, so chunks are at least as
        # large as the query set: memory is bounded, time stays near-linear.
        chunk = max(_TARGET_CHUNK, len(query_upper))
        for lo in range(0, n_t, chunk):
            hi = min(lo + chunk, n_t)
            if not keep_t[lo:hi].any() or len(q_codes) == 0:
                continue
            sub = packed_t if (lo, hi) == (0, n_t) else pack_sequences(target_upper[lo:hi])
            t_codes, t_seq = _kmer_index(sub, k, keep_t[lo:hi])
            if len(t_codes) == 0:
                continue
            distinct_t = np.zeros(n_t, dtype=np.int64)
            distinct_t[lo:hi] = np.bincount(t_seq, minlength=hi - lo)
            for qq, tt, shared in _candidate_pairs(q_codes, q_seq, t_codes, t_seq,
                                                   max_occurrences):
                found.append(_filter_and_verify(qq, tt + lo, shared, k, k_q, k_t, len_q, len_t,
                                                distinct_q, distinct_t, same_set, threshold,
                                                query_upper, target_upper, reverse_complement))
            del t_codes, t_seq
    if not found:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    return pd.concat(found, ignore_index=True)


def _filter_and_verify(qq, tt, shared, k, k_q, k_t, len_q, len_t, distinct_q, distinct_t,
                       same_set, threshold, query_upper, target_upper, reverse_complement):
    """Keep candidates owned by this seed tier that pass the q-gram bound, then align them."""
    # The pair's k is the smaller of its two tiers: keep only pairs owned by this tier.
    own = np.minimum(k_q[qq], k_t[tt]) == k
    if same_set:
        own &= qq < tt
    qq, tt, shared = qq[own], tt[own], shared[own]
    shorter = np.minimum(len_q[qq], len_t[tt])
    longer = np.maximum(len_q[qq], len_t[tt])
    edits = max_edits(longer, threshold)
    # q-gram bound on distinct k-mers: each internal edit removes at most k windows of
    # a sequence and each overhanging base one, hence at most k * e + floor(2 T) - 2 e
    # of its distinct k-mers (largest at e = d for k >= 2); a true pair shares the rest.
    # It holds for repeats, both strands (canonical codes) and N (never a seed).
    lost = doubled_budget(longer, threshold) + np.maximum(k - 2, 0) * edits
    needed = np.maximum(np.maximum(distinct_q[qq], distinct_t[tt]) - lost, 1)
    ok = (shared >= needed) & (shorter >= threshold * longer - 1e-9)
    return _verify(qq[ok], tt[ok], query_upper, target_upper, threshold, reverse_complement)


def _compatible_pairs(members, len_a, pool, len_b, threshold):
    """(a, b) with a in ``members``, b in ``pool`` and lengths that allow the threshold, in chunks."""
    order = pool[np.argsort(len_b[pool], kind="stable")]
    sorted_len = len_b[order]
    la = len_a[members].astype(np.float64)
    lo = np.searchsorted(sorted_len, np.ceil(threshold * la - 1e-9), side="left")
    hi = np.searchsorted(sorted_len, np.floor(la / threshold + 1e-9), side="right")
    counts = hi - lo
    ends = np.cumsum(counts)
    start = 0
    while start < len(members):
        stop = max(int(np.searchsorted(ends, ends[start] - counts[start] + _PAIR_CHUNK,
                                       side="right")), start + 1)
        c = counts[start:stop]
        a = np.repeat(members[start:stop], c)
        first = np.repeat(lo[start:stop] - np.cumsum(c) + c, c)
        b = order[first + np.arange(int(c.sum()))]
        yield a.astype(np.int64), b.astype(np.int64)
        start = stop


def _direct_pairs(k_q, k_t, keep_q, keep_t, len_q, len_t, same_set, threshold, query_upper,
                  target_upper, reverse_complement):
    """Align every length-compatible pair involving a sequence no seed can serve."""
    out = []
    nonempty_q, nonempty_t = len_q > 0, len_t > 0
    members_q = np.flatnonzero((k_q == 0) & keep_q & nonempty_q)
    pool_t = np.flatnonzero(keep_t & nonempty_t)
    for a, b in _compatible_pairs(members_q, len_q, pool_t, len_t, threshold):
        if same_set:  # each unordered pair once, as (smaller, larger)
            mask = (a != b) & ((k_t[b] != 0) | (a < b))
            a, b = np.minimum(a[mask], b[mask]), np.maximum(a[mask], b[mask])
        out.append(_verify(a, b, query_upper, target_upper, threshold, reverse_complement))
    if not same_set:  # pairs whose target alone is seedless (the query side was done above)
        members_t = np.flatnonzero((k_t == 0) & keep_t & nonempty_t)
        pool_q = np.flatnonzero(keep_q & nonempty_q & (k_q != 0))
        for b, a in _compatible_pairs(members_t, len_t, pool_q, len_q, threshold):
            out.append(_verify(a, b, query_upper, target_upper, threshold, reverse_complement))
    return out


def _verify(qq, tt, query_upper, target_upper, threshold, reverse_complement):
    """Exact identities of candidate pairs, both strands; the pairs at or above the threshold."""
    if len(qq) == 0:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    a = [query_upper[i] for i in qq.tolist()]
    b = [target_upper[j] for j in tt.tolist()]
    len_a = np.fromiter((len(x) for x in a), dtype=np.int64, count=len(a))
    len_b = np.fromiter((len(x) for x in b), dtype=np.int64, count=len(b))
    longest = np.maximum(len_a, len_b)
    budget = doubled_budget(longest, threshold)
    doubled, dist = _strand_distances(a, b, len_a, len_b, budget)
    strand = np.full(len(a), "+", dtype=object)
    if reverse_complement:
        rc_of = {i: _rc_upper(query_upper[i]) for i in np.unique(qq).tolist()}
        a_rc = [rc_of[i] for i in qq.tolist()]
        doubled_rc, dist_rc = _strand_distances(a_rc, b, len_a, len_b, budget)
        better = (doubled_rc < doubled) | ((doubled_rc == doubled) & (dist_rc < dist))
        doubled = np.where(better, doubled_rc, doubled)
        dist = np.where(better, dist_rc, dist)
        strand[better] = "-"
    ok = doubled <= budget
    identity = 1.0 - doubled[ok] / (2.0 * longest[ok])
    global_identity = np.maximum(1.0 - dist[ok] / longest[ok], 0.0)
    strand = strand[ok]
    kind = np.where(identity < 1.0, "near", np.where(strand == "+", "exact", "reverse_complement"))
    return pd.DataFrame({"query": qq[ok], "target": tt[ok], "identity": identity,
                         "global_identity": global_identity, "strand": strand, "kind": kind})


def _strand_distances(a, b, len_a, len_b, budget):
    """Doubled distances (``budget + 1`` above the budget) and plain edit distances, one strand.

    Two bounds from rapidfuzz's bit-parallel C++ loops settle most pairs before
    any alignment: the indel distance (a substitution counts 2, any indel 1) is
    at most the doubled distance, so a pair above the budget by it is out; the
    plain edit distance ``ED`` gives ``ED <= 2 D <= 2 ED``.  One global cutoff
    per loop (the largest needed), per-pair limits after.
    """
    from rapidfuzz import process

    limit = int(budget.max())
    doubled = budget + 1
    dist = np.full(len(a), limit + 1, dtype=np.int64)
    indel = process.cpdist(a, b, scorer=Indel.distance, score_cutoff=limit).astype(np.int64)
    keep = np.flatnonzero(indel <= budget)
    if len(keep):
        sub_a, sub_b = [a[i] for i in keep.tolist()], [b[i] for i in keep.tolist()]
        dist[keep] = process.cpdist(sub_a, sub_b, scorer=Levenshtein.distance,
                                    score_cutoff=limit).astype(np.int64)
        doubled[keep] = _doubled_distances(sub_a, sub_b, len_a[keep], len_b[keep], dist[keep],
                                           budget[keep])
    return doubled, dist


def _doubled_distances(a, b, len_a, len_b, dist, budget):
    """``2 max(D, |len_a - len_b|)`` per pair, exact up to ``budget`` (``budget + 1`` above it).

    ``dist`` is the plain edit distance (capped above the largest budget).  It
    settles most pairs without alignment: above the budget the pair is out
    (``2 D >= ED``); where it equals the length difference the floor is the
    answer.  The rest are aligned by the compiled kernel, with the cutoff at
    ``2 ED - 1`` when that is tighter (the kernel then only has to show whether
    an overhang beats the plain alignment).
    """
    floor = 2 * np.abs(len_a - len_b)
    out = np.where(dist <= budget, np.maximum(2 * dist, floor), budget + 1)
    todo = np.flatnonzero((dist <= budget) & (dist > np.abs(len_a - len_b)))
    if len(todo):
        cutoff = np.minimum(budget[todo], 2 * dist[todo] - 1)
        found = overlap_distances([a[i] for i in todo.tolist()], [b[i] for i in todo.tolist()],
                                  cutoff)
        out[todo] = np.where(found <= cutoff, np.maximum(found, floor[todo]), out[todo])
    out[out > budget] = budget[out > budget] + 1
    return out


def _codes(strings):
    """Concatenated character codes of ``strings`` and each one's start (one byte each when possible)."""
    lengths = np.fromiter((len(x) for x in strings), dtype=np.int64, count=len(strings))
    joined = "".join(strings)
    try:
        codes = np.frombuffer(joined.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    starts = np.zeros(len(strings), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return codes, starts, lengths


def overlap_distances(a, b, cutoff):
    """Doubled end-gap-halved edit distances of pairs ``(a[p], b[p])``, capped at ``cutoff + 1``.

    An internal substitution, insertion or deletion costs 2 and a base of either
    sequence left over at either end costs 1 (case-sensitive: give upper-case
    strings).  Half of it, floored by the length difference, is the distance
    behind :func:`sequence_identity`.  Runs in a compiled, banded dynamic
    programme (numba), ``O(len * cutoff)`` per pair.

    Examples
    --------
    >>> overlap_distances(["ACGTACGTAC", "ACGTACGTAC"], ["GTACGTACTT", "ACGAACGTAC"], 20).tolist()
    [4, 2]
    """
    from skgenqc.features._overlap_kernel import overlap_distances2

    a, b = list(a), list(b)
    cutoff = np.broadcast_to(np.asarray(cutoff, dtype=np.int64), (len(a),)).copy()
    out = np.zeros(len(a), dtype=np.int64)
    if len(a):
        a_codes, a_start, a_len = _codes(a)
        b_codes, b_start, b_len = _codes(b)
        if a_codes.dtype != b_codes.dtype:  # one alphabet is wider: compare code points
            a_codes, b_codes = a_codes.astype(np.uint32), b_codes.astype(np.uint32)
        overlap_distances2(a_codes, a_start, a_len, b_codes, b_start, b_len, cutoff, out)
    return out


def _rc_upper(seq):
    return reverse_complement(seq)


def sequence_identity(a, b, *, reverse_complement=True):
    """Identity of two sequences as the search defines it (coverage-aware, sees shifts).

    ``1 - max(D, |len_a - len_b|) / max(len_a, len_b)``, where ``D`` is the edit
    distance with every base left over at either end (an overhang) counted one
    half; case-insensitive, on the better strand when ``reverse_complement``
    (the reverse complement of ``a`` against ``b``).  Two windows shifted by
    ``s`` bp are ``1 - s / length`` identical; a sequence inside a longer one
    is ``len_short / len_long`` identical.  Two empty sequences are identical.
    This is the definition :func:`find_similar_pairs` reports, computed one pair
    at a time (for checks and tests).

    Examples
    --------
    >>> sequence_identity("ACGTACGTAC", "ACGTTCGTAC")
    0.9
    >>> sequence_identity("AACCGGTTAC", "GTAACCGGTT"), sequence_identity("ACGT", "acgtAC")
    (1.0, 0.6666666666666667)
    >>> region = "ACGTTGCAAGGCTTACCGATGCATTAGCAA"
    >>> sequence_identity(region[:28], region[2:])      # two 28 bp windows 2 bp apart
    0.9285714285714286
    """
    a, b = a.upper(), b.upper()
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    budget = 2 * longest  # no cutoff: the exact distance
    doubled = int(overlap_distances([a], [b], budget)[0])
    if reverse_complement:
        doubled = min(doubled, int(overlap_distances([_rc_upper(a)], [b], budget)[0]))
    return 1.0 - max(doubled, 2 * abs(len(a) - len(b))) / (2.0 * longest)


def best_identity(pairs, n_query):
    """Highest identity of each query sequence to any target (0 where none was found).

    Examples
    --------
    >>> p = pd.DataFrame({"query": [0, 0, 2], "identity": [0.95, 1.0, 0.91]})
    >>> best_identity(p, 3).tolist()
    [1.0, 0.0, 0.91]
    """
    best = np.zeros(n_query)
    if len(pairs):
        np.maximum.at(best, pairs["query"].to_numpy(dtype=np.int64),
                      pairs["identity"].to_numpy(dtype=np.float64))
    return best
