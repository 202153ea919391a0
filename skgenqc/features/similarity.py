"""Find exact, reverse-complement and near-identical sequence pairs, built in.

The search has two stages, as homology tools do:

1. *Exact* copies (case-insensitive) and exact *reverse-complement* copies are
   found by hashing, whatever their length (a 12 nt miRNA copy included).
2. *Near-identical* copies are found by seeding with shared k-mers
   (reverse-complement canonical, so both strands are searched at once) and
   then verified with an exact edit distance (rapidfuzz's bit-parallel
   Levenshtein).  Identity is coverage-aware, ``1 - distance / max(len_a, len_b)``,
   a lower bound of the aligned matches over the longer sequence, so that it
   behaves like genomic-benchmarks-qc's ``min(qcov, tcov) * pident``: a 20 nt
   sequence inside a 200 nt one is *not* a near-copy.

The k-mer size is chosen per sequence length so that, by the pigeonhole
principle, any pair at or above the identity threshold must share a k-mer
whenever ``k <= (L - m) / (m + 1)`` with ``m`` the allowed edits.  Two limits
raise or cap it: k is at least the size at which chance seed hits between
unrelated sequences stay within a fixed budget (about 4e6 postings), and at
most ``max_k``.  Where that floor exceeds the pigeonhole bound (long sequences
at low identity in large sets, e.g. 200 bp at 90 %), a true pair still shares
dozens of seeds on average and the search is sensitive in practice rather
than by proof; at 97 % identity and above it stays exhaustive for 200 bp.
The q-gram lemma gives the minimum number of shared k-mers a true pair must
have; pairs below it are discarded before any alignment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein

from skgenqc.features.encoding import kmer_codes, pack_sequences, reverse_complement, sorted_unique

PAIR_COLUMNS = ["query", "target", "identity", "strand", "kind"]
_SEED_HIT_BUDGET = 4e6
_TARGET_CHUNK = 50_000  # target sequences per k-mer index (bounds the memory of a search)


def _check_threshold(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)) or \
            not 0.5 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold={threshold!r} must be a number from 0.5 to 1.0 (identity).")
    return float(threshold)


def seed_k(length, threshold, *, min_k=5, max_k=15):
    """k-mer size that guarantees a shared seed for pairs at ``threshold`` identity.

    Parameters
    ----------
    length : int or array of int
        Length of the shorter sequence of a pair.
    threshold : float
        Identity threshold.
    min_k, max_k : int
        Bounds on k.

    Returns
    -------
    int or numpy.ndarray

    Examples
    --------
    >>> int(seed_k(20, 0.9)), int(seed_k(200, 0.97)), int(seed_k(200, 0.9))
    (6, 15, 8)
    """
    length = np.asarray(length, dtype=np.int64)
    edits = np.floor((1.0 - threshold) * length + 1e-9).astype(np.int64)
    k = (length - edits) // (edits + 1)
    return np.clip(k, min_k, max_k)


def _exact_pairs(query_upper, target_upper, same_set):
    """Exact and reverse-complement copies by hashing."""
    rows = []
    q = pd.DataFrame({"seq": query_upper, "query": np.arange(len(query_upper))})
    t = pd.DataFrame({"seq": target_upper, "target": np.arange(len(target_upper))})
    exact = q.merge(t, on="seq")
    if same_set:
        exact = exact[exact["query"] < exact["target"]]
    exact = exact.assign(identity=1.0, strand="+", kind="exact")
    rows.append(exact[PAIR_COLUMNS])
    q_rc = q.assign(seq=[reverse_complement(s) for s in query_upper])
    rc = q_rc.merge(t, on="seq")
    palindromes = q_rc["seq"].to_numpy() == q["seq"].to_numpy()
    rc = rc[~palindromes[rc["query"].to_numpy()]]  # a palindrome is its own exact copy
    if same_set:
        rc = rc[rc["query"] < rc["target"]]
    rc = rc.assign(identity=1.0, strand="-", kind="reverse_complement")
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


def _candidate_pairs(q_codes, q_seq, t_codes, t_seq, max_occurrences, chunk=2_000_000):
    """Pairs (query, target) with the number of k-mers they share."""
    starts = np.searchsorted(t_codes, q_codes, side="left")
    stops = np.searchsorted(t_codes, q_codes, side="right")
    hits = stops - starts
    usable = (hits > 0) & (hits <= max_occurrences)
    starts, hits, q_seq = starts[usable], hits[usable], q_seq[usable]
    out_q, out_t, out_n = [], [], []
    # Expand postings in bounded chunks so memory stays proportional to the output.
    bounds = np.searchsorted(np.cumsum(hits), np.arange(chunk, hits.sum() + chunk, chunk))
    lo = 0
    for hi in np.unique(np.append(bounds, len(hits))):
        if hi <= lo:
            continue
        h = hits[lo:hi]
        rep_q = np.repeat(q_seq[lo:hi], h)
        first = np.repeat(starts[lo:hi] - np.cumsum(h) + h, h)
        t_idx = t_seq[first + np.arange(h.sum())]
        pair = rep_q.astype(np.int64) * (int(t_seq.max()) + 1) + t_idx
        keys, counts = sorted_unique(pair, return_counts=True)
        out_q.append(keys // (int(t_seq.max()) + 1))
        out_t.append(keys % (int(t_seq.max()) + 1))
        out_n.append(counts)
        lo = hi
    if not out_q:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    qq, tt, nn = np.concatenate(out_q), np.concatenate(out_t), np.concatenate(out_n)
    if len(out_q) > 1:  # merge pairs split across chunks
        pair = qq * (int(t_seq.max()) + 1) + tt
        keys, inverse = np.unique(pair, return_inverse=True)
        nn = np.bincount(inverse, weights=nn).astype(np.int64)
        qq, tt = keys // (int(t_seq.max()) + 1), keys % (int(t_seq.max()) + 1)
    return qq, tt, nn


def _self_candidate_pairs(codes, seq, max_occurrences, chunk=4_000_000):
    """Pairs (i < j) of one set sharing k-mers, without the self-matches of a join.

    Postings are sorted by k-mer; every k-mer shared by m sequences yields its
    m * (m - 1) / 2 pairs, built for all k-mers of one group size at once.
    """
    if len(codes) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.flatnonzero(np.append(True, codes[1:] != codes[:-1]))
    sizes = np.diff(np.append(change, len(codes)))
    n = int(seq.max()) + 1
    keys = []
    for m in np.unique(sizes[(sizes >= 2) & (sizes <= max_occurrences)]):
        starts = change[sizes == m]
        a, b = np.triu_indices(int(m), 1)
        per_group = len(a)
        step = max(1, chunk // per_group)
        for lo in range(0, len(starts), step):
            block = starts[lo:lo + step, None]
            i = seq[block + a[None, :]].ravel().astype(np.int64)
            j = seq[block + b[None, :]].ravel().astype(np.int64)
            keys.append(np.minimum(i, j) * n + np.maximum(i, j))
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    pair, counts = sorted_unique(np.concatenate(keys), return_counts=True)
    return pair // n, pair % n, counts


def find_similar_pairs(query, target=None, *, threshold=0.9, reverse_complement=True,
                       max_k=15, min_shared=2, max_occurrences=1000):
    """Pairs of sequences at or above an identity threshold.

    Parameters
    ----------
    query : list, array or Series of str
        Sequences to look up (e.g. the test set).
    target : list, array or Series of str, optional
        Sequences to search (e.g. the training set). When omitted, ``query`` is
        searched against itself and each unordered pair is reported once.
    threshold : float, default=0.9
        Minimal coverage-aware identity, ``1 - edit_distance / max(len_a, len_b)``.
    reverse_complement : bool, default=True
        Also report copies on the other strand.
    max_k : int, default=15
        Largest seed length (see the module notes on sensitivity).
    min_shared : int, default=2
        Minimal shared seeds where the q-gram lemma gives no bound (long
        sequences at low identity).
    max_occurrences : int, default=1000
        Seeds found in more target sequences than this are ignored
        (low-complexity repeats), as homology search tools mask them.

    Returns
    -------
    pandas.DataFrame
        Columns ``query``, ``target`` (positions in the inputs), ``identity``,
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
        PAIR_COLUMNS, ["int64", "int64", "float64", "object", "object"])})
    if not query_upper or not target_upper:
        return empty
    exact = _exact_pairs(query_upper, target_upper, same_set)
    if not reverse_complement:
        exact = exact[exact["kind"] == "exact"]
    near = _near_pairs(query_upper, target_upper, same_set, threshold, reverse_complement,
                       max_k, min_shared, max_occurrences)
    pairs = pd.concat([exact, near], ignore_index=True) if len(near) else exact
    # One row per pair: exact beats reverse complement beats near.
    pairs = pairs.drop_duplicates(["query", "target"], keep="first")
    pairs = pairs.sort_values(["query", "target"], kind="stable").reset_index(drop=True)
    return pairs.astype({"query": "int64", "target": "int64", "identity": "float64",
                         "strand": str, "kind": str})


