"""The operand-forms sweep's calls for the statistics and small elementwise compositions
(test_operand_forms.py imports :func:`calls`): each ag function with its numpy or scipy reference.
PyTorch-shaped results (median with dim, cummax) are compared through their values."""

import numpy as np
import scipy.special
from hypothesis import strategies as st


def _cum(fn):
    """numpy's running extreme along axis 0 (PyTorch's cummax/cummin values); 0-d stays 0-d."""
    return lambda x, dim: fn.accumulate(x, axis=0) if np.ndim(x) else np.asarray(x)


def calls(operand, axis_of, refuse):
    """name -> (numpy reference, strategy of (operands, params))."""
    one = st.tuples(operand())
    two = st.tuples(operand(), operand())
    none = st.just({})
    reduce = st.tuples(one, st.fixed_dictionaries({"axis": st.sampled_from([None, 0, -1])}))

    def reduction(fn):
        return lambda x, axis: fn(x, axis=axis_of(x, axis))

    def lower_median(x, axis=None):
        flat = np.sort(np.ravel(x))
        return flat[(flat.size - 1) // 2]

    def cov(x):
        return np.cov(x) if np.ndim(x) <= 2 else refuse("2-d")

    def diff(x):
        return np.diff(x) if np.ndim(x) else refuse("0-d")

    return {
        "copysign": (np.copysign, st.tuples(two, none)),
        "fmax": (np.fmax, st.tuples(two, none)),
        "fmin": (np.fmin, st.tuples(two, none)),
        "heaviside": (np.heaviside, st.tuples(two, none)),
        "xlogy": (scipy.special.xlogy, st.tuples(two, none)),
        "deg2rad": (np.deg2rad, st.tuples(one, none)),
        "radians": (np.deg2rad, st.tuples(one, none)),
        "rad2deg": (np.rad2deg, st.tuples(one, none)),
        "degrees": (np.rad2deg, st.tuples(one, none)),
        "digamma": (scipy.special.psi, st.tuples(one, none)),
        "psi": (scipy.special.psi, st.tuples(one, none)),
        "polygamma": (
            lambda n, x: scipy.special.polygamma(n, x),
            st.tuples(st.tuples(st.just(1), operand()), none),
        ),
        "isnan": (np.isnan, st.tuples(one, none)),
        "isinf": (np.isinf, st.tuples(one, none)),
        "isfinite": (np.isfinite, st.tuples(one, none)),
        "isposinf": (np.isposinf, st.tuples(one, none)),
        "isneginf": (np.isneginf, st.tuples(one, none)),
        "isclose": (np.isclose, st.tuples(two, none)),
        "ptp": (reduction(np.ptp), reduce),
        "nansum": (reduction(np.nansum), reduce),
        "nanmean": (reduction(np.nanmean), reduce),
        "average": (reduction(np.average), reduce),
        "quantile": (
            lambda x, q: np.quantile(x, q),
            st.tuples(one, st.fixed_dictionaries({"q": st.sampled_from([0.0, 0.3, [0.5, 1.0]])})),
        ),
        "nanquantile": (lambda x, q: np.nanquantile(x, q), st.tuples(one, st.fixed_dictionaries({"q": st.just(0.3)}))),
        "median": (lower_median, st.tuples(one, none)),
        "nanmedian": (lower_median, st.tuples(one, none)),
        "diff": (diff, st.tuples(one, none)),
        "cummax": (_cum(np.maximum), st.tuples(one, st.fixed_dictionaries({"dim": st.just(0)}))),
        "cummin": (_cum(np.minimum), st.tuples(one, st.fixed_dictionaries({"dim": st.just(0)}))),
        "logcumsumexp": (
            lambda x, dim: np.logaddexp.accumulate(x, axis=0) if np.ndim(x) else np.asarray(x, float),
            st.tuples(one, st.fixed_dictionaries({"dim": st.just(0)})),
        ),
        "cov": (cov, st.tuples(one, none)),
        "nanvar": (
            lambda x, axis, ddof: np.nanvar(x, axis=axis_of(x, axis), ddof=ddof),
            st.tuples(
                one, st.fixed_dictionaries({"axis": st.sampled_from([None, 0, -1]), "ddof": st.sampled_from([0, 1])})
            ),
        ),
        "nanstd": (reduction(np.nanstd), reduce),
        "nanmax": (reduction(np.nanmax), reduce),
        "nanmin": (reduction(np.nanmin), reduce),
        "nanprod": (reduction(np.nanprod), reduce),
        "nancumsum": (lambda x, axis: np.nancumsum(x, axis=axis_of(x, axis)), reduce),
        "percentile": (
            lambda x, q: np.percentile(x, q),
            st.tuples(one, st.fixed_dictionaries({"q": st.sampled_from([0.0, 30, [50, 100.0]])})),
        ),
        "nanpercentile": (
            lambda x, q: np.nanpercentile(x, q),
            st.tuples(one, st.fixed_dictionaries({"q": st.just(30)})),
        ),
        "sinc": (np.sinc, st.tuples(one, none)),
        "logit": (scipy.special.logit, st.tuples(one, none)),
        "matrix_power": (
            np.linalg.matrix_power,
            st.tuples(one, st.fixed_dictionaries({"n": st.sampled_from([-1, 0, 2])})),
        ),
        "corrcoef": (lambda x: np.corrcoef(x) if np.ndim(x) <= 2 else refuse("2-d"), st.tuples(one, none)),
    }
