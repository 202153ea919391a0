"""``DatasetQC``: run the registered dataset checks and return one report.

It accepts what users have: a DataFrame with a ``sequence`` column (and
``label``, ``id``, ``split``, ``chrom``/``start``/``end``), or plain lists of
sequences and labels, with the test set given separately or through a
``split`` column.  It is a scikit-learn estimator in the sense that its
parameters are set in the constructor (so ``get_params``/``clone`` work),
validated when it runs, and ``fit`` stores the result in ``report_``.  The
checks themselves are the functions registered in :mod:`skgenqc.qc._registry`.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from skgenqc._core.findings import Report
from skgenqc._core.params import ParamsMixin
from skgenqc._core.stages import timed_stage
from skgenqc.features.encoding import as_sequence_list
from skgenqc.io.alphabet import check_not_protein
from skgenqc.qc._context import QCContext, target_type, with_pair_columns
from skgenqc.qc._registry import NEEDS, check_names, registered_checks, resolve_checks
from skgenqc.qc.pairs import as_partner_finding

# Importing the check modules registers their checks.
from skgenqc.qc import alphabet, class_features, duplicates, intervals, kmers, labels, leakage, lookup, pairs  # noqa: F401

# Kept for code that imported the tuple; the registry is the source (see check_names()).
ALL_CHECKS = tuple(check_names())

_target_type = target_type  # the old private name

#: DatasetQC compares each class with the rest above PAIRWISE_MAX_CLASSES classes (every pair
#: below); above this many classes it refuses the label: one finding per class comparison would
#: be past reading, and such labels are usually ids or fine-grained annotations.
MAX_CLASSES = 100


def check_label_column(frame, name="X"):
    """Refuse a label that looks like an id column, or has more than ``MAX_CLASSES`` classes.

    A continuous target (floats that are not all whole numbers) is never refused:
    its classes are its median split.

    Raises
    ------
    ValueError
        When every one of three or more rows has its own label (an id or a
        coordinate given as the label), or when there are more than
        ``MAX_CLASSES`` classes.

    Examples
    --------
    >>> check_label_column(pd.DataFrame({"label": ["seq1", "seq2", "seq3"]}))
    Traceback (most recent call last):
    ...
    ValueError: the label column of X has as many distinct values as rows (3; e.g. 'seq1', 'seq2', 'seq3'): it looks like an id column, and every class would hold one sequence, so no two classes can be compared. Pass the column that holds the classes (or, for a numeric target with whole values, convert it to floats such as log1p(counts) so that it is treated as continuous).
    >>> check_label_column(pd.DataFrame({"label": [0.5, 1.7, 2.2]}))  # continuous: fine
    """
    if "label" not in frame.columns or len(frame) < 3:
        return
    labels = frame["label"]
    if target_type(labels.to_numpy()) == "continuous":
        return
    n_classes = int(labels.nunique())
    hint = ("(or, for a numeric target with whole values, convert it to floats such as "
            "log1p(counts) so that it is treated as continuous)")
    if n_classes == len(frame):
        shown = ", ".join(repr(v) for v in labels.head(3).tolist())
        raise ValueError(
            f"the label column of {name} has as many distinct values as rows ({n_classes}; e.g. "
            f"{shown}): it looks like an id column, and every class would hold one sequence, so "
            f"no two classes can be compared. Pass the column that holds the classes {hint}.")
    if n_classes > MAX_CLASSES:
        sizes = labels.value_counts()
        raise ValueError(
            f"the label column of {name} has {n_classes} classes, more than the {MAX_CLASSES} "
            f"DatasetQC compares (each class is compared with the rest, so that would be "
            f"{n_classes:,} comparisons); {int((sizes < 2).sum())} classes hold a single "
            f"sequence. Group rare "
            f"classes (e.g. into 'other'), run the QC on a coarser label {hint}.")


def _constraints():
    from sklearn.utils._param_validation import Interval

    unit = [Interval(Real, 0.5, 1.0, closed="both")]
    return {
        # Names are checked against the registry by _selected, with the valid names listed.
        "checks": [str, list, tuple, set],
        "identity_threshold": unit,
        "auroc_warn": unit, "auroc_fail": unit,
        "shortcut_warn": unit, "shortcut_fail": unit,
        "leak_fail": [Interval(Real, 0.0, 1.0, closed="both")],
        "imbalance_warn": [Interval(Real, 1.0, None, closed="left")],
        "imbalance_fail": [Interval(Real, 1.0, None, closed="left")],
        "min_class_size": [Interval(Integral, 1, None, closed="left")],
        "kmer_k": ["array-like"],
        "canonical": ["boolean"],
        "shortcut_k": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [Interval(Integral, 2, None, closed="left")],
        "context": [Interval(Integral, 0, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "progress": ["boolean"],
    }


class _LazyConstraints:
    """``_parameter_constraints`` built on access, so scikit-learn loads only when validating."""

    def __get__(self, obj, owner):
        return _constraints()


def _invalid(owner, name, accepted, value, detail=""):
    """InvalidParameterError in scikit-learn's form, for what its constraints cannot say."""
    from sklearn.utils._param_validation import InvalidParameterError

    return InvalidParameterError(f"The {name!r} parameter of {owner} must be {accepted}. "
                                 f"Got {value!r} instead{detail}.")


