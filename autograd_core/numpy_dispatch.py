"""numpy's dispatch protocols on Value: numpy functions and ufuncs called on Values run our ops.

``np.sum(v)``, ``np.tanh(v)``, ``np.concatenate([v, w])`` and ``ndarray + v`` record the same graph
as ``v.sum()``, ``ag.tanh(v)``, ``ag.concatenate([v, w])`` and ``v + ndarray``. A numpy function or
ufunc without an entry raises NotDifferentiableError naming it, instead of returning a plain array
that silently drops the gradient. Adding an op to numpy's vocabulary is one entry in a table:

- ``FUNCTIONS``: numpy function (NEP 18, ``__array_function__``) -> ours, called with numpy's
  arguments as the user wrote them (numpy_api.py holds adapters with numpy's signatures);
- ``UFUNCS``: ufunc (NEP 13, ``__array_ufunc__``) -> ours; ``ufunc.outer`` follows from it, and
  ``REDUCTIONS`` serves ``ufunc.reduce`` (``np.add.reduce`` is a sum over axis 0);
- ``CONSTANT_FUNCTIONS``, ``CONSTANT_UFUNCS``: results that carry no gradient (shapes, indices,
  booleans, arrays such as ``zeros_like``): they run on the data and give plain arrays, as Value's
  comparisons do. (Piecewise-constant functions such as ``floor`` are ops: gradient 0, recorded.)

``np.asarray(v)`` still gives the data (``__array__``), so plotting libraries keep working; the
explicit spellings are ``v.data``, ``v.numpy()`` and ``v.detach()``. One conversion is refused: numpy
code converting a Value that requires grad which it was never dispatched on, i.e. a Value hidden in
a list given to a numpy function that dispatches on the list alone (``np.sum([v, w])``).
"""

import sys

import numpy as np
import scipy.special

from . import numpy_api as api
from . import numpy_api_arrays as arr
from . import numpy_api_stats as stats
from .errors import NotDifferentiableError
from .ops import (
    arithmetic,
    arrange,
    decompositions,
    joining,
    logexp,
    matrix_chains,
    numeric,
    pseudoinverse,
    rounding,
    special_functions,
    spectral,
    trig,
)
from .ops import elementwise as ew
from .ops.linalg import matmul
from .ops.reduce import amax, amin, sum_
from .ops.special import erf, expm1, log1p, log_sigmoid
from .value import Value

