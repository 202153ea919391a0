"""LeakageAuditor: how much a score is inflated, and by which of the five pitfalls.

:func:`audit_predictions` audits a model that cannot be refit from its test predictions.
Probes are registered with :func:`register_probe` (see :mod:`skgenqc.audit._registry`);
:func:`registered_probes` lists them with the schemes each needs.
:func:`table_features` makes the feature matrix of a table by the audit command's rule
(id-like and coordinate columns left out, :func:`id_like_columns`; k-mers of a sequence column).
"""

from skgenqc.audit._features import id_like_columns, table_features
from skgenqc.audit._registry import register_probe, register_scheme, registered_probes
from skgenqc.audit.auditor import AuditReport, LeakageAuditor
from skgenqc.audit.predictions import audit_predictions

__all__ = ["LeakageAuditor", "AuditReport", "audit_predictions", "register_probe",
           "register_scheme", "registered_probes", "table_features", "id_like_columns"]
