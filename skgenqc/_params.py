"""``get_params``/``set_params`` without importing scikit-learn at start-up.

scikit-learn's ``clone`` only needs these two methods.  DatasetQC uses this
mixin instead of ``BaseEstimator`` so that ``skgenqc qc`` starts in a fraction
of a second: importing ``sklearn.base`` alone costs about a second here.
"""

from __future__ import annotations

import inspect


class ParamsMixin:
    """Constructor parameters as sklearn-style params.

    Examples
    --------
    >>> class A(ParamsMixin):
    ...     def __init__(self, *, x=1):
    ...         self.x = x
    >>> A(x=2).get_params(), A().set_params(x=3).x
    ({'x': 2}, 3)
    """

    @classmethod
    def _get_param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))

    def get_params(self, deep=True):
        """Parameters of this object (``deep`` is accepted for scikit-learn compatibility)."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Set parameters by name; unknown names raise a ValueError."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{name!r} is not a parameter of {type(self).__name__}; "
                                 f"valid parameters are {valid}.")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if defaults.get(k) is not v
                   and defaults.get(k) != v]
        return f"{type(self).__name__}({', '.join(changed)})"
