"""Pitfall 4, leaky preprocessing: feature selection outside vs inside cross-validation.

Whalen et al. 2022 (Nat Rev Genet), notebook C: 500 examples with 10,000
standard-normal features and random 0/1 labels, so there is nothing to learn.
Selecting the 200 features most associated with the label on *all* rows and
then running 20-fold cross-validation of a logistic regression reports a high
accuracy, because the selection has already seen every test fold.  Putting the
selector in a Pipeline (skgenqc's ``UnivariateTopK`` or ``EffectSizeSelector``)
refits it on each training fold, and the accuracy falls to chance.

Run: ``python examples/pitfall_leaky_preprocessing.py`` (about 7 s).
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline

from skgenqc.preprocessing import EffectSizeSelector, UnivariateTopK


def main():
    start = time.perf_counter()
    rng = np.random.RandomState(0)  # the same stream as the notebook's np.random.seed(0)
    X = rng.randn(500, 10_000)
    y = rng.randint(0, 2, 500)
    cv = StratifiedKFold(n_splits=20, shuffle=True, random_state=0)

    # naive: select on all rows, then cross-validate the model alone
    X_selected = SelectKBest(k=200).fit_transform(X, y)
    naive = cross_val_score(LogisticRegression(solver="liblinear"), X_selected, y, cv=cv)

    # skgenqc: the selector is a pipeline step, refitted on every training fold
    pipe = make_pipeline(UnivariateTopK(k=200), LogisticRegression(solver="liblinear"))
    inside = cross_val_score(pipe, X, y, cv=cv)

    # the same with a mean-difference selector (top 200 effects)
    naive_es = cross_val_score(
        LogisticRegression(solver="liblinear"),
        EffectSizeSelector(None, max_features=200).fit_transform(X, y), y, cv=cv)
    inside_es = cross_val_score(
        make_pipeline(EffectSizeSelector(None, max_features=200),
                      LogisticRegression(solver="liblinear")), X, y, cv=cv)

    print("Pure noise: 500 examples x 10,000 features, random labels; 20-fold CV accuracy")
    print(f"{'selection':<34}{'naive (outside CV)':>20}{'skgenqc (inside CV)':>22}")
    print(f"{'top 200 by F test':<34}{naive.mean():>14.3f} +-{naive.std():.2f}"
          f"{inside.mean():>16.3f} +-{inside.std():.2f}")
    print(f"{'top 200 by |mean difference|':<34}{naive_es.mean():>14.3f} +-{naive_es.std():.2f}"
          f"{inside_es.mean():>16.3f} +-{inside_es.std():.2f}")
    print("chance level: 0.5 -- only the inside-CV numbers are honest")
    print(f"({time.perf_counter() - start:.1f} s)")

    # The 20 fold accuracies of each protocol: only the in-fold ones sit around chance.
    groups = [("F test\nnaive", naive), ("F test\nin-fold", inside),
              ("|mean diff.|\nnaive", naive_es), ("|mean diff.|\nin-fold", inside_es)]
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    box = ax.boxplot([g[1] for g in groups], patch_artist=True, widths=0.5)
    for patch, color in zip(box["boxes"], ["tab:gray", "tab:blue"] * 2):
        patch.set_facecolor(color)
        patch.set_alpha(0.6)
    ax.set_xticks(range(1, len(groups) + 1), [g[0] for g in groups])
    ax.axhline(0.5, color="black", lw=0.8, ls="--", label="chance (random labels)")
    ax.set_ylabel("accuracy per fold (20-fold CV)")
    ax.set_ylim(0.1, 1.05)
    ax.set_title("Top-200 feature selection on pure noise")
    ax.legend(loc="lower right")
    fig.tight_layout()
    plt.show()


if __name__ == "__main__":
    main()
