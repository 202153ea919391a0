"""Command line: thin commands over the Python API.

Exit codes (for CI gates): 0 when no finding reaches ``--fail-on``, 1 when one
does, 2 for a usage or input error (bad file, missing column), 130 when
interrupted (Ctrl-C): one line on stderr and no output file left behind.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from skgenqc.cli_words import as_options, in_cli_words

EXIT_GATE = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C

def _exit_input(err):
    """Print ``err`` on stderr in the command's words and exit with the input-error code."""
    click.echo(f"error: {in_cli_words(str(err))}", err=True)
    sys.exit(EXIT_INPUT)


class _Command(click.Command):
    """A command whose warnings print as one ``warning:`` line in its own words.

    Python's default shows the file, line and source of the ``warnings.warn``
    call, and the API's argument names.
    """

    def invoke(self, ctx):
        import warnings

        def show(message, category, filename, lineno, file=None, line=None):
            click.echo(f"warning: {in_cli_words(str(message))}", err=True)

        with warnings.catch_warnings():
            warnings.showwarning = show
            return super().invoke(ctx)


def _load(paths, sequence_column, label_column, label_from_header, option):
    """Read the files given to ``option`` (``INPUTS``, ``--test``); errors name that option."""
    from skgenqc.io import check_not_protein, read_sequences

    try:
        frame = read_sequences(list(paths), sequence_column=sequence_column,
                               label_column=label_column, label_from_header=label_from_header)
        columns = [sequence_column] if isinstance(sequence_column, str) else sequence_column
        for source, part in frame.groupby("source", sort=False):
            for column in columns:
                check_not_protein(part[column].tolist(), ids=part["id"].tolist(),
                                  what=f"{source!r}" + (f" column {column!r}"
                                                        if len(columns) > 1 else ""))
    except (ValueError, TypeError) as err:
        kind = TypeError if isinstance(err, TypeError) else ValueError  # not a subclass's signature
        raise kind(f"{option}: {as_options(str(err))}") from None
    return frame


def _check_output_path(path, option):
    """Raise ValueError now if ``path`` cannot be written, rather than after the QC has run."""
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{option} {str(target)!r} is a folder; expected a file name.")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(
            f"{option} {str(target)!r}: folder {str(folder)!r} does not exist; create it first."
        )


def _check_outputs(html, json_path):
    if html:
        _check_output_path(html, "--html")
    if json_path:
        _check_output_path(json_path, "--json")
    if html and json_path and Path(html).resolve() == Path(json_path).resolve():
        raise ValueError(f"--html and --json are the same file {str(html)!r}; give two names.")


def _write_outputs(report, html, json_path, *, first=()):
    """Render every report first, then write each atomically.

    Rendering both before writing either means a rendering error leaves no
    file; if a later write fails (or Ctrl-C comes), the files already written
    by this run are removed so the folder never holds an incomplete set.
    ``first`` holds other ``(path, text)`` outputs of the command (split's
    TSV), written and cleaned up the same way, and listed first.
    """
    from skgenqc._core.files import write_atomically

    pending = [(Path(path), text) for path, text in first]
    if html:
        pending.append((Path(html), report.to_html()))
    if json_path:
        pending.append((Path(json_path), report.to_json()))
    written = []
    try:
        for path, text in pending:
            write_atomically(path, text)
            written.append(path)
    except BaseException as err:  # Ctrl-C too: never leave half of the reports behind
        for done in written:
            done.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ValueError(f"cannot write {str(path)!r}: {err}") from None
        raise
    return [str(path.resolve()) for path in written]


def _finding_lines(frame):
    width = max((len(c) for c in frame["check"]), default=10)
    for row in frame.itertuples():
        value = "" if row.value is None or row.value != row.value else f"{row.value:.4g}"
        yield f"{row.severity.upper():5}  {row.check:<{width}}  {value:>8}  {row.message}"


def _print_summary(report):
    for line in _finding_lines(report.to_frame()):
        click.echo(line)
    click.echo(f"worst verdict: {report.worst_severity}")


def _finish(report, written, quiet, fail_on):
    """Every command's ending: the findings (or, with --quiet, the failures), the files
    written, and exit code 1 when a finding reaches --fail-on."""
    _print_findings(report, quiet, fail_on)
    for path in written:
        click.echo(f"wrote {path}")
    if fail_on != "never" and report.fails(fail_on):
        sys.exit(EXIT_GATE)


