"""Running sums and products along an axis, and the product reduction.

- ``cumsum``: the vjp is the reversed running sum of ``g`` (the transpose of a lower-triangular
  matrix of ones).
- ``cumprod``: ``d out_j / d x_i = prod_{k <= j, k != i} x_k`` for ``j >= i``. Without zeros the
  vjp is ``revcumsum(g * out) / x``. With zeros (as PyTorch's ``cumprod_backward``): let ``z`` be
  the first zero along the axis; positions before it keep that formula (it holds wherever
  ``x_i != 0``), position ``z`` gets ``revcumsum(g * cumprod(x with x_z = 1))_z``, and positions after
  it 0 (each of their products holds ``x_z = 0``). Recording a second derivative
  (``create_graph=True``), or running products that underflow (subnormal entries), use the
  division-free product table instead, O(n^2) along the axis: the divided form's derivative cancels
  catastrophically for small entries, the masked zeros would hide the dependence on ``x_z``, and an
  underflowed ``g * out`` cannot be divided back.
- ``logcumsumexp``: ``log(cumsum(exp(x)))`` as ``np.logaddexp.accumulate`` (no overflow or underflow,
  where subtracting one maximum would underflow the early terms). Its vjp
  ``sum_{j >= i} g_j exp(x_i - out_j)`` is PyTorch's ``logcumsumexp_backward`` (after TensorFlow): the
  positive and negative parts of ``g`` summed in log space, ``exp(revlogcumsumexp(log g+ - out) + x)``
  minus the same for ``g-``, written with the op itself, so every order is stable. Where ``out`` is
  -inf (every entry so far is -inf) the gradient is 0 (PyTorch gives NaN there).
- ``prod``: ``d prod / d x_i`` is the product of the others. Where the product is nonzero and
  finite that is ``out / x_i``; otherwise (one zero, several zeros, underflow), and when recording a
  second derivative, the product of the others is formed without division, as exclusive running
  products from the left times those from the right: one zero gets the product of the rest, two or
  more give 0 everywhere, and the rule differentiates again without cancellation.
"""

import numpy as np

from ..value import Value
from .args import flag, one_axis, one_of
from .elementwise import exp, log, where
from .precision import accumulate_half
from .reduce import expand_back, normalize_axis
from .registry import as_operand, defop
from .shape import concatenate, reshape


def _data(x):
    return getattr(x, "_data", x)


def _reverse(x, axis):
    """x reversed along ``axis`` (a basic index, so it works on Values and ndarrays alike)."""
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


def revcumsum(g, axis):
    """Sums from the end: ``out_i = sum_{j >= i} g_j`` along ``axis``."""
    return _reverse(cumsum_op.dispatch(_reverse(g, axis), axis=axis), axis)


@accumulate_half
def _cumsum(x, axis):
    return np.cumsum(x, axis=one_axis("cumsum", axis, x.ndim))


cumsum_op = defop(
    "cumsum", _cumsum, lambda g, out, x, axis: revcumsum(g, one_axis("cumsum", axis, g.ndim)), kind="scan"
)


@accumulate_half
def _cumprod(x, axis):
    return np.cumprod(x, axis=one_axis("cumprod", axis, x.ndim))


def _cumprod_vjp(g, out, x, axis):
    axis = one_axis("cumprod", axis, np.ndim(_data(x)))
    if isinstance(g, Value):  # create_graph: the exact product table, which differentiates again
        return _cumprod_vjp_table(g, x, axis)
    zero = x == 0
    seen = np.cumsum(zero, axis=axis)  # zeros so far, the current one included
    gout = g * out
    if _underflows(gout, g, out, seen):  # g * out lost digits: the division would not give them back
        return _cumprod_vjp_table(g, x, axis)
    if not zero.any():
        return revcumsum(gout, axis) / x
    before = seen == 0
    first = zero & (seen == 1)
    head = np.where(before, revcumsum(gout, axis) / np.where(before, x, 1), 0)
    at_first = revcumsum(g * np.cumprod(np.where(first, 1, x), axis=axis), axis)
    return np.where(first, at_first, head).astype(x.dtype, copy=False)


def _underflows(gout, g, out, seen):
    """True where ``revcumsum(g * out) / x`` would lose the answer: a running product that underflowed
    (tiny or 0 with no zero in x so far) or a product ``g * out`` that did."""
    tiny = np.finfo(np.result_type(out, np.float16)).tiny
    lost_out = (np.abs(out) < tiny) & (seen == 0)
    lost_gout = (np.abs(gout) < tiny) & (g != 0) & (out != 0)
    return bool(lost_out.any() or lost_gout.any())


def _cumprod_vjp_table(g, x, axis):
    """``sum_{j >= i} g_j prod_{k <= j, k != i} x_k`` from the table ``T[i, j] = prod_{k <= j, k != i} x_k``
    (a running product of x with x_i set to 1, one row per i): no division, so no cancellation in its
    derivatives and no digits lost to underflow; O(n^2) memory along the axis, used only when
    recording a higher derivative or when the running products underflow."""
    nd = np.ndim(_data(x))
    perm = [a for a in range(nd) if a != axis] + [axis]
    xm, gm = x.transpose(perm), g.transpose(perm)
    n = xm.shape[-1]
    rows = where.dispatch(np.eye(n, dtype=bool), 1, xm.reshape(xm.shape[:-1] + (1, n)))
    table = cumprod_op.dispatch(rows, axis=-1)
    upper = np.triu(np.ones((n, n), dtype=_data(x).dtype))  # j >= i
    gi = (table * (gm.reshape(gm.shape[:-1] + (1, n)) * upper)).sum(axis=-1)
    return gi.transpose(tuple(np.argsort(perm)))


