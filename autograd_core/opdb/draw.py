"""Shared pieces for the database's draw functions (hypothesis, imported on first use).

A draw function takes hypothesis' ``draw`` and returns ``(arrays, params)``; :meth:`OpInfo.strategy`
wraps it with ``st.composite``. Helpers here either build draw functions (``unary``,
``broadcast``) or are called from inside one with ``draw`` (``small``, ``shape_of``).
``st``, ``hnp`` and the strategies of :mod:`autograd_core.testing` are imported lazily, so importing
the database needs no hypothesis.
"""

from .info import LazyModule

__all__ = [
    "arrays",
    "axes_for",
    "broadcast",
    "broadcastable_shapes",
    "hnp",
    "shape_of",
    "shapes",
    "small",
    "st",
    "unary",
]

st = LazyModule("hypothesis.strategies")
hnp = LazyModule("hypothesis.extra.numpy")
_strategies = LazyModule("autograd_core.testing.strategies")


def arrays(*args, **kwargs):
    """:func:`autograd_core.testing.arrays` (float64 arrays, bounded values, kinks avoided)."""
    return _strategies.arrays(*args, **kwargs)


def shapes(*args, **kwargs):
    """:func:`autograd_core.testing.shapes`."""
    return _strategies.shapes(*args, **kwargs)


def broadcastable_shapes(*args, **kwargs):
    """:func:`autograd_core.testing.broadcastable_shapes`."""
    return _strategies.broadcastable_shapes(*args, **kwargs)


def axes_for(*args, **kwargs):
    """:func:`autograd_core.testing.axes_for` (``(axis, keepdims)`` for a reduction)."""
    return _strategies.axes_for(*args, **kwargs)


def shape_of(draw, min_dims=0, max_dims=3, max_side=3):
    """Draw one small shape (the sweep differentiates every element, twice)."""
    return draw(shapes(min_dims=min_dims, max_dims=max_dims, max_side=max_side))


def small(draw, shape=None, **values):
    """Draw one small array (``values`` go to ``arrays``: min_value, away_from, positive, ...)."""
    return draw(arrays(shape, max_dims=3, max_side=3, **values))


def unary(**values):
    """Draw function for a one-input op without params: ``([x], {})``."""

    def inputs(draw):
        return [small(draw, **values)], {}

    return inputs


def broadcast(n=2, lattice=False, **values):
    """Draw function for ``n`` arrays whose shapes broadcast together.

    ``lattice=True`` puts the first array on k/2 and the second on k/2 + 0.2, so the pair never
    comes within 0.2 of a tie (maximum/minimum are not differentiable at ties).
    """

    def inputs(draw):
        shps = draw(broadcastable_shapes(n, max_dims=3, max_side=3))
        if lattice:
            ints = st.integers(-5, 5)
            return [draw(hnp.arrays("int64", s, elements=ints)) * 0.5 + off for s, off in zip(shps, (0.0, 0.2))], {}
        return [draw(arrays(s, **values)) for s in shps], {}

    return inputs
