"""Special points: every registered op at the inputs where a gradient can silently go wrong.

Zero, +-inf, domain edges, ties and equal bounds are where a vjp multiplies a cotangent by a local
derivative that is infinite or NaN (0 * inf = NaN) although the function is finite and has a
(sub)gradient there. ``tests/autograd_core/ops/test_special_points.py`` runs each point with a
zero, a unit and a mixed cotangent and fails for any registered op (kind other than "custom")
that has no entry here: a new op declares its special points when it joins the registry.

A point gives the expected gradients in one of three ways:

- ``jacobians``: the maths, one Jacobian per float input, shape ``out.shape + input.shape``
  (``diag``/``pair`` build them for elementwise ops from the derivative at each element). The
  expected gradient for a cotangent ``c`` is ``c . J`` in IEEE arithmetic, so an infinite entry
  (a derivative that does not exist, such as sqrt'(0)) gives inf for a unit cotangent and NaN for a
  zero one, exactly as the chain rule does; a finite entry gives exactly 0 for a zero cotangent;
- ``"torch"``: value and gradients as PyTorch computes them (used where PyTorch is right);
- ``"linear"``: the op is linear in its float inputs, so its gradient may not depend on their
  values: at the special values it equals the gradient at zeros.

Values are checked against ``value`` (an array), PyTorch (``"torch"``) or not at all (None).
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["POINTS", "Point"]

INF, NAN = np.inf, np.nan
_LN2 = float(np.log(2.0))
_BCE_EPS = float(np.float32(1e-12))


@dataclass(eq=False)
class Point:
    """One special input of one op (see the module docstring)."""

    inputs: list
    params: dict = field(default_factory=dict)
    grads: object = "torch"  # "torch", "linear", or a list of Jacobians (None for a constant input)
    value: object = "torch"  # "torch", an array, or None
    why: str = ""


POINTS = {}


def _add(name, *points):
    POINTS.setdefault(name, []).extend(points)


def _a(x):
    return np.array(x, dtype=np.float64)


def _diag(d):
    d = _a(d)
    return np.diag(d) if d.ndim == 1 else d


def diag(x, d, value=None, why="", **params):
    """A unary elementwise point: inputs ``x`` (1-D), derivative ``d`` at each (the maths)."""
    return Point([_a(x)], params, [_diag(d)], value if value is None else _a(value), why)


def pair(x, y, dx, dy, value=None, why="", **params):
    """A binary elementwise point on two same-shaped 1-D inputs, derivatives ``dx`` and ``dy``."""
    return Point([_a(x), _a(y)], params, [_diag(dx), _diag(dy)], value if value is None else _a(value), why)


def jac(inputs, jacobians, value=None, why="", **params):
    """A point with its Jacobians written out (one per float input; None for constants)."""
    return Point(list(inputs), params, [None if j is None else _a(j) for j in jacobians], value, why)


def torch_point(inputs, why="", **params):
    """A point where PyTorch's value and gradients are right."""
    return Point(list(inputs), params, "torch", "torch", why)


def linear_point(inputs, why="", **params):
    """A point for an op linear in its float inputs: special values must not reach the gradient."""
    return Point(list(inputs), params, "linear", None, why)


_EDGES = _a([0.0, INF, -INF, NAN])  # what linear ops must route without looking at


def _edges(*shape):
    return np.resize(_EDGES, shape)


