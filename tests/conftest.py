"""Shared fixtures: the real third-party data beside the repository, and generators."""

from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data():
    """Folder of real datasets (../shared/data); tests using it skip, visibly, without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is not present beside the repository")
    return SHARED_DATA


def random_sequences(rng, n, length, gc=0.5):
    """n random DNA sequences of one length with a given GC probability."""
    p = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    codes = rng.choice(4, size=(n, length), p=p)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)[codes]
    return [row.tobytes().decode() for row in letters]


def mutate(rng, seq, identity):
    """Substitute round((1 - identity) * len) distinct positions."""
    seq = list(seq)
    n = int(round((1 - identity) * len(seq)))
    for pos in rng.choice(len(seq), size=n, replace=False):
        seq[pos] = rng.choice([b for b in "ACGT" if b != seq[pos]])
    return "".join(seq)


def pytest_collection_modifyitems(config, items):
    """Leave out scikit-learn's array-API check: it needs SCIPY_ARRAY_API set at import and
    array-api-strict installed, and skgenqc's estimators do not claim array-API support, so it
    would only ever skip. Deselected, the run reports it as such instead of as a skip."""
    keep, drop = [], []
    for item in items:
        (drop if "check_array_api_input" in item.nodeid else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
