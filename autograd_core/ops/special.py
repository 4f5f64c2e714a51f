"""Special functions as single stable primitives: each forward never overflows, and each vjp is
written with ops (``.dispatch``) so second derivatives come for free.

Stable at +-1000 and +-inf under ``np.errstate(over='raise', invalid='raise', divide='raise')``:

- ``softplus(x) = log(1 + e^x)`` as ``max(x, 0) + log1p(e^-|x|)`` (JAX's ``logaddexp(x, 0)``);
- ``log_sigmoid(x) = min(x, 0) - log1p(e^-|x|)``;
- ``softmax``/``log_softmax`` subtract the (stopped) row maximum. A row holding +inf puts all its
  mass evenly on its +inf entries (the limit); a row that is all -inf is NaN, as in PyTorch;
- ``softmax_nll(x, target=, weight=, axis=, reduction=, denom=)`` is the same for class-index
  targets, gathering instead of multiplying by a one-hot array, with the reduction fused in (one node);
- ``softmax_cross_entropy(x, q, axis)`` is ``-sum(q * log_softmax(x))`` along ``axis`` in one op,
  where ``0 * log 0`` counts as 0; its gradient is ``softmax(x) * sum(q) - q`` (softmax - onehot);
- ``sigmoid_cross_entropy(x, t, pos_weight)`` is BCE from logits, PyTorch's formula
  ``(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x)``, with ``0 * inf`` counted as 0.
"""

import numpy as np
import scipy.special

from ..errors import ArgumentError
from ..value import Value
from .elementwise import _clip_op, as_float, exp, log, sigmoid, where
from .precision import widen_half
from .reduce import sum_
from .registry import as_operand, defop
from .saving import Residual
from .shape import broadcast_to


def _data(x):
    return getattr(x, "_data", x)


def _ew(name, forward, *vjps):
    return defop(name, forward, *vjps, kind="elementwise")


def _cast(out, like):
    return out.astype(like.dtype, copy=False) if isinstance(like, np.ndarray) and like.dtype.kind == "f" else out


# -- elementwise ------------------------------------------------------------------------------------


def _softplus(x):
    x = as_float(x)
    return _cast(np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))), x)


def _log_sigmoid(x):
    x = as_float(x)
    return _cast(np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))), x)


softplus = _ew("softplus", _softplus, lambda g, out, x: g * sigmoid.dispatch(x))
log_sigmoid = _ew("log_sigmoid", _log_sigmoid, lambda g, out, x: g * sigmoid.dispatch(-x))
expm1 = _ew("expm1", np.expm1, lambda g, out, x: g * (out + 1))
log1p = _ew("log1p", np.log1p, lambda g, out, x: g / (x + 1))

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)


def _erf_vjp(g, out, x):
    # |x| > 30: exp(-x^2) is 0 in every float type; clipping keeps x*x from overflowing (float32 at 1e20).
    xc = _clip_op.dispatch(x, lo=-30.0, hi=30.0)
    return g * (_TWO_OVER_SQRT_PI * exp.dispatch(-(xc * xc)))


erf = _ew("erf", lambda x: _cast(scipy.special.erf(x), x), _erf_vjp)


# -- softmax family along one axis -----------------------------------------------------------------


def _shifted(x, axis):
    """x minus its (stopped) max along axis; +inf rows become 0 at their +inf entries and -inf elsewhere."""
    m = np.max(x, axis=axis, keepdims=True)
    if np.isfinite(m).all():
        return x - m
    finite = np.isfinite(m)
    with np.errstate(invalid="ignore"):
        z = x - np.where(finite, m, 0)
    z = np.where(m == np.inf, np.where(x == np.inf, 0, -np.inf), z)
    return np.where(m == -np.inf, np.nan, z).astype(x.dtype, copy=False)


@widen_half
def _log_softmax(x, axis=-1):
    x = as_float(x)
    if x.size == 0:
        return x.copy()
    z = _shifted(x, axis)  # each row's max is 0 (or the row is NaN), so the sum is >= 1: log never sees 0
    return _cast(z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True)), x)


@widen_half
def _softmax(x, axis=-1):
    x = as_float(x)
    if x.size == 0:
        return x.copy()
    e = np.exp(_shifted(x, axis))
    e /= np.sum(e, axis=axis, keepdims=True)
    return _cast(e, x)


softmax = defop(
    "softmax",
    _softmax,
    lambda g, out, x, axis=-1: out * (g - sum_.dispatch(g * out, axis=axis, keepdims=True)),
    kind="special",
)
log_softmax = defop(
    "log_softmax",
    _log_softmax,
    lambda g, out, x, axis=-1: g - exp.dispatch(out) * sum_.dispatch(g, axis=axis, keepdims=True),
    kind="special",
)


# -- fused cross-entropies --------------------------------------------------------------------------


