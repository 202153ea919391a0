"""Command line: thin commands over the Python API.

Exit codes (for CI gates): 0 when no finding reaches ``--fail-on``, 1 when one
does, 2 for a usage or input error (bad file, missing column).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_GATE = 1
EXIT_INPUT = 2


def _load(paths, sequence_column, label_column, label_from_header):
    from skgenqc.io import read_sequences

    return read_sequences(list(paths), sequence_column=sequence_column, label_column=label_column,
                          label_from_header=label_from_header)


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


def _write_outputs(report, html, json_path):
    """Render every report first, then write each atomically.

    Rendering both before writing either means a rendering error leaves no
    file; if a later write fails, the files already written by this run are
    removed so the folder never holds an incomplete set of reports.
    """
    from skgenqc._core.files import write_atomically

    pending = []
    if html:
        pending.append((Path(html), report.to_html()))
    if json_path:
        pending.append((Path(json_path), report.to_json()))
    written = []
    try:
        for path, text in pending:
            write_atomically(path, text)
            written.append(path)
    except OSError as err:
        for done in written:
            done.unlink(missing_ok=True)
        raise ValueError(f"cannot write {str(path)!r}: {err}") from None
    return [str(path.resolve()) for path in written]


def _print_summary(report):
    frame = report.to_frame()
    width = max((len(c) for c in frame["check"]), default=10)
    for row in frame.itertuples():
        value = "" if row.value is None or row.value != row.value else f"{row.value:.4g}"
        click.echo(f"{row.severity.upper():5}  {row.check:<{width}}  {value:>8}  {row.message}")
    click.echo(f"worst verdict: {report.worst_severity}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skgenqc")
def main():
    """skgenqc: validation toolkit for genomic machine learning."""


@main.command("qc")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--test", "test_inputs", multiple=True, type=click.Path(),
              help="Test-set file(s); enables train/test leakage and shift checks.")
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
@click.option("--checks", default="all", show_default=True,
              help="Comma-separated subset of checks.")
@click.option("--html", type=click.Path(), default=None, help="Write a self-contained HTML report.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help="Do not print the findings table.")
def qc_command(inputs, test_inputs, sequence_columns, label_column, label_from_header, identity,
               checks, html, json_path, fail_on, quiet):
    """Check a sequence dataset for shortcuts, duplicates and train/test leakage.

    INPUTS are FASTA/FASTQ files (one per class, or labels from headers) or
    CSV/TSV tables with sequence and label columns (optionally gzipped).

    \b
    Example:
      skgenqc qc positives.fa negatives.fa --html report.html
      skgenqc qc train.csv --test test.csv --json qc.json --fail-on warn
      skgenqc qc pairs.tsv --sequence-column noncodingRNA --sequence-column gene
    """
    from skgenqc.qc import DatasetQC

    sequence_columns = list(sequence_columns)
    sequence_column = sequence_columns if len(sequence_columns) > 1 else sequence_columns[0]
    try:
        _check_outputs(html, json_path)
        train = _load(inputs, sequence_column, label_column, label_from_header)
        test = _load(test_inputs, sequence_column, label_column, label_from_header) \
            if test_inputs else None
        selected = "all" if checks == "all" else [c.strip() for c in checks.split(",") if c.strip()]
        qc = DatasetQC(checks=selected, identity_threshold=identity,
                       progress=sys.stderr.isatty())
        report = qc.run(train, X_test=test, title="skgenqc dataset QC: " + ", ".join(
            Path(p).name for p in inputs),
            sequence_columns=sequence_columns if len(sequence_columns) > 1 else None)
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    if not quiet:
        _print_summary(report)
    for path in written:
        click.echo(f"wrote {path}")
    if fail_on != "never" and report.fails(fail_on):
        sys.exit(EXIT_GATE)


def _read_any_table(path):
    """A FASTA file, a BED/interval file or a CSV/TSV table, as a DataFrame."""
    import pandas as pd

    from skgenqc.io import file_kind, read_fasta, read_intervals

    name = str(path).lower()
    if name.endswith((".bed", ".bed.gz")):
        return read_intervals(path)
    if file_kind(path) == "fasta":
        return read_fasta(path)
    if not Path(path).is_file():
        raise ValueError(f"input {str(path)!r} does not exist.")
    sep = "\t" if name.removesuffix(".gz").endswith((".tsv", ".tab", ".txt")) else ","
    try:
        return pd.read_csv(path, sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as err:
        raise ValueError(f"{str(path)!r} could not be read as a table: {err}") from None


def _column(frame, name, option):
    if name not in frame.columns:
        raise ValueError(f"{option} {name!r} is not a column of the input; columns are "
                         f"{list(frame.columns)}.")
    return frame[name]


@main.command("split")
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
@click.option("--out", required=True, type=click.Path(), help="TSV with the test fold of each row.")
@click.option("--html", type=click.Path(), default=None, help="Split diagnostics as HTML.")
def split_command(input_path, by, n_splits, label_column, chrom_column, start_column, end_column,
                  sequence_column, group_column, pair_columns, mode, block_size, gap, identity,
                  seed, out, html):
    """Assign rows to leakage-aware cross-validation folds and diagnose the split.

    Writes a TSV with one row per input row: its index, id and the fold in
    which it is tested (-1: never tested, e.g. a pair that cannot be placed
    in C3 mode).

    \b
    Example:
      skgenqc split peaks.bed --by chromosome --out folds.tsv --html split.html
      skgenqc split seqs.fa --by similarity --identity 0.8 --out folds.tsv
      skgenqc split pairs.tsv --by pairs --pair-columns mirna,gene --mode C3 --out folds.tsv
    """
    import numpy as np
    import pandas as pd

    from skgenqc.model_selection import split_diagnostics

    try:
        frame = _read_any_table(input_path)
        y = _column(frame, label_column, "--label-column").to_numpy() if label_column else None
        kwargs = {}
        if by == "chromosome":
            from skgenqc.model_selection import ChromosomeKFold

            groups = _column(frame, chrom_column, "--chrom-column").astype(str).to_numpy()
            cv = ChromosomeKFold(n_splits, stratify=y is not None)
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
            cv = SimilarityGroupKFold(n_splits, threshold=identity, stratify=y is not None)
            kwargs["sequences"] = groups
        elif by == "pairs":
            from skgenqc.model_selection import PairKFold

            if not pair_columns or len(pair_columns.split(",")) != 2:
                raise ValueError(f"--pair-columns={pair_columns!r} must name two columns, e.g. 'a,b'.")
            a, b = (c.strip() for c in pair_columns.split(","))
            groups = np.column_stack([_column(frame, a, "--pair-columns").astype(str),
                                      _column(frame, b, "--pair-columns").astype(str)])
            cv = PairKFold(n_splits, mode=mode, random_state=seed)
            kwargs["pairs"] = groups
        else:
            from skgenqc.model_selection import BalancedGroupKFold

            groups = _column(frame, group_column, "--group-column").astype(str).to_numpy()
            cv = BalancedGroupKFold(n_splits, stratify=y is not None, shuffle=True,
                                    random_state=seed)
            kwargs["groups"] = groups
        splits = list(cv.split(np.zeros((len(frame), 1)), y, groups))
        fold = np.full(len(frame), -1, dtype=np.int64)
        for k, (_, test) in enumerate(splits):
            fold[test] = k
        table = pd.DataFrame({"row": np.arange(len(frame)),
                              "id": frame["id"].astype(str) if "id" in frame.columns
                              else np.arange(len(frame)).astype(str),
                              "fold": fold})
        report = split_diagnostics(splits, y, title=f"skgenqc split diagnostics: --by {by}",
                                   **kwargs)
        from skgenqc._core.files import write_atomically

        write_atomically(out, table.to_csv(sep="\t", index=False))
        if html:
            report.to_html(html)
    except (ValueError, TypeError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    _print_summary(report)
    click.echo(f"wrote {Path(out).resolve()}")
    if html:
        click.echo(f"wrote {Path(html).resolve()}")


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


@main.command("audit")
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
def audit_command(table_path, target, group_column, cv_name, confounders, features, model,
                  n_splits, n_permutations, scoring, n_jobs, seed, html, json_path, fail_on):
    """Audit a model on a table: blocked vs random CV, permutation nulls, confounders.

    \b
    Example:
      skgenqc audit data.csv --target label --groups chrom --cv chromosome \\
          --confounders gc,length --model sklearn.ensemble:RandomForestClassifier --html audit.html
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
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    _print_summary(report)
    for path in written:
        click.echo(f"wrote {path}")
    if fail_on != "never" and report.fails(fail_on):
        sys.exit(EXIT_GATE)


@main.command("demo")
@click.option("--out", type=click.Path(), default="skgenqc-demo-report.html", show_default=True,
              help="Where to write the HTML report.")
def demo_command(out):
    """Run the QC on the bundled real enhancer dataset and write an HTML report.

    \b
    Example:
      skgenqc demo --out demo.html
    """
    from skgenqc.datasets import load_enhancers
    from skgenqc.qc import DatasetQC

    try:
        _check_output_path(out, "--out")
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    data = load_enhancers()
    report = DatasetQC(progress=sys.stderr.isatty()).run(
        data, title="skgenqc demo: human enhancers (bundled, 303 train + 102 test)")
    try:
        report.to_html(out)
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    _print_summary(report)
    click.echo(f"wrote {Path(out).resolve()}")


if __name__ == "__main__":  # pragma: no cover
    main()
