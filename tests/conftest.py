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


def dinucleotide_shuffle(rng, seq):
    """Altschul-Erikson shuffle: a random sequence with seq's dinucleotide counts and ends.

    The last exit edge of every letter but the final one is drawn as a random arborescence
    towards the final letter (loop-erased random walks); the other edges of each letter are
    shuffled and the walk from the first letter uses them all (an Eulerian path).
    """
    if len(seq) < 3:
        return seq
    edges = {}
    for a, b in zip(seq[:-1], seq[1:]):
        edges.setdefault(a, []).append(b)
    last = seq[-1]
    in_tree, chosen = {last}, {}
    for start in edges:
        u = start
        while u not in in_tree:
            chosen[u] = int(rng.integers(len(edges[u])))
            u = edges[u][chosen[u]]
        u = start
        while u not in in_tree:
            in_tree.add(u)
            u = edges[u][chosen[u]]
    order = {}
    for v, out in edges.items():
        out = list(out)
        tail = [out.pop(chosen[v])] if v in chosen else []
        rng.shuffle(out)
        order[v] = out + tail
    walk, u = [seq[0]], seq[0]
    for _ in range(len(seq) - 1):
        u = order[u].pop(0)
        walk.append(u)
    return "".join(walk)


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


@pytest.fixture
def runner():
    """A click test runner that keeps stderr apart from stdout, on every click release."""
    from click.testing import CliRunner

    try:  # click < 8.2 mixes stderr into output unless told not to; 8.2 removed the option
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


@pytest.fixture
def interrupt_write(monkeypatch):
    """Make the n-th file write stop half-way with KeyboardInterrupt, as Ctrl-C would.

    ``interrupt_write(n)`` arms it and returns its state: ``calls`` (writes so far) and
    ``data`` (what each write was given). ``interrupt_write(None)`` only records.
    """
    import skgenqc._core.files as files

    real = files._write_handle
    state = {"calls": 0, "at": None, "data": []}

    def write(handle, data, path):
        state["calls"] += 1
        state["data"].append(bytes(data))
        if state["calls"] == state["at"]:
            handle.write(data[: len(data) // 2])  # the temporary file holds half of it
            handle.flush()
            raise KeyboardInterrupt
        real(handle, data, path)

    monkeypatch.setattr(files, "_write_handle", write)

    def arm(at):
        state["at"] = at
        return state

    return arm
