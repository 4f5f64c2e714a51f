"""Running sums and products along an axis, and the product reduction.

- ``cumsum``: the vjp is the reversed running sum of ``g`` (the transpose of a lower-triangular
  matrix of ones).
- ``cumprod``: ``d out_j / d x_i = prod_{k <= j, k != i} x_k`` for ``j >= i``. Without zeros the
  vjp is ``revcumsum(g * out) / x``. With zeros (as PyTorch's ``cumprod_backward``): let ``z`` be
  the first zero along the axis and ``x'`` be x with ``x_z = 1``. Positions before ``z`` keep that
  formula (it holds wherever ``x_i != 0``), position ``z`` gets the vjp for ``x'``, and positions
  after it ``x_z`` times the vjp for ``x'``: 0 in value, but recorded, so second derivatives (with
  respect to ``x_z``) are right too. The vjp for ``x'`` recurses with one zero fewer: O(n) per zero.
  (The split holds at any ``z``; it is taken at entries so tiny that ``x^2`` underflows too, where
  the division would leave the second derivative NaN.)
- ``prod``: ``d prod / d x_i`` is the product of the others. Where the product is nonzero and
  finite that is ``out / x_i``; otherwise (one zero, several zeros, underflow, tiny entries) the product of the
  others is formed exactly as exclusive running products from the left times those from the right,
  so one zero gets the product of the rest and two or more zeros give 0 everywhere.
"""

import numpy as np

from .args import flag, one_axis, one_of
from .elementwise import where
from .reduce import expand_back, normalize_axis, sum_
from .registry import defop
from .shape import concatenate


def _data(x):
    return getattr(x, "_data", x)


def _reverse(x, axis):
    """x reversed along ``axis`` (a basic index, so it works on Values and ndarrays alike)."""
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


def revcumsum(g, axis):
    """Sums from the end: ``out_i = sum_{j >= i} g_j`` along ``axis``."""
    return _reverse(cumsum_op.dispatch(_reverse(g, axis), axis=axis), axis)


def _cumsum(x, axis):
    return np.cumsum(x, axis=one_axis("cumsum", axis, x.ndim))


cumsum_op = defop(
    "cumsum", _cumsum, lambda g, out, x, axis: revcumsum(g, one_axis("cumsum", axis, g.ndim)), kind="scan"
)


def _cumprod(x, axis):
    return np.cumprod(x, axis=one_axis("cumprod", axis, x.ndim))


def tiny(x):
    """Where |x| is 0 or so small that x * x underflows: dividing by x there would leave the second
    derivative (which divides by x^2) inf or NaN, so the rules below take the division-free route."""
    x = np.asarray(x)
    return np.abs(x) < np.sqrt(np.finfo(x.dtype).tiny) if x.dtype.kind == "f" else x == 0


def _cumprod_vjp(g, out, x, axis):
    xd = _data(x)
    axis = one_axis("cumprod", axis, xd.ndim)
    zero = tiny(xd)
    if not zero.any():
        return revcumsum(g * out, axis) / x
    seen = np.cumsum(zero, axis=axis)  # zeros so far, the current one included
    before = seen == 0
    first = zero & (seen == 1)
    head = revcumsum(g * out, axis) / where.dispatch(before, x, 1)
    x1 = where.dispatch(first, 1, x)  # the first zero taken out: one fewer per row, so this recursion ends
    rest = _cumprod_vjp(g, cumprod_op.dispatch(x1, axis=axis), x1, axis)
    x_first = sum_.dispatch(where.dispatch(first, x, 0), axis=axis, keepdims=True)  # x_z, recorded
    return where.dispatch(before, head, where.dispatch(first | before, 1, x_first) * rest)


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
    od = _data(out)
    if xd.size and not tiny(xd).any() and np.all(od != 0) and np.all(np.isfinite(od)):
        return gx * expand_back(out, shape, axis, keepdims) / x
    if not xd.size:
        return gx
    return gx * _prod_of_others(x, normalize_axis(axis, xd.ndim))


prod_op = defop("prod", _prod, _prod_vjp, kind="reduce")


def _scan(op, x, dim, axis):
    ax = one_of(op.name, dim=dim, axis=axis)
    if ax is None:  # numpy: the running total of x flattened
        return op(x.reshape(-1) if hasattr(x, "reshape") else np.reshape(x, -1), axis=0)
    return op(x, axis=ax)


def cumsum(x, dim=None, *, axis=None):
    """Running sums along ``dim``/``axis`` (int); None runs over x flattened, as numpy does.

    Same shape and dtype as x (integers give int64, as numpy). Gradient: sums of ``g`` from the end.
    """
    return _scan(cumsum_op, x, dim, axis)


def cumprod(x, dim=None, *, axis=None):
    """Running products along ``dim``/``axis`` (int); None runs over x flattened, as numpy does.

    Gradient: exact with zeros in x (see the module docstring), O(n) along the axis.
    """
    return _scan(cumprod_op, x, dim, axis)


def prod(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The product over ``dim``/``axis`` (int, tuple or None for all), ``keepdim``/``keepdims``.

    Gradient: the product of the other elements, exact with one zero (the product of the rest) and
    with several (0); the product of nothing is 1.
    """
    return prod_op(x, axis=one_of("prod", dim=dim, axis=axis), keepdims=flag("prod", keepdim, keepdims))
