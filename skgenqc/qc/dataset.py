"""``DatasetQC``: run every dataset check and return one report.

It accepts what users have: a DataFrame with a ``sequence`` column (and
``label``, ``id``, ``split``, ``chrom``/``start``/``end``), or plain lists of
sequences and labels, with the test set given separately or through a
``split`` column.  It is a scikit-learn estimator in the sense that its
parameters are set in the constructor (so ``get_params``/``clone`` work) and
``fit`` stores the result in ``report_``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from skgenqc._core.params import ParamsMixin
from skgenqc.features.composition import composition_table
from skgenqc.features.encoding import as_sequence_list, pack_sequences
from skgenqc.qc.alphabet import check_alphabet
from skgenqc.qc.class_features import binarize_target, check_class_features, check_positional
from skgenqc.qc.duplicates import check_duplicates, check_near_duplicates
from skgenqc.qc.intervals import check_interval_duplicates, check_interval_leakage
from skgenqc.qc.kmers import check_kmer_enrichment, check_shortcut_score
from skgenqc.qc.leakage import check_train_test_leakage, check_train_test_shift
from skgenqc._core.findings import Finding, PlotRequest, Report

ALL_CHECKS = ("alphabet", "class_sizes", "composition", "positional", "kmers", "shortcut",
              "duplicates", "near_duplicates", "leakage", "shift", "intervals")


def _as_frame(X, y, ids, name):
    """Normalise the accepted inputs to a DataFrame with id, sequence (and label)."""
    if isinstance(X, pd.DataFrame):
        frame = X.copy()
        if "sequence" not in frame.columns:
            raise ValueError(
                f"{name} has no 'sequence' column; its columns are {list(frame.columns)}. "
                "Rename the sequence column or pass sequence_column=."
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


class _LazyState(dict):
    """Shared intermediate results, each computed the first time a check asks for it."""

    def __init__(self, data):
        super().__init__()
        self._data = data

    def __missing__(self, key):
        if key == "seqs":
            value = self._data["sequence"].tolist()
        elif key == "packed":
            value = pack_sequences(self["seqs"])
        elif key == "composition":
            value = composition_table(None, packed=self["packed"])
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _target_type(y):
    """'binary', 'multiclass' or 'continuous' (floats that are not all whole numbers).

    Examples
    --------
    >>> _target_type(np.array([0.5, 1.2, 3.0])), _target_type(np.array(["a", "b", "c"]))
    ('continuous', 'multiclass')
    """
    if y.dtype.kind == "f" and not np.all(np.mod(y[~np.isnan(y)], 1) == 0):
        return "continuous"
    return "binary" if len(pd.unique(y)) <= 2 else "multiclass"


class DatasetQC(ParamsMixin):
    """Dataset checks before training: shortcuts, duplicates, leakage.

    Parameters
    ----------
    checks : "all" or list of str, default="all"
        Any of ``alphabet, class_sizes, composition, positional, kmers, shortcut,
        duplicates, near_duplicates, leakage, shift, intervals``.
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
    kmer_k : tuple of int, default=(3, 4, 5, 6)
        k values for the k-mer presence check.
    canonical : bool, default=True
        Reverse-complement canonical k-mers.
    shortcut_k : int, default=4
        Largest k of the k-mer frequencies the shortcut model sees.
    max_samples : int, default=20000
        Subsample size for the k-mer and shortcut-model checks.
    random_state : int, default=0
    n_jobs : int, optional
        Parallel folds for the shortcut model (joblib).
    progress : bool, default=False
        Show a progress bar over the checks.

    Attributes
    ----------
    report_ : Report
        Set by :meth:`fit`.

    Examples
    --------
    >>> from skgenqc.datasets import load_enhancers
    >>> data = load_enhancers()
    >>> report = DatasetQC(checks=["duplicates", "leakage"]).run(data)
    >>> report["train_test_near_duplicates"].evidence["n_test_leaked"]
    2
    """

    def __init__(self, *, checks="all", identity_threshold=0.9, auroc_warn=0.6, auroc_fail=0.7,
                 shortcut_warn=0.7, shortcut_fail=0.8, leak_fail=0.02, imbalance_warn=1.5,
                 imbalance_fail=10.0, min_class_size=10, kmer_k=(3, 4, 5, 6), canonical=True,
                 shortcut_k=4, max_samples=20000, random_state=0, n_jobs=None, progress=False):
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
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    def fit(self, X, y=None, *, X_test=None, y_test=None, ids=None, ids_test=None):
        """Run the checks and store the report in ``report_``. Returns self."""
        self.report_ = self.run(X, y, X_test=X_test, y_test=y_test, ids=ids, ids_test=ids_test)
        return self

    def _selected(self):
        if not isinstance(self.checks, (str, list, tuple, set)):
            raise TypeError(
                f"checks={self.checks!r} must be 'all' or a list of check names "
                f"({', '.join(ALL_CHECKS)})."
            )
        if isinstance(self.checks, str):
            if self.checks != "all":
                return self._validate_names([self.checks])
            return set(ALL_CHECKS)
        return self._validate_names(list(self.checks))

    @staticmethod
    def _validate_names(names):
        unknown = [c for c in names if c not in ALL_CHECKS]
        if unknown:
            raise ValueError(f"checks contains {unknown[0]!r}; known checks are {', '.join(ALL_CHECKS)}.")
        return set(names)

    def _validate_params(self):
        t = self.identity_threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0.5 <= t <= 1.0:
            raise ValueError(f"identity_threshold={t!r} must be a number from 0.5 to 1.0.")
        if not 0.5 <= self.auroc_warn <= self.auroc_fail <= 1.0:
            raise ValueError(
                f"auroc_warn={self.auroc_warn!r} and auroc_fail={self.auroc_fail!r} must satisfy "
                "0.5 <= auroc_warn <= auroc_fail <= 1."
            )
        if not isinstance(self.min_class_size, (int, np.integer)) or self.min_class_size < 1:
            raise ValueError(f"min_class_size={self.min_class_size!r} must be a positive integer.")

    def run(self, X, y=None, *, X_test=None, y_test=None, ids=None, ids_test=None, title=None,
            sequence_columns=None):
        """Run the checks and return the report.

        Parameters
        ----------
        X : pandas.DataFrame or list/array/Series of str
            Training (or only) data. A DataFrame needs a ``sequence`` column and
            may hold ``label``, ``id``, ``split`` (``"train"``/``"test"``) and
            ``chrom``, ``start``, ``end`` for interval checks.
        y : array-like, optional
            Labels (classes or a continuous target), if not in ``X``.
        X_test, y_test : optional
            Test data, in the same forms; alternatively a ``split`` column in ``X``.
        ids, ids_test : array-like of str, optional
            Record ids used in the evidence (default: an ``id`` column or row numbers).
        title : str, optional
        sequence_columns : list of str, optional
            For tables with several sequence columns (e.g. a miRNA and a gene
            site): the checks run on each column in turn and the check names
            get the column as a suffix, e.g. ``train_test_exact[gene]``.

        Returns
        -------
        Report
        """
        if sequence_columns is not None:
            return self._run_columns(X, y, X_test, y_test, ids, ids_test, title, sequence_columns)
        self._validate_params()
        selected = self._selected()
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
        report = Report(title=title or "skgenqc dataset QC", kind="qc", metadata={
            "n_train" if test is not None else "n_sequences": len(data),
            **({"n_test": len(test)} if test is not None else {}),
            "identity_threshold": self.identity_threshold,
            "checks": sorted(selected),
        })
        steps = self._plan(data, test, selected)
        bar = tqdm(steps, desc="skgenqc qc", disable=not self.progress, unit="check")
        for name, step in bar:
            bar.set_postfix_str(name)
            step(report)
        return report

    def _run_columns(self, X, y, X_test, y_test, ids, ids_test, title, columns):
        """One report over several sequence columns, checks suffixed by column."""
        if isinstance(columns, str):
            columns = [columns]
        frames = [("X", X)] + ([("X_test", X_test)] if X_test is not None else [])
        for name, frame in frames:
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(f"sequence_columns needs {name} as a DataFrame, got {type(frame).__name__}.")
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError(f"sequence_columns names {missing[0]!r}, which is not a column of "
                                 f"{name}; its columns are {list(frame.columns)}.")
        combined = Report(title=title or "skgenqc dataset QC", kind="qc",
                          metadata={"sequence_columns": list(columns)})
        for column in columns:
            part = self.run(X.assign(sequence=X[column]), y,
                            X_test=None if X_test is None else X_test.assign(sequence=X_test[column]),
                            y_test=y_test, ids=ids, ids_test=ids_test)
            for finding in part.findings:
                finding.check = f"{finding.check}[{column}]"
                finding.title = f"{finding.title} ({column})"
                finding.figures = [f"{name}[{column}]" for name in finding.figures]
                combined.add(finding)
            combined.figures.update({f"{k}[{column}]": v for k, v in part.figures.items()})
            for key, value in part.metadata.items():
                combined.metadata.setdefault(key, value)
        return combined

    def _plan(self, data, test, selected):
        """The list of (name, callable) steps to run, so a progress bar can count them."""
        steps = []
        labelled = "label" in data.columns
        frames = [("train" if test is not None else None, data)]
        if test is not None:
            frames.append(("test", test))
        state = _LazyState(data)

        def prepare(report):
            if labelled:
                kind = _target_type(data["label"].to_numpy())
                state["continuous"] = kind == "continuous"
                if state["continuous"]:
                    state["continuous_values"] = data["label"].to_numpy(dtype=np.float64)
                    state["class_data"] = data.assign(label=binarize_target(data["label"]))
                else:
                    state["class_data"] = data
                n_classes = state["class_data"]["label"].nunique()
                report.metadata["target_type"] = kind
                report.metadata["n_classes"] = int(n_classes)
        steps.append(("prepare", prepare))
        multi_class = labelled and data["label"].nunique() >= 2

        if "alphabet" in selected:
            steps.append(("alphabet", lambda r: [r.add(f) for f in check_alphabet(
                data, state["packed"])]))
        if labelled and "class_sizes" in selected:
            steps.append(("class_sizes", lambda r: r.add(self._class_sizes(state["class_data"]))))
        if multi_class and "composition" in selected:
            steps.append(("composition", lambda r: self._composition(r, state)))
        if multi_class and "positional" in selected:
            steps.append(("positional", lambda r: self._positional(r, state)))
        if multi_class and "kmers" in selected:
            steps.append(("kmers", lambda r: r.add(check_kmer_enrichment(
                state["class_data"], state["seqs"], k_values=tuple(self.kmer_k),
                canonical=self.canonical, warn=self.auroc_warn, fail=self.auroc_fail,
                min_class_size=self.min_class_size, max_samples=self.max_samples,
                random_state=self.random_state))))
        if multi_class and "shortcut" in selected:
            steps.append(("shortcut", lambda r: r.add(check_shortcut_score(
                state["class_data"], state["seqs"], state["composition"], max_k=self.shortcut_k,
                canonical=self.canonical, warn=self.shortcut_warn, fail=self.shortcut_fail,
                max_samples=self.max_samples, random_state=self.random_state, n_jobs=self.n_jobs))))
        for split_name, frame in frames:
            if "duplicates" in selected:
                steps.append((f"duplicates {split_name or ''}", lambda r, f=frame, s=split_name: [
                    r.add(x) for x in check_duplicates(
                        f, f["sequence"].tolist(), fail=self.leak_fail, split_name=s)]))
            if "near_duplicates" in selected:
                steps.append((f"near duplicates {split_name or ''}", lambda r, f=frame, s=split_name:
                              r.add(check_near_duplicates(f, f["sequence"].tolist(),
                                                          threshold=self.identity_threshold,
                                                          fail=self.leak_fail, split_name=s)[0])))
            if "intervals" in selected and {"chrom", "start", "end"} <= set(frame.columns):
                steps.append((f"intervals {split_name or ''}", lambda r, f=frame, s=split_name:
                              r.add(check_interval_duplicates(f, split_name=s))))
        if test is not None and "leakage" in selected:
            steps.append(("leakage", lambda r: self._leakage(r, data, test)))
        if test is not None and "shift" in selected:
            steps.append(("shift", lambda r: r.add(check_train_test_shift(
                state["composition"], composition_table(test["sequence"].tolist()),
                warn=self.auroc_warn, fail=self.auroc_fail, min_size=self.min_class_size))))
        if test is not None and "intervals" in selected and {"chrom", "start", "end"} <= set(
                data.columns) and {"chrom", "start", "end"} <= set(test.columns):
            steps.append(("interval leakage", lambda r: [r.add(f) for f in check_interval_leakage(
                data, test, fail=self.leak_fail)]))
        return steps

    def _class_sizes(self, data):
        sizes = data["label"].value_counts()
        ratio = float(sizes.max() / sizes.min())
        severity = "fail" if ratio >= self.imbalance_fail else "warn" if ratio >= self.imbalance_warn \
            else "pass"
        if len(sizes) < 2:
            severity = "fail"
        prevalence = (sizes / sizes.sum()).round(4).to_dict()
        return Finding(
            check="class_sizes", title="Class sizes", severity=severity,
            pitfall="unbalanced classes", value=ratio,
            threshold={"warn": self.imbalance_warn, "fail": self.imbalance_fail},
            message=("Only one class is present: nothing can be learned or scored."
                     if len(sizes) < 2 else
                     f"{len(sizes)} classes; majority/minority ratio {ratio:.2f}; sizes "
                     + ", ".join(f"{k}: {v}" for k, v in sizes.items()) + "."),
            recommendation=("Report metrics relative to prevalence (AU-PR vs the positive rate) and "
                            "resample only inside training folds." if severity != "pass" else ""),
            evidence={"sizes": sizes.to_dict(), "prevalence": prevalence, "ratio": ratio})

    def _composition(self, report, state):
        findings, _ = check_class_features(
            state["class_data"], state["packed"], warn=self.auroc_warn, fail=self.auroc_fail,
            min_class_size=self.min_class_size, composition=state["composition"],
            continuous=state.get("continuous_values"))
        for finding in findings:
            report.add(finding)
        labels = state["class_data"]["label"].to_numpy()
        for column, check, xlabel in (("length", "length", "length (nt)"),
                                      ("gc_content", "gc_content", "GC fraction")):
            values = state["composition"][column].to_numpy()
            by_class = {str(c): values[labels == c] for c in pd.unique(labels)}
            report.figures[f"distribution_{check}"] = PlotRequest("plot_class_distributions",
                by_class, xlabel, f"{xlabel} per class")

    def _positional(self, report, state):
        finding, profiles = check_positional(
            state["class_data"], state["packed"], warn=self.auroc_warn, fail=self.auroc_fail,
            min_class_size=self.min_class_size)
        if finding is not None:
            report.add(finding)
        for end, profile in profiles.items():
            by_class = {str(c): profile.loc[c][["A", "C", "G", "T"]]
                        for c in profile.index.get_level_values(0).unique()}
            report.figures[f"positional_{end}"] = PlotRequest("plot_position_composition",
                by_class, from_end="5'" if end == "start" else "3'")

    def _leakage(self, report, data, test):
        findings, best = check_train_test_leakage(
            data, data["sequence"].tolist(), test, test["sequence"].tolist(),
            threshold=self.identity_threshold, fail=self.leak_fail)
        for finding in findings:
            report.add(finding)
        report.figures["leakage_similarity"] = PlotRequest("plot_similarity_histogram",
            best[best > 0], self.identity_threshold,
            f"Highest identity of test sequences to training ({int((best > 0).sum())} of {len(best)} "
            "with a candidate)")
