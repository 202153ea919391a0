"""The compiled kernel of the identity search: edit distance with end overhangs at half cost.

Kept apart from :mod:`skgenqc.features.similarity` so that numba is imported (and the
kernel compiled, once per process: not cached on disk: numba writes its cache beside the installed source, and those files outlive ``pip uninstall``, leaving a stray ``skgenqc`` folder that shadows a later install) only when a search verifies candidates, not on
``import skgenqc``.  The distance is in *doubled units* so that it stays an integer:
an internal substitution, insertion or deletion costs 2 and a base of either
sequence left over at either end (an overhang) costs 1.  Half of it is
:func:`skgenqc.features.similarity.sequence_identity`'s distance before the
length-difference floor.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True)
def overlap_distances2(a_codes, a_start, a_len, b_codes, b_start, b_len, cutoff, out):  # pragma: no cover
    """Doubled end-gap-halved edit distance of pairs ``(a[p], b[p])``, capped at ``cutoff[p] + 1``.

    ``a_codes[a_start[p]:a_start[p] + a_len[p]]`` is the p-th first member
    (character codes), likewise for ``b``.  Cells with ``|i - j| > cutoff`` are never
    computed: a path through one costs at least ``|i - j|``.  A row whose
    smallest cell exceeds the cutoff, or reaches the best finish found so far,
    ends the pair early, since costs only grow along a path.  (Compiled by
    numba, so coverage tools cannot see it run.)
    """
    n_pairs = cutoff.shape[0]
    longest = 0
    for p in range(n_pairs):
        longest = max(longest, b_len[p])
    rows = np.empty((2, longest + 2), dtype=np.int32)  # the previous and the current row
    for p in range(n_pairs):
        a0 = a_start[p]
        m = a_len[p]
        b0 = b_start[p]
        n = b_len[p]
        b = b_codes[b0:b0 + n]
        c = np.int32(cutoff[p])
        big = np.int32(c + 1)  # any value above the cutoff: all that matters is 'too far'
        best = big
        hi = min(n, c)
        prev = rows[0]
        cur = rows[1]
        for j in range(hi + 1):
            prev[j] = j  # row 0: the first j bases of b overhang
        if hi + 1 <= n:
            prev[hi + 1] = big
        if n <= c:
            best = min(best, np.int32(n + m))  # all of b, then all of a, overhang
        for i in range(1, m + 1):
            prev = rows[(i - 1) & 1]
            cur = rows[i & 1]
            lo = max(0, i - c)
            hi = min(n, i + c)
            if lo > hi:
                break
            if lo == 0:
                cur[0] = i  # the first i bases of a overhang
                start = 1
                row_min = np.int32(i)
            else:
                cur[lo - 1] = big  # outside the band
                start = lo
                row_min = big
            ai = a_codes[a0 + i - 1]
            left = cur[start - 1]
            for j in range(start, hi + 1):
                v = prev[j - 1] + (0 if ai == b[j - 1] else 2)
                d = prev[j] + 2
                v = d if d < v else v
                d = left + 2
                v = d if d < v else v
                v = big if v > big else v
                cur[j] = v
                left = v
                row_min = v if v < row_min else row_min
            if hi + 1 <= n:
                cur[hi + 1] = big
            if hi == n:
                best = min(best, np.int32(cur[n] + (m - i)))  # the rest of a overhangs
            if row_min >= best or row_min > c:
                break
            if i == m:
                for j in range(lo, hi + 1):
                    best = min(best, np.int32(cur[j] + (n - j)))  # the rest of b overhangs
        out[p] = min(best, big)
