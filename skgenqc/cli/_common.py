"""What every command shares: loading, output writing, the findings table, exit codes.

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


def _progress(quiet):
    """Whether a command shows progress bars: on a terminal, and never with ``--quiet``."""
    return not quiet and _stderr_is_terminal()


def _stderr_is_terminal():
    return sys.stderr.isatty()


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


def _kinds(paths, option, sequence_column="sequence"):
    """``input_kind`` of each path (errors name ``option``)."""
    from skgenqc.io import input_kind

    kinds = []
    for path in paths:
        try:
            kinds.append(input_kind(path, sequence_column=sequence_column))
        except (ValueError, TypeError) as err:
            raise ValueError(f"{option}: {as_options(str(err))}") from None
    return kinds


def _load_inputs(paths, sequence_column, label_column, label_from_header, option,
                 reference=None):
    """Sequence files, or coordinate inputs (BED, coordinate tables, Genomic Benchmarks
    folders) with sequences fetched from ``--reference`` when it is given."""
    from skgenqc.io import check_not_protein, read_coordinates

    kinds = _kinds(paths, option, sequence_column)
    if all(kind == "sequences" for kind in kinds):
        if reference is not None:
            raise ValueError(f"--reference fetches sequences for coordinate inputs, but {option} "
                             "holds sequence files already; drop --reference.")
        return _load(paths, sequence_column, label_column, label_from_header, option)
    if "sequences" in kinds:
        seqs = [str(p) for p, k in zip(paths, kinds) if k == "sequences"]
        raise ValueError(f"{option} mixes sequence files ({', '.join(seqs)}) with coordinate "
                         "inputs; give one kind (coordinates with --reference fetch sequences).")
    try:
        frame = read_coordinates(list(paths), label_column=label_column, reference=reference)
        if "sequence" in frame.columns:
            check_not_protein(frame["sequence"].tolist(), ids=frame["id"].tolist(),
                              what="the sequences fetched from --reference")
    except (ValueError, TypeError) as err:
        kind = TypeError if isinstance(err, TypeError) else ValueError
        raise kind(f"{option}: {as_options(str(err))}") from None
    return frame


def _read_coordinates_or_table(path, reference=None, sequence_column="sequence"):
    """What ``split`` reads: a table as it is, unless it carries its coordinates in another
    form (``region`` for the chromosome, ``chrom:start-end`` strings); a Genomic Benchmarks
    folder whole; with ``--reference``, coordinates with their sequences fetched."""
    from skgenqc.io import read_coordinates

    kind = _kinds([path], "INPUT", sequence_column)[0]
    if kind == "sequences" and reference is not None:
        raise ValueError("--reference fetches sequences for coordinate inputs, but INPUT "
                         "holds sequences already; drop --reference.")
    if kind == "benchmark" or (kind == "coordinates" and reference is not None):
        return read_coordinates(path, reference=reference)
    frame = _read_any_table(path)
    if kind == "coordinates" and not {"chrom", "start", "end"} <= set(frame.columns):
        coords = read_coordinates(path)
        if len(coords) != len(frame):
            return coords
        # The table's own columns as they are (names keep their case), plus chrom, start, end.
        return frame.assign(**{c: coords[c].to_numpy() for c in ("chrom", "start", "end")})
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


def _table_output(table, path, option="--items"):
    """``(path, content)`` of a table written as TSV, or parquet when ``path`` ends .parquet."""
    if str(path).lower().endswith(".parquet"):
        import io

        buffer = io.BytesIO()
        try:
            table.to_parquet(buffer, index=False)
        except ImportError:
            raise ValueError(f"{option} {str(path)!r}: writing parquet needs pyarrow or "
                             "fastparquet, neither is installed; install one or name a .tsv "
                             "file.") from None
        return path, buffer.getvalue()
    return path, table.to_csv(sep="\t", index=False)


def _write_outputs(report, html, json_path, *, first=(), make_folders=False):
    """Render every output first, then write them all or none (:class:`AtomicFiles`).

    Rendering both reports before writing any means a rendering error (or Ctrl-C)
    leaves no file; each file then goes to a temporary file beside its destination
    and all are renamed into place together, so an error or Ctrl-C while writing
    leaves neither a partial file nor an incomplete set (and an overwritten file
    keeps its old content). ``first`` holds the command's other ``(path, content)``
    outputs (split's TSV, clean's folder), written the same way and listed first;
    ``make_folders`` creates their missing folders, removed again on failure.
    """
    from skgenqc._core.files import AtomicFiles

    pending = [(Path(path), text) for path, text in first]
    if html:
        pending.append((Path(html), report.to_html()))
    if json_path:
        pending.append((Path(json_path), report.to_json()))
    with AtomicFiles(make_folders=make_folders) as files:
        for path, content in pending:
            files.add(path, content)
    return [str(path.resolve()) for path in files.written]


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