#: Why a check that reads sequences is skipped on coordinate-only data.
NO_SEQUENCES = "no sequences; give --reference (a genome FASTA) to fetch them"


def _skip_reason(unmet):
    """The report's reason for skipping a check whose ``unmet`` needs the input lacks."""
    reasons = [NO_SEQUENCES] if "sequences" in unmet else []
    others = [NEEDS[need] for need in unmet if need != "sequences"]
    if others:
        reasons.append("needs " + ", ".join(others))
    return "; ".join(reasons)


def _as_frame(X, y, ids, name):
    """Normalise the accepted inputs to a DataFrame with id, sequence (and label)."""
    if isinstance(X, pd.DataFrame):
        frame = X.copy()
        if "sequence" not in frame.columns and QCContext.has_intervals(frame):
            frame["sequence"] = ""  # coordinates only: the interval checks run, the others skip
        if "sequence" not in frame.columns:
            raise ValueError(
                f"{name} has no 'sequence' column; its columns are {list(frame.columns)}. "
                "Rename the sequence column or pass sequence_column=, or give chrom, start "
                "and end columns for the interval checks."
            )
    else:
        frame = pd.DataFrame({"sequence": as_sequence_list(X, name=name)})
    frame["sequence"] = as_sequence_list(frame["sequence"], name=f"{name}['sequence']")
    if frame.empty:
        raise ValueError(f"{name} holds no sequences; expected at least one.")
    if y is not None:
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(
                f"y must be one label per sequence (1-D), got shape {y.shape}."
            )
        if len(y) != len(frame):
            raise ValueError(
                f"y has {len(y)} values but {name} has {len(frame)} sequences; they must match."
            )
        frame["label"] = y
    if "label" in frame.columns and frame["label"].isna().any():
        i = int(np.flatnonzero(frame["label"].isna().to_numpy())[0])
        raise ValueError(f"the label of {name} row {i} is missing (NaN); every sequence needs one.")
    if ids is not None:
        if len(ids) != len(frame):
            raise ValueError(f"ids has {len(ids)} values but {name} has {len(frame)} sequences.")
        frame["id"] = [str(i) for i in ids]
    elif "id" not in frame.columns:
        frame["id"] = [str(i) for i in range(len(frame))]
    frame["id"] = frame["id"].astype(str)
    return frame.reset_index(drop=True)


