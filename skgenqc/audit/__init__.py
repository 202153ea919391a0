"""LeakageAuditor: how much a score is inflated, and by which of the five pitfalls.

Probes are registered with :func:`register_probe` (see :mod:`skgenqc.audit._registry`);
:func:`registered_probes` lists them with the schemes each needs.
"""

from skgenqc.audit._registry import register_probe, register_scheme, registered_probes
from skgenqc.audit.auditor import AuditReport, LeakageAuditor

__all__ = ["LeakageAuditor", "AuditReport", "register_probe", "register_scheme",
           "registered_probes"]
