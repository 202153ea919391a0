"""Regress confounders (GC content, batch covariates, age) out of features, in-fold.

A confounder drives both the features and the label; a model then learns the
confounder (Whalen et al. 2022, pitfall 3).  One remedy is to replace every
feature by its residual after regressing it on the confounders.  Fitting that
regression on all rows before cross-validation leaks the test fold into the
training data (pitfall 4), so it is a transformer: inside a Pipeline the
regression is learned from the training fold only and applied to the test
fold.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.multioutput import MultiOutputRegressor
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods, InvalidParameterError
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

__all__ = ["ConfounderRegressor"]


def _resolve_columns(columns, feature_names, n_features, argument):
    """Column indices from names or positions, with errors that name what is wrong."""
    if isinstance(columns, (str, numbers.Integral)):
        columns = [columns]
    try:
        columns = list(columns)
    except TypeError:
        raise TypeError(f"{argument}={columns!r} must be a column name, a column index or a "
                        "list of them") from None
    if not columns:
        raise ValueError(f"{argument}=[] is empty; name at least one column")
    names = None if feature_names is None else list(feature_names)
    indices, missing = [], []
    for c in columns:
        if isinstance(c, str):
            if names is None:
                raise ValueError(f"{argument}: {c!r} is a column name, but X has no column "
                                 "names; pass column indices or a pandas DataFrame")
            if c in names:
                indices.append(names.index(c))
            else:
                missing.append(c)
        elif isinstance(c, numbers.Integral) and not isinstance(c, bool):
            if not -n_features <= c < n_features:
                raise ValueError(f"{argument}: column index {c} is out of range for X with "
                                 f"{n_features} columns")
            indices.append(int(c) % n_features)
        else:
            raise TypeError(f"{argument}: {c!r} ({type(c).__name__}) is neither a column name "
                            "(str) nor a column index (int)")
    if missing:
        shown = names[:20] + (["..."] if len(names) > 20 else [])
        raise ValueError(f"{argument}: column(s) {missing!r} are not in X; available "
                         f"columns: {shown}")
    if len(set(indices)) != len(indices):
        raise ValueError(f"{argument}={columns!r} names a column more than once")
    return np.array(indices, dtype=np.int64)


class ConfounderRegressor(TransformerMixin, BaseEstimator):
    """Replace features by their residuals after regressing them on confounder columns.

    ``fit`` regresses every non-confounder column of X on the confounder
    columns (ordinary least squares by default); ``transform`` returns the
    features minus their predicted values, so what is left is uncorrelated
    with the confounders (linearly, for the default model).  Used inside a
    :class:`~sklearn.pipeline.Pipeline`, the regression learns from the
    training fold only.

    Parameters
    ----------
    confounders : str, int or list of str/int
        Confounder columns: names (DataFrame X) or indices.
    model : regressor, default=None
        Regressor of the features on the confounders;
        :class:`~sklearn.linear_model.LinearRegression` when None.  It is cloned;
        one that cannot predict several outputs at once is wrapped in
        :class:`~sklearn.multioutput.MultiOutputRegressor`.
    keep_confounders : bool, default=False
        Keep the confounder columns (unchanged, in their place) in the output,
        so a downstream model can still use them as covariates.

    Attributes
    ----------
    confounder_indices_ : ndarray of int
        Positions of the confounder columns in X.
    feature_indices_ : ndarray of int
        Positions of the residualised columns.
    model_ : regressor
        The fitted regression of features on confounders.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined only when X has string column names.

    See Also
    --------
    skgenqc.sampling.CovariateMatchedUnderSampler : Remove a confounder by matching instead.

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> gc = rng.uniform(0.3, 0.7, 200)
    >>> X = pd.DataFrame({"gc": gc, "signal": 3 * gc + rng.normal(0, 0.1, 200)})
    >>> cr = ConfounderRegressor("gc").set_output(transform="pandas")
    >>> out = cr.fit_transform(X)
    >>> list(out.columns), bool(abs(np.corrcoef(out["signal"], gc)[0, 1]) < 1e-8)
    (['signal'], True)
    >>> list(ConfounderRegressor(["gc"], keep_confounders=True).fit(X).get_feature_names_out())
    ['gc', 'signal']
    """

    _parameter_constraints: dict = {
        "confounders": [str, numbers.Integral, list, tuple, np.ndarray],
        "model": [None, HasMethods(["fit", "predict"])],
        "keep_confounders": ["boolean"],
    }

    def __init__(self, confounders, *, model=None, keep_confounders=False):
        self.confounders = confounders
        self.model = model
        self.keep_confounders = keep_confounders

    def fit(self, X, y=None):
        """Learn the regression of each feature on the confounders.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Features and confounder columns, numeric.
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        if isinstance(self.model, type):  # a class has fit and predict too
            raise InvalidParameterError(
                f"The 'model' parameter of ConfounderRegressor must be None or an instance of a "
                f"regressor (e.g. {self.model.__name__}()). Got {self.model!r} instead.")
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        names = getattr(self, "feature_names_in_", None)
        conf = _resolve_columns(self.confounders, names, X.shape[1], "confounders")
        feats = np.setdiff1d(np.arange(X.shape[1]), conf)
        label = (lambda j: str(names[j])) if names is not None else (lambda j: f"x{j}")
        if feats.size == 0:
            raise ValueError(
                f"X has {X.shape[1]} feature(s) and confounders={self.confounders!r} covers "
                "all of them; nothing is left to residualise")
        nan_conf = [label(j) for j in conf if np.isnan(X[:, j]).any()]
        if nan_conf:
            raise ValueError(f"confounders: column(s) {nan_conf} contain missing values (NaN); "
                             "impute them before ConfounderRegressor or drop those rows")
        if np.isnan(X[:, feats]).any():
            raise ValueError("Input X contains NaN in feature columns; ConfounderRegressor "
                             "needs complete features: put an imputer before it in the "
                             "pipeline")
        constant = [label(j) for j in conf if np.ptp(X[:, j]) == 0]
        if constant:
            warnings.warn(f"confounders: column(s) {constant} are constant in the training "
                          "data, so nothing of them can be regressed out (they only shift the "
                          "intercept)", UserWarning, stacklevel=2)
        model = LinearRegression() if self.model is None else clone(self.model)
        if feats.size > 1 and not get_tags(model).target_tags.multi_output:
            model = MultiOutputRegressor(model)
        target = X[:, feats] if feats.size > 1 else X[:, feats[0]]
        self.model_ = model.fit(X[:, conf], target)
        self.confounder_indices_ = conf
        self.feature_indices_ = feats
        return self

    def transform(self, X):
        """Residuals of the features given the confounders.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        ndarray or DataFrame
            The residualised features (and the confounders when
            ``keep_confounders=True``), in the column order of X.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        predicted = np.asarray(self.model_.predict(X[:, self.confounder_indices_]))
        predicted = predicted.reshape(X.shape[0], -1)
        out = X.copy()
        out[:, self.feature_indices_] = X[:, self.feature_indices_] - predicted
        return out[:, self._output_indices()]

    def _output_indices(self):
        if self.keep_confounders:
            return np.arange(self.n_features_in_)
        return self.feature_indices_

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str, optional

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return names[self._output_indices()]
