"""
Pitfall: dependent examples (random folds vs chromosome and group folds)
=========================================================================

Genomic examples come in families: overlapping windows of one locus, paralogous
genes, enhancers of one regulatory domain, neighbouring positions on a
chromosome. Members of a family share both their features and their label. A
random k-fold puts relatives on both sides of the split, so the model is tested
on what it has already seen and the score measures memory, not generalisation
(dependent examples, Whalen et al. 2022).

Here 600 examples come from 60 loci spread over 12 chromosomes. Each locus
shares a label and a feature profile; only one feature carries a weak signal
that holds across loci. :class:`~skgenqc.audit.LeakageAuditor` runs the
blocked cross-validation next to random ones and reports the gap.
"""

# %%
# Grouped data
# ------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, cross_val_score

from skgenqc.audit import LeakageAuditor
from skgenqc.model_selection import BalancedGroupKFold, ChromosomeKFold, split_diagnostics

rng = np.random.default_rng(0)
n_loci, per_locus, n_features = 60, 10, 8
locus = np.repeat(np.arange(n_loci), per_locus)
chromosome = np.array([f"chr{1 + i % 12}" for i in range(n_loci)])[locus]
locus_label = rng.integers(0, 2, n_loci)
y = locus_label[locus]
# Each locus has its own feature profile (what a model can memorise) ...
X = rng.normal(size=(n_loci, n_features))[locus] + 0.2 * rng.normal(size=(len(y), n_features))
# ... and one feature carries a weak signal shared by all loci (what it should learn).
X[:, 0] += 0.6 * (y - 0.5)

model = RandomForestClassifier(n_estimators=30, random_state=0)

# %%
# The naive result: random k-fold
# -------------------------------
random_cv = KFold(5, shuffle=True, random_state=0)
naive = cross_val_score(model, X, y, cv=random_cv, scoring="roc_auc")
print(f"random 5-fold AU-ROC: {naive.mean():.3f} (folds {np.round(naive, 2).tolist()})")

# %%
# The split diagnostics say why: every locus sits on both sides of every fold.
diag = split_diagnostics(list(random_cv.split(X)), y, groups=locus, chromosomes=chromosome)
print(diag.to_frame()[["check", "severity", "value"]].to_string(index=False))
print(diag["groups_across_split"].message)

# %%
# The skgenqc result: blocked folds, audited against random ones
# ---------------------------------------------------------------
# ``ChromosomeKFold`` keeps whole chromosomes together; ``BalancedGroupKFold``
# keeps whole loci together. The auditor fits the model under each blocked
# scheme, under shuffled folds (the baseline) and under permuted labels (the
# null), and grades the gap between random and blocked folds.
schemes = {
    "ChromosomeKFold": (ChromosomeKFold(4), chromosome),
    "BalancedGroupKFold": (BalancedGroupKFold(5), locus),
}
reports = {}
for name, (cv, groups) in schemes.items():
    auditor = LeakageAuditor(model, cv=cv, baseline_cv=random_cv, n_permutations=5,
                             n_repeats=1, random_state=0)
    reports[name] = auditor.audit(X, y, groups)

rows = {"random KFold (naive)": [f"{naive.mean():.3f}", "-", "-"]}
for name, report in reports.items():
    gap = report["dependence_gap"]
    rows[name] = [f"{gap.evidence['blocked_mean']:.3f}", f"{gap.value:+.3f}", gap.severity]
print(pd.DataFrame(rows, index=["AU-ROC", "random minus blocked", "verdict"]).T)

# %%
# The finding states the numbers and what to do:
gap = reports["BalancedGroupKFold"]["dependence_gap"]
print(gap.message)
print(gap.recommendation)

# %%
# Per-fold scores
# ---------------
# Random folds score near 1; folds that hold out whole loci or chromosomes score
# what the shared signal allows.
per_fold = {"random KFold": naive}
for name, report in reports.items():
    per_fold[name] = report.scores.query("scheme == 'blocked'")["score"].to_numpy()
fig, ax = plt.subplots(figsize=(6, 3.2))
for i, (name, scores) in enumerate(per_fold.items()):
    ax.scatter(np.full(len(scores), i) + rng.uniform(-0.08, 0.08, len(scores)), scores,
               s=40, zorder=3, label=f"{name}: {scores.mean():.2f}")
    ax.hlines(scores.mean(), i - 0.25, i + 0.25, color="black", zorder=4)
ax.axhline(0.5, color="grey", linestyle=":", label="chance")
ax.set_xticks(range(len(per_fold)), list(per_fold))
ax.set_ylabel("AU-ROC per test fold")
ax.set_ylim(0.3, 1.05)
ax.set_title("Random folds test on relatives of the training set")
ax.legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()