def _print_findings(report, quiet, fail_on):
    """The findings table on stdout; with ``--quiet`` only the failures, on stderr.

    A failure is a finding at or above ``--fail-on``, or any FAIL finding (also
    with ``--fail-on never``): quiet must not hide what is wrong.
    """
    if not quiet:
        _print_summary(report)
        return
    failing = ("warn", "fail") if fail_on == "warn" else ("fail",)
    frame = report.to_frame()
    frame = frame[frame["severity"].isin(failing)]
    for line in _finding_lines(frame):
        click.echo(line, err=True)


_QUIET_HELP = ("Do not print the findings table; still print the failures (findings at the "
               "--fail-on level or worse, and FAIL findings) and errors on stderr.")


def _examples(*lines):
    """A command's ``--help`` epilog: the example lines, kept as written (``\\b``)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


# Each runs as written (tests/test_cli_ux.py writes the files they name and invokes them).
_QC_EXAMPLES = _examples(
    "skgenqc qc positives.fa negatives.fa --html qc.html",
    "skgenqc qc train.csv --test test.csv --json qc.json --fail-on warn --quiet")
_SPLIT_EXAMPLES = _examples(
    "skgenqc split peaks.bed --by chromosome --out folds.tsv --html split.html",
    "skgenqc split pairs.tsv --by pairs --pair-columns noncodingRNA,gene --mode C3 "
    "--out folds.tsv --json split.json --fail-on warn")
_AUDIT_EXAMPLES = _examples(
    "skgenqc audit data.csv --target label --groups chrom --cv chromosome "
    "--confounders gc,length --html audit.html",
    "skgenqc audit data.csv --target label --features gc,length --n-permutations 50 "
    "--json audit.json --fail-on warn --quiet")
_AUDIT_PREDICTIONS_EXAMPLES = _examples(
    "skgenqc audit-predictions --train train.csv --test test.csv --pred preds.csv "
    "--html frozen.html",
    "skgenqc audit-predictions --train train.csv --test test.csv --pred preds.csv "
    "--scoring average_precision --json frozen.json --fail-on warn --quiet")
_DEMO_EXAMPLES = _examples(
    "skgenqc demo",
    "skgenqc demo --html demo.html --json demo.json --fail-on warn --quiet")


def _check_names():
    from skgenqc.qc import check_names

    return check_names()


def _parse_checks(ctx, param, value):
    """``--checks a,b``: the registry's check names to run (finding names accepted too)."""
    from skgenqc.qc import resolve_checks

    if value is None or value.strip() == "all":
        return "all"
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter(f"{value!r} names no check; give 'all' or names from: "
                                 + ", ".join(_check_names()) + ".")
    try:
        return resolve_checks(names)
    except ValueError as err:
        raise click.BadParameter(f"{err}.") from None


