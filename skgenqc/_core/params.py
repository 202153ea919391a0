"""The one parameters mixin: scikit-learn's constraints, nested params, no sklearn at import.

Every public class of skgenqc that is not already a scikit-learn ``BaseEstimator``
(the splitters, :class:`~skgenqc.DatasetQC`, the auditor) takes its
``get_params``/``set_params`` and its parameter validation from here. Constraints
are declared in ``_parameter_constraints`` exactly as in scikit-learn and checked by
scikit-learn's ``validate_parameter_constraints``, so a bad value fails with the same
``InvalidParameterError`` (a ``ValueError`` and ``TypeError`` subclass) and the same
message form everywhere: the class, the parameter, what is accepted and the value.
scikit-learn is imported only when parameters are validated, which keeps
``import skgenqc`` and the CLI's start-up fast.
"""

from __future__ import annotations

import inspect


class ParamsMixin:
    """Constructor parameters as scikit-learn params, validated declaratively.

    Subclasses store every constructor argument untouched (so ``clone`` works)
    and call :meth:`_validate_params` where they start working (``split``,
    ``run``, ``audit``), as scikit-learn estimators do in ``fit``.

    Examples
    --------
    >>> from sklearn.utils._param_validation import Interval
    >>> import numbers
    >>> class A(ParamsMixin):
    ...     _parameter_constraints = {"x": [Interval(numbers.Integral, 1, None, closed="left")]}
    ...     def __init__(self, *, x=1):
    ...         self.x = x
    >>> A(x=2).get_params(), A().set_params(x=3).x
    ({'x': 2}, 3)
    >>> A(x=0)._validate_params()
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'x' parameter of A must be an int in the range [1, inf). Got 0 instead.
    """

    _parameter_constraints: dict = {}

    @classmethod
    def _get_param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))

    def get_params(self, deep=True):
        """Parameters of this object; with ``deep``, also ``name__param`` of nested estimators."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters by name, nested ones as ``name__param`` (``estimator__C``)."""
        if not params:
            return self
        valid = self._get_param_names()
        nested = {}
        for key, value in params.items():
            name, delim, sub = key.partition("__")
            if name not in valid:
                from sklearn.utils._param_validation import InvalidParameterError

                raise InvalidParameterError(
                    f"{name!r} is not a parameter of {type(self).__name__}; valid parameters "
                    f"are {valid}.")
            if delim:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def _validate_params(self):
        """Check every parameter against ``_parameter_constraints`` (InvalidParameterError)."""
        from sklearn.utils._param_validation import validate_parameter_constraints

        validate_parameter_constraints(self._parameter_constraints,
                                       self.get_params(deep=False),
                                       caller_name=type(self).__name__)

    def __repr__(self):
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={v!r}" for k, v in self.get_params(deep=False).items()
                   if defaults.get(k) is not v and _differs(defaults.get(k), v)]
        return f"{type(self).__name__}({', '.join(changed)})"


def _differs(a, b):
    try:
        return bool(a != b)
    except (TypeError, ValueError):  # arrays compare element-wise
        return True


def reject_bools(instance, names, expected):
    """Refuse ``True``/``False`` for integer parameters, in scikit-learn's message form.

    ``Interval(Integral, ...)`` accepts ``True`` as 1 (``bool`` is an ``int``
    subclass); a flag given where a count is meant is almost always a mistake.

    Parameters
    ----------
    instance : object
        The object whose parameters are checked (its class names the error).
    names : iterable of str
        Integer parameters.
    expected : dict of str to str
        What each parameter accepts, e.g. ``{"k": "an int in the range [1, 12]"}``.

    Examples
    --------
    >>> class A:
    ...     k = True
    >>> reject_bools(A(), ["k"], {"k": "an int in the range [1, 12]"})
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'k' parameter of A must be an int in the range [1, 12]. Got True instead.
    """
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, bool):
            from sklearn.utils._param_validation import InvalidParameterError

            raise InvalidParameterError(
                f"The {name!r} parameter of {type(instance).__name__} must be "
                f"{expected[name]}. Got {value!r} instead.")