FUNCTIONS = {
    np.sum: api.np_sum,
    np.mean: api.np_mean,
    np.max: api.np_max,
    np.amax: api.np_max,
    np.min: api.np_min,
    np.amin: api.np_min,
    np.var: api.np_var,
    np.std: api.np_std,
    np.reshape: api.np_reshape,
    np.ravel: api.np_ravel,
    np.transpose: api.np_transpose,
    np.swapaxes: api.np_swapaxes,
    np.moveaxis: api.np_moveaxis,
    np.matrix_transpose: api.np_matrix_transpose,
    np.squeeze: api.np_squeeze,
    np.expand_dims: api.np_expand_dims,
    np.broadcast_to: api.np_broadcast_to,
    np.broadcast_arrays: api.np_broadcast_arrays,
    np.atleast_1d: joining.atleast_1d,
    np.atleast_2d: joining.atleast_2d,
    np.atleast_3d: joining.atleast_3d,
    np.concatenate: api.np_concatenate,
    np.stack: api.np_stack,
    np.vstack: api.np_vstack,
    np.hstack: api.np_hstack,
    np.dstack: api.np_dstack,
    np.column_stack: api.np_column_stack,
    np.kron: joining.kron,
    np.pad: api.np_pad,
    np.where: api.np_where,
    np.clip: api.np_clip,
    np.dot: api.np_dot,
    np.inner: api.np_inner,
    np.outer: api.np_outer,
    np.tensordot: api.np_tensordot,
    np.einsum: api.np_einsum,
    np.linspace: api.np_linspace,
    np.copy: api.np_copy,
    np.full_like: api.np_full_like,
    np.round: api.np_round,
    np.around: api.np_round,
    np.fix: rounding.trunc,
    np.prod: api.np_prod,
    np.cumsum: api.np_cumsum,
    np.cumprod: api.np_cumprod,
    np.linalg.norm: api.np_linalg_norm,
    np.sort: api.np_sort,
    np.partition: api.np_partition,
    np.take: api.np_take,
    np.take_along_axis: api.np_take_along_axis,
    np.flip: arr.np_flip,
    np.fliplr: arrange.fliplr,
    np.flipud: arrange.flipud,
    np.roll: arr.np_roll,
    np.repeat: arr.np_repeat,
    np.tile: arr.np_tile,
    np.split: arr.np_split,
    np.array_split: arr.np_array_split,
    np.tril: arr.np_tril,
    np.triu: arr.np_triu,
    np.diag: arr.np_diag,
    np.diagonal: arr.np_diagonal,
    np.trace: arr.np_trace,
    np.vdot: arr.np_vdot,
    np.cross: arr.np_cross,
    np.meshgrid: arr.np_meshgrid,
    np.ptp: stats.np_ptp,
    np.diff: stats.np_diff,
    np.nansum: stats.np_nansum,
    np.nanmean: stats.np_nanmean,
    np.nanvar: stats.np_nanvar,
    np.nanstd: stats.np_nanstd,
    np.nanmax: stats.np_nanmax,
    np.nanmin: stats.np_nanmin,
    np.nanprod: stats.np_nanprod,
    np.nancumsum: stats.np_nancumsum,
    np.percentile: stats.np_percentile,
    np.nanpercentile: stats.np_nanpercentile,
    np.sinc: special_functions.sinc,
    np.average: stats.np_average,
    np.median: stats.np_median,
    np.nanmedian: stats.np_nanmedian,
    np.quantile: stats.np_quantile,
    np.nanquantile: stats.np_nanquantile,
    np.cov: stats.np_cov,
    np.corrcoef: stats.np_corrcoef,
    np.linalg.inv: decompositions.inv,
    np.linalg.det: decompositions.det,
    np.linalg.slogdet: arr.np_linalg_slogdet,
    np.linalg.solve: arr.np_linalg_solve,
    np.linalg.cholesky: arr.np_linalg_cholesky,
    np.linalg.qr: arr.np_linalg_qr,
    np.linalg.svdvals: decompositions.svdvals,
    np.linalg.pinv: pseudoinverse.pinv,
    np.linalg.lstsq: pseudoinverse.lstsq,
    np.linalg.matrix_power: matrix_chains.matrix_power,
    np.linalg.multi_dot: matrix_chains.multi_dot,
    np.linalg.eigh: spectral.eigh,
    np.linalg.eigvalsh: spectral.eigvalsh,
    np.linalg.svd: arr.np_linalg_svd,
    np.linalg.matrix_norm: arr.np_linalg_matrix_norm,
    np.linalg.vector_norm: arr.np_linalg_vector_norm,
}

