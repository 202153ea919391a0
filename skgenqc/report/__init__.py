"""Findings, reports and their renderings (DataFrame, JSON, HTML, plots)."""

from skgenqc.report.findings import PITFALLS, SEVERITIES, Finding, Report, grade, severity_rank

__all__ = ["Finding", "Report", "PITFALLS", "SEVERITIES", "grade", "severity_rank"]