cumprod_op = defop("cumprod", _cumprod, _cumprod_vjp, kind="scan")


# -- prod -------------------------------------------------------------------------------------
def _prod(x, axis=None, keepdims=False):
    return np.prod(x, axis=normalize_axis(axis, x.ndim, "prod"), keepdims=keepdims)


def _exclusive_cumprod(x):
    """``out_i = prod_{k < i} x_k`` along the last axis (1 at i = 0)."""
    ones = np.ones(np.shape(_data(x))[:-1] + (1,), dtype=_data(x).dtype)
    return concatenate([ones, cumprod_op.dispatch(x[..., :-1], axis=-1)], axis=-1)


def _prod_of_others(x, axes):
    """For each element, the product of the other elements of its reduction group (no division)."""
    xd = _data(x)
    rest = [a for a in range(xd.ndim) if a not in axes]
    perm = rest + list(axes)
    moved = x.transpose(perm)
    n = int(np.prod([xd.shape[a] for a in axes], dtype=np.int64))
    flat = moved.reshape(moved.shape[: len(rest)] + (n,))
    others = _exclusive_cumprod(flat) * _reverse(_exclusive_cumprod(_reverse(flat, flat.ndim - 1)), flat.ndim - 1)
    return others.reshape(moved.shape).transpose(tuple(np.argsort(perm)))


def _prod_vjp(g, out, x, axis=None, keepdims=False):
    xd = _data(x)
    shape = xd.shape
    gx = expand_back(g, shape, axis, keepdims)
    if not xd.size:
        return gx
    if not isinstance(x, Value):
        full = expand_back(out, shape, axis, keepdims)
        gout = gx * full
        tiny = np.finfo(np.result_type(full, np.float16)).tiny
        if np.all(np.isfinite(full)) and not ((np.abs(full) < tiny) | ((np.abs(gout) < tiny) & (gx != 0))).any():
            return gout / x  # no zero, no underflow: the division gives the product of the others

    return gx * _prod_of_others(x, normalize_axis(axis, xd.ndim))


prod_op = defop("prod", _prod, _prod_vjp, kind="reduce")


@accumulate_half
def _logcumsumexp(x, axis):
    ax = one_axis("logcumsumexp", axis, x.ndim)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.ndim == 0:
        return x.copy()
    with np.errstate(invalid="ignore"):  # -inf with -inf: -inf; +inf with +inf: +inf
        return np.logaddexp.accumulate(x, axis=ax)


def _logcumsumexp_vjp(g, out, x, axis):
    nd = np.ndim(_data(x))
    if nd == 0:
        return g
    ax = one_axis("logcumsumexp", axis, nd)
    gd, od = _data(g), _data(out)
    safe_out = where.dispatch(od == -np.inf, 0.0, out)

    def part(mask, size):  # exp(x_i + log sum_{j >= i} exp(log|g_j| - out_j)) over the entries in mask
        log_size = where.dispatch(mask, log.dispatch(where.dispatch(mask, size, 1.0)), -np.inf)
        tail = _reverse(logcumsumexp_op.dispatch(_reverse(log_size - safe_out, ax), axis=ax), ax)
        return exp.dispatch(tail + x)

    return part(gd > 0, g) - part(gd < 0, -g)


logcumsumexp_op = defop("logcumsumexp", _logcumsumexp, _logcumsumexp_vjp, kind="scan")


def logcumsumexp(x, dim=None, *, axis=None):
    """``log(cumsum(exp(x)))`` along ``dim``/``axis`` without overflow or underflow (PyTorch's
    ``logcumsumexp``; None runs over x flattened). Gradient: ``sum_{j >= i} g_j exp(x_i - out_j)``,
    summed stably in log space (PyTorch's rule; the module docstring)."""
    return _scan(logcumsumexp_op, x, dim, axis)


def _scan(op, x, dim, axis, dtype=None):
    ax = one_of(op.name, dim=dim, axis=axis)
    extra = {} if dtype is None else {"dtype": dtype}  # numpy's: accumulate in dtype (Op.__call__)
    if ax is None:  # numpy: the running total of x flattened
        return op(reshape(as_operand(x, op.name), shape=(-1,)), axis=0, **extra)
    return op(x, axis=ax, **extra)


def cumsum(x, dim=None, *, axis=None, dtype=None):
    """Running sums along ``dim``/``axis`` (int); None runs over x flattened, as numpy does.

    Same shape and dtype as x (integers give int64, as numpy); ``dtype`` (numpy's, PyTorch's) casts x
    first, so the sums run in it. Gradient: sums of ``g`` from the end.
    """
    return _scan(cumsum_op, x, dim, axis, dtype)


def cumprod(x, dim=None, *, axis=None, dtype=None):
    """Running products along ``dim``/``axis`` (int); None runs over x flattened, as numpy does.

    ``dtype`` casts x first (numpy's, PyTorch's). Gradient: exact with zeros in x (see the module
    docstring), O(n) along the axis.
    """
    return _scan(cumprod_op, x, dim, axis, dtype)


def prod(x, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None):
    """The product over ``dim``/``axis`` (int, tuple or None for all), ``keepdim``/``keepdims``.

    Gradient: the product of the other elements, exact with one zero (the product of the rest) and
    with several (0); the product of nothing is 1. ``dtype`` (numpy's, PyTorch's) casts x first.
    """
    extra = {} if dtype is None else {"dtype": dtype}
    return prod_op(x, axis=one_of("prod", dim=dim, axis=axis), keepdims=flag("prod", keepdim, keepdims), **extra)
