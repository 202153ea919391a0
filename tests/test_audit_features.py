"""One feature rule for the audit: ``table_features``, in Python and behind ``skgenqc audit``.

- id-like columns (identifiers, cluster labels) and coordinates (start, end, pos...) are
  left out by the default rule, with a warning naming them, never used silently;
- ``--sequence-column``/``--kmer-k``/``--composition`` audit sequences;
- the features used, the rule and the columns left out are in the report (JSON, HTML,
  ``Report.from_json``);
- bad inputs are one error line naming the option.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from skgenqc import Report
from skgenqc.audit import LeakageAuditor, id_like_columns, table_features
from skgenqc.cli import main

MIRNA = "genbenchqc_examples/miRNA_mRNA_pairs_dataset.tsv"
FAST = ["--n-splits", "3", "--n-permutations", "3", "--quiet"]


@pytest.fixture
def mirna(shared_data):
    path = shared_data / MIRNA
    if not path.is_file():
        pytest.skip(f"{MIRNA} is not in the shared data folder")
    return path


@pytest.mark.parametrize("name", ["start", "end", "chromStart", "chromEnd", "chrom_start",
                                  "txEnd", "pos", "position", "POS", "gene_cluster_ID", "id",
                                  "sample_id"])
def test_coordinates_and_ids_are_id_like_by_name(name):
    frame = pd.DataFrame({name: [1.5, 1.5, 2.5]})  # values alone would not make it id-like
    assert id_like_columns(frame) == [name]


@pytest.mark.parametrize("name", ["length", "gc", "endpoint", "starts", "depth", "positive"])
def test_measurements_are_not_id_like(name):
    assert id_like_columns(pd.DataFrame({name: [1.5, 1.5, 2.5]})) == []


def _table(n=40, seed=0):
    rng = np.random.default_rng(seed)
    bases = np.array(list("ACGT"))
    return pd.DataFrame({"seq": ["".join(rng.choice(bases, 30)) for _ in range(n)],
                         "gc": rng.normal(size=n), "start": rng.integers(0, 10**6, n),
                         "gene_cluster_ID": rng.integers(0, 5, n), "label": np.arange(n) % 2})


def test_default_rule_warns_and_leaves_out_ids_and_coordinates():
    with pytest.warns(UserWarning, match=r"\['start', 'gene_cluster_ID'\].*features= to use"):
        X, info = table_features(_table(), exclude=["label"])
    assert list(X.columns) == ["gc"] == info["features"]
    assert info["excluded_id_like"] == ["start", "gene_cluster_ID"]


def test_named_features_are_used_as_named_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, info = table_features(_table(), features=["gc", "start"])
    assert info["features"] == ["gc", "start"] and info["excluded_id_like"] == []
    assert info["rule"] == "as named"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"kmer_k": 0, "sequence_column": "seq"}, ValueError, "kmer_k=0 must be an integer from 1"),
    ({"kmer_k": 9, "sequence_column": "seq"}, ValueError, "kmer_k=9"),
    ({"kmer_k": 3}, ValueError, "give sequence_column= too"),
    ({"sequence_column": "seq"}, ValueError, "needs kmer_k="),
    ({"sequence_column": "gc", "kmer_k": 2}, TypeError, "sequence_column='gc' holds values"),
    ({"sequence_column": "nope", "kmer_k": 2}, ValueError, "names 'nope', which is not a column"),
    ({"features": ["seq"]}, ValueError, "features= names 'seq', which holds text"),
    ({"features": ["gc", "nope"]}, ValueError, "features= names 'nope'"),
])
def test_bad_inputs_name_the_argument(kwargs, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace("[", r"\[")):
        table_features(_table(), **kwargs)


def test_auditor_records_the_features_and_they_round_trip(tmp_path):
    table = _table(60)
    X, info = table_features(table, features=["gc"], sequence_column="seq", kmer_k=2)
    auditor = LeakageAuditor(LogisticRegression(max_iter=500),
                             cv=StratifiedKFold(3, shuffle=True, random_state=0),
                             n_permutations=2, n_repeats=1, random_state=0)
    report = auditor.audit(X.to_numpy(), table["label"], feature_info=info)
    assert report.metadata["features"] == info["features"]  # 1 + 16 columns
    assert report.metadata["n_features"] == 17 == X.shape[1]
    assert report.metadata["feature_rule"] == "as named"
    assert report.metadata["excluded_id_like"] == []
    back = Report.from_json(report.to_json())
    for key in ("features", "feature_rule", "excluded_id_like", "n_features"):
        assert back.metadata[key] == report.metadata[key]
    html = report.to_html()
    assert "seq:AA" in html and "feature_rule" in html
    with pytest.raises(TypeError, match="feature_info must be the info dict"):
        auditor.audit(X.to_numpy(), table["label"], feature_info=["gc"])
    with pytest.raises(ValueError, match="feature_info lists 17 features but X has 1 columns"):
        auditor.audit(X[["gc"]].to_numpy(), table["label"], feature_info=info)


def _stderr_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_real_mirna_default_rule_uses_no_id_or_coordinate(runner, mirna, tmp_path):
    """The miRNA table's only numeric columns are gene_cluster_ID, start and end: none is used."""
    result = runner.invoke(main, ["audit", str(mirna), "--target", "label",
                                  "--groups", "noncodingRNA_fam", *FAST])
    assert result.exit_code == 2, result.output
    warning, error = _stderr_lines(result)
    assert warning.startswith("warning: left out id-like column(s) ['start', 'end', "
                              "'gene_cluster_ID']") and "name them in --features" in warning
    assert error.startswith("error: no feature columns: give --features or --sequence-column")


