"""Class prevalence per fold: ratios to the data's prevalence, and folds with one class."""

from __future__ import annotations

import numpy as np
import pandas as pd


def plain_scalar(value):
    """A numpy scalar as the Python value (for messages and JSON)."""
    return value.item() if hasattr(value, "item") else value


def is_classification(y, max_classes=20):
    """Whether ``y`` holds classes (at most ``max_classes``, not a continuous target)."""
    from skgenqc.audit._runner import is_regression

    y = np.asarray(y)
    return not is_regression(y) and 2 <= len(np.unique(y)) <= max_classes


def fold_prevalence(folds, y):
    """Each class's share in each test fold, and its ratio to the data's share (either way).

    The ratio is :func:`~skgenqc.model_selection.diagnostics.prevalence_ratio`
    (``max(fold / data, data / fold)``, ``inf`` for a class absent from the
    fold), the one split diagnostics' ``label_balance`` grades.

    Parameters
    ----------
    folds : list of (train, test) index arrays
    y : array-like of class labels

    Returns
    -------
    table : pandas.DataFrame
        One row per fold: ``fold``, ``n_test``, ``share_<class>`` per class,
        ``worst_ratio`` and the ``worst_class``.
    overall : pandas.Series
        Each class's share in the data.

    Examples
    --------
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> folds = [(np.arange(5, 10), np.arange(5)), (np.arange(5), np.arange(5, 10))]
    >>> table, overall = fold_prevalence(folds, y)
    >>> table["share_1"].tolist(), table["worst_ratio"].tolist()
    ([0.0, 0.4], [inf, 2.0])
    """
    from skgenqc.model_selection.diagnostics import prevalence_ratio

    y = np.asarray(y)
    classes = np.unique(y)
    overall = pd.Series(y).value_counts(normalize=True).reindex(classes, fill_value=0.0)
    rows = []
    for k, (_, test) in enumerate(folds):
        share = (pd.Series(y[test]).value_counts(normalize=True)
                 .reindex(classes, fill_value=0.0) if len(test) else overall * 0)
        ratios = {c: prevalence_ratio(float(share[c]), float(overall[c])) for c in classes}
        worst_class = max(ratios, key=ratios.get)
        rows.append({"fold": k, "n_test": int(len(test)),
                     **{f"share_{c}": float(share[c]) for c in classes},
                     "worst_ratio": float(ratios[worst_class]),
                     "worst_class": plain_scalar(worst_class)})
    return pd.DataFrame(rows), overall


def single_class_folds(folds, y, groups=None, max_groups=5):
    """Folds whose test or training set holds a single class, found before any fit.

    A ranking score (AU-ROC, AU-PR) is undefined on a test fold of one class,
    and a classifier cannot be fitted on a training set of one class; such a
    fold is left out of the scores.  Regression targets have no such folds.

    Parameters
    ----------
    folds : list of (train, test) index arrays
    y : array-like
    groups : array-like, optional
        Each sample's group (chromosome...), to name the fold by what it holds.
    max_groups : int, default=5
        Groups named per fold.

    Returns
    -------
    pandas.DataFrame
        One row per such fold and side: ``fold``, ``side`` (``"test"`` or
        ``"training"``), ``n``, ``classes``, ``groups`` and a ``description``.

    Examples
    --------
    >>> y = np.array([0, 1, 0, 1, 0, 0])
    >>> groups = np.array(["chr1", "chr1", "chr2", "chr2", "chrY", "chrY"])
    >>> folds = [(np.flatnonzero(groups != g), np.flatnonzero(groups == g))
    ...          for g in ("chr1", "chr2", "chrY")]
    >>> single_class_folds(folds, y, groups)["description"].tolist()
    ['fold 2 (group chrY): the test set holds only class 0 (2 samples)']
    """
    y = np.asarray(y)
    columns = ["fold", "side", "n", "classes", "groups", "description"]
    if not is_classification(y):
        return pd.DataFrame(columns=columns)
    groups = None if groups is None or np.ndim(groups) != 1 else np.asarray(groups)
    rows = []
    for k, (train, test) in enumerate(folds):
        for side, index in (("test", test), ("training", train)):
            present = np.unique(y[index])
            if len(index) == 0 or len(present) >= 2:
                continue
            names = []
            if groups is not None and side == "test":
                names = [str(g) for g in pd.unique(groups[index])]
            where = ""
            if names:
                shown = ", ".join(names[:max_groups]) + (
                    f" and {len(names) - max_groups} more" if len(names) > max_groups else "")
                where = f" ({'group' if len(names) == 1 else 'groups'} {shown})"
            rows.append({"fold": k, "side": side, "n": int(len(index)),
                         "classes": [plain_scalar(v) for v in present],
                         "groups": names,
                         "description": (f"fold {k}{where}: the {side} set holds only class "
                                         f"{plain_scalar(present[0])!r} ({len(index)} samples)")})
    return pd.DataFrame(rows, columns=columns)