def _keep(g, axis, ndim):
    """g (reduced over axis) with that axis put back as length 1."""
    shape = list(g.shape)
    shape.insert(axis % ndim, 1)
    return g.reshape(tuple(shape))


@widen_half
def _softmax_xent(x, q, axis=-1):
    logp = _log_softmax(x, axis)
    q = np.broadcast_to(q, logp.shape)
    terms = np.multiply(q, logp, out=np.zeros(logp.shape, dtype=logp.dtype), where=q != 0)
    return 0.0 - np.sum(terms, axis=axis)  # 0 - s, not -s: no -0.0 for a perfect prediction


def _softmax_xent_vjp_x(g, out, x, q, axis=-1):
    shape = _data(x).shape
    if _data(q).shape != shape:
        q = broadcast_to.dispatch(q, shape)
    return _keep(g, axis, len(shape)) * (
        softmax.dispatch(x, axis=axis) * sum_.dispatch(q, axis=axis, keepdims=True) - q
    )


def _softmax_xent_vjp_q(g, out, x, q, axis=-1):
    return -_keep(g, axis, _data(x).ndim) * log_softmax.dispatch(x, axis=axis)


softmax_cross_entropy = defop(
    "softmax_cross_entropy", _softmax_xent, _softmax_xent_vjp_x, _softmax_xent_vjp_q, kind="special"
)


def _reduce_scale(reduction, denom):
    if reduction not in ("none", "sum", "mean"):
        raise ArgumentError(f"softmax_nll: reduction must be 'none', 'sum' or 'mean', got {reduction!r}")
    return 1.0 / denom if reduction == "mean" else 1.0


def _target_index(target, axis, ndim):
    """Index picking x[..., target, ...] along axis: fancy indexing for (N, C), take_along_axis otherwise."""
    if ndim == 2 and axis % 2 == 1:
        return (np.arange(target.shape[0]), target)
    return None


def _pick(a, target, axis):
    idx = _target_index(target, axis, a.ndim)
    if idx is not None:
        return a[idx]
    return np.take_along_axis(a, np.expand_dims(target, axis), axis).squeeze(axis)


@widen_half
def _softmax_nll(x, target, weight=None, axis=-1, reduction="none", denom=1.0):
    """-weight * log_softmax(x)[target] along axis (class-index targets), optionally summed / denom."""
    return _softmax_nll_saving(x, target, weight, axis, reduction, denom, keep=False)[0]


def _softmax_nll_saving(x, target, weight=None, axis=-1, reduction="none", denom=1.0, keep=True):
    """The forward of a recorded node: the loss, and softmax(x) as a :class:`Residual` for the vjp
    (exp(z) / sum exp(z), the same numpy calls as ``_softmax``, so gradients are bit for bit those
    of recomputing it). float16 runs widened (precision.py) and keeps no residual."""
    if keep and x.dtype == np.float16:
        return _softmax_nll(x, target, weight, axis, reduction, denom), Residual(None)
    scale = _reduce_scale(reduction, denom)
    p = None
    if x.size == 0:
        per = np.zeros(target.shape, dtype=x.dtype)
    else:
        z = _shifted(as_float(x) if keep else x, axis)
        e = np.exp(z)
        total = np.sum(e, axis=axis, keepdims=True)
        per = np.log(total).squeeze(axis) - _pick(z, target, axis)
        if keep:
            e /= total
            p = _cast(e, x)
        if weight is not None:
            per = _times(weight, per)
    out = _cast(per, x) if reduction == "none" else _cast(np.asarray(np.sum(per) * scale), x)
    return out, Residual(p)


def _softmax_nll_vjp(g, out, x, target, weight=None, axis=-1, reduction="none", denom=1.0, residual=None):
    shape = _data(x).shape
    scale = _reduce_scale(reduction, denom)
    if reduction == "none":
        g = _keep(g, axis, len(shape))
    if weight is not None:
        g = g * np.expand_dims(weight, axis)
    if isinstance(x, np.ndarray) and not isinstance(g, Value):  # plain backward: in place on a fresh array
        p = residual.take() if residual is not None else None
        if p is None:
            p = _softmax(x, axis)
        idx = _target_index(target, axis, p.ndim)
        if idx is not None:
            p[idx] -= 1
        else:
            i = np.expand_dims(target, axis)
            np.put_along_axis(p, i, np.take_along_axis(p, i, axis) - 1, axis)
        p *= g * scale if scale != 1.0 else g
        return p
    onehot = np.zeros(shape, dtype=_data(x).dtype)
    np.put_along_axis(onehot, np.expand_dims(target, axis), 1, axis)
    return g * scale * (softmax.dispatch(x, axis=axis) - onehot)


def _param_array(p):
    """Numbers and lists as arrays; Values pass (apply unwraps them, or refuses one that requires grad)."""
    p = as_operand(p, "softmax_nll")
    return p if hasattr(p, "requires_grad") else np.asarray(p)


