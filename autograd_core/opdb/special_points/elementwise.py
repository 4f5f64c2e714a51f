"""Special points of the elementwise ops, the reductions, the softmax family and the fused losses."""

import numpy as np

from .point import INF, NAN, add, array, diag, jac, pair, torch_point

_LN2 = float(np.log(2.0))
_BCE_EPS = float(np.float32(1e-12))

# -- elementwise: arithmetic -------------------------------------------------------------------
add("neg", diag([0, INF, -INF], [-1, -1, -1], [-0.0, -INF, INF]))
add("add", pair([INF, -INF, 0], [1, INF, -0.0], [1, 1, 1], [1, 1, 1], [INF, NAN, 0]))
add("sub", pair([INF, INF, 0], [1, INF, 0], [1, 1, 1], [-1, -1, -1], [INF, NAN, 0]))
add(
    "mul",
    pair([0, INF, 0, 2], [INF, 2, 0, -0.0], [INF, 2, 0, -0.0], [0, INF, 0, 2], [NAN, INF, 0, -0.0]),
)
add(
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
add(
    "pow",
    diag([0, INF, 2], [0, 0, 0], [1, 1, 1], p=0, why="x ** 0 is 1 everywhere, also at 0 and inf"),
    diag([0, INF], [1, 1], [0, INF], p=1),
    diag([0, INF, -INF], [0, INF, -INF], [0, INF, INF], p=2),
    diag([0, -0.0], [0, 0], [0, -0.0], p=3),
    diag([0, INF], [INF, 0], [0, INF], p=0.5, why="sqrt'(0) does not exist: inf, as PyTorch"),
    diag([0, 4], [0, 3], [0, 8], p=1.5),
    diag([0, INF, -INF], [-INF, -0.0, -0.0], [INF, 0, -0.0], p=-1),
)
add(
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
add("square", diag([0, INF, -INF], [0, INF, -INF], [0, INF, INF]))
add("reciprocal", diag([INF, -INF, 0, 1], [-0.0, -0.0, -INF, -1], [0, -0.0, INF, 1]))
add(
    "remainder",
    pair([1, 0, 7, -7], [INF, 2, -3, 3], [1, 1, 1, 1], [-0.0, -0.0, 3, 3], [1, 0, -2, 2]),
)
add("fmod", pair([1, 0, 7, -7], [INF, 2, -3, 3], [1, 1, 1, 1], [-0.0, -0.0, 2, 2], [1, 0, 1, -1]))
add("floor_divide", pair([1, 0, INF, 7], [INF, 2, 1, -3], [0, 0, 0, 0], [0, 0, 0, 0]))
for _name in ("floor", "ceil", "trunc", "sign"):
    add(_name, diag([0, 0.5, INF, -INF, NAN], [0, 0, 0, 0, 0], why="piecewise constant: 0, also at NaN"))
add("round", diag([0, 0.5, 2.5, INF, NAN], [0, 0, 0, 0, 0], decimals=0))
add("astype", diag([INF, -INF, NAN, 0], [1, 1, 1, 1], [INF, -INF, NAN, 0], dtype=np.float64))

# -- elementwise: exponentials and logarithms ----------------------------------------------------
add("exp", diag([0, -INF, INF, -1000, 1000], [1, 0, INF, 0, INF], [1, 0, INF, 0, INF]))
add("expm1", diag([0, -INF, INF, -1000], [1, 0, INF, 0], [0, -1, INF, -1]))
add("exp2", diag([0, -INF, INF], [_LN2, 0, INF], [1, 0, INF]))
add(
    "log",
    diag([0, INF, 1, -1], [INF, 0, 1, -1], [-INF, INF, 0, NAN], why="log'(0) = inf; outside the domain as PyTorch"),
)
add("log2", diag([0, INF, 1], [INF, 0, 1 / _LN2], [-INF, INF, 0]))
add("log10", diag([0, INF, 1], [INF, 0, 1 / np.log(10)], [-INF, INF, 0]))
add("log1p", diag([-1, 0, INF], [INF, 1, 0], [-INF, 0, INF]))
add("sqrt", diag([0, INF, 1], [INF, 0, 0.5], [0, INF, 1], why="sqrt'(0) does not exist: inf, as PyTorch"))
add(
    "logaddexp",
    pair([-INF, 1000, INF, -INF], [0, -1000, INF, -INF], [0, 1, 0.5, 0.5], [1, 0, 0.5, 0.5], [0, 1000, INF, -INF]),
)
add(
    "logaddexp2",
    pair([-INF, 1000, INF, -INF], [0, -1000, INF, -INF], [0, 1, 0.5, 0.5], [1, 0, 0.5, 0.5], [0, 1000, INF, -INF]),
)

# -- elementwise: activations ------------------------------------------------------------------
add("abs", diag([0, -0.0, INF, -INF], [0, 0, 1, -1], [0, 0, INF, INF]))
add("relu", diag([0, -0.0, INF, -INF, 1e-300], [0, 0, 1, 0, 1], [0, 0, INF, 0, 1e-300]))
add("tanh", diag([0, INF, -INF, 1000], [1, 0, 0, 0], [0, 1, -1, 1]))
add("sigmoid", diag([0, INF, -INF, 1000, -1000], [0.25, 0, 0, 0, 0], [0.5, 1, 0, 1, 0]))
add("softplus", diag([0, INF, -INF, 1000, -1000], [0.5, 1, 0, 1, 0], [_LN2, INF, 0, 1000, 0]))
add("log_sigmoid", diag([0, INF, -INF, 1000, -1000], [0.5, 0, 1, 0, 1], [-_LN2, 0, -INF, 0, -1000]))
add("erfc", diag([0, INF, -INF, 1e200], [-2 / np.sqrt(np.pi), 0, 0, 0], [1, 0, 2, 0]))
add(
    "lgamma",
    torch_point([array([1, 2, 0.5, 1e300])], why="zeros of lgamma, a huge argument"),
    diag([0, -1], [-INF, NAN], [INF, INF], why="poles: digamma is -inf at 0 (scipy) and NaN at -1"),
)
_EG, _PI2 = np.euler_gamma, np.pi**2
add(
    "polygamma",
    diag([1, 2, 0.5], [_PI2 / 6, _PI2 / 6 - 1, _PI2 / 2], [-_EG, 1 - _EG, -_EG - 2 * np.log(2)], n=0),
    diag([1], [_PI2**2 / 15], [-2 * 1.2020569031595942], why="zeta values", n=2),
)
add("cbrt", diag([0, -0.0, INF, -INF, 8, -8], [INF, INF, 0, 0, 1 / 12, 1 / 12], [0, -0.0, INF, -INF, 2, -2]))
add("erf", diag([0, INF, -INF, 1e200], [2 / np.sqrt(np.pi), 0, 0, 0], [0, 1, -1, 1]))
add(
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
add(
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
add(
    "where",
    jac(
        [np.array([True, False]), array([INF, NAN]), array([NAN, -INF])],
        [None, np.diag([1.0, 0.0]), np.diag([0.0, 1.0])],
        array([INF, -INF]),
        why="the unselected branch's inf and NaN never reach the gradient",
    ),
)
add(
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
add("sin", diag([0, INF, 1e300], [1, NAN, np.cos(1e300)]))
add("cos", diag([0, INF], [-0.0, NAN]))
add("tan", diag([0, INF], [1, NAN]))
add("arcsin", diag([0, 1, -1, 2], [1, INF, INF, NAN], [0, np.pi / 2, -np.pi / 2, NAN], why="arcsin'(+-1) = inf"))
add("arccos", diag([0, 1, -1], [-1, -INF, -INF], [np.pi / 2, 0, np.pi]))
add("arctan", diag([0, INF, -INF, 1e200], [1, 0, 0, 0], [0, np.pi / 2, -np.pi / 2, np.pi / 2]))
add("sinh", diag([0, INF, -INF, 1000], [1, INF, INF, INF], [0, INF, -INF, INF]))
add("cosh", diag([0, INF, -INF], [0, INF, -INF], [1, INF, INF]))
add("arcsinh", diag([0, INF, -INF, 1e200], [1, 0, 0, 1e-200]))
add("arccosh", diag([1, INF, 2], [INF, 0, 1 / np.sqrt(3)], [0, INF, np.arccosh(2.0)], why="arccosh'(1) = inf"))
add("arctanh", diag([0, 1, -1], [1, INF, INF], [0, INF, -INF]))
add(
    "hypot",
    pair([0, 0, 1e300], [0, 2, 1e300], [0, 0, np.sqrt(0.5)], [0, 1, np.sqrt(0.5)], why="0 at the origin"),
    pair([INF], [1], [NAN], [0], [INF], why="infinite: x / hypot is inf / inf, as PyTorch"),
)
add(
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
add("sum", jac([array([INF, -INF, NAN, 0])], [np.ones(4)], array(NAN)))
add("mean", jac([array([INF, 1, 0])], [np.full(3, 1 / 3)], array(INF)))
add(
    "max",
    jac([array([1, INF, INF, -INF])], [[0, 0.5, 0.5, 0]], array(INF), why="ties at inf split evenly"),
    jac([array([[1, 1], [-INF, 0]])], [[[[0.5, 0.5], [0, 0]], [[0, 0], [0, 1]]]], array([1, 0]), axis=1),
)
add("min", jac([array([-INF, -INF, 1])], [[0.5, 0.5, 0]], array(-INF)))
add(
    "logsumexp",
    jac([array([0, -INF])], [[1, 0]], array(0)),
    jac([array([INF, 1])], [[1, 0]], array(INF), why="the limit: all to the +inf entry (PyTorch: NaN)"),
    jac([array([-INF, -INF])], [[0.5, 0.5]], array(-INF), why="the limit along the diagonal, as logaddexp"),
)
add(
    "window_max",
    jac([array([[INF, INF], [-INF, -INF]])], [[[[1, 0], [0, 0]], [[0, 0], [1, 0]]]], array([INF, -INF]), nwin=1),
)

# -- softmax family and fused losses -----------------------------------------------------------


def _softmax_jacobian(p):
    p = array(p)
    return np.diag(p) - np.outer(p, p)


add(
    "softmax",
    jac([array([0, -INF])], [_softmax_jacobian([1, 0])], array([1, 0]), axis=-1),
    jac([array([INF, 0])], [_softmax_jacobian([1, 0])], array([1, 0]), axis=-1, why="the limit (PyTorch: NaN)"),
    jac([array([INF, INF, 0])], [_softmax_jacobian([0.5, 0.5, 0])], array([0.5, 0.5, 0]), axis=-1),
)
add(
    "log_softmax",
    jac([array([0, -INF])], [[[0, 0], [-1, 1]]], array([0, -INF]), axis=-1),
    jac([array([INF, 0])], [[[0, 0], [-1, 1]]], array([0, -INF]), axis=-1, why="the limit (PyTorch: NaN)"),
)
add(
    "softmax_cross_entropy",
    jac([array([0, -INF]), array([1, 0])], [[0, 0], [-0.0, INF]], array(0), axis=-1, why="d/dq at a -inf logit is inf"),
)
add(
    "softmax_nll",
    jac(
        [array([[0, -INF]])],
        [[[0, 0]]],
        array(0),
        target=np.array([0]),
        weight=None,
        axis=1,
        reduction="sum",
        denom=1.0,
    ),
    jac(
        [array([[INF, 0]])], [[[0, 0]]], array(0), target=np.array([0]), weight=None, axis=1, reduction="sum", denom=1.0
    ),
    jac(
        [array([[-INF, 0]])],
        [[[-1, 1]]],
        array(INF),
        target=np.array([0]),
        weight=None,
        axis=1,
        reduction="sum",
        denom=1.0,
    ),
)
add(
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
add(
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
