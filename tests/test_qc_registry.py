"""The QC check registry: what DatasetQC runs, what --checks accepts and the docs' table."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from conftest import random_sequences
from skgenqc import DatasetQC, Finding
from skgenqc.cli import main
from skgenqc.datasets import data_path
from skgenqc.qc import (
    ALL_CHECKS,
    QCContext,
    check_names,
    check_table,
    finding_names,
    register_check,
    registered_checks,
    resolve_checks,
    unregister_check,
)

ROOT = Path(__file__).resolve().parents[1]
G4 = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]


@pytest.fixture
def temporary_check():
    """Register a check for one test and remove it afterwards."""
    names = []

    def register(name, **kwargs):
        def decorator(func):
            register_check(name, **kwargs)(func)
            names.append(name)
            return func
        return decorator

    yield register
    for name in names:
        unregister_check(name)


def _rich(seed=0):
    """Labelled train and test sets with coordinates: every check has what it needs."""
    rng = np.random.default_rng(seed)
    n = 40
    starts = np.arange(n) * 1000
    train = pd.DataFrame({"id": [f"tr{i}" for i in range(n)],
                          "sequence": random_sequences(rng, n, 60), "label": [0, 1] * (n // 2),
                          "chrom": "chr1", "start": starts, "end": starts + 60})
    test = train.assign(id=[f"te{i}" for i in range(n)], sequence=random_sequences(rng, n, 60),
                        chrom="chr2")
    return train, test


# ---------------------------------------------------------------- the registry itself

def _produced(report):
    known = set(finding_names())
    bases = {f.check.split("[", 1)[0] for f in report}   # a sequence-column suffix: [gene]
    return {name if name in known else name.rsplit("_", 1)[0] for name in bases}


def test_every_check_runs_and_produces_exactly_what_it_declares():
    train, test = _rich()
    report = DatasetQC(context=10).run(train, X_test=test)  # context: the window finding too
    # checks="all" on single sequences leaves out the pair checks (they need two columns).
    single = [spec for spec in registered_checks() if "pairs" not in spec.needs]
    assert _produced(report) == {name for spec in single for name in spec.produces}
    assert report.metadata["checks"] == sorted(spec.name for spec in single)
    assert "skipped_checks" not in report.metadata
    # As pair data (a second partner column) every registered check runs.
    rng = np.random.default_rng(1)
    partner = {"partner": random_sequences(rng, len(train), 22)}
    report = DatasetQC(context=10).run(train.assign(**partner), X_test=test.assign(**partner),
                                       sequence_columns=["sequence", "partner"])
    assert _produced(report) == set(finding_names())
    assert report.metadata["checks"] == sorted(check_names())
    assert "skipped_checks" not in report.metadata


def test_registry_order_is_the_run_order_and_all_checks_is_the_registry():
    assert ALL_CHECKS == tuple(check_names())
    orders = [spec.order for spec in registered_checks()]
    assert orders == sorted(orders)
    assert check_names()[:2] == ["alphabet", "class_sizes"]
    assert len(set(finding_names())) == len(finding_names())


def test_checks_whose_needs_are_missing_are_skipped_and_listed():
    report = DatasetQC().run(["ACGTACGT", "GGGCCCAA"])  # no labels, no test, no coordinates
    skipped = report.metadata["skipped_checks"]
    assert set(skipped) == {"class_sizes", "composition", "positional", "kmers", "shortcut",
                            "constructed", "leakage", "shift", "train_test_labels", "intervals",
                            "lookup"}
    assert "a test set" in skipped["leakage"]
    assert {f.check for f in report} == {"alphabet", "lowercase_share", "duplicates_within_class",
                                         "label_conflicts", "reverse_complement_duplicates",
                                         "near_duplicates"}


def test_a_registered_check_joins_dataset_qc_resolve_and_the_table(temporary_check):
    seen = []

    @temporary_check("n_count", pitfall="data validity", needs=("labels",), order=25,
                     produces=("n_share",), summary="share of N bases")
    def n_count(ctx):
        seen.append(ctx)
        seqs = ctx.shared["seqs"]
        n = sum(s.upper().count("N") for s in seqs)
        total = sum(len(s) for s in seqs)
        return [Finding("n_share", "N share", "warn" if n else "pass", value=n / total)]

    report = DatasetQC(checks=["n_share"]).run(["ACGN", "ACGT"], [0, 1])
    assert [f.check for f in report] == ["n_share"]
    assert report["n_share"].value == 0.125
    assert isinstance(seen[0], QCContext) and seen[0].data["id"].tolist() == ["0", "1"]
    assert check_names().index("n_count") == 2  # between class_sizes (20) and composition (30)
    assert "n_count" in check_table()["check"].tolist()
    assert resolve_checks(["n_share", "alphabet"]) == ["alphabet", "n_count"]
    # Its needs are honoured: without labels it is skipped.
    assert "n_count" in DatasetQC(checks="n_count").run(["ACGT"]).metadata["skipped_checks"]


@pytest.mark.parametrize("kwargs, words", [
    ({"pitfall": "bad luck"}, "pitfall='bad luck' is not one of"),
    ({"needs": ("coffee",)}, "needs='coffee' is not one of"),
    ({"scope": "galaxy"}, "scope='galaxy' is not one of"),
    ({"produces": ()}, "produces must name at least one finding"),
    ({"produces": ("gc_content",)}, "'gc_content' is already produced by check 'composition'"),
])
def test_register_check_rejects_bad_declarations(kwargs, words):
    declaration = {"pitfall": "confounding", "produces": ("x_finding",), "summary": "x",
                   **kwargs}
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        register_check("x_check", **declaration)(lambda ctx: [])
    assert "x_check" not in check_names()


def test_register_check_refuses_a_second_function_under_a_taken_name():
    with pytest.raises(ValueError, match="a check named 'duplicates' is already registered"):
        register_check("duplicates", pitfall="confounding", produces=("dup2",),
                       summary="x")(lambda ctx: [])


# ---------------------------------------------------------------- names users type

@pytest.mark.parametrize("names, expected", [
    ("all", check_names()),
    ("duplicates", ["duplicates"]),
    (["gc_content", "length", "leakage"], ["composition", "leakage"]),
    (["duplicates_within_class_test"], ["duplicates"]),        # per-split suffix
    (["interval_duplicates_train"], ["intervals"]),
    (["train_test_exact[gene]"], ["leakage"]),                  # sequence-column suffix
    ([" shift ", "class_sizes", "shift"], ["class_sizes", "shift"]),
])
def test_resolve_checks_accepts_check_and_finding_names(names, expected):
    assert resolve_checks(names) == expected


@pytest.mark.parametrize("name", ["dupes", "train_test_exact_test", "gc_content_train"])
def test_unknown_name_error_lists_the_valid_names(name):
    with pytest.raises(ValueError) as err:
        resolve_checks([name])
    message = str(err.value)
    assert f"checks contains {name!r}" in message
    for valid in check_names() + finding_names():
        assert valid in message


def test_finding_names_select_their_check_in_dataset_qc():
    rng = np.random.default_rng(0)
    data = pd.DataFrame({"sequence": random_sequences(rng, 40, 50), "label": [0, 1] * 20})
    report = DatasetQC(checks=["label_conflicts"]).run(data)
    assert report.metadata["checks"] == ["duplicates"]
    assert "label_conflicts" in {f.check for f in report}


# ---------------------------------------------------------------- parameters

@pytest.mark.parametrize("param, value, accepted", [
    ("shortcut_warn", 2, r"a float in the range \[0\.5, 1\.0\]"),
    ("auroc_fail", "x", r"a float in the range \[0\.5, 1\.0\]"),
    ("leak_fail", -0.1, r"a float in the range \[0\.0, 1\.0\]"),
    ("imbalance_warn", 0.5, r"a float in the range \[1\.0, inf\)"),
    ("min_class_size", 0, r"an int in the range \[1, inf\)"),
    ("min_class_size", True, r"an int in the range \[1, inf\)"),
    ("identity_threshold", True, r"a float in the range \[0\.5, 1\.0\]"),
    ("max_samples", 1.5, r"an int in the range \[2, inf\)"),
    ("canonical", "yes", "an instance of 'bool'"),
    ("progress", 1, "an instance of 'bool'"),
    ("random_state", -1, r"an int in the range \[0, inf\)"),
    ("checks", 3, "an instance of 'str'"),
    ("checks", "nope", "'all', or a check or finding name or a list of them"),
    ("checks", ["duplicates", "nope"], "'all', or a check or finding name or a list of them"),
    ("kmer_k", (3, 0), "a non-empty list of positive integers"),
    ("kmer_k", 4, "an array-like"),
    ("kmer_k", [], "a non-empty list of positive integers"),
    ("auroc_warn", 0.8, "at most auroc_fail=0.7"),
    ("imbalance_warn", 20, "at most imbalance_fail=10.0"),
])
def test_bad_parameters_are_rejected_naming_class_parameter_value(param, value, accepted):
    qc = DatasetQC(**{param: value})  # the constructor stores, run validates
    assert getattr(qc, param) == value
    with pytest.raises(InvalidParameterError,
                       match=rf"The '{param}' parameter of DatasetQC must be {accepted}") as err:
        qc.run(["ACGTACGT", "GGCCGGCA"], [0, 1])
    assert f"Got {value!r} instead" in str(err.value)


def test_good_parameters_clone_and_run():
    qc = DatasetQC(checks=("class_sizes", "gc_content"), identity_threshold=1,
                   imbalance_fail=4, kmer_k=range(3, 5), random_state=None, n_jobs=1)
    twin = clone(qc)
    assert twin.get_params() == qc.get_params()
    report = twin.run(["ACGTACGT"] * 4 + ["GGCCGGCA"], [0, 0, 0, 0, 1])
    assert report["class_sizes"].severity == "fail"  # ratio 4 at imbalance_fail=4


# ---------------------------------------------------------------- command line

def test_cli_checks_accepts_finding_names(runner):
    result = runner.invoke(main, ["qc", *G4, "--checks", "gc_content,class_sizes",
                                  "--fail-on", "never"])
    assert result.exit_code == 0, result.output + result.stderr
    printed = {line.split()[1] for line in result.output.splitlines()
               if line.split() and line.split()[0] in {"PASS", "WARN", "FAIL", "INFO"}}
    assert printed == {"class_sizes", "length", "gc_content", "nucleotide_composition",
                       "dinucleotide_composition"}


def test_cli_unknown_check_is_a_usage_error_listing_valid_names(runner):
    result = runner.invoke(main, ["qc", *G4, "--checks", "duplicates,dupes"])
    assert result.exit_code == 2
    assert "checks contains 'dupes'" in result.stderr
    for valid in check_names() + ["gc_content", "train_test_exact"]:
        assert valid in result.stderr


def test_cli_help_lists_the_registered_checks(runner, temporary_check):
    result = runner.invoke(main, ["qc", "--help"])
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert ", ".join(check_names()) in flat


# ---------------------------------------------------------------- docs

def _table_script():
    spec = importlib.util.spec_from_file_location(
        "qc_check_table", ROOT / "docs" / "sphinxext" / "qc_check_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["rst", "md"])
def test_docs_check_table_is_in_sync_with_the_registry(kind):
    script = _table_script()
    path = script.FILES[kind]
    assert path.read_text(encoding="utf-8") == script.expected(kind), (
        f"{path.name} is out of date: run python docs/sphinxext/qc_check_table.py")


def test_docs_check_table_lists_every_check_and_finding():
    script = _table_script()
    for text in (script.render_rst(), script.render_markdown()):
        for name in check_names() + finding_names():
            assert f"`{name}`" in text


def test_docs_table_check_notices_a_new_check(temporary_check):
    script = _table_script()
    before = script.expected("md")

    @temporary_check("extra_check", pitfall="confounding", produces=("extra_finding",),
                     summary="something new")
    def extra(ctx):
        return []

    assert script.expected("md") != before
    assert "`extra_finding`" in script.render_markdown()


def test_report_settings_list_the_checks_that_ran_and_the_skipped_apart():
    from skgenqc import DatasetQC

    report = DatasetQC(checks=["class_sizes", "leakage", "intervals"]).run(
        ["ACGTACGT", "GGCCGGCC", "ACGTTTTT", "GGCCAAAA"], [0, 1, 0, 1])
    assert report.metadata["checks"] == ["class_sizes"]
    assert set(report.metadata["skipped_checks"]) == {"leakage", "intervals"}
