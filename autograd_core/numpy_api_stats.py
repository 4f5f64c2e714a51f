"""numpy's statistics functions with numpy's signatures, on Values (for numpy_dispatch.py): ``np.median``
and ``np.quantile`` are numpy's (the two middle entries averaged), where ``ag.median`` is PyTorch's
lower median. Options that would lose the gradient (``out=``, ``where=``, ...) are refused."""

import numpy as np

from .numpy_api import numpy_doc, refuse
from .ops.covariance import corrcoef, cov
from .ops.nan_reductions import nancumsum, nanmax, nanmin, nanpercentile, nanprod, nanstd, nanvar, percentile
from .ops.quantiles import nanquantile, quantile
from .ops.summaries import average, diff, nanmean, nansum, ptp

_NO = np._NoValue


def _kd(keepdims):
    return False if keepdims is _NO else bool(keepdims)


def np_ptp(a, axis=None, out=None, keepdims=_NO):
    """``numpy.ptp`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    refuse("ptp", out=out)
    return ptp(a, axis, _kd(keepdims))


def np_diff(a, n=1, axis=-1, prepend=_NO, append=_NO):
    """``numpy.diff`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    return diff(a, n, axis, None if prepend is _NO else prepend, None if append is _NO else append)


def _nan_reduction(fn, fname):
    def impl(a, axis=None, dtype=None, out=None, keepdims=_NO, **kwargs):
        refuse(fname, {"where": True}, dtype=dtype, out=out, **kwargs)
        return fn(a, axis=axis, keepdims=_kd(keepdims))

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_nansum, np_nanmean = _nan_reduction(nansum, "nansum"), _nan_reduction(nanmean, "nanmean")
np_nanprod = _nan_reduction(nanprod, "nanprod")


def _nan_extreme(fn, fname):
    def impl(a, axis=None, out=None, keepdims=_NO, initial=_NO, where=_NO):
        refuse(fname, {"where": True}, out=out, initial=initial, where=where)
        return fn(a, axis=axis, keepdims=_kd(keepdims))

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_nanmax, np_nanmin = _nan_extreme(nanmax, "nanmax"), _nan_extreme(nanmin, "nanmin")


def _nan_moment(fn, fname):
    def impl(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NO, *, where=_NO, mean=_NO, correction=_NO):
        refuse(fname, {"where": True}, dtype=dtype, out=out, where=where, mean=mean)
        return fn(a, axis=axis, ddof=ddof if correction is _NO else correction, keepdims=_kd(keepdims))

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname)
    return impl


np_nanvar, np_nanstd = _nan_moment(nanvar, "nanvar"), _nan_moment(nanstd, "nanstd")


def np_nancumsum(a, axis=None, dtype=None, out=None):
    """``numpy.nancumsum`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    refuse("nancumsum", dtype=dtype, out=out)
    return nancumsum(a, axis)


def np_average(a, axis=None, weights=None, returned=False, *, keepdims=_NO):
    """``numpy.average`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    return average(a, axis, weights, returned, keepdims=_kd(keepdims))


def _quantile_fn(fn, fname, fixed_q=None):
    def impl(a, *args, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, **kwargs):
        q, rest = (fixed_q, args) if fixed_q is not None else (args[0], args[1:])
        if rest:
            axis = rest[0]
        refuse(fname, {"interpolation": None, "weights": None}, out=out, **kwargs)
        return fn(a, q, axis=axis, keepdims=bool(keepdims), method=method)

    impl.__name__ = f"np_{fname}"
    impl.__doc__ = numpy_doc(fname) + " numpy's rule: the two middle entries averaged for the median."
    return impl


np_quantile, np_nanquantile = _quantile_fn(quantile, "quantile"), _quantile_fn(nanquantile, "nanquantile")
np_median, np_nanmedian = _quantile_fn(quantile, "median", 0.5), _quantile_fn(nanquantile, "nanmedian", 0.5)
np_percentile, np_nanpercentile = _quantile_fn(percentile, "percentile"), _quantile_fn(nanpercentile, "nanpercentile")


def np_cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """``numpy.cov`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    refuse("cov", y=y, dtype=dtype)
    return cov(m, rowvar, bias, ddof, fweights, aweights)


def np_corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """``numpy.corrcoef`` on Values, with numpy's signature: see :func:`~autograd_core.numpy_api.numpy_doc`."""
    refuse("corrcoef", y=y, dtype=dtype)
    return corrcoef(x, rowvar)
