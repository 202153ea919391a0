"""The one-pass counting kernel behind :class:`~skgenqc.features.SequenceSummary`.

One compiled loop over the packed bytes of a chunk accumulates, per class,
the byte histogram, dinucleotide totals, positional base counts from both
ends and k-mer presence counts, and writes per sequence its GC count and two
64-bit hashes (exact, and canonical over both strands).  numpy needs a full
pass over the n x L matrix per statistic (about twenty), which is why the
issue measured composition 15x slower than seqkit; a single compiled pass
reads each byte once.  This module imports numba; it is imported only when a
summary is first updated, so ``import skgenqc`` stays fast.  The kernels are
compiled once per process (not cached on disk: numba writes its cache beside the installed source, and those files outlive ``pip uninstall``, leaving a stray ``skgenqc`` folder that shadows a later install).
"""

from __future__ import annotations

import numba
import numpy as np

from skgenqc._core.sequences import BASE_CODES, reverse_complement

# Byte tables: the upper-cased byte (exact identity ignores case, as sequence_keys does),
# that with U read as T, and the complement of the latter (IUPAC-aware).
UPPER = np.arange(256, dtype=np.uint8)
UPPER[ord("a"):ord("z") + 1] -= 32
UPPER_T = UPPER.copy()
UPPER_T[ord("U")] = UPPER_T[ord("u")] = ord("T")
COMPLEMENT_T = np.array(
    [ord(reverse_complement(chr(UPPER_T[b]))) for b in range(128)]
    + list(range(128, 256)), dtype=np.uint8)


@numba.njit(nogil=True)
def _mix(h):
    # splitmix64's finaliser: FNV-1a alone leaves low bits poorly mixed.
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


@numba.njit(nogil=True)
def kernel(raw, offsets, cls, k, codes_table, upper, upper_t, comp_t,
           byte_counts, dinucleotides, pos_start, pos_end, kmers,
           gc_out, hash_exact, hash_canon):
    n = len(offsets) - 1
    n_pos = pos_start.shape[1]
    mask = (1 << (2 * k)) - 1 if k > 0 else 0
    stamp = np.full(max(mask + 1, 1), -1, dtype=np.int64)
    prime = np.uint64(0x100000001B3)
    for i in range(n):
        c = cls[i]
        start = offsets[i]
        end = offsets[i + 1]
        gc = 0
        prev = 4
        code_k = 0
        run = 0
        h_exact = np.uint64(0xCBF29CE484222325)
        h_fwd = np.uint64(0xCBF29CE484222325)
        for j in range(start, end):
            b = raw[j]
            byte_counts[c, b] += 1
            code = codes_table[b]
            if code == 1 or code == 2:
                gc += 1
            p = j - start
            if p < n_pos:
                pos_start[c, p, code] += 1
            q = end - 1 - j
            if q < n_pos:
                pos_end[c, q, code] += 1
            if code < 4:
                if prev < 4:
                    dinucleotides[c, prev * 4 + code] += 1
                if k > 0:
                    code_k = ((code_k << 2) | code) & mask
                    run += 1
                    if run >= k and stamp[code_k] != i:
                        stamp[code_k] = i
                        kmers[c, code_k] += 1
            else:
                run = 0
            prev = code
            h_exact = (h_exact ^ np.uint64(upper[b])) * prime
            h_fwd = (h_fwd ^ np.uint64(upper_t[b])) * prime
        h_rev = np.uint64(0xCBF29CE484222325)
        for j in range(end - 1, start - 1, -1):
            h_rev = (h_rev ^ np.uint64(comp_t[raw[j]])) * prime
        gc_out[i] = gc
        # The length goes into the hash too, so sequences differing only in length
        # (an empty one and its neighbours) never meet by the byte stream alone.
        length = np.uint64(end - start)
        hash_exact[i] = _mix(h_exact ^ length)
        f = _mix(h_fwd ^ length)
        r = _mix(h_rev ^ length)
        hash_canon[i] = f if f < r else r



def count_chunk(raw, offsets, cls, n_classes, k, n_positions):
    """Run the kernel on one packed chunk; returns the per-class and per-sequence arrays.

    Examples
    --------
    >>> raw = np.frombuffer(b"ACGTgg", dtype=np.uint8)
    >>> out = count_chunk(raw, np.array([0, 4, 6]), np.array([0, 0]), 1, 2, 3)
    >>> out["gc"].tolist(), int(out["dinucleotides"][0].sum()), int(out["kmers"][0].sum())
    ([2, 2], 4, 4)
    """
    n = len(offsets) - 1
    out = {
        "byte_counts": np.zeros((n_classes, 256), dtype=np.int64),
        "dinucleotides": np.zeros((n_classes, 16), dtype=np.int64),
        "pos_start": np.zeros((n_classes, n_positions, 5), dtype=np.int64),
        "pos_end": np.zeros((n_classes, n_positions, 5), dtype=np.int64),
        "kmers": np.zeros((n_classes, 4 ** k if k else 0), dtype=np.int64),
        "gc": np.zeros(n, dtype=np.int64),
        "hash_exact": np.zeros(n, dtype=np.uint64),
        "hash_canon": np.zeros(n, dtype=np.uint64),
    }
    kernel(np.ascontiguousarray(raw, dtype=np.uint8), np.ascontiguousarray(offsets, np.int64),
            np.ascontiguousarray(cls, np.int64), int(k), BASE_CODES, UPPER, UPPER_T,
            COMPLEMENT_T, out["byte_counts"], out["dinucleotides"], out["pos_start"],
            out["pos_end"], out["kmers"], out["gc"], out["hash_exact"], out["hash_canon"])
    return out
