"""The audit command on bad --features: a click error naming the option and the column."""

import numpy as np
import pandas as pd
from click.testing import CliRunner

from skgenqc.cli import main


def _table(path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=40), "sequence": ["ACGTTGCA" * 3] * 40,
                          "label": np.arange(40) % 2})
    frame.to_csv(path, index=False)


def test_features_naming_a_text_column_is_a_click_error(tmp_path):
    table = tmp_path / "t.csv"
    _table(table)
    out = tmp_path / "audit.json"
    result = CliRunner().invoke(main, ["audit", str(table), "--target", "label", "--features",
                                       "a,sequence", "--n-permutations", "1", "--json", str(out)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Invalid value for '--features'" in result.output
    assert "'sequence' holds text" in result.output and "ACGTTGCA" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_features_missing_column(tmp_path):
    table = tmp_path / "t.csv"
    _table(table)
    result = CliRunner().invoke(main, ["audit", str(table), "--target", "label", "--features",
                                       "a,nope"])
    assert result.exit_code == 2 and "--features 'nope' is not a column" in result.output