# -- elementwise: arithmetic -------------------------------------------------------------------
_add("neg", diag([0, INF, -INF], [-1, -1, -1], [-0.0, -INF, INF]))
_add("add", pair([INF, -INF, 0], [1, INF, -0.0], [1, 1, 1], [1, 1, 1], [INF, NAN, 0]))
_add("sub", pair([INF, INF, 0], [1, INF, 0], [1, 1, 1], [-1, -1, -1], [INF, NAN, 0]))
_add(
    "mul",
    pair([0, INF, 0, 2], [INF, 2, 0, -0.0], [INF, 2, 0, -0.0], [0, INF, 0, 2], [NAN, INF, 0, -0.0]),
)
_add(
    "div",
    pair(
        [1, 0, 1, INF, 0],
        [INF, 1, 0, 2, 0],
        [0, 1, INF, 0.5, INF],
        [-0.0, -0.0, -INF, -INF, NAN],
        [0, 0, INF, INF, NAN],
        why="x / inf, 0 / y, x / 0, inf / y",
    ),
)
_add(
    "pow",
    diag([0, INF, 2], [0, 0, 0], [1, 1, 1], p=0, why="x ** 0 is 1 everywhere, also at 0 and inf"),
    diag([0, INF], [1, 1], [0, INF], p=1),
    diag([0, INF, -INF], [0, INF, -INF], [0, INF, INF], p=2),
    diag([0, -0.0], [0, 0], [0, -0.0], p=3),
    diag([0, INF], [INF, 0], [0, INF], p=0.5, why="sqrt'(0) does not exist: inf, as PyTorch"),
    diag([0, 4], [0, 3], [0, 8], p=1.5),
    diag([0, INF, -INF], [-INF, -0.0, -0.0], [INF, 0, -0.0], p=-1),
)
_add(
    "pow_value",
    pair(
        [0, 0, 0, 0, 2, 1],
        [0, 0.5, 1, 2, 0, 3],
        [0, INF, 1, 0, 0, 3],
        [0, 0, 0, 0, _LN2, 0],
        [1, 0, 0, 0, 1, 1],
        why="0 ** 0: the x-derivative y x^(y-1) is 0 * inf; x ** 0 is 1 for every x, so 0",
    ),
    pair(
        [INF, -2, -2],
        [-1, 2, 0],
        [-0.0, -4, 0],
        [0, NAN, NAN],
        [0, 4, 1],
        why="inf ** -1 is 0 for every y < 0 (PyTorch: 0 * inf); a negative base has no real y-derivative",
    ),
)
_add("square", diag([0, INF, -INF], [0, INF, -INF], [0, INF, INF]))
_add("reciprocal", diag([INF, -INF, 0, 1], [-0.0, -0.0, -INF, -1], [0, -0.0, INF, 1]))
_add(
    "remainder",
    pair([1, 0, 7, -7], [INF, 2, -3, 3], [1, 1, 1, 1], [-0.0, -0.0, 3, 3], [1, 0, -2, 2]),
)
_add("fmod", pair([1, 0, 7, -7], [INF, 2, -3, 3], [1, 1, 1, 1], [-0.0, -0.0, 2, 2], [1, 0, 1, -1]))
_add("floor_divide", pair([1, 0, INF, 7], [INF, 2, 1, -3], [0, 0, 0, 0], [0, 0, 0, 0]))
for _name in ("floor", "ceil", "trunc", "sign"):
    _add(_name, diag([0, 0.5, INF, -INF, NAN], [0, 0, 0, 0, 0], why="piecewise constant: 0, also at NaN"))
_add("round", diag([0, 0.5, 2.5, INF, NAN], [0, 0, 0, 0, 0], decimals=0))
_add("astype", diag([INF, -INF, NAN, 0], [1, 1, 1, 1], [INF, -INF, NAN, 0], dtype=np.float64))

# -- elementwise: exponentials and logarithms ----------------------------------------------------
_add("exp", diag([0, -INF, INF, -1000, 1000], [1, 0, INF, 0, INF], [1, 0, INF, 0, INF]))
_add("expm1", diag([0, -INF, INF, -1000], [1, 0, INF, 0], [0, -1, INF, -1]))
_add("exp2", diag([0, -INF, INF], [_LN2, 0, INF], [1, 0, INF]))
_add(
    "log",
    diag([0, INF, 1, -1], [INF, 0, 1, -1], [-INF, INF, 0, NAN], why="log'(0) = inf; outside the domain as PyTorch"),
)
_add("log2", diag([0, INF, 1], [INF, 0, 1 / _LN2], [-INF, INF, 0]))
_add("log10", diag([0, INF, 1], [INF, 0, 1 / np.log(10)], [-INF, INF, 0]))
_add("log1p", diag([-1, 0, INF], [INF, 1, 0], [-INF, 0, INF]))
_add("sqrt", diag([0, INF, 1], [INF, 0, 0.5], [0, INF, 1], why="sqrt'(0) does not exist: inf, as PyTorch"))
_add(
    "logaddexp",
    pair([-INF, 1000, INF, -INF], [0, -1000, INF, -INF], [0, 1, 0.5, 0.5], [1, 0, 0.5, 0.5], [0, 1000, INF, -INF]),
)
_add(
    "logaddexp2",
    pair([-INF, 1000, INF, -INF], [0, -1000, INF, -INF], [0, 1, 0.5, 0.5], [1, 0, 0.5, 0.5], [0, 1000, INF, -INF]),
)

