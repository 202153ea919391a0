"""Input checks shared by the samplers: matching lengths, and group ids of one kind.

Group ids are compared the way Python compares them: numbers by value (``1``,
``1.0`` and ``np.int64(1)`` are one group), strings as strings.  A mixture of
strings and numbers is refused: numpy would silently turn ``[1, "1", 2.0]`` into
``["1", "1", "2.0"]`` and merge the number 1 with the string "1", while pandas
would keep them apart; neither reading can be assumed to be what was meant.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import sparse


def n_rows(X):
    """Number of examples in X (rows of a matrix or frame, items of a 1-D collection)."""
    if sparse.issparse(X) or (hasattr(X, "shape") and len(X.shape) >= 1):
        return int(X.shape[0])
    return len(X)


def check_lengths(X, y, groups=None, *, groups_name="groups"):
    """Raise ValueError naming every length when X, y (and the groups) disagree.

    Examples
    --------
    >>> check_lengths([[0], [1], [2]], [0, 1, 0], [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: X has 3 rows, y has 3 labels and groups has 2 entries; give one label and one \
group per row of X.
    """
    if not (hasattr(y, "__len__") and (sparse.issparse(X) or hasattr(X, "__len__"))):
        return  # not array-like: left to the estimator's own validation
    lengths = {"X": n_rows(X), "y": len(y)}
    if groups is not None:
        lengths[groups_name] = len(groups)
    if len(set(lengths.values())) <= 1:
        return
    parts = [f"X has {lengths['X']} rows", f"y has {lengths['y']} labels"]
    if groups is not None:
        parts.append(f"{groups_name} has {lengths[groups_name]} entries")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    wanted = "one label and one group" if groups is not None else "one label"
    raise ValueError(f"{listed}; give {wanted} per row of X.")


def _is_text(value):
    return isinstance(value, (str, bytes, np.str_, np.bytes_))


def group_ids(groups, *, name="groups"):
    """The group ids as a 1-D array, refusing a mixture of strings and numbers.

    Parameters
    ----------
    groups : array-like of shape (n_samples,)
    name : str, default="groups"
        How errors name the input (``"groups"``, ``"group_column='chrom'"``).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> group_ids([1, 1.0, 2]).tolist()
    [1.0, 1.0, 2.0]
    >>> group_ids([1, "1", 2.0])
    Traceback (most recent call last):
    ...
    ValueError: groups holds both strings and numbers as group ids (e.g. 1 (int) and '1' (str)); \
numpy would merge the number 1 with the string '1', pandas would not. Give every group id one type, e.g. \
[str(g) for g in groups] or integers only.
    """
    if isinstance(groups, (pd.Series, pd.Index)):
        values = groups.to_numpy()
    elif isinstance(groups, np.ndarray):
        values = groups
    else:
        values = None
    if values is None or values.dtype == object:
        kind = pd.api.types.infer_dtype(list(groups) if values is None else values, skipna=True)
        if kind in ("mixed-integer", "mixed"):
            items = list(groups) if values is None else values.tolist()
            text = next((v for v in items if _is_text(v)), None)
            number = next((v for v in items if isinstance(v, numbers.Number)
                           and not pd.isna(v)), None)
            if text is not None and number is not None:
                raise ValueError(
                    f"{name} holds both strings and numbers as group ids (e.g. {number!r} "
                    f"({type(number).__name__}) and {text!r} ({type(text).__name__})); numpy "
                    f"would merge the number {number!r} with the string {str(number)!r}, pandas "
                    "would not. Give every group id one type, e.g. [str(g) for g in groups] or "
                    "integers only."
                )
        if values is None:
            values = np.asarray(groups)
        if values.dtype == object and kind in ("integer", "floating", "mixed-integer-float",
                                               "decimal"):
            values = values.astype(np.float64 if kind != "integer" else np.int64)
    return np.asarray(values)
