"""Plain JSON types for every number of a report, and back again without losing types.

numpy and pandas values become JSON numbers, strings and lists; NaN and infinities
become ``null`` (JSON has no NaN). A mapping whose keys are not all strings (class
sizes keyed by integer labels) is written as ``{"__mapping__": [[key, value], ...]}``
so that reading it back gives integer keys again, not ``"0"`` and ``"1"``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAPPING_TAG = "__mapping__"


def _key(key):
    if isinstance(key, (np.integer, np.bool_)):
        return key.item()
    if isinstance(key, np.floating):
        return float(key)
    return key


def to_jsonable(obj):
    """Convert numpy/pandas values into plain JSON types, recursively.

    Examples
    --------
    >>> to_jsonable({"a": np.int64(3), "b": [np.float32(0.5), float("nan")]})
    {'a': 3, 'b': [0.5, None]}
    >>> to_jsonable({0: 5, 1: 3})
    {'__mapping__': [[0, 5], [1, 3]]}
    """
    if isinstance(obj, dict):
        keys = [_key(k) for k in obj]
        if all(isinstance(k, str) for k in keys):
            return {k: to_jsonable(v) for k, v in zip(keys, obj.values())}
        return {MAPPING_TAG: [[to_jsonable(k), to_jsonable(v)] for k, v in zip(keys, obj.values())]}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return to_jsonable(obj.to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if obj is None or isinstance(obj, (str, int)):
        return obj
    if obj is pd.NA or obj is pd.NaT:
        return None
    return str(obj)


def from_jsonable(obj):
    """Undo :func:`to_jsonable`'s tagging of mappings with non-string keys.

    Examples
    --------
    >>> from_jsonable({"__mapping__": [[0, 5], [1, 3]], })
    {0: 5, 1: 3}
    """
    if isinstance(obj, dict):
        if set(obj) == {MAPPING_TAG}:
            return {_hashable(from_jsonable(k)): from_jsonable(v) for k, v in obj[MAPPING_TAG]}
        return {k: from_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [from_jsonable(v) for v in obj]
    return obj


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def table_schema(table):
    """Column names (with their JSON type) and dtypes of a table, to rebuild it from records.

    Examples
    --------
    >>> table_schema(pd.DataFrame({"a": [1], 2: [0.5]}))
    [{'name': 'a', 'dtype': 'int64'}, {'name': 2, 'dtype': 'float64'}]
    """
    return [{"name": to_jsonable(_key(c)), "dtype": str(t)}
            for c, t in zip(table.columns, table.dtypes)]


def table_from_records(records, schema=None):
    """Rebuild a table written as records with :func:`table_schema` beside it.

    Examples
    --------
    >>> t = pd.DataFrame({"a": [1, 2], "b": [0.5, None]})
    >>> back = table_from_records(to_jsonable(t), table_schema(t))
    >>> back.dtypes.astype(str).tolist(), back["a"].tolist()
    (['int64', 'float64'], [1, 2])
    """
    if schema is None:
        return pd.DataFrame.from_records(records)
    names = [from_jsonable(c["name"]) for c in schema]
    keys = [str(n) for n in names]
    columns = {}
    for name, key, column in zip(names, keys, schema):
        values = [row.get(key) for row in records]
        columns[name] = _typed(values, column["dtype"])
    return pd.DataFrame(columns, columns=names)


def _typed(values, dtype):
    """A column of values with the dtype it had before JSON, where that dtype can hold them."""
    if dtype.startswith(("int", "uint")) and any(v is None for v in values):
        return pd.Series(values, dtype="float64")  # a null in an int column: floats, not a crash
    for candidate in (dtype, "object"):
        try:
            return pd.Series(values, dtype=candidate)
        except (TypeError, ValueError):
            continue  # a dtype this pandas cannot build (another version's string dtype)
    return pd.Series(values)
