"""Every public ag.* op takes what numpy takes for the same call: Python numbers, 0-d arrays and
Values, numpy scalars, nested lists of numbers. Drawn at random per op, each call is made twice:
with numpy (Python numbers as float64, lists through np.asarray) and with ours. Where numpy gives a
value, ours gives the same value; where numpy refuses, ours raises one of *our* errors
(autograd_core.errors), and no call ever leaks numpy's or Python's own exception."""

import numpy as np
import operand_forms_arrange
import operand_forms_join
import operand_forms_select
import operand_forms_stats
import pytest
import scipy.special
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import AutogradError, Value

SHAPES = [(), (1,), (2,), (3,), (2, 3), (1, 3), (3, 2)]


def _np(a):
    """An operand as numpy sees it under our conventions (a Python number is a float64 0-d array)."""
    if isinstance(a, Value):
        return a.data
    if type(a) in (float, int):
        return np.asarray(a, dtype=np.float64)
    if type(a) in (list, tuple):
        return np.asarray(a)
    return a


@st.composite
def operand(draw, shape=None, lo=0.2, hi=0.9):
    """One operand in one of the forms numpy accepts (or, rarely, a ragged list)."""
    shape = draw(st.sampled_from(SHAPES)) if shape is None else shape
    data = np.asarray(draw(st.lists(st.floats(lo, hi), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))))
    data = data.reshape(shape)
    forms = ["array", "value", "list"] + (["float", "int", "numpy scalar"] if shape == () else ["ragged"])
    form = draw(st.sampled_from(forms))
    if form == "float":
        return float(data)
    if form == "int":
        return draw(st.integers(1, 3))
    if form == "numpy scalar":
        return np.float64(data)
    if form == "value":
        return Value(data)
    if form == "list":
        return data.tolist()
    if form == "ragged":
        return [[0.5], [0.5, 0.5]]
    return data


def _round(x, decimals=0):
    return np.round(x, decimals)


def _axis(x, axis):
    """numpy's ndarray.sum and PyTorch take axis 0 or -1 on a 0-d array (np.mean does not): so do we."""
    return None if np.ndim(x) == 0 and axis in (0, -1) else axis


def _reduction(fn):
    return lambda x, axis=None, keepdims=False: fn(x, axis=_axis(x, axis), keepdims=keepdims)


def _softmax_ref(fn):
    return lambda x, axis=-1: fn(x, axis=_axis(x, axis))


def _clamped_log(v):
    """PyTorch's BCE log: clamped below at -100, and -100 where v <= 0."""
    return np.where(v > 0, np.maximum(np.log(np.where(v > 0, v, 1)), -100), -100)


def _bce(p, t):
    return -(t * _clamped_log(p) + (1 - t) * _clamped_log(1 - p))


def _log_softmax(x, axis):
    return scipy.special.log_softmax(x, axis=_axis(x, axis))


