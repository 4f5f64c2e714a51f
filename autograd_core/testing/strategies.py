"""Hypothesis strategies and assertions for testing gradients, your own ops included.

Needs ``hypothesis`` (a test-only dependency; ``import autograd_core`` never imports this module).
Import from :mod:`autograd_core.testing`::

    from hypothesis import given
    from autograd_core.testing import arrays, assert_gradients_match

    @given(arrays(max_dims=2, away_from=(0,)))
    def test_my_op(x):
        assert_gradients_match(my_op, x, second_order=True)

Values are drawn from a bounded range (default [-3, 3]) so exp and friends stay finite; use
``away_from=(...)`` to keep elements ``margin`` away from kinks (relu and abs at 0, clip bounds)
and ``positive=True`` for domains like log and sqrt. Finite differences need that margin:
a central difference straddling a kink measures the average of both slopes.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..errors import GradcheckError
from ..gradcheck import gradcheck, gradgradcheck

__all__ = [
    "arrays",
    "assert_gradients_match",
    "away_from",
    "axes_for",
    "broadcastable_arrays",
    "broadcastable_shapes",
    "elements",
    "shapes",
]


def _push(v, points, margin, lo, hi):
    """Move v out of every (p - margin, p + margin) window, staying inside [lo, hi] where possible."""
    for _ in range(len(points) + 1):
        near = [p for p in points if abs(v - p) < margin]
        if not near:
            return v
        p = near[0]
        up, down = p + margin, p - margin
        v = up if (v >= p and up <= hi) or down < lo else down
    return v


def _away(points, margin=0.05, min_value=-3.0, max_value=3.0):
    """Floats in [min_value, max_value] at least ``margin`` from each of ``points`` (kinks, domain edges)."""
    points = tuple(float(p) for p in np.atleast_1d(points))
    base = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)
    return base.map(lambda v: _push(v, points, margin, min_value, max_value))


away_from = _away


def _elements(min_value=-3.0, max_value=3.0, *, away_from=(), margin=0.05, positive=False):
    """Element strategy: bounded finite floats, optionally positive (>= margin) and away from points."""
    if positive:
        min_value = max(min_value, margin)
        if max_value <= min_value:
            max_value = min_value + 3.0
    pts = tuple(np.atleast_1d(away_from)) if away_from is not None else ()
    if pts:
        return _away(pts, margin, min_value, max_value)
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


elements = _elements


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Array shapes (0-d included by default)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(
    shape=None,
    dtype=np.float64,
    *,
    min_dims=0,
    max_dims=3,
    min_side=1,
    max_side=4,
    elements=None,
    min_value=-3.0,
    max_value=3.0,
    away_from=(),
    margin=0.05,
    positive=False,
):
    """ndarrays of ``shape`` (a tuple, a strategy, or None for any shape within the dims/sides bounds).

    ``elements`` overrides the element strategy; otherwise the value keywords build one
    (see :func:`elements`). Integer dtypes draw integers in [min_value, max_value].
    """
    if shape is None:
        shape = shapes(min_dims, max_dims, min_side, max_side)
    dtype = np.dtype(dtype)
    if elements is None:
        if dtype.kind in "iu":
            elements = st.integers(int(np.ceil(min_value)), int(np.floor(max_value)))
        elif dtype.kind == "b":
            elements = st.booleans()
        else:
            elements = _elements(min_value, max_value, away_from=away_from, margin=margin, positive=positive)
            if dtype != np.float64:
                # Round to the target precision first, so hypothesis never sees an inexact value.
                elements = elements.map(lambda v, t=dtype.type: float(t(v)))
    return hnp.arrays(dtype, shape, elements=elements)


def broadcastable_shapes(n=2, *, min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Tuples of ``n`` shapes that broadcast together (e.g. ((3, 1), (4,)) -> (3, 4))."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=n, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda b: b.input_shapes)


@st.composite
def broadcastable_arrays(draw, n=2, dtype=np.float64, *, min_dims=0, max_dims=3, min_side=1, max_side=4, **values):
    """Tuples of ``n`` arrays whose shapes broadcast together; ``values`` go to :func:`arrays`."""
    shape_tuple = draw(
        broadcastable_shapes(n, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    )
    return tuple(draw(arrays(s, dtype, **values)) for s in shape_tuple)


@st.composite
def axes_for(draw, shape, allow_none=True, allow_tuple=True, allow_negative=True):
    """``(axis, keepdims)`` for reducing an array of ``shape``: None, an int (maybe negative) or a tuple."""
    ndim = len(shape)
    keepdims = draw(st.booleans())
    kinds = (["none"] if allow_none or ndim == 0 else []) + (["int"] if ndim else [])
    if allow_tuple:
        kinds.append("tuple")
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        return None, keepdims

    def signed(a):
        return a - ndim if allow_negative and draw(st.booleans()) else a

    if kind == "int":
        return signed(draw(st.integers(0, ndim - 1))), keepdims
    chosen = draw(st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim)) if ndim else []
    return tuple(signed(a) for a in chosen), keepdims


def assert_gradients_match(
    f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, second_order=False, fast=False, grad_outputs=None, seed=0
):
    """Assert f's first (and with ``second_order=True`` second) derivatives match finite differences.

    ``f`` takes Values (one per input) and returns a Value or a tuple of Values. Raises an
    AssertionError (a GradcheckError) whose message names the order, input, element and values.
    """
    __tracebackhide__ = True  # pytest shows the caller's line
    checks = [("first", gradcheck, {})]
    if second_order:
        checks.append(("second", gradgradcheck, {"grad_outputs": grad_outputs}))
    for order, check, extra in checks:
        try:
            check(f, list(inputs), eps=eps, atol=atol, rtol=rtol, fast=fast, seed=seed, **extra)
        except GradcheckError as err:
            shapes_ = ", ".join(str(np.shape(getattr(x, "_data", x))) for x in inputs)
            new = GradcheckError(f"{order} derivatives of {getattr(f, '__name__', f)!r} (inputs {shapes_}): {err}")
            new.__dict__.update(err.__dict__)
            new.order = order
            raise new from None
