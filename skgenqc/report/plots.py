"""Figures for reports, drawn without pyplot.

Every helper builds a :class:`matplotlib.figure.Figure` directly instead of
going through :mod:`matplotlib.pyplot`, so that making a report never opens a
window, never changes the user's current figure and never accumulates figures
in pyplot's global registry (which leaks memory in long notebook sessions).
"""

from __future__ import annotations

import base64
import io
import sys

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

_DPI = 90
_BASE_COLOURS = {"A": "#2ca02c", "C": "#1f77b4", "G": "#ff7f0e", "T": "#d62728"}


def figure_to_png(fig, *, dpi=_DPI):
    """Render a figure to PNG bytes and release it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render (made with or without pyplot).
    dpi : int, default=90
        Resolution; 90 keeps embedded reports small yet legible.

    Returns
    -------
    bytes
        The PNG image.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> _ = fig.subplots().plot([0, 1], [1, 0])
    >>> figure_to_png(fig)[:4] == b"\\x89PNG"
    True
    """
    buffer = io.BytesIO()
    # savefig picks the Agg canvas for "png" by itself, so the figure's own
    # canvas (possibly an interactive one) is left untouched.  Dropping the
    # "Software" metadata keeps the output free of matplotlib's URL.
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight",
                metadata={"Software": None})
    # Only figures made through pyplot are registered globally; close those so
    # they do not pile up, without importing pyplot (which selects a backend).
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)  # a no-op for figures pyplot does not manage
    return buffer.getvalue()


def png_data_uri(png_bytes):
    """Encode PNG bytes as a ``data:`` URI for an ``<img src=...>``.

    Parameters
    ----------
    png_bytes : bytes
        A PNG image.

    Returns
    -------
    str
        ``"data:image/png;base64,..."``.

    Examples
    --------
    >>> png_data_uri(b"abc")
    'data:image/png;base64,YWJj'
    """
    return "data:image/png;base64," + base64.b64encode(bytes(png_bytes)).decode("ascii")


def _new_axes(width=6.0, height=3.5):
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def plot_class_distributions(values_by_class, xlabel, title, *, bins=50):
    """Overlay one step histogram per class on shared bins.

    Each class is normalised to fractions so that classes of very different
    sizes can be compared; the histogram is computed with :func:`numpy.histogram`
    and drawn as stairs, so a million values cost one pass, not a million patches.

    Parameters
    ----------
    values_by_class : dict of str to array-like
        The values (e.g. GC content per sequence) of each class.
    xlabel, title : str
        Axis label and figure title.
    bins : int, default=50
        Number of shared bins.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_class_distributions({"pos": np.array([.4, .5]), "neg": np.array([.6])},
    ...                                "GC content", "GC by class")
    >>> len(figure_to_png(fig)) > 100
    True
    """
    arrays = {str(k): np.asarray(v, dtype=float).ravel() for k, v in values_by_class.items()}
    arrays = {k: v[np.isfinite(v)] for k, v in arrays.items()}
    finite = [v for v in arrays.values() if v.size]
    fig, ax = _new_axes()
    if finite:
        low = min(v.min() for v in finite)
        high = max(v.max() for v in finite)
        if high <= low:  # a single distinct value still needs a non-empty range
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, bins + 1)
        for colour_index, (name, values) in enumerate(arrays.items()):
            counts, _ = np.histogram(values, bins=edges)
            fractions = counts / max(values.size, 1)
            ax.stairs(fractions, edges, color=f"C{colour_index % 10}", linewidth=1.5,
                      label=f"{name} (n={values.size:,})")
        ax.legend(frameon=False, fontsize="small")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of records")
    ax.set_title(title)
    return fig


def _composition_by_class(freqs):
    """Accept either a dict of per-class frames or one frame with (class, base) columns."""
    if isinstance(freqs, pd.DataFrame):
        if not isinstance(freqs.columns, pd.MultiIndex):
            return {"all": freqs}
        return {str(c): freqs[c] for c in freqs.columns.get_level_values(0).unique()}
    return {str(k): pd.DataFrame(v) for k, v in freqs.items()}


def plot_position_composition(freqs, from_end="5'"):
    """Small multiples of base frequency by position, one panel per class.

    Parameters
    ----------
    freqs : dict of str to pandas.DataFrame, or pandas.DataFrame
        Per class, a frame indexed by position with columns ``A``, ``C``,
        ``G``, ``T`` (fractions). A single frame with two-level columns
        ``(class, base)`` is accepted too.
    from_end : str, default="5'"
        Which end positions are counted from, used in the axis label.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"A": [.7, .2], "C": [.1, .3], "G": [.1, .3], "T": [.1, .2]})
    >>> fig = plot_position_composition({"pos": f, "neg": f}, from_end="3'")
    >>> len(fig.axes)
    2
    """
    by_class = _composition_by_class(freqs)
    n_panels = max(len(by_class), 1)
    fig = Figure(figsize=(min(3.2 * n_panels, 12), 3.2))
    axes = np.atleast_1d(fig.subplots(1, n_panels, sharey=True, squeeze=False)[0])
    for ax, (name, frame) in zip(axes, by_class.items()):
        for column in frame.columns:
            ax.plot(frame.index, frame[column], label=str(column), linewidth=1.3,
                    color=_BASE_COLOURS.get(str(column).upper()))
        ax.set_title(name)
        ax.set_xlabel(f"position from {from_end} end")
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("base fraction")
    if by_class:
        axes[-1].legend(frameon=False, fontsize="small", loc="upper right")
    return fig