UNARY = {
    "abs": np.abs,
    "absolute": np.absolute,
    "acos": np.arccos,
    "acosh": np.arccosh,
    "arccos": np.arccos,
    "arccosh": np.arccosh,
    "arcsin": np.arcsin,
    "arcsinh": np.arcsinh,
    "arctan": np.arctan,
    "arctanh": np.arctanh,
    "asin": np.arcsin,
    "asinh": np.arcsinh,
    "atan": np.arctan,
    "atanh": np.arctanh,
    "ceil": np.ceil,
    "cos": np.cos,
    "cosh": np.cosh,
    "erf": scipy.special.erf,
    "exp": np.exp,
    "exp2": np.exp2,
    "expm1": np.expm1,
    "fix": np.fix,
    "floor": np.floor,
    "log": np.log,
    "log10": np.log10,
    "log1p": np.log1p,
    "log2": np.log2,
    "log_sigmoid": scipy.special.log_expit,
    "neg": np.negative,
    "reciprocal": np.reciprocal,
    "relu": lambda x: np.maximum(x, 0),
    "round": _round,
    "sigmoid": scipy.special.expit,
    "sign": np.sign,
    "sin": np.sin,
    "sinh": np.sinh,
    "softplus": lambda x: np.logaddexp(x, 0),
    "sqrt": np.sqrt,
    "square": np.square,
    "tan": np.tan,
    "tanh": np.tanh,
    "trunc": np.trunc,
    "as_value": np.asarray,
    "flatten": lambda x: np.reshape(x, -1),
    "transpose": np.transpose,
    "squeeze": np.squeeze,
}
BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "power": np.power,
    "pow": np.power,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "arctan2": np.arctan2,
    "atan2": np.arctan2,
    "hypot": np.hypot,
    "logaddexp": np.logaddexp,
    "logaddexp2": np.logaddexp2,
    "remainder": np.remainder,
    "mod": np.remainder,
    "fmod": np.fmod,
    "floor_divide": np.floor_divide,
    "matmul": np.matmul,
    "binary_cross_entropy": _bce,
    "sigmoid_cross_entropy": lambda x, t: (1 - t) * x + np.logaddexp(0, -x),
    "softmax_cross_entropy": lambda x, q: -np.sum(np.broadcast_to(q, x.shape) * _log_softmax(x, -1), axis=_axis(x, -1)),
}
# name -> (numpy reference, strategy of (operands, params))
CALLS = {name: (ref, st.tuples(operand()).map(lambda a: (a, {}))) for name, ref in UNARY.items()}
CALLS.update({name: (ref, st.tuples(operand(), operand()).map(lambda a: (a, {}))) for name, ref in BINARY.items()})
_axes = st.sampled_from([None, 0, -1, 1])
_kd = st.booleans()
for _name, _fn in [("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min), ("prod", np.prod)]:
    CALLS[_name] = (
        _reduction(_fn),
        st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": _axes, "keepdims": _kd})),
    )
for _name, _fn in [("cumsum", np.cumsum), ("cumprod", np.cumprod)]:
    CALLS[_name] = (_fn, st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": _axes})))
for _name, _fn in [("var", np.var), ("std", np.std)]:
    CALLS[_name] = (
        lambda x, axis, keepdims, ddof, fn=_fn: fn(x, axis=_axis(x, axis), keepdims=keepdims, ddof=ddof),
        st.tuples(
            st.tuples(operand()),
            st.fixed_dictionaries({"axis": _axes, "keepdims": _kd, "ddof": st.sampled_from([0, 1])}),
        ),
    )
_orders = st.sampled_from([None, 1, np.inf])


def _norm(x, ord, axis, keepdims):  # noqa: A002
    """numpy's norm; axis 0 or -1 of a 0-d array is a vector norm of its one entry (as PyTorch)."""
    if np.ndim(x) == 0 and axis in (0, -1):
        return np.linalg.norm(np.reshape(x, 1), ord, 0, False)
    return np.linalg.norm(x, ord, axis, keepdims)


CALLS["norm"] = (
    _norm,
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"ord": _orders, "axis": _axes, "keepdims": _kd})),
)
CALLS["vector_norm"] = (
    lambda x, ord, axis: np.linalg.vector_norm(x, ord=2 if ord is None else ord, axis=_axis(x, axis)),  # noqa: A006
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"ord": _orders, "axis": _axes})),
)
CALLS["matrix_norm"] = (
    lambda x, ord: np.linalg.matrix_norm(x, ord="fro" if ord is None else ord),  # noqa: A006
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"ord": _orders})),
)
CALLS["logsumexp"] = (
    _reduction(lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": _axes, "keepdims": _kd})),
)
CALLS["softmax"] = (
    _softmax_ref(scipy.special.softmax),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": _axes})),
)
CALLS["log_softmax"] = (_log_softmax, st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": _axes})))
CALLS["round"] = (_round, st.tuples(st.tuples(operand()), st.fixed_dictionaries({"decimals": st.sampled_from([0, 1])})))
_conditions = st.sampled_from(
    [True, np.array(False), [True, False], [[False, True, True]], np.array([True, False, True])]
)
CALLS["where"] = (
    lambda c, x, y: np.where(c, x, y),
    st.tuples(st.tuples(_conditions, operand(), operand()), st.just({})),
)
CALLS["clip"] = (
    lambda x, lo, hi: np.clip(x, lo, hi),
    st.tuples(st.tuples(operand(), operand(), operand()), st.just({})),
)
CALLS["tensordot"] = (
    np.tensordot,
    st.tuples(st.tuples(operand(), operand()), st.fixed_dictionaries({"axes": st.sampled_from([0, 1])})),
)
CALLS["einsum"] = (
    np.einsum,
    st.tuples(st.tuples(st.just("...i,...i->..."), operand(), operand()), st.just({})),
)
CALLS["linear"] = (
    lambda x, w, b: np.broadcast_to(x @ w.T + b, (x @ w.T).shape) if np.ndim(w) == 2 else _refuse("2-d weight"),
    st.tuples(st.tuples(operand(), operand(), operand()), st.just({})),
)
CALLS["reshape"] = (
    np.reshape,
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"shape": st.sampled_from([(-1,), (1, -1), ()])})),
)
CALLS["unsqueeze"] = (
    np.expand_dims,
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": st.sampled_from([0, -1])})),
)
CALLS["expand_dims"] = CALLS["unsqueeze"]
CALLS["squeeze"] = (
    lambda x, axis=None: np.asarray(x).squeeze(axis),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"axis": st.sampled_from([None, 0, -1])})),
)
CALLS["swapaxes"] = (
    lambda x, a, b: np.swapaxes(x, a, b),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"a": st.sampled_from([0, -1]), "b": st.just(0)})),
)
CALLS["broadcast_to"] = (
    np.broadcast_to,
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"shape": st.sampled_from([(2, 3), (3,)])})),
)
_pair_list = st.tuples(st.lists(operand(), min_size=1, max_size=3))
CALLS["concatenate"] = (
    lambda xs, axis=0: np.concatenate([_np(x) for x in xs], axis=axis),
    st.tuples(_pair_list, st.fixed_dictionaries({"axis": st.sampled_from([0, -1])})),
)
CALLS["stack"] = (
    lambda xs, axis=0: np.stack([_np(x) for x in xs], axis=axis),
    st.tuples(_pair_list, st.fixed_dictionaries({"axis": st.sampled_from([0, -1])})),
)
CALLS["pad"] = (
    np.pad,
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"pad_width": st.sampled_from([1, (0, 1)])})),
)
CALLS["getitem"] = (
    lambda x, index: np.asarray(x)[index],
    st.tuples(
        st.tuples(operand()), st.fixed_dictionaries({"index": st.sampled_from([0, -1, [0], [[0], [0, 1]], (0, 0), ()])})
    ),
)
CALLS["softmax_nll"] = (
    lambda x, target: (
        -np.take_along_axis(_log_softmax(x, -1), np.broadcast_to(target, x.shape[:-1])[..., None], -1)[..., 0]
        if np.shape(target) == x.shape[:-1]
        else _refuse("one target per row")
    ),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"target": st.sampled_from([0, [0, 0], np.array([0, 1])])})),
)
CALLS["sliding_windows"] = (
    lambda x, window_shape: np.lib.stride_tricks.sliding_window_view(x, window_shape, axis=-1),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"window_shape": st.sampled_from([1, 2])})),
)


