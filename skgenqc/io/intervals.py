"""Genomic intervals: BED and coordinate tables, ``chrN:start-end`` strings,
the Genomic Benchmarks folder layout, and sequences fetched from a reference.

Coordinates are 0-based and half-open throughout (BED's convention).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from skgenqc._core.genome import (  # noqa: F401  (parse_coordinates is re-exported)
    INTERVAL_ALIASES,
    check_interval_bounds,
    chromosome_sort_key,
    integer_coordinates,
    list_chromosomes,
    normalize_chromosome,
    parse_coordinates,
)
from skgenqc._core.sequences import reverse_complement
from skgenqc.io.sequences import _parser_error, _strip_compression
from skgenqc.io.sources import (
    DECOMPRESSION_ERRORS,
    check_input,
    is_stream,
    read_error,
    read_stream,
)

# Lines that BED files may carry besides intervals (UCSC conventions).
_NON_DATA_PREFIXES = ("#", "track", "browser")
_CHROM_NAMES = ("chrom", "chr", "chromosome", "region", "seqnames")


def _leading_non_data(path, data=None):
    """Count the comment/track/browser/blank lines before the first data line.

    pandas cannot skip ``track``/``browser`` lines itself, and reading them as
    data breaks its column count, so they are skipped by number.

    Returns
    -------
    (int, str or None)
        Lines to skip, and the first data line (``None`` when there is none).
    """
    import xopen  # dnaio's own dependency; opens .gz/.bz2/.xz like pandas does

    skipped = 0
    try:
        # utf-8-sig: a byte order mark must not hide a "chrom" header
        with (xopen.xopen(path, "rt", encoding="utf-8-sig") if data is None
              else io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")) as handle:
            for line in handle:
                if line.strip() and not line.startswith(_NON_DATA_PREFIXES):
                    return skipped, line
                skipped += 1
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, "a BED file or an interval table") from None
    return skipped, None


def read_intervals(path, *, label_column=None):
    """Read a BED file or a ``chrom,start,end[,strand]`` table.

    A file whose first line names the columns is read as a table (``chrom`` may
    also be called ``chr``, ``chromosome`` or ``region``); otherwise it is read
    as BED (tab-separated, no header, ``#``/``track``/``browser`` lines skipped;
    column 6 is the strand).

    Parameters
    ----------
    path : str or path-like
    label_column : str, optional
        Column to copy into ``label``.

    Returns
    -------
    pandas.DataFrame
        Columns ``chrom``, ``start``, ``end``, ``strand``, ``id`` (+ others kept).

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.bed")
    >>> _ = open(p, "w").write("chr1\\t10\\t20\\tpeak1\\t0\\t-\\n")
    >>> read_intervals(p)[["chrom", "start", "end", "strand", "id"]].values.tolist()
    [['chr1', 10, 20, '-', 'peak1']]
    """
    path = check_input(path, "interval file")
    name = _strip_compression(path.name).lower()
    sep = "," if name.endswith(".csv") else "\t"
    data = read_stream(path, "interval file", "a BED file or an interval table") \
        if is_stream(path) else None
    skipped, first = _leading_non_data(path, data)
    if first is None:
        raise ValueError(
            f"{str(path)!r} holds no intervals (only comment, track, browser or blank lines); "
            "expected BED lines or a chrom,start,end table."
        )
    cells = [c.strip().strip("\"'").lower() for c in first.rstrip("\r\n").split(sep)]
    has_header = any(c in _CHROM_NAMES for c in cells)
    aliases = {**INTERVAL_ALIASES, "name": "id"}
    try:
        # Blank lines are kept (and dropped below) so row i is line skipped + header + i + 1,
        # which lets every error name the real line of the file.
        frame = pd.read_csv(path if data is None else io.BytesIO(data), sep=sep,
                            skiprows=skipped, header=0 if has_header else None,
                            skip_blank_lines=False, encoding="utf-8-sig")
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, sep) from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, "a BED file or an interval table") from None
    lines = np.arange(len(frame)) + skipped + int(has_header) + 1
    first_column = frame.iloc[:, 0].astype(str)
    data_rows = ~(frame.isna().all(axis=1) | first_column.str.startswith(_NON_DATA_PREFIXES))
    frame, lines = frame[data_rows.to_numpy()].reset_index(drop=True), lines[data_rows.to_numpy()]
    if has_header:
        # Interval columns are matched without case; any other column keeps its name, so that
        # options naming it (--pair-columns noncodingRNA) still find it.
        known = {"chrom", "start", "end", "strand", "id", "name", "score", "label"}
        original = [str(c) for c in frame.columns]
        frame.columns = [aliases.get(c.lower(), c.lower() if c.lower() in known else c)
                         for c in original]
        # A column read under an alias (chr -> chrom) is also kept under its own name, so an
        # option that names it as the file does (--chrom-column chr) still finds it.
        renamed = {o: c for o, c in zip(original, frame.columns)
                   if o != c and o not in frame.columns}
    else:
        renamed = {}
        names = ["chrom", "start", "end", "id", "score", "strand"]
        frame.columns = names[: frame.shape[1]] + [f"col{i}" for i in range(6, frame.shape[1])]
    missing = [c for c in ("chrom", "start", "end") if c not in frame.columns]
    if missing:
        hint = (" Are the fields separated by spaces? BED needs tabs."
                if frame.shape[1] == 1 and sep == "\t" and " " in first else "")
        raise ValueError(
            f"{str(path)!r} has no {missing[0]!r} column; expected BED or a table with "
            f"chrom,start,end[,strand]; found columns {list(frame.columns)}.{hint}"
        )
    if frame.empty:
        raise ValueError(f"{str(path)!r} holds a header but no intervals.")

    def where(i):
        return f"{str(path)!r} line {lines[i]}"

    if frame["chrom"].isna().any():
        raise ValueError(
            f"{where(int(np.flatnonzero(frame['chrom'].isna().to_numpy())[0]))}: column 'chrom' "
            "is empty; expected a chromosome name."
        )
    frame = integer_coordinates(frame, where)
    frame["chrom"] = frame["chrom"].astype(str)
    if "strand" not in frame.columns:
        frame["strand"] = "."
    if "id" not in frame.columns:
        frame["id"] = [f"{c}:{s}-{e}" for c, s, e in zip(frame["chrom"], frame["start"], frame["end"])]
    frame["id"] = frame["id"].astype(str)
    if label_column is not None:
        if label_column not in frame.columns:
            raise ValueError(f"label_column={label_column!r} is not a column of {str(path)!r}.")
        frame["label"] = frame[label_column]
    check_interval_bounds(frame, where)
    for name, canonical in renamed.items():
        frame[name] = frame[canonical]
    return frame.reset_index(drop=True)


def fetch_sequences(intervals, reference):
    """Fetch the sequence of each interval from a reference FASTA (via pyfaidx).

    Intervals on the ``-`` strand are reverse-complemented. Chromosome names
    are matched as :func:`skgenqc._core.genome.normalize_chromosome` matches
    them (``1`` = ``chr1``, ``MT`` = ``chrM``); every name the reference lacks
    is listed in one error.

    Parameters
    ----------
    intervals : pandas.DataFrame
        With ``chrom``, ``start``, ``end`` and optionally ``strand``.
    reference : str, path-like or pyfaidx.Fasta

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        For chromosomes the reference does not hold, or intervals ending past
        the end of their chromosome.

    Examples
    --------
    >>> import os, tempfile
    >>> fa = os.path.join(tempfile.mkdtemp(), "g.fa")
    >>> _ = open(fa, "w").write(">chr1\\nAACCGGTTAC\\n")
    >>> frame = pd.DataFrame({"chrom": ["1", "chr1"], "start": [0, 2], "end": [4, 6],
    ...                       "strand": ["+", "-"]})
    >>> fetch_sequences(frame, fa)
    ['AACC', 'CCGG']
    """
    import pyfaidx

    if isinstance(reference, pyfaidx.Fasta):
        fasta = reference
    else:
        path = check_input(reference, "reference FASTA")
        try:
            fasta = pyfaidx.Fasta(str(path), sequence_always_upper=False, rebuild=False)
        except (pyfaidx.FastaIndexingError, UnicodeDecodeError, OSError) as err:
            raise ValueError(f"reference FASTA {str(path)!r} could not be indexed as a FASTA "
                             f"genome ({type(err).__name__}: {err}).") from None
    keys = reference_names(intervals["chrom"], list(fasta.keys()))
    strands = intervals["strand"] if "strand" in intervals.columns else ["."] * len(intervals)
    out = []
    for chrom, start, end, strand in zip(intervals["chrom"], intervals["start"],
                                         intervals["end"], strands):
        key = keys[str(chrom)]
        if end > len(fasta[key]):
            raise ValueError(
                f"interval {chrom}:{start}-{end} ends past the end of {key!r} "
                f"({len(fasta[key])} bp) in the reference."
            )
        seq = str(fasta[key][int(start):int(end)])
        out.append(reverse_complement(seq) if strand == "-" else seq)
    return out


def reference_names(chroms, names):
    """Map each chromosome name of the intervals to the reference's name for it.

    A name matches as given, else through
    :func:`~skgenqc._core.genome.normalize_chromosome` (``1`` = ``chr1``,
    ``MT`` = ``chrM``).

    Parameters
    ----------
    chroms : iterable of str
        The intervals' chromosome names.
    names : list of str
        The reference's sequence names.

    Returns
    -------
    dict of str to str

    Raises
    ------
    ValueError
        Listing every chromosome the reference lacks, with a hint when the two
        differ by a ``chr`` prefix convention.

    Examples
    --------
    >>> reference_names(["1", "chrX"], ["chr1", "X"])
    {'1': 'chr1', 'chrX': 'X'}
    >>> reference_names(["chr1", "chr9"], ["chr1", "chr2"])
    Traceback (most recent call last):
    ...
    ValueError: the reference lacks 1 chromosome the intervals name: chr9; it holds chr1, chr2. ...
    """
    wanted = sorted({str(c) for c in chroms}, key=chromosome_sort_key)
    exact = set(names)
    canonical = {}
    for name in names:
        canonical.setdefault(normalize_chromosome(name), name)
    out, missing = {}, []
    for chrom in wanted:
        key = chrom if chrom in exact else canonical.get(normalize_chromosome(chrom))
        if key is None:
            missing.append(chrom)
        else:
            out[chrom] = key
    if missing:
        # Numbered chromosomes match across conventions; other names (scaffolds) need the same one.
        prefixed = [n for n in names if n.lower().startswith("chr")]
        convention = (" The intervals and the reference also differ in using a 'chr' prefix for "
                      "other names; rename one side."
                      if any(c.lower().startswith("chr") for c in missing) != bool(prefixed)
                      else "")
        raise ValueError(
            f"the reference lacks {len(missing)} chromosome{'s' if len(missing) > 1 else ''} "
            f"the intervals name: {list_chromosomes(missing, limit=20)}; it holds "
            f"{list_chromosomes(names, limit=20)}. Names are matched with or without a 'chr' "
            f"prefix (1 = chr1, MT = chrM), so these are missing under either name; is it the "
            f"genome (assembly) the intervals were called on?{convention}")
    return out


def _read_benchmark_csv(path):
    """One ``<split>/<class>.csv.gz`` file, with its coordinates checked."""
    path = check_input(path, "Genomic Benchmarks file")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} holds no header and no rows; expected "
                         "id,region,start,end,strand columns.") from None
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, ",") from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, "a Genomic Benchmarks CSV file") from None
    frame = frame.rename(columns={"region": "chrom"})
    missing = [c for c in ("chrom", "start", "end") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{str(path)!r} has no {missing[0]!r} (or 'region') column; its columns are "
            f"{list(frame.columns)}."
        )

    def where(i):  # line 1 is the header
        return f"{str(path)!r} line {i + 2}"

    frame = integer_coordinates(frame, where)
    check_interval_bounds(frame, where)
    return frame


def read_genomic_benchmark(folder, *, reference=None):
    """Read a dataset in the Genomic Benchmarks layout ``<name>/{train,test}/<class>.csv.gz``.

    Parameters
    ----------
    folder : str or path-like
        The dataset folder (holding ``train/`` and/or ``test/``).
    reference : str, path-like or pyfaidx.Fasta, optional
        Reference genome FASTA; when given, a ``sequence`` column is fetched.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``chrom``, ``start``, ``end``, ``strand``, ``label``, ``split``
        (+ ``sequence``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not a folder.")
    frames = []
    for split in ("train", "test"):
        for path in sorted((folder / split).glob("*.csv*")):
            frame = _read_benchmark_csv(path)
            frame["label"] = _strip_compression(path.name).rsplit(".", 1)[0]
            frame["split"] = split
            frames.append(frame)
    if not frames:
        raise ValueError(
            f"folder={str(folder)!r} has no train/<class>.csv.gz or test/<class>.csv.gz files."
        )
    data = pd.concat(frames, ignore_index=True)
    data["chrom"] = data["chrom"].astype(str)
    if "id" not in data.columns:
        data["id"] = np.arange(len(data)).astype(str)
    data["id"] = data["split"] + "/" + data["label"] + "/" + data["id"].astype(str)
    if "strand" not in data.columns:
        data["strand"] = "."
    if reference is not None:
        data["sequence"] = fetch_sequences(data, reference)
    return data
