"""A compiled FASTA block parser: records of a byte block straight into a packed buffer.

dnaio's FASTA reader is pure Python (its FASTQ reader is C): a line loop, a
``str.strip`` and a list join per record, which was most of the time of a
streamed summary.  This parser follows dnaio's rules exactly (every line is
stripped of ASCII whitespace; empty lines and lines starting with ``#`` are
skipped; a header is the stripped line after ``>``; sequence lines are
joined) and applies the record-text checks of
:func:`~skgenqc.io.sequences.check_record_text` (sequence letters must be
printable ASCII without spaces; headers hold no control characters), counting
lines as it goes so an error names the record and its line.  It imports numba
and is itself imported only when a FASTA file is streamed.
"""

from __future__ import annotations

import numba
import numpy as np

# Error kinds returned by parse_block.
OK, NO_HEADER, BAD_SEQUENCE, BAD_HEADER = 0, 1, 2, 3


@numba.njit(nogil=True)
def _is_space(b):
    return b == 32 or (9 <= b <= 13) or (28 <= b <= 31)


@numba.njit(nogil=True)
def parse_block(buf, seq_out, seq_offsets, head_start, head_end, head_line, state):
    """Parse the complete lines of ``buf``; returns (n_records, error kind, error position).

    Blocks start at a header line (or the file's start) and end with a complete
    line.  ``seq_offsets[r]`` is where record r's sequence starts in ``seq_out``
    and ``seq_offsets[n]`` where the last ends.  ``state[0]`` is the 1-based
    number of the block's first line; on return, the next line's number, or on
    an error the line of the bad header or record.
    """
    n = len(buf)
    line = state[0]
    n_rec = 0
    out = 0
    i = 0
    while i < n:
        j = i
        while j < n and buf[j] != 10:
            j += 1
        a = i
        b = j
        while a < b and _is_space(buf[a]):
            a += 1
        while b > a and _is_space(buf[b - 1]):
            b -= 1
        if a < b:
            c = buf[a]
            if c == 62:  # '>'
                seq_offsets[n_rec] = out
                head_start[n_rec] = a + 1
                head_end[n_rec] = b
                head_line[n_rec] = line
                n_rec += 1
                for p in range(a + 1, b):
                    h = buf[p]
                    if h == 127 or (h < 32 and h != 9):
                        state[0] = line
                        return n_rec, BAD_HEADER, p - a - 1
            elif c == 35:  # '#': a comment line, which dnaio skips too
                pass
            elif n_rec == 0:
                state[0] = line
                return 0, NO_HEADER, a
            else:
                for p in range(a, b):
                    ch = buf[p]
                    if ch < 33 or ch > 126:
                        state[0] = head_line[n_rec - 1]
                        seq_out[out] = ch
                        return n_rec, BAD_SEQUENCE, out - seq_offsets[n_rec - 1]
                    seq_out[out] = ch
                    out += 1
        line += 1
        i = j + 1
    seq_offsets[n_rec] = out
    state[0] = line
    return n_rec, OK, 0


def parse(buf, line):
    """Parse a block of complete FASTA lines into packed sequences and header bounds.

    Returns
    -------
    dict
        ``raw`` (sequence bytes), ``offsets`` (n + 1), ``head_start``, ``head_end``
        (header bounds in ``buf``), ``head_line`` (line of each header), ``n``,
        ``error`` (kind), ``where`` (position of a bad character in its sequence or
        header, or of a line without a record) and ``line`` (the next line, or the
        line of the error).

    Examples
    --------
    >>> out = parse(np.frombuffer(b">a x\\nAC\\nGT \\n\\n>b\\nT\\n", np.uint8), 1)
    >>> out["raw"].tobytes(), out["offsets"].tolist(), out["head_line"].tolist()
    (b'ACGTT', [0, 4, 5], [1, 5])
    """
    n_max = int(np.count_nonzero(buf == 62)) + 1
    seq_out = np.empty(len(buf) + 1, dtype=np.uint8)
    seq_offsets = np.zeros(n_max + 1, dtype=np.int64)
    head_start = np.zeros(n_max, dtype=np.int64)
    head_end = np.zeros(n_max, dtype=np.int64)
    head_line = np.zeros(n_max, dtype=np.int64)
    state = np.array([line], dtype=np.int64)
    n, error, where = parse_block(buf, seq_out, seq_offsets, head_start, head_end, head_line,
                                  state)
    offsets = seq_offsets[:n + 1]
    return {"raw": seq_out[:offsets[-1]], "offsets": offsets, "head_start": head_start[:n],
            "head_end": head_end[:n], "head_line": head_line[:n], "n": int(n),
            "error": int(error), "where": int(where), "line": int(state[0]),
            "seq_out": seq_out}