def _fold_ref(x, shape, window_shape):
    """Windows of length ``window_shape`` (stride 1) over a 1-d array of ``shape`` added back."""
    n = shape[0] - window_shape + 1
    if np.shape(x) != (n, window_shape):
        raise ValueError("not the windows of shape")
    out = np.zeros(shape)
    for i in range(n):
        out[i : i + window_shape] += x[i]
    return out


CALLS["fold"] = (
    _fold_ref,
    st.tuples(
        st.tuples(operand()),
        st.sampled_from([{"shape": (4,), "window_shape": 3}, {"shape": (3,), "window_shape": 3}]),
    ),
)
CALLS["window_max"] = (
    lambda x, nwin: np.max(x, axis=tuple(range(-nwin, 0))) if np.ndim(x) >= 2 * nwin else _refuse("layout"),
    st.tuples(st.tuples(operand()), st.fixed_dictionaries({"nwin": st.sampled_from([1, 2])})),
)


def _refuse(why):
    """A reference refusing what numpy has no twin for but the op's definition excludes."""
    raise ValueError(why)


CALLS.update(operand_forms_select.calls(operand, _axis, _refuse))
CALLS.update(operand_forms_arrange.calls(operand, _axis, _refuse))
CALLS.update(operand_forms_join.calls(operand, _np, _refuse))
CALLS.update(operand_forms_stats.calls(operand, _axis, _refuse))


def _values(out):
    """The values of PyTorch-style ``(values, indices)`` results (sort, topk, ...), else out itself."""
    return out[0] if isinstance(out, tuple) else out


def _public_ops():
    return sorted(
        name
        for name, obj in vars(ag).items()
        if not name.startswith("_")
        and (isinstance(obj, ag.Op) or getattr(obj, "__module__", "").startswith("autograd_core.ops."))
        and getattr(obj, "__module__", "") != "autograd_core.ops.registry"
    )


def test_every_public_op_is_swept():
    """A new public op joins this sweep: add it to UNARY, BINARY or CALLS with its numpy reference."""
    assert sorted(set(_public_ops()) - set(CALLS)) == []


RAW = {
    "concatenate",
    "stack",
} | operand_forms_join.RAW  # their one operand is a list of operands: the reference converts each


