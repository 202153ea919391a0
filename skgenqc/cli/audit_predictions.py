"""``skgenqc audit-predictions``: the audit of a frozen model from its predictions."""

from __future__ import annotations


import click

from skgenqc._core.stages import add_stages, timed_stage
from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_outputs, _column, _examples, _exit_input, _finish,
    _read_any_table, _write_outputs,
)
from skgenqc.cli._group import main


# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_AUDIT_PREDICTIONS_EXAMPLES = _examples(
    "skgenqc audit-predictions --train train.csv --test test.csv --pred preds.csv "
    "--html frozen.html",
    "skgenqc audit-predictions --train train.csv --test test.csv --pred preds.csv "
    "--scoring average_precision --json frozen.json --fail-on warn --quiet")


def _predictions_in_test_order(test, pred, id_column, pred_column):
    """The prediction scores in the order of the test rows; errors name the first mismatches."""
    import pandas as pd

    if pred_column not in pred.columns:
        raise ValueError(f"--pred-column {pred_column!r} is not a column of --pred; columns are "
                         f"{list(pred.columns)}.")
    scores = pd.to_numeric(pred[pred_column], errors="coerce")
    if scores.isna().any():
        i = int(scores.isna().to_numpy().argmax())
        raise ValueError(f"--pred column {pred_column!r} row {i} holds {pred[pred_column].iloc[i]!r}, "
                         "not a number; every test item needs a score.")
    if id_column in test.columns and id_column in pred.columns:
        test_ids, pred_ids = test[id_column].astype(str), pred[id_column].astype(str)
        if pred_ids.duplicated().any():
            raise ValueError(f"--pred has the id {pred_ids[pred_ids.duplicated()].iloc[0]!r} "
                             "more than once; give one score per test item.")
        missing = test_ids[~test_ids.isin(pred_ids)].tolist()
        extra = pred_ids[~pred_ids.isin(test_ids)].tolist()
        if missing or extra:
            raise ValueError(
                f"the ids of --pred do not match those of --test: {len(missing)} test id(s) have "
                f"no prediction (first: {', '.join(map(repr, missing[:5])) or 'none'}), "
                f"{len(extra)} prediction id(s) are not in the test set (first: "
                f"{', '.join(map(repr, extra[:5])) or 'none'}).")
        return scores.set_axis(pred_ids).loc[test_ids].to_numpy(dtype=float)
    if len(pred) != len(test):
        raise ValueError(f"--pred has {len(pred)} rows but --test has {len(test)}, and they share "
                         f"no {id_column!r} column to match them by (--id-column).")
    return scores.to_numpy(dtype=float)


@main.command("audit-predictions", cls=_Command, epilog=_AUDIT_PREDICTIONS_EXAMPLES)
@click.option("--train", "train_path", required=True, type=click.Path(),
              help="Training sequences (FASTA or a table with a sequence column).")
@click.option("--test", "test_path", required=True, type=click.Path(),
              help="Test table: id, sequence and label columns (chrom optional).")
@click.option("--pred", "pred_path", required=True, type=click.Path(),
              help="Predictions: a table with id and score columns (or scores in test order).")
@click.option("--id-column", default="id", show_default=True,
              help="Column matching predictions to test items.")
@click.option("--label-column", default="label", show_default=True, help="Test label column.")
@click.option("--sequence-column", default="sequence", show_default=True,
              help="Sequence column of --train and --test tables.")
@click.option("--train-label-column", default=None,
              help="Label column of --train: adds the lookup baseline (each test item takes its "
                   "nearest training item's label) beside the model, with model_minus_lookup.")
@click.option("--pred-column", default="score", show_default=True,
              help="Score column of --pred.")
@click.option("--chrom-column", default=None,
              help="Chromosome column of --test (and --train): scores per chromosome, flagging "
                   "chromosomes seen in training.")
@click.option("--scoring", default="roc_auc", show_default=True,
              type=click.Choice(["roc_auc", "average_precision"]))
@click.option("--html", type=click.Path(), default=None, help="Write the audit as HTML.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the audit as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def audit_predictions_command(train_path, test_path, pred_path, id_column, label_column,
                              sequence_column, train_label_column, pred_column, chrom_column,
                              scoring, html, json_path, fail_on, quiet):
    """Audit a model that cannot be refit from its test predictions.

    The score is broken down by each test item's highest identity to the
    training set (either strand), with --chrom-column by chromosome, and with
    --train-label-column set beside the lookup baseline.
    """
    from skgenqc.audit import audit_predictions

    try:
        _check_outputs(html, json_path)
        stages = []
        with timed_stage("load --train, --test, --pred", stages):
            train = _read_any_table(train_path)
            test = _read_any_table(test_path)
            pred = _read_any_table(pred_path)
        train_seqs = _column(train, sequence_column, "--sequence-column (in --train)")
        test_seqs = _column(test, sequence_column, "--sequence-column (in --test)")
        y = _column(test, label_column, "--label-column (in --test)").to_numpy()
        scores = _predictions_in_test_order(test, pred, id_column, pred_column)
        kwargs = {}
        if train_label_column:
            kwargs["train_labels"] = _column(train, train_label_column,
                                             "--train-label-column (in --train)").to_numpy()
        if chrom_column:
            kwargs["chromosomes"] = _column(test, chrom_column, "--chrom-column (in --test)")
            if chrom_column in train.columns:
                kwargs["train_chromosomes"] = train[chrom_column].to_numpy()
        with timed_stage("audit predictions", stages):
            report = audit_predictions(y, scores,
                                       train_sequences=train_seqs.astype(str).tolist(),
                                       test_sequences=test_seqs.astype(str).tolist(),
                                       scoring=scoring, **kwargs)
        add_stages(report.metadata, before=stages)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)
