"""The command line's words: API messages rewritten with the options a user typed.

The library's errors name Python arguments (``n_splits=40``, ``label_column``,
scikit-learn's "The 'identity_threshold' parameter of DatasetQC ..."); a user of
``skgenqc`` typed ``--n-splits`` and ``--identity``. :func:`in_cli_words` rewrites
a message in the vocabulary of the command being run, so every error and warning
names the options.
"""

from __future__ import annotations

import re

import click

# Python argument names in the API's messages, and the option each command takes for them.
_OPTION_OF = {"sequence_column": "--sequence-column", "label_column": "--label-column",
              "label_from_header": "--label-from-header"}
_PYTHON_ONLY = " For unlabelled data pass label_column=None."
# What a splitter or CV class is called on the command line.
_SPLIT_CLASSES = {"ChromosomeKFold": "--by chromosome", "GenomicBlockKFold": "--by block",
                  "SimilarityGroupKFold": "--by similarity", "PairKFold": "--by pairs",
                  "BalancedGroupKFold": "--by group"}
_AUDIT_CLASSES = {"ChromosomeKFold": "--cv chromosome", "BalancedGroupKFold": "--cv group",
                  "StratifiedKFold": "--cv stratified"}
_GROUPS_OF_SPLIT = {"chromosome": "--chrom-column", "similarity": "--sequence-column",
                    "pairs": "--pair-columns", "group": "--group-column",
                    "block": "--chrom-column/--start-column/--end-column"}


def vocabulary(command, params):
    """The ``{python name: option}`` and ``{class: option}`` maps of one command invocation."""
    if command == "qc":
        return {**_OPTION_OF, "identity_threshold": "--identity", "checks": "--checks",
                "X_test": "--test"}, {}
    if command == "split":
        return {"n_splits": "--n-splits", "threshold": "--identity", "block_size": "--block-size",
                "gap": "--gap", "mode": "--mode", "random_state": "--seed",
                "groups": _GROUPS_OF_SPLIT.get(params.get("by"), "--group-column")}, _SPLIT_CLASSES
    if command == "audit":
        return {"n_splits": "--n-splits", "n_permutations": "--n-permutations",
                "scoring": "--scoring", "n_jobs": "--n-jobs", "random_state": "--seed",
                "estimator": "--model", "groups": "--groups", "confounders": "--confounders",
                "cv": "--cv", "features": "--features", "sequence_column": "--sequence-column",
                "kmer_k": "--kmer-k", "composition": "--composition"}, _AUDIT_CLASSES
    return {}, {}


def plain_value(value):
    """``'C2'`` -> ``C2``: quotes only where the shell would need them."""
    if len(value) > 2 and value[0] == value[-1] and value[0] in "'\"" \
            and re.fullmatch(r"[\w.,:/+-]+", value[1:-1]):
        return value[1:-1]
    return value


def speak_cli(message, options, classes=()):
    """Rewrite an API message in the words of the command line.

    ``options`` maps Python argument names to the options that set them, ``classes``
    maps class names to the options that choose them.

    >>> opts = {"n_splits": "--n-splits", "mode": "--mode", "identity_threshold": "--identity"}
    >>> speak_cli("The 'identity_threshold' parameter of DatasetQC must be a float in the "
    ...            "range [0.5, 1.0]. Got 1.5 instead.", opts)
    '--identity must be a number in the range [0.5, 1.0]; got 1.5.'
    >>> speak_cli("PairKFold(mode='C3', n_splits=40) leaves a fold empty: use fewer "
    ...            "n_splits, or mode='C2'.", opts, {"PairKFold": "--by pairs"})
    '--by pairs --mode C3 --n-splits 40 leaves a fold empty: use fewer --n-splits, or --mode C2.'
    """
    message = message.replace(_PYTHON_ONLY, "")

    def invalid(m):  # scikit-learn's InvalidParameterError
        if m[1] not in options:
            return m[0]
        allowed = re.sub(r"a str among \{([^}]*)\}", lambda s: "one of " + ", ".join(
            sorted(v.strip(" '") for v in s[1].split(","))), m[2])
        allowed = re.sub(r",? a callable|,? or None$| or None(?=,)", "", allowed)
        allowed = re.sub(r"\ban int\b", "an integer", allowed)
        allowed = re.sub(r"\ba float\b", "a number", allowed)
        return f"{options[m[1]]} must be {allowed}; got {plain_value(m[3])}."

    message = re.sub(r"The '(\w+)' parameter of \w+ must be (.+?)\. Got (.+?) instead\.",
                     invalid, message)

    def call(m):  # a class repr such as PairKFold(mode='C3', n_splits=40)
        words = [classes[m[1]]]
        for item in filter(None, (part.strip() for part in m[2].split(","))):
            name, _, value = item.partition("=")
            if name in options:
                words.append(f"{options[name]} {plain_value(value)}")
        return " ".join(words)

    if classes:
        names = "|".join(map(re.escape, classes))
        message = re.sub(rf"(?:\bcv=)?\b({names})\(([^()]*)\)", call, message)
        message = re.sub(rf"\b({names})\b", lambda m: classes[m[1]], message)
    if not options:
        return message
    names = "|".join(sorted(map(re.escape, options), key=len, reverse=True))
    message = re.sub(rf"\b({names})=(?=[.,)\s]|$)", lambda m: options[m[1]], message)
    message = re.sub(rf"\b({names})=('[^']*'|\"[^\"]*\"|[^\s,;)]+)",
                     lambda m: f"{options[m[1]]} {plain_value(m[2])}", message)
    message = re.sub(r"\bn_jobs == 0 in Parallel has no meaning\.?",  # joblib's words
                     "--n-jobs 0 has no meaning: give a number of workers, or -1 for all cores.",
                     message)
    # Bare names: only those no English word spells (with an underscore), and 'groups' where a
    # message says what it holds.
    bare = "|".join(sorted((re.escape(n) for n in options if "_" in n), key=len, reverse=True))
    if bare:
        message = re.sub(rf"(?<![-\w])({bare})\b", lambda m: options[m[1]], message)
    if "groups" in options:
        message = re.sub(r"\bgroups(?= holds\b| has\b)|(?<=\bin )groups\b",
                         options["groups"], message)
    return message


def as_options(message):
    """``label_column='x'`` in a reader's message becomes ``--label-column x``.

    >>> as_options("label_column='y' is missing (sequence_column=, label_column=).")
    '--label-column y is missing (--sequence-column, --label-column).'
    """
    return speak_cli(message, _OPTION_OF)


def in_cli_words(message):
    """``message`` in the words of the command being run (its options, not Python names)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return message
    return speak_cli(message, *vocabulary(ctx.info_name, ctx.params))