class _Main(click.Group):
    """The command group; Ctrl-C in any command exits 130 with one line, no traceback.

    click's own handling prints "Aborted!" and exits 1, the code a CI gate reads
    as "a finding reached --fail-on".  Temporary files are removed where they
    are made (``write_atomically``, ``_write_outputs``).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


class _QcCommand(_Command):
    """``qc``, refusing ``--test a.fa b.fa``: click would read b.fa as a training input."""

    def parse_args(self, ctx, args):
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--test" and i + 2 < len(args):
                value, after = args[i + 1], args[i + 2]
            elif arg.startswith("--test=") and i + 1 < len(args):
                value, after = arg[len("--test="):], args[i + 1]
            else:
                continue
            if not after.startswith("-"):
                raise click.UsageError(
                    f"--test takes one file, but {after!r} follows --test {value!r}; give one "
                    f"file per --test (--test {value} --test {after}) and put the training "
                    "INPUTS before the options.", ctx)
        return super().parse_args(ctx, args)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skgenqc")
def main():
    """skgenqc: validation toolkit for genomic machine learning."""


@main.command("qc", cls=_QcCommand, epilog=_QC_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--test", "test_inputs", multiple=True, type=click.Path(),
              help="Test-set file; enables train/test leakage and shift checks. "
                   "Repeat it for several files (--test a.fa --test b.fa).")
@click.option("--sequence-column", "sequence_columns", multiple=True, default=["sequence"],
              show_default=True,
              help="Sequence column of CSV/TSV inputs; repeat it for several (e.g. miRNA and gene).")
@click.option("--label-column", default="label", show_default=True,
              help="Label column of CSV/TSV inputs.")
@click.option("--label-from-header", default=None,
              help="Regex with one group taking the label from FASTA headers "
                   "(default: one class per FASTA file, named after the file).")
@click.option("--identity", default=0.9, show_default=True, type=float,
              help="Identity threshold for near-duplicates (0.5-1).")
@click.option("--checks", default="all", show_default=True, callback=_parse_checks,
              help="Comma-separated checks or finding names (as the report shows them), "
                   "from: " + ", ".join(_check_names()) + ".")
@click.option("--html", type=click.Path(), default=None, help="Write a self-contained HTML report.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def qc_command(inputs, test_inputs, sequence_columns, label_column, label_from_header, identity,
               checks, html, json_path, fail_on, quiet):
    """Check a sequence dataset for shortcuts, duplicates and train/test leakage.

    INPUTS are FASTA/FASTQ files (one per class, or labels from headers) or
    CSV/TSV tables with sequence and label columns (optionally gzipped).
    """
    from skgenqc.qc import DatasetQC

    sequence_columns = list(sequence_columns)
    sequence_column = sequence_columns if len(sequence_columns) > 1 else sequence_columns[0]
    try:
        _check_outputs(html, json_path)
        train = _load(inputs, sequence_column, label_column, label_from_header, "INPUTS")
        test = _load(test_inputs, sequence_column, label_column, label_from_header, "--test") \
            if test_inputs else None
        qc = DatasetQC(checks=checks, identity_threshold=identity,
                       progress=sys.stderr.isatty())
        report = qc.run(train, X_test=test, title="skgenqc dataset QC: " + ", ".join(
            Path(p).name for p in inputs),
            sequence_columns=sequence_columns if len(sequence_columns) > 1 else None)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)


def _read_any_table(path):
    """A FASTA file, a BED/interval file or a CSV/TSV table, as a DataFrame.

    Tables go through the io readers: pipes, byte order marks, sniffed
    separators and duplicate column names are handled as in ``qc``.
    """
    from skgenqc.io import file_kind, read_columns, read_fasta, read_intervals

    name = str(path).lower()
    if name.endswith((".bed", ".bed.gz")):
        return read_intervals(path)
    if file_kind(path) == "fasta":
        return read_fasta(path)
    return read_columns(path)


def _column(frame, name, option):
    if name not in frame.columns:
        raise ValueError(f"{option} {name!r} is not a column of the input; columns are "
                         f"{list(frame.columns)}.")
    return frame[name]


def _split_table(frame, roles):
    """The TSV ``skgenqc split`` writes: row, id (when the input has one), fold, split_k roles."""
    import numpy as np
    import pandas as pd

    tested = roles.to_numpy() == "test"
    fold = np.where(tested.any(axis=1), tested.argmax(axis=1), -1)
    table = pd.DataFrame({"row": np.arange(len(frame))})
    if "id" in frame.columns:
        table["id"] = frame["id"].astype(str).to_numpy()
    table["fold"] = fold
    for column in roles.columns:
        table[column] = roles[column].to_numpy()
    return table


def _check_split_outputs(out, html, json_path):
    _check_output_path(out, "--out")
    _check_outputs(html, json_path)
    for other, option in ((html, "--html"), (json_path, "--json")):
        if other and Path(other).resolve() == Path(out).resolve():
            raise ValueError(f"--out and {option} are the same file {str(out)!r}; give two names.")


@main.command("split", cls=_Command, epilog=_SPLIT_EXAMPLES)
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option("--by", "by", required=True,
              type=click.Choice(["chromosome", "block", "similarity", "pairs", "group"]),
              help="What must not be shared between train and test.")
@click.option("--n-splits", default=5, show_default=True, type=int, help="Number of folds.")
@click.option("--label-column", default=None, help="Stratify by this column.")
@click.option("--chrom-column", default="chrom", show_default=True)
@click.option("--start-column", default="start", show_default=True)
@click.option("--end-column", default="end", show_default=True)
@click.option("--sequence-column", default="sequence", show_default=True)
@click.option("--group-column", default="group", show_default=True, help="For --by group.")
@click.option("--pair-columns", default=None, help="Two comma-separated partner columns (--by pairs).")
@click.option("--mode", default="C3", show_default=True, type=click.Choice(["C1", "C2", "C3"]),
              help="Pair split mode.")
@click.option("--block-size", default=1_000_000, show_default=True, type=int)
@click.option("--gap", default=0, show_default=True, type=int, help="Buffer in bp (--by block).")
@click.option("--identity", default=0.9, show_default=True, type=float,
              help="Identity threshold (--by similarity).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--out", required=True, type=click.Path(),
              help="TSV with each row's test fold and its role (train/test/excluded) per split.")
@click.option("--html", type=click.Path(), default=None, help="Split diagnostics as HTML.")
@click.option("--json", "json_path", type=click.Path(), default=None,
              help="Split diagnostics as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="never",
              show_default=True, help="Exit with code 1 when a diagnostic is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def split_command(input_path, by, n_splits, label_column, chrom_column, start_column, end_column,
                  sequence_column, group_column, pair_columns, mode, block_size, gap, identity,
                  seed, out, html, json_path, fail_on, quiet):
    """Assign rows to leakage-aware cross-validation folds and diagnose the split.

    Writes a TSV with one row per input row: ``row`` (its index), ``id`` (when
    the input has an id column), ``fold`` (the split in which it is tested, -1
    if never) and ``split_0`` .. ``split_{k-1}``: its role in each split,
    ``train``, ``test`` or ``excluded`` (neither: the gap around a test block,
    a pair C3 cannot place). Selecting ``split_k == "train"`` and ``"test"``
    rebuilds exactly the splitter's sets.
    """
    import numpy as np
    import pandas as pd

    from skgenqc.model_selection import split_diagnostics

    try:
        _check_split_outputs(out, html, json_path)
        frame = _read_any_table(input_path)
        y = _column(frame, label_column, "--label-column").to_numpy() if label_column else None
        kwargs = {}
        if by == "chromosome":
            from skgenqc.model_selection import ChromosomeKFold

            groups = _column(frame, chrom_column, "--chrom-column").astype(str).to_numpy()
            cv = ChromosomeKFold(n_splits)
            kwargs["chromosomes"] = groups
        elif by == "block":
            from skgenqc.model_selection import GenomicBlockKFold

            groups = pd.DataFrame({
                "chrom": _column(frame, chrom_column, "--chrom-column").astype(str),
                "start": _column(frame, start_column, "--start-column"),
                "end": _column(frame, end_column, "--end-column")})
            cv = GenomicBlockKFold(n_splits, block_size=block_size, gap=gap, random_state=seed)
        elif by == "similarity":
            from skgenqc.model_selection import SimilarityGroupKFold

            groups = _column(frame, sequence_column, "--sequence-column").astype(str).tolist()
            cv = SimilarityGroupKFold(n_splits, threshold=identity)
            kwargs["sequences"] = groups
        elif by == "pairs":
            from skgenqc.model_selection import PairKFold

            if not pair_columns or len(pair_columns.split(",")) != 2:
                raise ValueError(f"--pair-columns {pair_columns!r} must name two columns, e.g. "
                                 "--pair-columns noncodingRNA,gene.")
            a, b = (c.strip() for c in pair_columns.split(","))
            groups = np.column_stack([_column(frame, a, "--pair-columns").astype(str),
                                      _column(frame, b, "--pair-columns").astype(str)])
            cv = PairKFold(n_splits, mode=mode, random_state=seed)
            kwargs["pairs"] = groups
        else:
            from skgenqc.model_selection import BalancedGroupKFold

            groups = _column(frame, group_column, "--group-column").astype(str).to_numpy()
            cv = BalancedGroupKFold(n_splits, shuffle=True, random_state=seed)
            kwargs["groups"] = groups
        # One source of truth: the TSV and the diagnostics both come from roles().
        roles = cv.roles(np.zeros((len(frame), 1)), y, groups)
        splits = [(np.flatnonzero(roles[c].to_numpy() == "train"),
                   np.flatnonzero(roles[c].to_numpy() == "test")) for c in roles.columns]
        report = split_diagnostics(splits, y, title=f"skgenqc split diagnostics: --by {by}",
                                   **kwargs)
        text = _split_table(frame, roles).to_csv(sep="\t", index=False)
        written = _write_outputs(report, html, json_path, first=[(out, text)])
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)


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


def _numeric_feature_column(frame, name):
    """Check that ``--features`` names a numeric column; a click error naming it otherwise."""
    import pandas as pd

    column = _column(frame, name, "--features")
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return
    try:
        pd.to_numeric(column)
    except (TypeError, ValueError):
        example = column.dropna().astype(str).head(1).tolist()
        shown = repr(example[0][:30]) if example else "no values"
        raise click.BadParameter(
            f"column {name!r} holds text ({column.dtype} values such as {shown}), not numbers; "
            "the audit command fits --model on numeric feature columns. Leave it out of "
            "--features, or featurize it first (e.g. k-mer counts) and audit those columns.",
            param_hint="'--features'") from None


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
              help="Comma-separated feature columns (default: every other numeric column).")
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
def audit_command(table_path, target, group_column, cv_name, confounders, features, model,
                  n_splits, n_permutations, scoring, n_jobs, seed, html, json_path, fail_on,
                  quiet):
    """Audit a model on a table: blocked vs random CV, permutation nulls, confounders.
    """
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import StratifiedKFold

    from skgenqc.audit import LeakageAuditor
    from skgenqc.model_selection import BalancedGroupKFold, ChromosomeKFold

    try:
        _check_outputs(html, json_path)
        frame = _read_any_table(table_path)
        y = _column(frame, target, "--target").to_numpy()
        groups = _column(frame, group_column, "--groups").to_numpy() if group_column else None
        conf_cols = [c.strip() for c in confounders.split(",")] if confounders else []
        for c in conf_cols:
            _column(frame, c, "--confounders")
        if features:
            feat_cols = [c.strip() for c in features.split(",")]
            for c in feat_cols:
                _numeric_feature_column(frame, c)
        else:
            skip = {target, group_column, *conf_cols}
            feat_cols = [c for c in frame.select_dtypes("number").columns if c not in skip]
        if not feat_cols:
            raise ValueError("no feature columns: pass --features or give numeric columns.")
        cv_name = cv_name or ("group" if groups is not None else "stratified")
        if cv_name != "stratified" and groups is None:
            raise ValueError(f"--cv {cv_name} needs --groups.")
        cv = {"group": lambda: BalancedGroupKFold(n_splits, shuffle=True, random_state=seed),
              "chromosome": lambda: ChromosomeKFold(n_splits),
              "stratified": lambda: StratifiedKFold(n_splits, shuffle=True, random_state=seed)}[cv_name]()
        auditor = LeakageAuditor(_load_factory(model), cv=cv, scoring=scoring,
                                 n_permutations=n_permutations, n_jobs=n_jobs, random_state=seed,
                                 progress=sys.stderr.isatty())
        X = frame[feat_cols].apply(pd.to_numeric).to_numpy(dtype=np.float64)
        report = auditor.audit(X, y, groups,
                               confounders=frame[conf_cols] if conf_cols else None)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)


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
                              sequence_column, pred_column, chrom_column, scoring, html,
                              json_path, fail_on, quiet):
    """Audit a model that cannot be refit from its test predictions.

    The score is broken down by each test item's highest identity to the
    training set (either strand) and, with --chrom-column, by chromosome.
    """
    from skgenqc.audit import audit_predictions

    try:
        _check_outputs(html, json_path)
        train = _read_any_table(train_path)
        test = _read_any_table(test_path)
        pred = _read_any_table(pred_path)
        train_seqs = _column(train, sequence_column, "--sequence-column (in --train)")
        test_seqs = _column(test, sequence_column, "--sequence-column (in --test)")
        y = _column(test, label_column, "--label-column (in --test)").to_numpy()
        scores = _predictions_in_test_order(test, pred, id_column, pred_column)
        kwargs = {}
        if chrom_column:
            kwargs["chromosomes"] = _column(test, chrom_column, "--chrom-column (in --test)")
            if chrom_column in train.columns:
                kwargs["train_chromosomes"] = train[chrom_column].to_numpy()
        report = audit_predictions(y, scores, train_sequences=train_seqs.astype(str).tolist(),
                                   test_sequences=test_seqs.astype(str).tolist(),
                                   scoring=scoring, **kwargs)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)


@main.command("demo", cls=_Command, epilog=_DEMO_EXAMPLES)
@click.option("--html", type=click.Path(), default="skgenqc-demo-report.html", show_default=True,
              help="Where to write the HTML report.")
@click.option("--out", type=click.Path(), default=None, hidden=True,
              help="The former name of --html, still accepted.")
@click.option("--json", "json_path", type=click.Path(), default=None,
              help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="never",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def demo_command(html, out, json_path, fail_on, quiet):
    """Run the QC on the bundled real enhancer dataset and write an HTML report."""
    from skgenqc.datasets import load_enhancers
    from skgenqc.qc import DatasetQC

    try:
        if out is not None:
            _check_output_path(out, "--out")
            html = out
        _check_outputs(html, json_path)
    except ValueError as err:
        _exit_input(err)
    data = load_enhancers()
    report = DatasetQC(progress=sys.stderr.isatty()).run(
        data, title="skgenqc demo: human enhancers (bundled, 303 train + 102 test)")
    try:
        written = _write_outputs(report, html, json_path)
    except ValueError as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)


if __name__ == "__main__":  # pragma: no cover
    main()