def _call_numpy(name, ref, args, params):
    with np.errstate(all="ignore"):
        try:
            return ref(*(a if isinstance(a, str) or name in RAW else _np(a) for a in args), **params), None
        except Exception as err:  # numpy (or the reference) refuses the call
            return None, err


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_operand_forms_match_numpy(name, data):
    ref, strategy = CALLS[name]
    args, params = data.draw(strategy)
    want, refused = _call_numpy(name, ref, args, params)
    op = getattr(ag, name)
    with np.errstate(all="ignore"):
        try:
            got = _values(op(*args, **params))
        except AutogradError as err:
            assert refused is not None, f"ag.{name}{args, params}: numpy gives {want!r}, ours raised {err!r}"
            named = str(err).split(":")[0]
            assert named in ag.REGISTRY or named in (name, getattr(op, "__name__", None)), f"error names no op: {err}"
            return
        except Exception as err:
            pytest.fail(f"ag.{name}{args, params} leaked {type(err).__name__}: {err} (numpy: {refused or want!r})")
    assert refused is None, f"ag.{name}{args, params}: numpy refuses ({refused!r}) but ours gave {got!r}"
    assert isinstance(got, Value)
    assert got.shape == np.shape(want), f"ag.{name}{args, params}: shape {got.shape}, numpy {np.shape(want)}"
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", sorted(CALLS))
@given(data=st.data())
def test_a_list_holding_values_keeps_the_gradient(name, data):
    """An operand given as a list holding one Value per row is stacked by a recorded op: the same
    value and the same gradient as the stacked Value, never a constant."""
    _, strategy = CALLS[name]
    args, params = data.draw(strategy)
    op = getattr(ag, name)
    operands = list(args[0]) if name in RAW else list(args)
    assume(not any(a == [[0.5], [0.5, 0.5]] for a in operands if isinstance(a, list)))  # ragged: swept above
    arrays = [a if isinstance(a, str) else np.asarray(_np(a)) for a in operands]
    picked = [i for i, a in enumerate(arrays) if not isinstance(a, str) and a.dtype.kind == "f" and a.ndim >= 1]
    assume(picked)
    k = picked[0]

    def call(*xs):
        return op(list(xs), **params) if name in RAW else op(*xs, **params)

    whole = [a if isinstance(a, str) or a.dtype.kind != "f" else Value(a) for a in arrays]
    rows = [Value(r) for r in arrays[k]]
    split = list(whole)
    split[k] = rows
    with np.errstate(all="ignore"):
        try:
            out = _values(call(*whole))
        except AutogradError:
            with pytest.raises(AutogradError):
                call(*split)
            return
        out_split = _values(call(*split))
    np.testing.assert_allclose(out_split.data, out.data, rtol=1e-12, atol=1e-12, equal_nan=True)
    if not out.requires_grad:
        return
    cot = np.random.default_rng(0).standard_normal(out.shape)
    want = ag.gradients((out * cot).sum(), [whole[k]], allow_unused=True)[0]
    got = ag.gradients((out_split * cot).sum(), rows, allow_unused=True)
    want = np.zeros(arrays[k].shape) if want is None else want.data
    got = np.stack([np.zeros(r.shape) if g is None else g.data for g, r in zip(got, rows)])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_the_issues_instances():
    """Python numbers to reductions, flatten, relu and matmul; 0-d squeeze and axis=-1; ragged index."""
    for fn, want in [(ag.sum, 3.0), (ag.mean, 3.0), (ag.max, 3.0), (ag.min, 3.0), (ag.flatten, [3.0]), (ag.relu, 3.0)]:
        out = fn(3.0)
        assert isinstance(out, Value) and out.dtype == np.float64
        np.testing.assert_array_equal(out.data, want)
    assert ag.matmul([1.0, 2.0], [3.0, 4.0]).item() == 11.0
    with pytest.raises(ag.ShapeError, match="matmul"):
        ag.matmul(2.0, 3.0)  # numpy refuses too
    s = Value(2.0)
    for out in (s.squeeze(0), s.squeeze(-1), s.sum(-1), s.max(axis=-1), s.mean(0), ag.logsumexp(s, axis=-1)):
        assert out.shape == () and out.item() == 2.0
    s.sum(-1).backward()
    assert s.grad == 1.0
    with pytest.raises(ag.IndexingError, match="ragged"):
        Value(np.ones(2))[[[0], [0, 1]]]


def test_option_errors_are_ours():
    x = Value(np.array([0.5, -1.0]))
    np.testing.assert_array_equal(ag.clip(x).data, x.data)  # no bounds: numpy's identity
    with pytest.raises(ag.DTypeError, match="round"):
        ag.round(x, decimals=0.5)
    with pytest.raises(ag.ArgumentError, match="softmax_nll"):
        ag.softmax_nll(Value(np.ones((2, 3))), target=[0, 1], reduction="avg")
