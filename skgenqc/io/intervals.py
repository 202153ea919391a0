"""Genomic intervals: BED and coordinate tables, ``chrN:start-end`` strings,
the Genomic Benchmarks folder layout, and sequences fetched from a reference.

Coordinates are 0-based and half-open throughout (BED's convention).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from skgenqc.features.encoding import reverse_complement
from skgenqc.io.sequences import _check_file, _strip_compression

_COORD = re.compile(r"^\s*([^:\s]+):([\d,]+)-([\d,]+)(?:\(([+-.])\))?\s*$")


def parse_coordinates(values, *, name="coord"):
    """Parse ``chrN:start-end`` strings (optionally ``(+)``/``(-)``) into columns.

    Parameters
    ----------
    values : iterable of str
    name : str
        Argument name for error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``chrom``, ``start``, ``end`` and ``strand`` when given.

    Examples
    --------
    >>> parse_coordinates(["chr1:100-200", "chrX:5-10"]).values.tolist()
    [['chr1', 100, 200], ['chrX', 5, 10]]
    """
    series = pd.Series(list(values), dtype=object)
    parts = series.astype(str).str.extract(_COORD)
    bad = parts[0].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{name}[{i}] = {series.iloc[i]!r} is not a coordinate; expected 'chrom:start-end'."
        )
    out = pd.DataFrame({
        "chrom": parts[0].to_numpy(),
        "start": parts[1].str.replace(",", "").astype(np.int64).to_numpy(),
        "end": parts[2].str.replace(",", "").astype(np.int64).to_numpy(),
    })
    if parts[3].notna().any():
        out["strand"] = parts[3].fillna(".").to_numpy()
    _check_interval_bounds(out, name)
    return out


def _check_interval_bounds(frame, source):
    if (frame["start"] < 0).any():
        i = int(np.flatnonzero((frame["start"] < 0).to_numpy())[0])
        raise ValueError(f"{source}: start is negative at row {i} ({frame['start'].iloc[i]}).")
    bad = frame["end"] < frame["start"]
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{source}: end < start at row {i} ({frame['start'].iloc[i]}-{frame['end'].iloc[i]})."
        )


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
    path = _check_file(path, "interval file")
    name = _strip_compression(path.name).lower()
    sep = "," if name.endswith(".csv") else "\t"
    head = pd.read_csv(path, sep=sep, nrows=1, header=None, comment="#")
    first = [str(v).lower() for v in head.iloc[0].tolist()]
    aliases = {"chr": "chrom", "chromosome": "chrom", "region": "chrom", "seqnames": "chrom",
               "chromstart": "start", "chromend": "end", "name": "id"}
    if any(v in ("chrom", "chr", "chromosome", "region", "seqnames") for v in first):
        frame = pd.read_csv(path, sep=sep, comment="#")
        frame.columns = [aliases.get(str(c).lower(), str(c).lower()) for c in frame.columns]
    else:
        frame = pd.read_csv(path, sep=sep, header=None, comment="#")
        frame = frame[~frame[0].astype(str).str.startswith(("track", "browser"))]
        names = ["chrom", "start", "end", "id", "score", "strand"]
        frame.columns = names[: frame.shape[1]] + [f"col{i}" for i in range(6, frame.shape[1])]
    missing = [c for c in ("chrom", "start", "end") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{str(path)!r} has no {missing[0]!r} column; expected BED or a table with "
            f"chrom,start,end[,strand]; found columns {list(frame.columns)}."
        )
    for column in ("start", "end"):
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            i = int(np.flatnonzero(values.isna().to_numpy())[0])
            raise ValueError(
                f"{str(path)!r}: column {column!r} is not an integer at row {i} "
                f"({frame[column].iloc[i]!r})."
            )
        frame[column] = values.astype(np.int64)
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
    _check_interval_bounds(frame, repr(str(path)))
    return frame.reset_index(drop=True)


def fetch_sequences(intervals, reference):
    """Fetch the sequence of each interval from a reference FASTA (via pyfaidx).

    Intervals on the ``-`` strand are reverse-complemented. Chromosome names
    are matched as given, then with or without a ``chr`` prefix.

    Parameters
    ----------
    intervals : pandas.DataFrame
        With ``chrom``, ``start``, ``end`` and optionally ``strand``.
    reference : str, path-like or pyfaidx.Fasta

    Returns
    -------
    list of str
    """
    import pyfaidx

    fasta = reference if isinstance(reference, pyfaidx.Fasta) else pyfaidx.Fasta(
        str(_check_file(reference, "reference FASTA")), sequence_always_upper=False,
        rebuild=False)
    names = set(fasta.keys())
    strands = intervals["strand"] if "strand" in intervals.columns else ["."] * len(intervals)
    out = []
    for chrom, start, end, strand in zip(intervals["chrom"], intervals["start"],
                                         intervals["end"], strands):
        key = _match_name(str(chrom), names)
        if end > len(fasta[key]):
            raise ValueError(
                f"interval {chrom}:{start}-{end} ends past the end of {key!r} "
                f"({len(fasta[key])} bp) in the reference."
            )
        seq = str(fasta[key][int(start):int(end)])
        out.append(reverse_complement(seq) if strand == "-" else seq)
    return out


def _match_name(chrom, names):
    for candidate in (chrom, f"chr{chrom}", chrom[3:] if chrom.startswith("chr") else None,
                      "MT" if chrom == "chrM" else None, "chrM" if chrom == "MT" else None):
        if candidate and candidate in names:
            return candidate
    raise ValueError(
        f"chromosome {chrom!r} is not in the reference; it has e.g. {sorted(names)[:5]}."
    )


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
            frame = pd.read_csv(path)
            frame = frame.rename(columns={"region": "chrom"})
            missing = [c for c in ("chrom", "start", "end") if c not in frame.columns]
            if missing:
                raise ValueError(f"{str(path)!r} has no {missing[0]!r} (or 'region') column.")
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
