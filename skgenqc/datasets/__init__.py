"""Small real datasets bundled with skgenqc, loaded like ``sklearn.datasets``.

The files come from the genomic-benchmarks-qc (GenBenchQC) examples, MIT
licence (``data/LICENSE``, copyright Katarina Gresova); see ``NOTICE``.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["data_path", "load_g4", "load_enhancers", "load_mirna_pairs"]


def data_path(name):
    """Path of a bundled data file.

    Examples
    --------
    >>> data_path("G4_positives.fasta").endswith("G4_positives.fasta")
    True
    """
    path = resources.files("skgenqc.datasets") / "data" / name
    if not path.is_file():
        known = sorted(p.name for p in (resources.files("skgenqc.datasets") / "data").iterdir())
        raise ValueError(f"no bundled file {name!r}; bundled files are {known}.")
    return str(path)


def load_g4():
    """G-quadruplex positives and negatives: 100 + 100 sequences of 200 bp with N runs.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``sequence``, ``label`` (1 = G4, 0 = negative).

    Examples
    --------
    >>> df = load_g4()
    >>> df["label"].value_counts().to_dict()
    {1: 100, 0: 100}
    """
    from skgenqc.io import read_fasta

    pos = read_fasta(data_path("G4_positives.fasta"), label=1)
    neg = read_fasta(data_path("G4_negatives.fasta"), label=0)
    pos["id"] = "pos_" + pos["id"]
    neg["id"] = "neg_" + neg["id"]
    return pd.concat([pos, neg], ignore_index=True)


def load_enhancers(split="both"):
    """Human enhancer sequences (500 bp) with a train/test split: 303 + 102 rows.

    Parameters
    ----------
    split : {"train", "test", "both"}, default="both"

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``sequence``, ``label`` and ``split``.

    Examples
    --------
    >>> load_enhancers()["split"].value_counts().to_dict()
    {'train': 303, 'test': 102}
    """
    from skgenqc.io import read_table

    if split not in ("train", "test", "both"):
        raise ValueError(f"split={split!r} must be 'train', 'test' or 'both'.")
    frames = []
    for name in ("train", "test"):
        if split in (name, "both"):
            frame = read_table(data_path(f"enhancers_{name}.csv.gz"))
            frame["id"] = name + "_" + frame["id"]
            frame["split"] = name
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def load_mirna_pairs():
    """miRNA-gene pairs: 100 rows with a 50 nt gene site and a 17-28 nt miRNA.

    Returns
    -------
    pandas.DataFrame
        Columns include ``gene``, ``noncodingRNA``, ``noncodingRNA_fam``, ``chr``,
        ``start``, ``end``, ``strand``, ``gene_cluster_ID`` and ``label``.

    Examples
    --------
    >>> df = load_mirna_pairs()
    >>> df.shape[0], bool(df["noncodingRNA"].str.len().between(17, 28).all())
    (100, True)
    """
    return pd.read_csv(data_path("miRNA_mRNA_pairs_dataset.tsv"), sep="\t")