class DatasetQC(ParamsMixin):
    """Dataset checks before training: shortcuts, duplicates, leakage.

    Parameters
    ----------
    checks : "all", str or list of str, default="all"
        Registered check names (:func:`check_names`: ``alphabet``,
        ``class_sizes``, ``composition``, ``duplicates``, ``leakage``,
        ``train_test_labels``, ... ) or the finding names a report shows
        (``gc_content`` runs ``composition``). Checks whose needs the input
        does not meet are skipped and listed in ``metadata["skipped_checks"]``.
    identity_threshold : float, default=0.9
        Identity (coverage-aware, either strand) at or above which two
        sequences are near-copies.
    auroc_warn, auroc_fail : float, default=0.6, 0.7
        Single-feature AU-ROC levels (genomic-benchmarks-qc's).
    shortcut_warn, shortcut_fail : float, default=0.7, 0.8
        Levels for the composition-only model's out-of-fold AU-ROC.
    leak_fail : float, default=0.02
        Share of test sequences (or redundant copies) at which a leakage or
        duplicate check fails; any non-zero share warns.
    imbalance_warn, imbalance_fail : float, default=1.5, 10
        Majority/minority class size ratio levels.
    min_class_size : int, default=10
        Below this many sequences a class is still scored, with a confidence
        interval, but the verdict is ``info``.
    kmer_k : sequence of int, default=(3, 4, 5, 6)
        k values for the k-mer presence check.
    canonical : bool, default=True
        Reverse-complement canonical k-mers.
    shortcut_k : int, default=4
        Largest k of the k-mer frequencies the shortcut model sees.
    max_samples : int, default=20000
        Subsample size for the k-mer and shortcut-model checks.
    context : int, default=0
        Flanking bases a model sees on each side of an interval (its input
        window is the interval plus ``context`` bp each side).  When positive,
        the ``intervals`` check also reports test windows overlapping training
        windows (``interval_window_overlap_train_test``).
    random_state : int, default=0
    n_jobs : int, optional
        Parallel folds for the shortcut model (joblib).
    progress : bool, default=False
        Show a progress bar over the checks, naming the check that runs.

    Attributes
    ----------
    report_ : Report
        Set by :meth:`fit`.

    Raises
    ------
    InvalidParameterError
        From :meth:`run` and :meth:`fit`, for a parameter of the wrong type or
        range (naming the class, the parameter, what is accepted and the value).

    ValueError
        From :meth:`run` and :meth:`fit`, before any check, for a label with as
        many distinct values as rows (an id column given as the label) or with
        more than ``MAX_CLASSES`` (100) classes, and for records whose
        sequences are all empty.  Some empty sequences are not an error: the
        ``alphabet`` check counts them (a FAIL) and every other check leaves
        them out.

    Warns
    -----
    UserWarning
        When the test labels are not the training labels (``train_test_labels``).

    Examples
    --------
    >>> DatasetQC(shortcut_warn=2).run(["ACGT", "ACGA"])
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'shortcut_warn' parameter of DatasetQC must be a float in the range [0.5, 1.0]. Got 2 instead.
    >>> from skgenqc.datasets import load_enhancers
    >>> data = load_enhancers()
    >>> report = DatasetQC(checks=["duplicates", "leakage"]).run(data)
    >>> report["train_test_near_duplicates"].evidence["n_test_leaked"]
    2
    """

    def __init__(self, *, checks="all", identity_threshold=0.9, auroc_warn=0.6, auroc_fail=0.7,
                 shortcut_warn=0.7, shortcut_fail=0.8, leak_fail=0.02, imbalance_warn=1.5,
                 imbalance_fail=10.0, min_class_size=10, kmer_k=(3, 4, 5, 6), canonical=True,
                 shortcut_k=4, max_samples=20000, context=0, random_state=0, n_jobs=None,
                 progress=False):
        self.checks = checks
        self.identity_threshold = identity_threshold
        self.auroc_warn = auroc_warn
        self.auroc_fail = auroc_fail
        self.shortcut_warn = shortcut_warn
        self.shortcut_fail = shortcut_fail
        self.leak_fail = leak_fail
        self.imbalance_warn = imbalance_warn
        self.imbalance_fail = imbalance_fail
        self.min_class_size = min_class_size
        self.kmer_k = kmer_k
        self.canonical = canonical
        self.shortcut_k = shortcut_k
        self.max_samples = max_samples
        self.context = context
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    def fit(self, X, y=None, *, X_test=None, y_test=None, ids=None, ids_test=None):
        """Run the checks and store the report in ``report_``. Returns self."""
        self.report_ = self.run(X, y, X_test=X_test, y_test=y_test, ids=ids, ids_test=ids_test)
        return self

    _parameter_constraints = _LazyConstraints()

    def _validate_params(self):
        super()._validate_params()
        owner = type(self).__name__
        constraints = self._parameter_constraints
        for name, value in self.get_params(deep=False).items():
            # scikit-learn's Interval takes True for 1; a flag is not a number here.
            if isinstance(value, (bool, np.bool_)) and constraints[name][0] != "boolean":
                raise _invalid(owner, name, " or ".join(str(c) for c in constraints[name]
                                                         if c is not None) or "a number", value)
        for warn, fail in (("auroc_warn", "auroc_fail"), ("shortcut_warn", "shortcut_fail"),
                           ("imbalance_warn", "imbalance_fail")):
            if getattr(self, warn) > getattr(self, fail):
                raise _invalid(owner, warn, f"at most {fail}={getattr(self, fail)!r}",
                               getattr(self, warn))
        k = list(self.kmer_k)
        if not k or any(isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer))
                        or v < 1 for v in k):
            raise _invalid(owner, "kmer_k", "a non-empty list of positive integers (e.g. (3, 4, 5, 6))",
                           self.kmer_k)
        self._selected()

    def _selected(self, pairs=False):
        """The check names to run, in registry order (InvalidParameterError for unknown names).

        ``checks="all"`` takes the pair checks (``needs=("pairs",)``) only when ``pairs``:
        on single sequences they do not apply, rather than being skipped in every report.
        """
        try:
            names = resolve_checks(self.checks if isinstance(self.checks, str)
                                   else list(self.checks))
        except ValueError as err:
            raise _invalid(type(self).__name__, "checks",
                           "'all', or a check or finding name or a list of them", self.checks,
                           f": {err}") from None
        if isinstance(self.checks, str) and self.checks.strip() == "all" and not pairs:
            needs_pairs = {spec.name for spec in registered_checks() if "pairs" in spec.needs}
            names = [name for name in names if name not in needs_pairs]
        return names

    def run(self, X, y=None, *, X_test=None, y_test=None, ids=None, ids_test=None, title=None,
            sequence_columns=None):
        """Run the checks and return the report.

        Parameters
        ----------
        X : pandas.DataFrame or list/array/Series of str
            Training (or only) data. A DataFrame needs a ``sequence`` column or
            ``chrom``, ``start``, ``end`` columns (coordinates only: the checks
            that read sequences are skipped, listed in
            ``metadata["skipped_checks"]``) and may hold ``label``, ``id``,
            ``split`` (``"train"``/``"test"``) and both.
        y : array-like, optional
            Labels (classes or a continuous target), if not in ``X``.
        X_test, y_test : optional
            Test data, in the same forms; alternatively a ``split`` column in ``X``.
        ids, ids_test : array-like of str, optional
            Record ids used in the evidence (default: an ``id`` column or row numbers).
        title : str, optional
        sequence_columns : list of str, optional
            For tables with several sequence columns (e.g. a miRNA and a gene
            site): the checks that read sequences run on each column in turn and
            their names get the column as a suffix, e.g. ``train_test_exact[gene]``;
            the others (labels, intervals) run once. With two columns the rows are
            pairs: the registered check ``pairs`` (:func:`~skgenqc.qc.check_pairs`)
            runs over the pairs (``checks="all"`` includes it only here), and the
            per-column duplicate and near-duplicate findings become ``info`` (a
            reused or related partner is not a repeated sample).

        Returns
        -------
        Report
            Its ``metadata["stages"]`` lists the time and memory of each stage:
            ``inputs`` (validation and the shared context), then one entry per
            check that ran, named after it (skipped checks have none); each holds
            ``wall_s``, ``cpu_s``, ``worker_cpu_s``, ``peak_rss_mb`` (the
            process-wide high-water mark), ``rss_growth_mb`` and ``rss_mb``; see
            :mod:`skgenqc._core.stages`.
        """
        if sequence_columns is not None:
            return self._run_columns(X, y, X_test, y_test, ids, ids_test, title, sequence_columns)
        self._validate_params()
        selected = self._selected()
        stages = []
        with timed_stage("inputs", stages):  # reading, validation, the shared context
            data = _as_frame(X, y, ids, "X")
            test = None
            if X_test is not None:
                test = _as_frame(X_test, y_test, ids_test, "X_test")
            elif "split" in data.columns:
                splits = set(data["split"].astype(str).unique())
                if not splits <= {"train", "test", "valid", "validation"}:
                    raise ValueError(f"the 'split' column holds {sorted(splits)}; expected 'train' and 'test'.")
                test = data[data["split"].astype(str) == "test"].reset_index(drop=True)
                data = data[data["split"].astype(str) != "test"].reset_index(drop=True)
                if test.empty:
                    test = None
            check_label_column(data, "X")  # before any check: refused in milliseconds
            if "sequence" in data and (data["sequence"].str.len() == 0).all() \
                    and not QCContext.has_intervals(data):
                raise ValueError(f"every sequence of X is empty ({len(data)} records) and there are "
                                 "no chrom/start/end columns: nothing to check.")
            # Protein given to the nucleotide checks would pass most of them meaninglessly.
            check_not_protein(data["sequence"].tolist(), what="X", ids=data["id"].tolist() if "id" in data else None)
            if test is not None:
                check_not_protein(test["sequence"].tolist(), what="X_test", ids=test["id"].tolist() if "id" in test else None)
            ctx = QCContext(data, test, params=self.get_params(deep=False))
        report = Report(title=title or "skgenqc dataset QC", kind="qc", metadata={
            "n_train" if test is not None else "n_sequences": len(data),
            **({"n_test": len(test)} if test is not None else {}),
            "identity_threshold": self.identity_threshold,
            "checks": sorted(selected),
            **ctx.metadata,
        })
        skipped = {}
        specs = [spec for spec in registered_checks() if spec.name in selected]
        bar = tqdm(specs, desc="skgenqc qc", disable=not self.progress, unit="check")
        for spec in bar:
            unmet = [need for need in spec.needs if not ctx.satisfies(need)]
            if unmet:
                skipped[spec.name] = _skip_reason(unmet)
                continue
            bar.set_postfix_str(spec.name)
            with timed_stage(spec.name, stages):
                found = list(spec(ctx))
            for finding in found:
                report.add(finding)
        # Time and memory per check that ran (skipped checks have no entry), after "inputs".
        report.metadata["stages"] = stages
        if skipped:
            report.metadata["skipped_checks"] = skipped
        # "Inputs and settings" lists what ran; what was asked for but skipped is said apart.
        report.metadata["checks"] = [name for name in report.metadata["checks"]
                                     if name not in skipped]
        report.figures.update(ctx.figures)
        return report

    def _run_columns(self, X, y, X_test, y_test, ids, ids_test, title, columns):
        """One report over several sequence columns.

        The checks that read sequences run on each column, their findings suffixed by it
        (``near_duplicates[gene]``); the others (labels, intervals and, with two columns, the
        pair checks) run once, unsuffixed.
        """
        if isinstance(columns, str):
            columns = [columns]
        columns = list(columns)
        frames = [("X", X)] + ([("X_test", X_test)] if X_test is not None else [])
        for name, frame in frames:
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(f"sequence_columns needs {name} as a DataFrame, got {type(frame).__name__}.")
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(f"sequence_columns names {missing[0]!r}, which is not a column of "
                                 f"{name}; its columns are {list(frame.columns)}.")
        self._validate_params()
        paired = len(columns) == 2  # two partner columns: the sample is the pair
        combined = Report(title=title or "skgenqc dataset QC", kind="qc",
                          metadata={"sequence_columns": columns})
        once, per_column = _split_by_sequence_use(self._selected(pairs=paired))
        parts = []
        if once:
            def marked(frame):
                frame = frame.assign(sequence=frame[columns[0]])
                return with_pair_columns(frame, columns) if paired else frame
            parts.append((None, self._with_checks(once).run(
                marked(X), y, X_test=None if X_test is None else marked(X_test), y_test=y_test,
                ids=ids, ids_test=ids_test)))
        for column in columns if per_column else ():
            parts.append((column, self._with_checks(per_column).run(
                X.assign(sequence=X[column]), y,
                X_test=None if X_test is None else X_test.assign(sequence=X_test[column]),
                y_test=y_test, ids=ids, ids_test=ids_test)))
        for column, part in parts:
            for finding in part.findings:
                if column is not None:
                    finding.check = f"{finding.check}[{column}]"
                    finding.title = f"{finding.title} ({column})"
                    finding.figures = [f"{name}[{column}]" for name in finding.figures]
                # Coordinates of a pair table locate one partner: a repeated interval is a
                # reused partner.
                combined.add(as_partner_finding(finding, column or "partner") if paired
                             else finding)
            combined.figures.update({(k if column is None else f"{k}[{column}]"): v
                                     for k, v in part.figures.items()})
            _merge_metadata(combined.metadata, part.metadata)
        return combined

    def _with_checks(self, checks):
        """A copy of this QC running only ``checks``."""
        return type(self)(**{**self.get_params(deep=False), "checks": list(checks)})


def _split_by_sequence_use(selected):
    """(checks that do not read the sequence column, checks that do), each in run order."""
    reads = {spec.name for spec in registered_checks() if "sequences" in spec.needs}
    return ([name for name in selected if name not in reads],
            [name for name in selected if name in reads])


def _merge_metadata(into, metadata):
    """Fold one part's report metadata into the combined report's: what ran, what was skipped."""
    for key, value in metadata.items():
        if key == "checks":
            into["checks"] = sorted(set(into.get("checks", [])) | set(value))
        elif key == "skipped_checks":
            into["skipped_checks"] = {**into.get("skipped_checks", {}), **value}
        else:
            into.setdefault(key, value)