_softmax_nll_op = defop("softmax_nll", _softmax_nll, _softmax_nll_vjp, kind="special")
_softmax_nll_op.saving = _softmax_nll_saving


def softmax_nll(x, target, weight=None, axis=-1, reduction="none", denom=1.0):
    """-weight[target] * log_softmax(x, axis)[target] for class indices ``target`` (x's shape without
    ``axis``; ints, lists or arrays), with ``reduction`` 'none', 'sum' or 'mean' (the sum / ``denom``)."""
    target = _param_array(target)
    weight = None if weight is None else _param_array(weight)
    return _softmax_nll_op(x, target=target, weight=weight, axis=axis, reduction=reduction, denom=denom)


def _times(a, b):
    """a * b elementwise with 0 * inf taken as 0 (a weight of zero switches a term off)."""
    a, b = np.broadcast_arrays(a, b)
    dtype = np.result_type(a, b)
    return np.multiply(a, b, out=np.zeros(a.shape, dtype=dtype), where=a != 0)


def _sigmoid_xent(x, t, pos_weight=None):
    # (1 - t) x + lw softplus(-x), rearranged per sign of x so that only softplus(-|x|) is evaluated:
    # for x < 0 it reads (1 - t - lw) x + lw softplus(x); the coefficient of an infinite x may be 0.
    lw = 1 + (pos_weight - 1) * t if pos_weight is not None else np.ones_like(t)
    coef = np.where(x >= 0, 1 - t, 1 - t - lw)
    out = _times(coef, x) + lw * _softplus(-np.abs(x))
    return _cast(out, x)


def _sigmoid_xent_vjp_x(g, out, x, t, pos_weight=None):
    if pos_weight is None:
        return g * (sigmoid.dispatch(x) - t)
    lw = 1 + (pos_weight - 1) * t
    return g * ((1 - t) - lw * sigmoid.dispatch(-x))


def _sigmoid_xent_vjp_t(g, out, x, t, pos_weight=None):
    """-x, or with pos_weight (pw - 1) softplus(-x) - x, written for x < 0 as (pw - 1) softplus(x) - pw x
    (softplus(-x) = softplus(x) - x), so that no inf - inf appears at x = -inf."""
    if pos_weight is None:
        return -g * x
    neg = np.asarray(_data(x)) < 0
    if not neg.any():
        return g * ((pos_weight - 1) * softplus.dispatch(-x) - x)
    xs = where.dispatch(neg, 0, x)  # each branch only sees the sign it is written for
    xn = where.dispatch(neg, x, 0)
    pos_part = (pos_weight - 1) * softplus.dispatch(-xs) - xs
    neg_part = (pos_weight - 1) * softplus.dispatch(xn) - pos_weight * xn
    return g * where.dispatch(neg, neg_part, pos_part)


sigmoid_cross_entropy = defop(
    "sigmoid_cross_entropy", _sigmoid_xent, _sigmoid_xent_vjp_x, _sigmoid_xent_vjp_t, kind="special"
)


def _clamped_log(p):
    """log(p) clamped below at -100 (PyTorch's BCE), with log(0) = -100 and no divide warning."""
    out = np.full(np.shape(p), -100.0, dtype=np.result_type(p, np.float32))
    np.log(p, out=out, where=p > 0)
    return np.maximum(out, -100)


def _bce(p, t):
    return _cast(0.0 - (t * _clamped_log(p) + (1 - t) * _clamped_log(1 - p)), p)


_BCE_EPS = float(np.float32(1e-12))  # PyTorch's EPSILON, a float32 constant


def _bce_vjp_p(g, out, p, t):
    # PyTorch's rule: (p - t) / max(p (1 - p), 1e-12), finite at p = 0 and 1.
    # In float16 1e-12 underflows to 0; its smallest normal number (6e-5) takes the epsilon's place.
    lo = max(_BCE_EPS, float(np.finfo(_data(p).dtype).tiny))
    return g * (p - t) / _clip_op.dispatch(p * (1 - p), lo=lo, hi=None)


_TINY = float(np.exp(-100.0))


def _bce_vjp_t(g, out, p, t):
    # log clamped at -100 written with ops, so the mixed second derivative (d/dp of this) exists too.
    lo = log.dispatch(_clip_op.dispatch(1 - p, lo=_TINY, hi=None))
    return g * (lo - log.dispatch(_clip_op.dispatch(p, lo=_TINY, hi=None)))


binary_cross_entropy = defop("binary_cross_entropy", _bce, _bce_vjp_p, _bce_vjp_t, kind="special")

__all__ = [
    "binary_cross_entropy",
    "erf",
    "expm1",
    "log1p",
    "log_sigmoid",
    "log_softmax",
    "sigmoid_cross_entropy",
    "softmax",
    "softmax_cross_entropy",
    "softmax_nll",
    "softplus",
]
