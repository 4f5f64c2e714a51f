"""Value's method forms of the special functions, float tests, NaN-aware reductions, order statistics
and running extremes, sinc, logit and matrix_power (``x.lgamma()``, ``x.isnan()``, ``x.nansum(0)``, ``x.median(1)``, ``x.cummax(0)``),
named and ordered as PyTorch's Tensor methods. Functions taking the Value first are bound as they
are; operators.py binds them onto Value.
"""

from .ops.covariance import corrcoef, cov
from .ops.matrix_chains import matrix_power
from .ops.numeric import (
    copysign,
    deg2rad,
    fmax,
    fmin,
    heaviside,
    isclose,
    isfinite,
    isinf,
    isnan,
    isneginf,
    isposinf,
    rad2deg,
)
from .ops.quantiles import median, nanmedian, nanquantile, quantile
from .ops.reduce import amax, amin
from .ops.scans import logcumsumexp
from .ops.special_functions import digamma, erfc, lgamma, logit, polygamma, sinc, xlogy
from .ops.spelling import reduce_args
from .ops.summaries import cummax, cummin, diff, nanmean, nansum


def _polygamma(self, n):
    """PyTorch's ``Tensor.polygamma(n)``: ``polygamma(n, self)``; see ``autograd_core.polygamma``."""
    return polygamma(n, self)


def _amax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """PyTorch's ``Tensor.amax``: the maximum over ``dim`` (an int, a tuple, None for all), the values
    alone (ties share the gradient evenly); ``ag.amax``."""
    return amax(self, **reduce_args("amax", axis, keepdims, dim, keepdim))


def _amin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """PyTorch's ``Tensor.amin``: the minimum over ``dim`` (an int, a tuple, None for all), the values
    alone (ties share the gradient evenly); ``ag.amin``."""
    return amin(self, **reduce_args("amin", axis, keepdims, dim, keepdim))


def _erfc(self):
    """Elementwise ``erfc(self) = 1 - erf(self)``, computed directly; see ``autograd_core.erfc``."""
    return erfc(self)


def _lgamma(self):
    """Elementwise ``ln|Gamma(self)|``; gradient ``digamma``; see ``autograd_core.lgamma``."""
    return lgamma(self)


METHODS = {
    fn.__name__: fn
    for fn in (
        *(digamma, xlogy, deg2rad, rad2deg, copysign, fmax, fmin, heaviside),
        *(isnan, isinf, isfinite, isposinf, isneginf, isclose),
        *(nansum, nanmean, diff, cummax, cummin, logcumsumexp, median, nanmedian, quantile, nanquantile),
        *(cov, corrcoef, matrix_power, sinc, logit),
    )
}
METHODS.update(erfc=_erfc, lgamma=_lgamma, polygamma=_polygamma, amax=_amax, amin=_amin)