def plot_similarity_histogram(similarities, threshold, title, *, bins=50):
    """Histogram of each record's highest identity to the training set.

    Parameters
    ----------
    similarities : array-like
        Highest identity (0-1) of each test record to any training record.
    threshold : float
        Identity at or above which a record counts as leaked; drawn as a line.
    title : str
        Figure title.
    bins : int, default=50
        Number of bins.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> fig = plot_similarity_histogram(np.array([.3, .95, .5]), 0.9, "identity")
    >>> len(figure_to_png(fig)) > 100
    True
    """
    values = np.asarray(similarities, dtype=float).ravel()
    values = values[np.isfinite(values)]
    fig, ax = _new_axes()
    low = min(values.min(), threshold) if values.size else min(0.0, threshold)
    high = max(values.max(), threshold) if values.size else max(1.0, threshold)
    if high <= low:
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(values, bins=np.linspace(low, high, bins + 1))
    ax.stairs(counts, edges, fill=True, color="C0", alpha=0.6)
    n_above = int((values >= threshold).sum())
    ax.axvline(threshold, color="#c62828", linestyle="--",
               label=f"threshold {threshold:g} ({n_above:,} of {values.size:,} at or above)")
    ax.set_xlabel("highest identity to the training set")
    ax.set_ylabel("records")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize="small")
    return fig


def plot_bar(values, title, xlabel, threshold=None, *, max_bars=30):
    """Horizontal bars, largest at the top, with an optional threshold line.

    Parameters
    ----------
    values : pandas.Series
        One value per label (e.g. AU-ROC per feature).
    title, xlabel : str
        Figure title and axis label.
    threshold : float, optional
        Drawn as a vertical dashed line (e.g. the warn threshold).
    max_bars : int, default=30
        Only the largest values are drawn, so hundreds of features stay legible.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_bar(pd.Series({'gc': .9}), 'AU-ROC', 'x')
    >>> len(figure_to_png(fig)) > 100
    True
    """
    series = pd.Series(values, dtype=float).dropna().sort_values(ascending=False)
    shown = series.head(max_bars)[::-1]  # barh draws bottom-up; largest ends on top
    fig, ax = _new_axes(6.0, max(1.8, 0.28 * len(shown) + 1.0))
    ax.barh([str(i) for i in shown.index], shown.to_numpy(), color="C0")
    if threshold is not None:
        ax.axvline(threshold, color="#c62828", linestyle="--", label=f"threshold {threshold:g}")
        ax.legend(frameon=False, fontsize="small", loc="lower right")
    if len(series) > len(shown):
        title = f"{title} (top {len(shown)} of {len(series)})"
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return fig


def plot_scheme_scores(scores_by_scheme, scoring):
    """Box plot of the audit's scores per CV scheme (per fold or per permutation)."""
    import matplotlib

    fig, ax = _new_axes(6.0, 3.2)
    names = list(scores_by_scheme)
    data = [np.asarray(scores_by_scheme[s], dtype=float) for s in names]
    # `orientation` replaced `vert` in matplotlib 3.10.
    new = tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
    ax.boxplot([d if len(d) else [np.nan] for d in data],
               **({"orientation": "horizontal"} if new else {"vert": False}))
    ax.set_yticks(range(1, len(names) + 1), labels=names)
    ax.set_xlabel(scoring)
    ax.set_title("Scores per CV scheme (per fold or per permutation)")
    fig.tight_layout()
    return fig


def plot_score_by_stratum(table, scoring, what):
    """Bar chart of a score per stratum (e.g. identity-to-training bins), with each stratum's n."""
    fig, ax = _new_axes(6.0, 3.0)
    labels = [str(s) for s in table["stratum"]]
    scores = np.asarray(table["score"], dtype=float)
    bars = ax.bar(range(len(labels)), np.nan_to_num(scores), color="#5b7db1")
    for bar, n, score in zip(bars, table["n"], scores):
        ax.annotate(f"n={int(n)}" if score == score else f"n={int(n)}, not scored",
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(labels)), labels=labels)
    ax.set_xlabel(what)
    ax.set_ylabel(scoring)
    ax.set_title(f"Score by {what}")
    fig.tight_layout()
    return fig


def plot_permutation_null(null_scores, observed, scoring):
    """Histogram of the label-permutation null with the observed score marked."""
    fig, ax = _new_axes(6.0, 3.0)
    ax.hist(np.asarray(null_scores, dtype=float), bins=20, color="#999999")
    ax.axvline(observed, color="#c0392b", label=f"observed {observed:.3f}")
    ax.set_xlabel(scoring)
    ax.set_title("Label-permutation null")
    ax.legend()
    fig.tight_layout()
    return fig


def draw(request):
    """Draw a :class:`~skgenqc._core.findings.PlotRequest` with the plot function it names."""
    function = globals().get(request.plot)
    if not request.plot.startswith("plot_") or function is None:
        raise ValueError(f"PlotRequest.plot={request.plot!r} names no plot function of "
                         "skgenqc.report.plots.")
    return function(*request.args, **request.kwargs)
