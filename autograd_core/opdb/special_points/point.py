"""The Point record, the POINTS table and the helpers that build points (see the package docstring)."""

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "INF",
    "NAN",
    "POINTS",
    "Point",
    "add",
    "array",
    "diag",
    "edges",
    "jac",
    "linear_point",
    "pair",
    "torch_point",
]

INF, NAN = np.inf, np.nan


@dataclass(eq=False)
class Point:
    """One special input of one op (see the module docstring)."""

    inputs: list
    params: dict = field(default_factory=dict)
    grads: object = "torch"  # "torch", "linear", or a list of Jacobians (None for a constant input)
    value: object = "torch"  # "torch", an array, or None
    why: str = ""


POINTS = {}


def add(name, *points):
    """Append ``points`` to op ``name``'s entry in :data:`POINTS`."""
    POINTS.setdefault(name, []).extend(points)


def array(x):
    """``x`` as a float64 array."""
    return np.array(x, dtype=np.float64)


def _diag(d):
    d = array(d)
    return np.diag(d) if d.ndim == 1 else d


def diag(x, d, value=None, why="", **params):
    """A unary elementwise point: inputs ``x`` (1-D), derivative ``d`` at each (the maths)."""
    return Point([array(x)], params, [_diag(d)], value if value is None else array(value), why)


def pair(x, y, dx, dy, value=None, why="", **params):
    """A binary elementwise point on two same-shaped 1-D inputs, derivatives ``dx`` and ``dy``."""
    return Point([array(x), array(y)], params, [_diag(dx), _diag(dy)], value if value is None else array(value), why)


def jac(inputs, jacobians, value=None, why="", **params):
    """A point with its Jacobians written out (one per float input; None for constants)."""
    return Point(list(inputs), params, [None if j is None else array(j) for j in jacobians], value, why)


def torch_point(inputs, why="", **params):
    """A point where PyTorch's value and gradients are right."""
    return Point(list(inputs), params, "torch", "torch", why)


def linear_point(inputs, why="", **params):
    """A point for an op linear in its float inputs: special values must not reach the gradient."""
    return Point(list(inputs), params, "linear", None, why)


_EDGES = array([0.0, INF, -INF, NAN])  # what linear ops must route without looking at


def edges(*shape):
    """An array of ``shape`` cycling through 0, inf, -inf and NaN (for linear ops)."""
    return np.resize(_EDGES, shape)