# -- elementwise: activations ------------------------------------------------------------------
_add("abs", diag([0, -0.0, INF, -INF], [0, 0, 1, -1], [0, 0, INF, INF]))
_add("relu", diag([0, -0.0, INF, -INF, 1e-300], [0, 0, 1, 0, 1], [0, 0, INF, 0, 1e-300]))
_add("tanh", diag([0, INF, -INF, 1000], [1, 0, 0, 0], [0, 1, -1, 1]))
_add("sigmoid", diag([0, INF, -INF, 1000, -1000], [0.25, 0, 0, 0, 0], [0.5, 1, 0, 1, 0]))
_add("softplus", diag([0, INF, -INF, 1000, -1000], [0.5, 1, 0, 1, 0], [_LN2, INF, 0, 1000, 0]))
_add("log_sigmoid", diag([0, INF, -INF, 1000, -1000], [0.5, 0, 1, 0, 1], [-_LN2, 0, -INF, 0, -1000]))
_add("erf", diag([0, INF, -INF, 1e200], [2 / np.sqrt(np.pi), 0, 0, 0], [0, 1, -1, 1]))
_add(
    "maximum",
    pair(
        [1, INF, -INF, 2],
        [1, INF, -INF, -INF],
        [0.5, 0.5, 0.5, 1],
        [0.5, 0.5, 0.5, 0],
        [1, INF, -INF, 2],
        why="ties split",
    ),
)
_add(
    "minimum",
    pair(
        [1, INF, -INF, 2],
        [1, INF, -INF, INF],
        [0.5, 0.5, 0.5, 1],
        [0.5, 0.5, 0.5, 0],
        [1, INF, -INF, 2],
        why="ties split",
    ),
)
_add(
    "where",
    jac(
        [np.array([True, False]), _a([INF, NAN]), _a([NAN, -INF])],
        [None, np.diag([1.0, 0.0]), np.diag([0.0, 1.0])],
        _a([INF, -INF]),
        why="the unselected branch's inf and NaN never reach the gradient",
    ),
)
_add(
    "clip",
    diag([1, 0.5, 2, INF, -INF], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1], min=1.0, max=1.0, why="equal bounds: constant"),
    diag([1, 0, 5], [0, 0, 0], [1, 1, 1], min=2.0, max=1.0, why="min > max: constant max (numpy's order)"),
    diag(
        [-1, 1, INF, -INF, NAN],
        [1, 1, 0, 0, 0],
        [-1, 1, 1, -1, NAN],
        min=-1.0,
        max=1.0,
        why="at a bound: 1, as PyTorch",
    ),
    diag([0, INF, -INF], [1, 0, 1], [0, 0, -INF], min=None, max=0.0),
)

# -- elementwise: trigonometry -----------------------------------------------------------------
_add("sin", diag([0, INF, 1e300], [1, NAN, np.cos(1e300)]))
_add("cos", diag([0, INF], [-0.0, NAN]))
_add("tan", diag([0, INF], [1, NAN]))
_add("arcsin", diag([0, 1, -1, 2], [1, INF, INF, NAN], [0, np.pi / 2, -np.pi / 2, NAN], why="arcsin'(+-1) = inf"))
_add("arccos", diag([0, 1, -1], [-1, -INF, -INF], [np.pi / 2, 0, np.pi]))
_add("arctan", diag([0, INF, -INF, 1e200], [1, 0, 0, 0], [0, np.pi / 2, -np.pi / 2, np.pi / 2]))
_add("sinh", diag([0, INF, -INF, 1000], [1, INF, INF, INF], [0, INF, -INF, INF]))
_add("cosh", diag([0, INF, -INF], [0, INF, -INF], [1, INF, INF]))
_add("arcsinh", diag([0, INF, -INF, 1e200], [1, 0, 0, 1e-200]))
_add("arccosh", diag([1, INF, 2], [INF, 0, 1 / np.sqrt(3)], [0, INF, np.arccosh(2.0)], why="arccosh'(1) = inf"))
_add("arctanh", diag([0, 1, -1], [1, INF, INF], [0, INF, -INF]))
_add(
    "hypot",
    pair([0, 0, 1e300], [0, 2, 1e300], [0, 0, np.sqrt(0.5)], [0, 1, np.sqrt(0.5)], why="0 at the origin"),
    pair([INF], [1], [NAN], [0], [INF], why="infinite: x / hypot is inf / inf, as PyTorch"),
)
_add(
    "arctan2",
    pair(
        [0, INF, 1, INF],
        [0, 1, INF, INF],
        [0, 0, 0, 0],
        [0, -0.0, -0.0, -0.0],
        [0, np.pi / 2, 0, np.pi / 4],
        why="0 at the origin (PyTorch); at infinity the angle is locally constant (PyTorch: inf / inf)",
    ),
)

