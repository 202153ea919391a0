"""skgenqc: a scikit-learn compatible validation toolkit for genomic machine learning.

Dataset QC before training (:mod:`skgenqc.qc`), readers (:mod:`skgenqc.io`),
sequence features (:mod:`skgenqc.features`), one findings model and report
(:mod:`skgenqc.report`), and bundled real data (:mod:`skgenqc.datasets`).
"""

from skgenqc.qc import DatasetQC
from skgenqc.report import Finding, Report

__version__ = "0.1.0"
__all__ = ["DatasetQC", "Finding", "Report", "__version__"]
