"""Order of the gallery: dataset QC findings first, then the five pitfalls, then the rest.

A module of its own (not a class in conf.py) so that sphinx-gallery can name it
as a string and Sphinx can pickle the configuration.
"""

ORDER = [
    "plot_qc_shortcuts.py",
    "plot_qc_leakage.py",
    "plot_pitfall_distributional_differences.py",
    "plot_pitfall_dependent_examples.py",
    "pitfall_confounding.py",
    "pitfall_leaky_preprocessing.py",
    "pitfall_unbalanced_classes.py",
    "featurize_sequences.py",
]


class ExampleOrder:
    """Sort key: listed examples in ``ORDER``, any other example after them by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in ORDER:
            return f"{ORDER.index(filename):02d}"
        return f"99{filename}"

    def __repr__(self):
        return f"<{type(self).__name__}>"