# -- reductions --------------------------------------------------------------------------------
_add("sum", jac([_a([INF, -INF, NAN, 0])], [np.ones(4)], _a(NAN)))
_add("mean", jac([_a([INF, 1, 0])], [np.full(3, 1 / 3)], _a(INF)))
_add(
    "max",
    jac([_a([1, INF, INF, -INF])], [[0, 0.5, 0.5, 0]], _a(INF), why="ties at inf split evenly"),
    jac([_a([[1, 1], [-INF, 0]])], [[[[0.5, 0.5], [0, 0]], [[0, 0], [0, 1]]]], _a([1, 0]), axis=1),
)
_add("min", jac([_a([-INF, -INF, 1])], [[0.5, 0.5, 0]], _a(-INF)))
_add(
    "logsumexp",
    jac([_a([0, -INF])], [[1, 0]], _a(0)),
    jac([_a([INF, 1])], [[1, 0]], _a(INF), why="the limit: all to the +inf entry (PyTorch: NaN)"),
    jac([_a([-INF, -INF])], [[0.5, 0.5]], _a(-INF), why="the limit along the diagonal, as logaddexp"),
)
_add(
    "window_max",
    jac([_a([[INF, INF], [-INF, -INF]])], [[[[1, 0], [0, 0]], [[0, 0], [1, 0]]]], _a([INF, -INF]), nwin=1),
)

# -- softmax family and fused losses -----------------------------------------------------------


def _softmax_jacobian(p):
    p = _a(p)
    return np.diag(p) - np.outer(p, p)


_add(
    "softmax",
    jac([_a([0, -INF])], [_softmax_jacobian([1, 0])], _a([1, 0]), axis=-1),
    jac([_a([INF, 0])], [_softmax_jacobian([1, 0])], _a([1, 0]), axis=-1, why="the limit (PyTorch: NaN)"),
    jac([_a([INF, INF, 0])], [_softmax_jacobian([0.5, 0.5, 0])], _a([0.5, 0.5, 0]), axis=-1),
)
_add(
    "log_softmax",
    jac([_a([0, -INF])], [[[0, 0], [-1, 1]]], _a([0, -INF]), axis=-1),
    jac([_a([INF, 0])], [[[0, 0], [-1, 1]]], _a([0, -INF]), axis=-1, why="the limit (PyTorch: NaN)"),
)
_add(
    "softmax_cross_entropy",
    jac([_a([0, -INF]), _a([1, 0])], [[0, 0], [-0.0, INF]], _a(0), axis=-1, why="d/dq at a -inf logit is inf"),
)
_add(
    "softmax_nll",
    jac([_a([[0, -INF]])], [[[0, 0]]], _a(0), target=np.array([0]), weight=None, axis=1, reduction="sum", denom=1.0),
    jac([_a([[INF, 0]])], [[[0, 0]]], _a(0), target=np.array([0]), weight=None, axis=1, reduction="sum", denom=1.0),
    jac([_a([[-INF, 0]])], [[[-1, 1]]], _a(INF), target=np.array([0]), weight=None, axis=1, reduction="sum", denom=1.0),
)
_add(
    "sigmoid_cross_entropy",
    pair(
        [INF, -INF, 0, INF], [1, 0, 0.5, 0], [0, 0, 0, 1], [-INF, INF, -0.0, -INF], [0, 0, _LN2, INF], pos_weight=None
    ),
    pair(
        [INF, -INF, -INF],
        [1, 0, 1],
        [0, 0, -0.5],
        [-INF, INF, INF],
        [0, 0, INF],
        pos_weight=0.5,
        why="pos_weight < 1 at -inf: (pw - 1) softplus(-x) - x is -inf + inf; the stable form gives inf",
    ),
)
_add(
    "binary_cross_entropy",
    pair(
        [0, 1, 0, 1, 0.5],
        [0, 1, 1, 0, 0.5],
        [0, 0, -1 / _BCE_EPS, 1 / _BCE_EPS, 0],
        [100, -100, 100, -100, 0],
        [0, 0, 100, 100, _LN2],
        why="PyTorch's rule (p - t) / max(p (1 - p), eps) and logs clamped at -100",
    ),
)

