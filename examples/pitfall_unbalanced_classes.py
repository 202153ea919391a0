"""Pitfall 5, unbalanced classes: balancing and selecting before vs inside cross-validation.

A stand-in for Whalen et al. 2022, notebook D: 10,959 candidate regions on two
chromosomes, 3.8 % of them positive, 2,000 features of which 20 carry a weak
signal.  Cross-validation holds out one chromosome at a time.

Naive: under-sample the negatives to 50/50 and pick the top features on all
rows, *then* cross-validate.  The test folds now contain 50 % positives
instead of ~4 %, and they were seen by the selector: the area under the
precision-recall curve (whose chance level is the prevalence) jumps.

skgenqc: the same steps inside an ``imblearn.pipeline.Pipeline``
(``GroupBalancedUnderSampler`` balances each chromosome of the training fold,
``UnivariateTopK`` selects on the training fold), so the test fold keeps the
prevalence the model will meet in the genome.  The chromosome reaches both the
splitter and the sampler through scikit-learn's metadata routing.

Run: ``python examples/pitfall_unbalanced_classes.py`` (about 4 s).
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import sklearn
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, cross_validate

from skgenqc.preprocessing import UnivariateTopK
from skgenqc.sampling import GroupBalancedUnderSampler


def make_data(seed=0, n=10_959, prevalence=0.038, n_features=2_000, n_informative=20):
    rng = np.random.default_rng(seed)
    chrom = np.where(np.arange(n) < int(0.55 * n), "chr1", "chr2")
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, size=int(round(prevalence * n)), replace=False)] = 1
    X = rng.normal(size=(n, n_features))
    X[y == 1, :n_informative] += 0.4
    return X, y, chrom


SCORING = {
    "auPR": "average_precision",
    "prevalence": lambda est, X, y: float(np.mean(y)),
}


def main():
    start = time.perf_counter()
    X, y, chrom = make_data()
    cv = LeaveOneGroupOut()

    # naive: balance and select on all rows, then cross-validate by chromosome
    sampler = RandomUnderSampler(random_state=0)
    X_bal, y_bal = sampler.fit_resample(X, y)
    chrom_bal = chrom[sampler.sample_indices_]
    X_bal = SelectKBest(k=50).fit_transform(X_bal, y_bal)
    naive = cross_validate(LogisticRegression(max_iter=1000), X_bal, y_bal, groups=chrom_bal,
                           cv=cv, scoring=SCORING)

    # skgenqc: balancing (within each chromosome) and selection inside the training fold
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = Pipeline([
            ("balance", GroupBalancedUnderSampler(random_state=0)
             .set_fit_resample_request(groups=True)),
            ("select", UnivariateTopK(k=50)),
            ("model", LogisticRegression(max_iter=1000)),
        ])
        inside = cross_validate(pipe, X, y, cv=cv, params={"groups": chrom}, scoring=SCORING)

    print(f"{len(y):,} regions on 2 chromosomes, {y.mean():.1%} positive; "
          "leave-one-chromosome-out CV")
    print(f"{'':<28}{'naive (outside CV)':>20}{'skgenqc (inside CV)':>22}")
    for fold, name in enumerate(["test chr1", "test chr2"]):
        print(f"{name + ': test prevalence':<28}{naive['test_prevalence'][fold]:>20.3f}"
              f"{inside['test_prevalence'][fold]:>22.3f}")
        print(f"{name + ': auPR':<28}{naive['test_auPR'][fold]:>20.3f}"
              f"{inside['test_auPR'][fold]:>22.3f}")
    print(f"{'mean auPR':<28}{naive['test_auPR'].mean():>20.3f}{inside['test_auPR'].mean():>22.3f}")
    print(f"{'auPR of a random guess':<28}{naive['test_prevalence'].mean():>20.3f}"
          f"{inside['test_prevalence'].mean():>22.3f}")
    print("auPR is only comparable at the prevalence the model will face (~4 %).")
    print(f"({time.perf_counter() - start:.1f} s)")

    # auPR per held-out chromosome, with the auPR of a random guess (the test prevalence).
    fig, ax = plt.subplots(figsize=(8, 3.2))
    x = np.arange(2)
    for shift, (label, result, color) in zip((-0.2, 0.2), [
            ("naive (balanced, selected before CV)", naive, "tab:gray"),
            ("skgenqc (inside the training fold)", inside, "tab:blue")]):
        ax.bar(x + shift, result["test_auPR"], width=0.38, color=color, label=label)
        ax.hlines(result["test_prevalence"], x + shift - 0.19, x + shift + 0.19, color="black",
                  lw=1.5, ls=":")
    ax.plot([], [], color="black", ls=":", label="random guess (test prevalence)")
    ax.set_xticks(x, ["test chr1", "test chr2"])
    ax.set_ylim(0, 1)
    ax.set_ylabel("auPR")
    ax.set_title(f"Unbalanced classes ({y.mean():.1%} positive): balance inside the fold")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    plt.show()


if __name__ == "__main__":
    main()
