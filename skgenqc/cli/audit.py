"""``skgenqc audit``: the leakage audit of a model on a feature table."""

from __future__ import annotations

import click

from skgenqc._core.stages import add_stages, timed_stage
from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_outputs, _column, _examples, _exit_input, _finish,
    _progress, _read_any_table, _write_outputs,
)
from skgenqc.cli._group import main


# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_AUDIT_EXAMPLES = _examples(
    "skgenqc audit data.csv --target label --groups chrom --cv chromosome "
    "--confounders gc,length --html audit.html",
    "skgenqc audit data.csv --target label --features gc,length --n-permutations 50 "
    "--json audit.json --fail-on warn --quiet")


def _load_factory(spec):
    """Import ``module:factory`` and call it to get an estimator."""
    import importlib

    if ":" not in spec:
        raise ValueError(f"--model {spec!r} must look like 'module:factory', e.g. "
                         "'sklearn.ensemble:RandomForestClassifier'.")
    module_name, attr = spec.split(":", 1)
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise ValueError(f"--model: cannot import module {module_name!r}: {err}") from None
    if not hasattr(module, attr):
        raise ValueError(f"--model: module {module_name!r} has no {attr!r}.")
    return getattr(module, attr)()


@main.command("audit", cls=_Command, epilog=_AUDIT_EXAMPLES)
@click.argument("table_path", metavar="TABLE", type=click.Path())
@click.option("--target", required=True, help="Target column.")
@click.option("--groups", "group_column", default=None,
              help="Group column (chromosome, batch, pair id...) for the blocked CV.")
@click.option("--cv", "cv_name", default=None,
              type=click.Choice(["group", "chromosome", "stratified"]),
              help="Blocked CV: by group (default with --groups), chromosome, or stratified.")
@click.option("--confounders", default=None, help="Comma-separated confounder columns.")
@click.option("--features", default=None,
              help="Comma-separated feature columns (default: every other numeric column "
                   "except id-like ones: *_id, cluster, start/end/pos coordinates).")
@click.option("--sequence-column", default=None,
              help="Text column of DNA/RNA sequences to featurize (with --kmer-k and/or "
                   "--composition); added to --features.")
@click.option("--kmer-k", type=int, default=None, help="k-mer counts of --sequence-column (1-8).")
@click.option("--composition", is_flag=True,
              help="GC, length, base and dinucleotide fractions of --sequence-column.")
@click.option("--model", default="sklearn.linear_model:LogisticRegression", show_default=True,
              help="Estimator factory as module:callable.")
@click.option("--n-splits", default=5, show_default=True, type=int)
@click.option("--n-permutations", default=20, show_default=True, type=int)
@click.option("--scoring", default=None, help="scikit-learn scorer name (default AU-ROC).")
@click.option("--n-jobs", default=None, type=int, help="joblib workers.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--html", type=click.Path(), default=None, help="Write the audit as HTML.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the audit as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def audit_command(table_path, target, group_column, cv_name, confounders, features,
                  sequence_column, kmer_k, composition, model, n_splits, n_permutations,
                  scoring, n_jobs, seed, html, json_path, fail_on, quiet):
    """Audit a model on a table: blocked vs random CV, permutation nulls, confounders.
    """
    from sklearn.model_selection import StratifiedKFold

    from skgenqc.audit import LeakageAuditor, table_features
    from skgenqc.model_selection import BalancedGroupKFold, ChromosomeKFold

    try:
        _check_outputs(html, json_path)
        stages = []  # before the auditor's own: inputs, fits, one per probe
        with timed_stage("load TABLE", stages):
            frame = _read_any_table(table_path)
        y = _column(frame, target, "--target").to_numpy()
        groups = _column(frame, group_column, "--groups").to_numpy() if group_column else None
        conf_cols = [c.strip() for c in confounders.split(",")] if confounders else []
        for c in conf_cols:
            _column(frame, c, "--confounders")
        with timed_stage("features", stages):
            X, feature_info = table_features(
                frame, exclude=[target, group_column, *conf_cols],
                features=[c.strip() for c in features.split(",")] if features else None,
                sequence_column=sequence_column, kmer_k=kmer_k, composition=composition)
        cv_name = cv_name or ("group" if groups is not None else "stratified")
        if cv_name != "stratified" and groups is None:
            raise ValueError(f"--cv {cv_name} needs --groups.")
        cv = {"group": lambda: BalancedGroupKFold(n_splits, shuffle=True, random_state=seed),
              "chromosome": lambda: ChromosomeKFold(n_splits),
              "stratified": lambda: StratifiedKFold(n_splits, shuffle=True, random_state=seed)}[cv_name]()
        auditor = LeakageAuditor(_load_factory(model), cv=cv, scoring=scoring,
                                 n_permutations=n_permutations, n_jobs=n_jobs, random_state=seed,
                                 progress=_progress(quiet))
        report = auditor.audit(X.to_numpy(), y, groups,
                               confounders=frame[conf_cols] if conf_cols else None,
                               feature_info=feature_info)
        add_stages(report.metadata, before=stages)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)
