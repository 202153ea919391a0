"""Pitfall 3, confounding: a GC-content shortcut, and removing it inside the fold.

3,000 synthetic 200 bp regions.  Positives are GC-richer than negatives (as
when negatives are drawn from the genome at random), and half of them carry two
copies of a TGACTCA motif (the biology).  Features: canonical 4-mer frequencies plus the
GC content.

- GC alone already separates the classes: the full k-mer model's score is
  mostly GC.
- ``ConfounderRegressor("gc_content")`` replaces every k-mer feature by its
  residual after regressing it on GC.  Fitted on all rows before CV (naive) it
  sees the test folds; as a pipeline step (skgenqc) it learns from the
  training fold only.  Either way what is left is the motif signal.
- A second check: score the same model on a GC-matched set of examples
  (``match_covariates``), where GC carries no information by construction.

Run: ``python examples/pitfall_confounding.py`` (about 6 s).
"""

import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgenqc.features import composition_table, kmer_count_matrix, pack_sequences
from skgenqc.preprocessing import ConfounderRegressor
from skgenqc.sampling import match_covariates

MOTIF = "TGACTCA"


def make_sequences(seed=0, n=3_000, length=200):
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(n // 2, int), np.zeros(n - n // 2, int)]
    gc = np.clip(np.where(y == 1, rng.normal(0.52, 0.05, n), rng.normal(0.44, 0.05, n)),
                 0.2, 0.8)[:, None]
    u = rng.random((n, length))
    codes = np.where(u < gc / 2, 2, np.where(u < gc, 1, np.where(u < (1 + gc) / 2, 0, 3)))
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)[codes.astype(np.uint8)]
    seqs = [row.tobytes().decode() for row in letters]
    for i in np.flatnonzero((y == 1) & (rng.random(n) < 0.5)):
        for _ in range(2):  # two copies: a weak but learnable signal
            pos = rng.integers(0, length - len(MOTIF))
            seqs[i] = seqs[i][:pos] + MOTIF + seqs[i][pos + len(MOTIF):]
    return seqs, y


def featurize(seqs):
    packed = pack_sequences(seqs)
    counts, names = kmer_count_matrix(packed, 4, canonical=True)
    X = pd.DataFrame(counts.toarray() / 197.0, columns=names)
    X["gc_content"] = composition_table(seqs, dinucleotides=False, packed=packed)["gc_content"]
    return X


def main():
    start = time.perf_counter()
    seqs, y = make_sequences()
    X = featurize(seqs)
    kmers = X.drop(columns="gc_content")
    cv = StratifiedKFold(5, shuffle=True, random_state=0)

    def model():
        return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))

    def auc(estimator, data, labels=y):
        return cross_val_score(estimator, data, labels, cv=cv, scoring="roc_auc").mean()

    gc_alone = auc(model(), X[["gc_content"]])
    full = auc(model(), kmers)
    # naive: the confounder regression sees every row, test folds included
    residual_all = ConfounderRegressor("gc_content").fit_transform(X)
    naive = auc(model(), residual_all)
    # skgenqc: the regression is a pipeline step, learned on each training fold
    inside = auc(make_pipeline(ConfounderRegressor("gc_content"), StandardScaler(),
                               LogisticRegression(C=0.1, max_iter=2000)), X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the GC tails without a match are dropped
        kept = match_covariates(X["gc_content"], y, n_bins=20, shortfall="trim", random_state=0)
    matched_full = auc(model(), kmers.iloc[kept], y[kept])
    matched_gc = auc(model(), X[["gc_content"]].iloc[kept], y[kept])

    print(f"{len(y):,} regions, positives GC-richer, half carry 2x {MOTIF}; 5-fold CV ROC AUC")
    print(f"{'model':<44}{'naive (outside CV)':>20}{'skgenqc (inside CV)':>22}")
    print(f"{'GC content alone (the shortcut)':<44}{gc_alone:>20.3f}{gc_alone:>22.3f}")
    print(f"{'4-mers, no correction':<44}{full:>20.3f}{full:>22.3f}")
    print(f"{'4-mers, GC regressed out':<44}{naive:>20.3f}{inside:>22.3f}")
    print(f"{'on GC-matched examples (n=' + str(len(kept)) + '): GC alone':<44}"
          f"{matched_gc:>20.3f}{matched_gc:>22.3f}")
    print(f"{'on GC-matched examples: 4-mers':<44}{matched_full:>20.3f}{matched_full:>22.3f}")
    print("The gap between '4-mers, no correction' and the corrected rows is GC, not biology.")
    print("With one confounder and a linear regression the naive leak is small; inside the")
    print("pipeline it is zero by construction.")
    print(f"({time.perf_counter() - start:.1f} s)")

    # One bar per model: how much of the k-mer model's score is GC.
    rows = [("GC content alone (the shortcut)", gc_alone, "tab:red"),
            ("4-mers, no correction", full, "tab:gray"),
            ("4-mers, GC regressed out on all rows (naive)", naive, "tab:gray"),
            ("4-mers, GC regressed out in-fold (skgenqc)", inside, "tab:blue"),
            ("GC-matched examples: GC alone", matched_gc, "tab:red"),
            ("GC-matched examples: 4-mers", matched_full, "tab:blue")]
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.barh(range(len(rows)), [r[1] for r in rows], color=[r[2] for r in rows])
    for i, (_, value, _) in enumerate(rows):
        ax.text(value + 0.005, i, f"{value:.3f}", va="center", fontsize=8)
    ax.axvline(0.5, color="black", lw=0.8, ls="--", label="chance")
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0.45, 1.0)
    ax.set_xlabel("ROC AUC (5-fold CV)")
    ax.set_title("Confounding: the k-mer score is mostly GC")
    ax.legend(loc="lower right")
    fig.tight_layout()
    plt.show()


if __name__ == "__main__":
    main()