UFUNCS = {
    np.add: ew.add,
    np.subtract: ew.sub,
    np.multiply: ew.mul,
    np.true_divide: ew.div,
    np.negative: ew.neg,
    np.positive: lambda x: x,
    np.power: ew.power,
    np.square: arithmetic.square,
    np.reciprocal: arithmetic.reciprocal,
    np.remainder: arithmetic.remainder,
    np.fmod: arithmetic.fmod,
    np.floor: rounding.floor,
    np.ceil: rounding.ceil,
    np.trunc: rounding.trunc,
    np.rint: rounding.round,
    np.sign: rounding.sign,
    np.floor_divide: rounding.floor_divide,
    np.exp: ew.exp,
    np.log: ew.log,
    np.sqrt: ew.sqrt,
    np.absolute: ew.absolute,
    np.tanh: ew.tanh,
    np.sin: trig.sin,
    np.cos: trig.cos,
    np.tan: trig.tan,
    np.arcsin: trig.arcsin,
    np.arccos: trig.arccos,
    np.arctan: trig.arctan,
    np.sinh: trig.sinh,
    np.cosh: trig.cosh,
    np.arcsinh: trig.arcsinh,
    np.arccosh: trig.arccosh,
    np.arctanh: trig.arctanh,
    np.arctan2: trig.arctan2,
    np.hypot: trig.hypot,
    np.exp2: logexp.exp2,
    np.log2: logexp.log2,
    np.log10: logexp.log10,
    np.logaddexp: logexp.logaddexp,
    np.logaddexp2: logexp.logaddexp2,
    np.maximum: ew.maximum,
    np.minimum: ew.minimum,
    np.matmul: matmul,
    np.expm1: expm1,
    np.cbrt: numeric.cbrt,
    np.deg2rad: numeric.deg2rad,
    np.radians: numeric.deg2rad,
    np.rad2deg: numeric.rad2deg,
    np.degrees: numeric.rad2deg,
    np.copysign: numeric.copysign,
    np.fmax: numeric.fmax,
    np.fmin: numeric.fmin,
    np.heaviside: numeric.heaviside,
    scipy.special.erfc: special_functions.erfc,
    scipy.special.gammaln: special_functions.lgamma,
    scipy.special.psi: special_functions.digamma,
    scipy.special.xlogy: special_functions.xlogy,
    scipy.special.logit: special_functions.logit,
    np.log1p: log1p,
    scipy.special.erf: erf,
    scipy.special.expit: ew.sigmoid,
    scipy.special.log_expit: log_sigmoid,
}

REDUCTIONS = {np.add: sum_, np.maximum: amax, np.minimum: amin}

CONSTANT_FUNCTIONS = {
    *(np.shape, np.ndim, np.size, np.result_type, np.can_cast, np.min_scalar_type),
    *(np.zeros_like, np.ones_like, np.empty_like),
    *(np.argmax, np.argmin, np.argsort, np.argwhere, np.nonzero, np.flatnonzero, np.count_nonzero),
    *(np.searchsorted, np.any, np.all, np.isclose, np.allclose, np.array_equal, np.array_equiv),
    *(np.array2string, np.array_repr, np.array_str, np.may_share_memory, np.shares_memory),
}

CONSTANT_UFUNCS = {
    *(np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal),
    *(np.logical_and, np.logical_or, np.logical_xor, np.logical_not),
    *(np.isfinite, np.isinf, np.isnan, np.signbit),
    *(np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert),
}


def _data(x):
    """Values (also inside lists, tuples and dicts) replaced by their data."""
    if isinstance(x, Value):
        return x._data
    if type(x) in (list, tuple):
        return type(x)(_data(i) for i in x)
    if type(x) is dict:
        return {k: _data(v) for k, v in x.items()}
    return x


def _unsupported(name):
    return NotDifferentiableError(
        f"{name} is not supported on Values: it would return a plain array and silently drop the gradient. "
        "Use the autograd_core op (ag.*), or pass v.numpy() for a constant (the numpy functions that work "
        "on Values are listed in autograd_core.numpy_dispatch)"
    )


def _ufunc_name(ufunc):
    module = (
        "scipy.special"
        if isinstance(ufunc, np.ufunc) and ufunc is getattr(scipy.special, ufunc.__name__, None)
        else "numpy"
    )
    return f"{module}.{ufunc.__name__}"


def array_function(self, func, types, args, kwargs):
    """NEP 18: ``np.f(..., v, ...)`` runs ``FUNCTIONS[np.f]`` (recorded) or refuses."""
    if not all(issubclass(t, (Value, np.ndarray)) for t in types):
        return NotImplemented
    fn = FUNCTIONS.get(func)
    if fn is not None:
        return fn(*args, **kwargs)
    if func in CONSTANT_FUNCTIONS:
        return func(*_data(args), **_data(kwargs))
    raise _unsupported(f"{func.__module__ or 'numpy'}.{func.__name__}")  # numpy.linalg.eigh, not numpy.eigh


_UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "subok": True}


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NEP 13: ``ufunc(v, ...)`` (and ``ndarray (op) v``) runs ``UFUNCS[ufunc]`` (recorded) or refuses."""
    if method == "__call__" and not kwargs:  # the common case (ndarray + v): straight to the op
        fn = UFUNCS.get(ufunc)
        if fn is not None:
            return fn(*inputs)
    if ufunc in CONSTANT_UFUNCS:
        return getattr(ufunc, method)(*_data(inputs), **_data(kwargs))
    name = _ufunc_name(ufunc) + ("" if method == "__call__" else f".{method}")
    if kwargs.get("out") is not None:
        raise NotDifferentiableError(
            f"{name}(..., out=...) with a Value: the result would be written into a plain array and its gradient "
            "lost (in-place operators such as ndarray += v do this); assign the result instead (a = a + v)"
        )
    if method == "reduce" and ufunc in REDUCTIONS:
        axis, keepdims = kwargs.pop("axis", 0), kwargs.pop("keepdims", False)
        api.refuse(f"{ufunc.__name__}.reduce", {"where": True}, dtype=kwargs.pop("dtype", None), **kwargs)
        return REDUCTIONS[ufunc](inputs[0], axis=axis, keepdims=keepdims)
    fn = UFUNCS.get(ufunc)
    if fn is None or method not in ("__call__", "outer") or (method == "outer" and ufunc.nin != 2):
        raise _unsupported(name)
    kwargs.pop("out", None)
    for key, value in kwargs.items():
        if key not in _UFUNC_DEFAULTS or not api._same(value, _UFUNC_DEFAULTS[key]):
            raise NotDifferentiableError(f"{name}(..., {key}={value!r}) is not supported on Values; leave {key} out")
    if method == "outer":
        a, b = (api.as_value(x) for x in inputs)
        return fn(a.reshape(a.shape + (1,) * b.ndim), b)
    return fn(*inputs)


_SKIP = ("numpy.testing", "numpy.ma")  # explicit comparisons and masked-array conversions of the data


def array(self, dtype=None, copy=None):
    """The data as a plain array (``np.asarray(v)``): a constant, outside the graph.

    Refused for a Value that requires grad when numpy's own code asks without having dispatched on
    the Value (a Value inside a list given to ``np.sum``, ``np.mean``, ...): the result would be a
    constant that silently drops the gradient."""
    if self.requires_grad:
        frame = sys._getframe(1)
        caller = None
        while frame is not None and frame.f_globals.get("__name__", "").startswith("numpy."):
            if frame.f_globals["__name__"].startswith(_SKIP):
                caller = None
                break
            caller = frame
            frame = frame.f_back
        if caller is not None and caller.f_code.co_name not in _CONSTANT_NAMES:
            raise NotDifferentiableError(
                f"numpy.{caller.f_code.co_name} got a Value that requires grad inside a list (numpy dispatches on "
                "the list, not the Values in it), so the result would be a constant without gradient. Stack the "
                "list first (ag.as_value(list) or ag.stack) or call the ag.* op on the list"
            )
    if copy is False and dtype is not None and np.dtype(dtype) != self._data.dtype:
        raise ValueError(f"np.asarray(copy=False): a Value of dtype {self._data.dtype} cannot be viewed as {dtype}")
    data = self._data if type(self._data) is np.ndarray else np.asarray(self._data)  # a scalar Value's number
    if dtype is not None:
        return data.astype(dtype)
    return data.copy() if copy else data


_CONSTANT_NAMES = {f.__name__ for f in CONSTANT_FUNCTIONS}


def _bind():
    Value.__array_function__ = array_function
    Value.__array_ufunc__ = array_ufunc
    Value.__array__ = array


_bind()