# -- linear algebra ----------------------------------------------------------------------------
_Z = np.zeros((2, 2))
_E = _a([[0, INF], [1, 2]])
_add("matmul", torch_point([_Z, _E]), torch_point([_E, _Z]))
_add("tensordot", torch_point([_Z, _E], axes=([1], [0])))
_add("einsum", torch_point([_Z, _E], subscripts="ij,jk->ik"))
_add("linear", torch_point([_Z, _E, _a([0, INF])]))
_add("linear_nobias", torch_point([_Z, _E]))

# -- shape ops: linear, so inf and NaN data never reach the gradient -----------------------------
_add("reshape", linear_point([_edges(2, 2)], shape=(4,)))
_add("transpose", linear_point([_edges(2, 3)], axes=(1, 0)))
_add("swapaxes", linear_point([_edges(2, 3)], a=0, b=1))
_add("broadcast_to", linear_point([_edges(1, 4)], shape=(2, 4)))
_add("squeeze", linear_point([_edges(4, 1)], axis=1))
_add("unsqueeze", linear_point([_edges(4)], axis=0))
_add("flatten", linear_point([_edges(2, 2)], start_dim=0, end_dim=-1))
_add("concatenate", linear_point([_edges(2), _edges(3)], axis=0))
_add("stack", linear_point([_edges(4), _edges(4)], axis=0))
_add("pad", linear_point([_edges(4)], pad_width=((1, 2),), value=INF))
_add("getitem", linear_point([_edges(4)], index=(np.array([0, 0, 3]),)))
_add("index_put", linear_point([_edges(4), _edges(3)], index=(np.array([0, 2, 0]),)))
_add("scatter_add", linear_point([_edges(3)], shape=(4,), index=(np.array([0, 0, 3]),)))
_add(
    "sliding_windows",
    linear_point([_edges(5)], window_shape=(2,), axes=(0,), stride=(1,), dilation=(1,)),
)
_add("fold", linear_point([_edges(4, 2)], shape=(5,), window_shape=(2,), axes=(0,), stride=(1,), dilation=(1,)))

# -- products, scans, statistics, norms (PyTorch handles their zeros right) -----------------------------
_add("cumsum", linear_point([_edges(2, 4)], axis=1))
_add("cumprod", torch_point([_a([[0, 2, 0, 3], [2, 0, 5, 1]])], axis=1, why="zeros: products of the others"))
_add(
    "prod",
    torch_point([_a([[0, 2, 3], [0, 0, 5], [1, 2, 3]])], axis=1, keepdims=False, why="one zero, several zeros"),
)
_add(
    "var",
    torch_point([np.full((3, 2), 7.0)], axis=0, keepdims=False, correction=1, why="zero variance"),
)
_add(
    "std",
    torch_point([np.full((3, 2), 7.0)], axis=0, keepdims=False, correction=1, why="zero spread: 0, not 0 / 0"),
    torch_point([np.zeros((2, 2))], axis=None, keepdims=False, correction=0),
)
_add(
    "vector_norm",
    *(
        torch_point([_a([[0, 0, 0], [3, -4, 0]])], ord=o, axis=1, keepdims=False, why="the zero vector")
        for o in (2, 1, 3)
    ),
    torch_point([_a([[0, 0, 0], [3, -3, 1]])], ord=INF, axis=1, keepdims=False, why="ties at the maximum"),
)