def test_real_mirna_with_a_measured_column_records_what_was_left_out(runner, mirna, tmp_path):
    """A GC fraction measured on the real ``gene`` sequences beside the id and coordinates."""
    table = pd.read_csv(mirna, sep="\t")
    table["gc"] = table["gene"].map(lambda s: (s.count("G") + s.count("C")) / len(s))
    path, out = tmp_path / "mirna_gc.tsv", tmp_path / "audit.json"
    table.to_csv(path, sep="\t", index=False)
    result = runner.invoke(main, ["audit", str(path), "--target", "label",
                                  "--groups", "noncodingRNA_fam", "--json", str(out), *FAST])
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "left out id-like column(s) ['start', 'end', 'gene_cluster_ID']" in result.stderr
    meta = json.loads(out.read_text())["metadata"]
    assert meta["features"] == ["gc"]
    assert meta["excluded_id_like"] == ["start", "end", "gene_cluster_ID"]
    assert meta["feature_rule"] == "numeric columns, id-like ones left out"


def test_real_mirna_sequences_through_kmer_counts(runner, mirna, tmp_path):
    out, html = tmp_path / "audit.json", tmp_path / "audit.html"
    result = runner.invoke(main, ["audit", str(mirna), "--target", "label",
                                  "--groups", "noncodingRNA_fam", "--sequence-column", "gene",
                                  "--kmer-k", "3", "--json", str(out), "--html", str(html),
                                  *FAST])
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "warning: left out" not in result.stderr
    meta = json.loads(out.read_text())["metadata"]
    assert len(meta["features"]) == 64 and all(f.startswith("gene:") for f in meta["features"])
    assert not {"gene_cluster_ID", "start", "end"} & set(meta["features"])
    assert meta["feature_rule"] == "sequence features only"
    page = html.read_text()
    assert "gene:AAA" in page and "and 44 more" in page  # the first 20 of 64, with a count
    assert Report.from_json(out).metadata["features"] == meta["features"]


@pytest.mark.parametrize("args, words", [
    (["--sequence-column", "gene", "--kmer-k", "0"], "--kmer-k 0 must be an integer from 1 to 8"),
    (["--kmer-k", "3"], "--kmer-k or --composition featurize a sequence column: give "
                        "--sequence-column too"),
    (["--composition"], "--kmer-k or --composition featurize"),
    (["--sequence-column", "start", "--kmer-k", "3"], "--sequence-column start holds values"),
    (["--sequence-column", "nope", "--kmer-k", "3"], "--sequence-column names 'nope'"),
    (["--sequence-column", "gene"], "--sequence-column gene needs --kmer-k"),
    (["--features", "gene"], "--features names 'gene', which holds text"),
])
def test_real_mirna_bad_inputs_are_one_error_line_naming_the_option(runner, mirna, args, words):
    result = runner.invoke(main, ["audit", str(mirna), "--target", "label",
                                  "--groups", "noncodingRNA_fam", *args, *FAST])
    assert result.exit_code == 2, result.output
    lines = _stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert "kmer_k" not in lines[0] and "sequence_column" not in lines[0]
