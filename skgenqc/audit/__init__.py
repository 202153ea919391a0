"""LeakageAuditor: how much a score is inflated, and by which of the five pitfalls."""

from skgenqc.audit.auditor import AuditReport, LeakageAuditor

__all__ = ["LeakageAuditor", "AuditReport"]
