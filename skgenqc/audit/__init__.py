"""LeakageAuditor: how much a score is inflated, and by which of the five pitfalls.

:func:`audit_predictions` audits a model that cannot be refit from its test predictions.
Probes are registered with :func:`register_probe` (see :mod:`skgenqc.audit._registry`);
:func:`registered_probes` lists them with the schemes each needs.
"""

from skgenqc.audit._registry import register_probe, register_scheme, registered_probes
from skgenqc.audit.auditor import AuditReport, LeakageAuditor
from skgenqc.audit.predictions import audit_predictions

__all__ = ["LeakageAuditor", "AuditReport", "audit_predictions", "register_probe",
           "register_scheme", "registered_probes"]
