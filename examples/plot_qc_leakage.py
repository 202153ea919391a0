"""
Leakage: near-copies and reverse-complement copies across train and test
========================================================================

A test set must hold sequences the model has not seen. The usual check compares
the test sequences with the training sequences as strings; it misses a copy on
the other strand and a copy that differs at a few positions. Both are the same
piece of DNA to a model trained with reverse-complement augmentation, or to
any model that learns motifs (dependent examples, Whalen et al. 2022).

We look at the bundled human enhancer dataset (303 train + 102 test sequences of
500 bp) as distributed, then at a common mistake: augmenting with reverse
complements *before* splitting.
"""

# %%
# The split as distributed
# ------------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from skgenqc import DatasetQC
from skgenqc.datasets import load_enhancers
from skgenqc.features import best_identity, find_similar_pairs, reverse_complement

data = load_enhancers()
train = data[data["split"] == "train"].reset_index(drop=True)
test = data[data["split"] == "test"].reset_index(drop=True)


def naive_check(train_sequences, test_sequences):
    """What most pipelines do: exact string matches, one strand."""
    seen = {s.upper() for s in train_sequences}
    return sum(s.upper() in seen for s in test_sequences)


naive_leaked = naive_check(train["sequence"], test["sequence"])
report = DatasetQC(checks=["leakage"], identity_threshold=0.9).run(train, X_test=test)
near = report["train_test_near_duplicates"]
print(f"naive exact-match check: {naive_leaked} of {len(test)} test sequences leaked")
print(f"skgenqc near-duplicates: {near.evidence['n_test_leaked']} of {len(test)} test sequences "
      f"({near.severity}); pairs found:")
print(near.table[["test_id", "train_id", "identity", "strand", "kind"]].to_string(index=False))

# %%
# A common mistake: reverse-complement augmentation before the split
# ------------------------------------------------------------------
# Each sequence is added again as its reverse complement, then the rows are
# split at random. About three quarters of the test sequences now have their
# other strand in training. The string check still sees nothing.
sequences = data["sequence"].tolist()
augmented = pd.DataFrame({
    "id": [f"{i}" for i in data["id"]] + [f"{i}_rc" for i in data["id"]],
    "sequence": sequences + [reverse_complement(s) for s in sequences],
    "label": np.concatenate([data["label"], data["label"]]),
})
aug_train, aug_test = train_test_split(augmented, test_size=0.25, random_state=0,
                                       stratify=augmented["label"])
aug_report = DatasetQC(checks=["leakage"]).run(aug_train, X_test=aug_test)
rc = aug_report["train_test_reverse_complement"]

aug_naive = naive_check(aug_train["sequence"], aug_test["sequence"])
side_by_side = pd.DataFrame({
    "naive (exact strings)": [f"{naive_leaked} leaked", f"{aug_naive} leaked"],
    "skgenqc (either strand, >= 90 % identity)": [
        f"{near.evidence['n_test_leaked']} near-copies ({near.severity})",
        f"{rc.evidence['n_test_leaked']} of {len(aug_test)} are reverse complements "
        f"({rc.evidence['percent_test_leaked']:.0f} %, {rc.severity})"],
}, index=["bundled split", "RC-augmented, then split"])
with pd.option_context("display.max_colwidth", 70, "display.width", 160):
    print(side_by_side)

# %%
# Each finding says what to do about it:
print(rc.recommendation)

# %%
# How close is each test sequence to the training set?
# ----------------------------------------------------
# The highest identity (either strand) of every test sequence of the bundled
# split to any training sequence. Unrelated 500 bp sequences sit near 0.5-0.6;
# the two near-copies stand out beyond the 0.9 threshold.
pairs = find_similar_pairs(test["sequence"], train["sequence"], threshold=0.5)
best = best_identity(pairs, len(test))
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.hist(best[best > 0], bins=np.linspace(0.5, 1.0, 51), color="#4c72b0")
ax.axvline(0.9, color="#c44e52", linestyle="--", label="identity threshold 0.9")
ax.set_xlabel("highest identity to a training sequence (either strand)")
ax.set_ylabel("test sequences")
ax.set_title(f"{int((best >= 0.9).sum())} of {len(test)} test sequences are near-copies "
             f"(naive check: {naive_leaked})")
ax.legend()
fig.tight_layout()
plt.show()
