"""Label checks: class sizes, and whether the test set uses the training set's labels."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, grade, grade_share
from skgenqc.qc._registry import register_check


def check_class_sizes(data, *, warn=1.5, fail=10.0):
    """Class sizes and the majority/minority ratio.

    Parameters
    ----------
    data : pandas.DataFrame
        With a ``label`` column.
    warn, fail : float, default=1.5, 10.0
        Majority/minority ratio at or above which the check warns / fails. A
        single class fails: nothing can be learned or scored.

    Returns
    -------
    Finding

    Examples
    --------
    >>> f = check_class_sizes(pd.DataFrame({"label": [0] * 20 + [1] * 2}))
    >>> f.severity, f.value
    ('fail', 10.0)
    """
    sizes = data["label"].value_counts()
    ratio = float(sizes.max() / sizes.min())
    severity = "fail" if len(sizes) < 2 else grade(ratio, warn, fail)
    prevalence = (sizes / sizes.sum()).round(4).to_dict()
    return Finding(
        check="class_sizes", title="Class sizes", severity=severity,
        pitfall="unbalanced classes", value=ratio, threshold={"warn": warn, "fail": fail},
        message=("Only one class is present: nothing can be learned or scored."
                 if len(sizes) < 2 else
                 f"{len(sizes)} classes; majority/minority ratio {ratio:.2f}; sizes "
                 + ", ".join(f"{k}: {v}" for k, v in sizes.items()) + "."),
        recommendation=("Report metrics relative to prevalence (AU-PR vs the positive rate) and "
                        "resample only inside training folds." if severity != "pass" else ""),
        evidence={"sizes": sizes.to_dict(), "prevalence": prevalence, "ratio": ratio})


def check_train_test_labels(train_labels, test_labels):
    """Whether the test set uses the training set's labels (0/1 in one, pos/neg in the other).

    Labels are compared by their text, so ``1`` and ``"1"`` are one label.
    ``count`` of the ``total`` distinct labels of both sets appear in only one
    of them: none fails only when no label is shared; some warn.

    Parameters
    ----------
    train_labels, test_labels : array-like

    Returns
    -------
    Finding

    Examples
    --------
    >>> check_train_test_labels([0, 1, 1], ["pos", "neg"]).severity
    'fail'
    >>> check_train_test_labels([0, 1, 1], [0, 1, 2]).severity
    'warn'
    >>> check_train_test_labels([0, 1], ["1", "0"]).severity
    'pass'
    """
    def texts(values):
        return sorted({str(v) for v in pd.unique(np.asarray(values, dtype=object))})

    train, test = texts(train_labels), texts(test_labels)
    shared = sorted(set(train) & set(test))
    union = sorted(set(train) | set(test))
    only_train = [v for v in train if v not in test]
    only_test = [v for v in test if v not in train]
    # No shared label at all is a fail (share 1); any label in only one set warns.
    severity, share = grade_share(len(union) - len(shared), len(union), warn=0.0, fail=1.0)
    if not shared:
        message = (f"The test labels ({', '.join(test)}) share none with the training labels "
                   f"({', '.join(train)}): every test score compares different codings.")
    elif only_train or only_test:
        message = (f"{len(shared)} label(s) shared; only in training: "
                   f"{', '.join(only_train) or 'none'}; only in test: {', '.join(only_test) or 'none'}.")
    else:
        message = f"Training and test use the same {len(shared)} label(s): {', '.join(shared)}."
    return Finding(
        check="train_test_labels", title="Test labels against training labels",
        severity=severity, pitfall="data validity", value=float(share),
        threshold={"warn": 0.0, "fail": 1.0}, message=message,
        recommendation=("Recode the labels the same way in both sets (e.g. 0/1 in both) before "
                        "scoring; a class seen only in the test set cannot be predicted."
                        if severity != "pass" else ""),
        evidence={"train_labels": train, "test_labels": test, "shared": shared,
                  "only_in_train": only_train, "only_in_test": only_test})


@register_check("class_sizes", pitfall="unbalanced classes", needs=("labels",), order=20,
                produces=("class_sizes",),
                summary="class sizes, prevalence and the majority/minority ratio")
def class_sizes_check(ctx):
    """Registered check ``class_sizes``: :func:`check_class_sizes` on the training classes."""
    return [check_class_sizes(ctx.class_data, warn=ctx.param("imbalance_warn"),
                              fail=ctx.param("imbalance_fail"))]


@register_check("train_test_labels", pitfall="data validity",
                needs=("labels", "test", "test_labels"), scope="train_test", order=105,
                produces=("train_test_labels",),
                summary="test labels the training set does not use (0/1 against pos/neg), "
                        "with a warning at run time")
def train_test_labels_check(ctx):
    """Registered check ``train_test_labels``: fails when no label is shared, and warns."""
    if ctx.continuous:
        return [Finding(check="train_test_labels", title="Test labels against training labels",
                        severity="info", pitfall="data validity",
                        message="The target is continuous: no label sets to compare.")]
    finding = check_train_test_labels(ctx.data["label"].to_numpy(), ctx.test["label"].to_numpy())
    if finding.severity != "pass":
        warnings.warn(f"train_test_labels: {finding.message}", UserWarning, stacklevel=4)
    return [finding]