def _as_list(values, name):
    from skgenqc.features.encoding import as_sequence_list

    return as_sequence_list(values, name=name)


def _near_pairs(query_upper, target_upper, same_set, threshold, reverse_complement, max_k,
                min_shared, max_occurrences):
    packed_q = pack_sequences(query_upper)
    packed_t = packed_q if same_set else pack_sequences(target_upper)
    len_q, len_t = packed_q.lengths, packed_t.lengths
    # Smallest k whose expected number of chance seed hits stays within budget:
    # below it, random postings (not true pairs) dominate the run time.
    chance_hits = float(len_q.sum()) * float(len_t.sum()) / (2.0 if same_set else 1.0)
    budget_k = int(np.ceil(np.log(max(chance_hits / _SEED_HIT_BUDGET, 1.0)) / np.log(4)))
    min_k = int(np.clip(budget_k, 5, max_k))
    k_q = seed_k(len_q, threshold, min_k=min_k, max_k=max_k)
    k_t = seed_k(len_t, threshold, min_k=min_k, max_k=max_k)
    found = []
    for k in np.unique(np.concatenate([k_q, k_t])):
        k = int(k)
        # Sequences in this tier, plus longer ones they could still pair with.
        tier_max_len = max(len_q[k_q == k].max(initial=0), len_t[k_t == k].max(initial=0))
        reach = tier_max_len / threshold
        keep_q = (k_q >= k) & (len_q <= reach)
        keep_t = (k_t >= k) & (len_t <= reach)
        if not keep_q.any() or not keep_t.any():
            continue
        if same_set:
            t_codes, t_seq = _kmer_index(packed_t, k, keep_t)
            qq, tt, shared = _self_candidate_pairs(t_codes, t_seq, max_occurrences)
            del t_codes, t_seq
            found.append(_filter_and_verify(qq, tt, shared, k, k_q, k_t, len_q, len_t, same_set,
                                            threshold, min_shared, query_upper, target_upper,
                                            reverse_complement))
            continue
        q_codes, q_seq = _kmer_index(packed_q, k, keep_q)
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
            qq, tt, shared = _candidate_pairs(q_codes, q_seq, t_codes, t_seq, max_occurrences)
            del t_codes, t_seq
            found.append(_filter_and_verify(qq, tt + lo, shared, k, k_q, k_t, len_q, len_t,
                                            same_set, threshold, min_shared, query_upper,
                                            target_upper, reverse_complement))
    if not found:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    return pd.concat(found, ignore_index=True)


