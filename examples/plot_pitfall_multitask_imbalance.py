"""
Pitfall: unbalanced classes across tasks (multi-task scale imbalance)
=====================================================================

Genomic models often predict many tasks at once: binding of hundreds of
transcription factors, accessibility in dozens of cell types. The tasks differ
in how many positives they have, often by two orders of magnitude. A summary
such as "mean AU-ROC over tasks" hides this: AU-ROC ignores prevalence, so a
rare task can look as good as a common one while most of its predicted
positives are wrong (unbalanced classes, Whalen et al. 2022, notebook E).

Here every task has the same signal strength but a different positive rate.
The naive summary is the mean AU-ROC. skgenqc's auditor reports, for each task,
the test-fold prevalence and the AU-PR relative to it.
"""

# %%
# Tasks with the same signal and different prevalence
# ---------------------------------------------------
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from skgenqc.audit import LeakageAuditor

rng = np.random.default_rng(0)
n = 6000
X = rng.normal(size=(n, 5))
rows = []
for prevalence in (0.005, 0.02, 0.05, 0.2):
    # Same effect size for every task: positives are shifted by 1 SD on feature 0.
    y = (rng.random(n) < prevalence).astype(int)
    Xt = X.copy()
    Xt[y == 1, 0] += 1.0
    model = LogisticRegression()
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    auroc = cross_val_score(model, Xt, y, cv=cv, scoring="roc_auc").mean()
    report = LeakageAuditor(model, cv=cv, scoring="average_precision", n_permutations=0,
                            n_repeats=1, random_state=0).audit(Xt, y)
    imbalance = report["class_imbalance"]
    rows.append({"prevalence": y.mean(), "AU-ROC (naive summary)": auroc,
                 "AU-PR": report["dependence_gap"].evidence["blocked_mean"],
                 "AU-PR / prevalence": imbalance.evidence["ap_lift_over_prevalence"]})
table = pd.DataFrame(rows)
print(table.round(3).to_string(index=False))
print(f"\nNaive: mean AU-ROC over tasks = {table['AU-ROC (naive summary)'].mean():.3f} "
      "(every task looks alike).")
print("skgenqc: AU-PR scales with prevalence; report it per task next to the prevalence.")

# %%
# The picture: AU-ROC is flat, AU-PR follows prevalence
# -----------------------------------------------------
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(table["prevalence"], table["AU-ROC (naive summary)"], "o-", label="AU-ROC")
ax.plot(table["prevalence"], table["AU-PR"], "s-", label="AU-PR")
ax.plot(table["prevalence"], table["prevalence"], ":", color="grey", label="prevalence (chance AU-PR)")
ax.set_xscale("log")
ax.set_xlabel("task prevalence")
ax.set_ylabel("score")
ax.legend()
fig.tight_layout()
plt.show()
