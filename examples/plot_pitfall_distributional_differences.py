"""
Pitfall: distributional differences (the data a model will meet)
=================================================================

Cross-validation estimates how a model does on data drawn like its training
data. A model is then applied to other data: another cell type, another
species, another assay, another part of the genome. When the new data differ,
the cross-validated score says little about the score there (distributional
differences, Whalen et al. 2022).

Here a model of enhancer activity is trained on GC-poor regions, where activity
rises with GC content, and applied to GC-rich regions, where activity falls with
it (activity peaks at intermediate GC). :class:`~skgenqc.audit.LeakageAuditor`
is given the new, unlabelled rows as ``X_new``: a classifier two-sample test
and per-feature Kolmogorov-Smirnov tests show, before any label is known there,
that the cross-validated score will not carry over.
"""

# %%
# Training data and new data
# --------------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgenqc.audit import LeakageAuditor

rng = np.random.default_rng(0)
FEATURES = ["gc_content", "cpg_ratio", "accessibility", "conservation", "length_kb"]


def regions(n, gc_mean):
    """Regions around one GC level; activity peaks at GC 0.5."""
    gc = rng.normal(gc_mean, 0.04, n)
    frame = pd.DataFrame({
        "gc_content": gc,
        "cpg_ratio": 0.2 + 1.2 * (gc - 0.3) + 0.05 * rng.normal(size=n),
        "accessibility": rng.normal(size=n),
        "conservation": rng.normal(size=n),
        "length_kb": rng.gamma(4.0, 0.25, n),
    })
    logit = 1.0 * frame["accessibility"] + 3.0 - 0.9 * ((gc - 0.5) / 0.04) ** 2 / 2
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame, y


X, y = regions(600, gc_mean=0.44)          # where the labels come from
X_new, y_new = regions(600, gc_mean=0.56)  # where the model will be used (labels unknown)
model = make_pipeline(StandardScaler(), LogisticRegression())

# %%
# The naive result: the cross-validated score
# -------------------------------------------
cv = StratifiedKFold(5, shuffle=True, random_state=0)
cv_auroc = cross_val_score(model, X, y, cv=cv, scoring="roc_auc").mean()
print(f"5-fold CV AU-ROC on the training distribution: {cv_auroc:.3f}")

# %%
# The skgenqc result: audit with the new rows
# -------------------------------------------
auditor = LeakageAuditor(model, cv=cv, n_permutations=5, n_repeats=1, random_state=0)
report = auditor.audit(X, y, X_new=X_new)
classifier_test = report["shift_classifier"]
per_feature = report["shift_features"]
top = per_feature.table.head(3).assign(feature=lambda t: [FEATURES[i] for i in t["feature"]])
print(classifier_test.message)
print(per_feature.message)
print(top.to_string(index=False))

# %%
# Here the labels of the new rows are known, so we can check what the audit
# predicted: the score does not carry over.
new_auroc = roc_auc_score(y_new, model.fit(X, y).predict_proba(X_new)[:, 1])
side_by_side = pd.DataFrame({
    "naive": [f"CV AU-ROC {cv_auroc:.3f}", "assumed to hold", "not asked"],
    "skgenqc": [f"CV AU-ROC {cv_auroc:.3f}",
                f"shift detected: {classifier_test.severity} (train vs new AU-ROC "
                f"{classifier_test.evidence['auroc']:.2f})",
                f"most shifted: {top['feature'].iloc[0]} (KS {top['ks'].iloc[0]:.2f})"],
}, index=["score on training distribution", "score on new data", "why"])
with pd.option_context("display.max_colwidth", 70, "display.width", 160):
    print(side_by_side)
print(f"\nactual AU-ROC on the new data: {new_auroc:.3f}")

# %%
# The distribution that moved
# ---------------------------
fig, ax = plt.subplots(figsize=(6, 3.2))
bins = np.linspace(0.3, 0.7, 41)
ax.hist(X["gc_content"], bins=bins, alpha=0.6, color="#4c72b0",
        label=f"training (CV AU-ROC {cv_auroc:.2f})")
ax.hist(X_new["gc_content"], bins=bins, alpha=0.6, color="#dd8452",
        label=f"new data (actual AU-ROC {new_auroc:.2f})")
ax.axvline(0.5, color="black", linestyle=":", label="activity peaks at GC 0.5")
ax.set_xlabel("GC content")
ax.set_ylabel("regions")
ax.set_title(f"Shift found without labels: KS {top['ks'].iloc[0]:.2f}, "
             f"{classifier_test.severity}")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