def _filter_and_verify(qq, tt, shared, k, k_q, k_t, len_q, len_t, same_set, threshold,
                       min_shared, query_upper, target_upper, reverse_complement):
    """Keep candidates owned by this seed tier with enough shared seeds, then align them."""
    # The pair's k is the smaller of its two tiers: keep only pairs owned by this tier.
    own = np.minimum(k_q[qq], k_t[tt]) == k
    if same_set:
        own &= qq < tt
    qq, tt, shared = qq[own], tt[own], shared[own]
    shorter = np.minimum(len_q[qq], len_t[tt])
    longer = np.maximum(len_q[qq], len_t[tt])
    edits = np.floor((1.0 - threshold) * longer + 1e-9)
    qgram = shorter - k + 1 - k * edits
    needed = np.where(qgram >= 1, qgram, min_shared)
    ok = (shared >= needed) & (shorter >= threshold * longer)
    return _verify(qq[ok], tt[ok], query_upper, target_upper, threshold, reverse_complement)


def _verify(qq, tt, query_upper, target_upper, threshold, reverse_complement):
    """Exact edit distances of candidate pairs, both strands, in rapidfuzz's C++ loop."""
    from rapidfuzz import process

    if len(qq) == 0:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    a = [query_upper[i] for i in qq.tolist()]
    b = [target_upper[j] for j in tt.tolist()]
    len_a = np.fromiter((len(x) for x in a), dtype=np.int64, count=len(a))
    len_b = np.fromiter((len(x) for x in b), dtype=np.int64, count=len(b))
    longest = np.maximum(len_a, len_b)
    cutoff = np.floor((1.0 - threshold) * longest + 1e-9).astype(np.int64)
    # One global cutoff for the C++ loop (the largest needed), per-pair limits after.
    limit = int(cutoff.max())
    dist = process.cpdist(a, b, scorer=Levenshtein.distance, score_cutoff=limit).astype(np.int64)
    strand = np.full(len(a), "+", dtype=object)
    if reverse_complement:
        rc_of = {i: _rc_upper(query_upper[i]) for i in np.unique(qq).tolist()}
        a_rc = [rc_of[i] for i in qq.tolist()]
        dist_rc = process.cpdist(a_rc, b, scorer=Levenshtein.distance,
                                 score_cutoff=limit).astype(np.int64)
        better = dist_rc < dist
        dist = np.where(better, dist_rc, dist)
        strand[better] = "-"
    ok = dist <= cutoff
    identity = 1.0 - dist[ok] / longest[ok]
    strand = strand[ok]
    kind = np.where(identity < 1.0, "near", np.where(strand == "+", "exact", "reverse_complement"))
    return pd.DataFrame({"query": qq[ok], "target": tt[ok], "identity": identity,
                         "strand": strand, "kind": kind})


def _rc_upper(seq):
    return reverse_complement(seq)


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
