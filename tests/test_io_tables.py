"""A sequence table's interval columns under other names (chr, chromStart) are read as intervals."""

import pandas as pd

from skgenqc import DatasetQC
from skgenqc.io import read_sequences


def test_aliased_interval_columns_get_their_own_names_and_keep_theirs(tmp_path):
    path = tmp_path / "t.tsv"
    pd.DataFrame({"sequence": ["ACGTACGT", "GGGGCCCC", "ACGTACGT"], "label": [0, 1, 1],
                  "Chr": ["1", "1", "2"], "chromStart": [10, 10, 50],
                  "chromEnd": [20, 20, 60]}).to_csv(path, sep="\t", index=False)
    frame = read_sequences([path])
    assert {"Chr", "chromStart", "chromEnd"} <= set(frame.columns)      # kept, for --options
    assert frame[["chrom", "start", "end"]].astype(str).values.tolist() == [["1", "10", "20"], ["1", "10", "20"],
                                                                ["2", "50", "60"]]
    report = DatasetQC(checks=["intervals"]).run(frame)
    assert report["interval_duplicates"].evidence["n_redundant"] == 1
