"""The bottom floor: what every other part of skgenqc builds on, importing nothing above it.

- :mod:`~skgenqc._core.findings`: ``Finding``, ``Report``, severities, pitfalls, ``grade``,
  ``grade_share``, ``holm_adjust`` and ``grade_significant``.
- :mod:`~skgenqc._core.genome`: chromosome names and families, coordinate strings,
  interval validation.
- :mod:`~skgenqc._core.sequences`: 2-bit packing, reverse complement.
- :mod:`~skgenqc._core.params`: the one parameters mixin (scikit-learn constraints,
  nested ``set_params``).
- :mod:`~skgenqc._core.stages`: ``timed_stage``, the wall time, CPU time and memory of each
  stage of a run, for ``metadata["stages"]``.
- :mod:`~skgenqc._core.files`: ``AtomicFiles``, outputs written all or nothing.
"""
