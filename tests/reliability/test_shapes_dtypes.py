"""Shapes and dtypes: empty tensors and zero-size batches, the max of nothing, float16/float32 kept
through ops and gradients, and integer/bool/object inputs refused or computed with clear messages."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import AutogradError, DTypeError, ShapeError, Value
from autograd_core.ops import special
from nn import functional as F


@pytest.fixture
def strict():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


# -- empty tensors and zero-size batches ------------------------------------------------------------

LOSSES = {
    "mse": lambda y: F.mse_loss(y, np.zeros(y.shape)),
    "l1": lambda y: F.l1_loss(y, np.zeros(y.shape)),
    "cross_entropy": lambda y: F.cross_entropy(y, np.zeros((0,), dtype=np.int64)),
    "nll": lambda y: F.nll_loss(F.log_softmax(y, dim=1), np.zeros((0,), dtype=np.int64)),
    "bce": lambda y: F.binary_cross_entropy(y.sigmoid(), np.zeros(y.shape)),
    "bce_with_logits": lambda y: F.binary_cross_entropy_with_logits(y, np.zeros(y.shape)),
}


@pytest.mark.parametrize("loss_name", list(LOSSES))
@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
def test_zero_size_batch_through_linear_relu_and_losses(strict, loss_name, reduction):
    """Documented results: sum -> 0, mean -> NaN (as PyTorch), none -> an empty array;
    parameter gradients are zeros of the parameters' shapes, never NaN."""
    model = nn.Sequential(nn.Linear(3, 4, dtype=np.float64, seed=0), nn.ReLU(), nn.Linear(4, 2, dtype=np.float64))
    y = model(np.zeros((0, 3)))
    assert y.shape == (0, 2) and y.dtype == np.float64
    fn = LOSSES[loss_name]
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):  # 0/0 is the documented NaN
        warnings.simplefilter("ignore", UserWarning)
        kw = {"reduction": reduction}
        loss = {
            "mse": lambda: F.mse_loss(y, np.zeros(y.shape), **kw),
            "l1": lambda: F.l1_loss(y, np.zeros(y.shape), **kw),
            "cross_entropy": lambda: F.cross_entropy(y, np.zeros((0,), dtype=np.int64), **kw),
            "nll": lambda: F.nll_loss(F.log_softmax(y, dim=1), np.zeros((0,), dtype=np.int64), **kw),
            "bce": lambda: F.binary_cross_entropy(y.sigmoid(), np.zeros(y.shape), **kw),
            "bce_with_logits": lambda: F.binary_cross_entropy_with_logits(y, np.zeros(y.shape), **kw),
        }[loss_name]()
    assert fn is LOSSES[loss_name]
    if reduction == "sum":
        assert loss.shape == () and loss.item() == 0.0
    elif reduction == "mean":
        assert loss.shape == () and np.isnan(loss.item())
    else:
        assert loss.size == 0
    target = loss.sum() if reduction == "none" else loss
    if reduction == "mean":
        return  # NaN loss: its gradient is not meaningful (PyTorch gives NaN too)
    target.backward()
    for p in model.parameters():
        assert p.grad.shape == p.shape
        np.testing.assert_array_equal(p.grad, np.zeros(p.shape))


def test_empty_tensor_ops_and_gradients(strict):
    x = Value(np.zeros((0, 3)))
    outs = [
        x.sum(),
        x.sum(axis=0),
        x.relu().sum(axis=1),
        (x * 2 + 1).exp().sum(),
        x.reshape(3, 0).T.sum(),
        (x @ np.ones((3, 2))).sum(),
        F.softmax(x, dim=1).sum(),
        x.logsumexp(axis=1).sum(),
        x.max(axis=1).sum(),  # reducing over a non-empty axis of an empty array is fine
        ag.concatenate([x, x]).sum(),
    ]
    assert outs[0].item() == 0.0 and outs[1].shape == (3,)
    total = sum((o.sum() for o in outs[1:]), outs[0])
    total.backward()
    assert x.grad.shape == (0, 3)
    assert x.logsumexp(axis=0).data.tolist() == [-np.inf] * 3  # log of an empty sum
    assert np.isnan(x.mean().item()) and x.mean(axis=1).shape == (0,)


@pytest.mark.parametrize(
    "call",
    [
        lambda v: v.max(),
        lambda v: v.min(),
        lambda v: ag.max(v),
        lambda v: ag.min(v, axis=0),
        lambda v: v.max(axis=-1, keepdims=True),
        lambda v: v.reshape(0, 1).max(axis=0),
    ],
)
def test_max_of_an_empty_array_gives_our_error(call):
    with pytest.raises(ShapeError) as info:
        call(Value(np.zeros((0,))))
    msg = str(info.value)
    assert "empty" in msg and "(0" in msg and ("max" in msg or "min" in msg)
    assert isinstance(info.value, ValueError)  # still catchable the numpy way


# -- float16 / float32 ---------------------------------------------------------------------------------

DTYPE_OPS = {
    "add": lambda a: a + a,
    "number left": lambda a: 2.0 + a,
    "sub int": lambda a: a - 1,
    "mul": lambda a: a * 3,
    "div": lambda a: a / 2,
    "rdiv": lambda a: 1 / (a + 3),
    "pow 2": lambda a: a**2,
    "pow 0.5": lambda a: (a * a + 1) ** 0.5,
    "pow Value": lambda a: (a * a + 1) ** a,
    "exp": ag.exp,
    "log": lambda a: ag.log(a * a + 1),
    "sqrt": lambda a: ag.sqrt(a * a + 1),
    "abs": abs,
    "tanh": ag.tanh,
    "sigmoid": ag.sigmoid,
    "relu": ag.relu,
    "max": lambda a: a.max(),
    "min axis": lambda a: a.min(axis=0),
    "sum": lambda a: a.sum(),
    "mean": lambda a: a.mean(axis=1),
    "logsumexp": lambda a: a.logsumexp(axis=1),
    "softmax": lambda a: special.softmax(a, axis=1),
    "log_softmax": lambda a: special.log_softmax(a),
    "softplus": special.softplus,
    "log_sigmoid": special.log_sigmoid,
    "erf": special.erf,
    "expm1": special.expm1,
    "log1p": lambda a: special.log1p(a * a),
    "matmul": lambda a: a @ a.T,
    "einsum": lambda a: ag.einsum("ij,kj->ik", a, a),
    "tensordot": lambda a: ag.tensordot(a, a, axes=2),
    "getitem": lambda a: a[[0, 0, 1]],
    "reshape": lambda a: a.reshape(-1),
    "T": lambda a: a.T,
    "pad": lambda a: ag.pad(a, [(1, 1), (0, 2)]),
    "concatenate": lambda a: ag.concatenate([a, a]),
    "stack": lambda a: ag.stack([a, a]),
    "where": lambda a: ag.where(a.data > 0, a, 0.0),
    "maximum": lambda a: ag.maximum(a, 0.5),
    "clip": lambda a: a.clip(-0.5, 0.5),
    "broadcast_to": lambda a: a.broadcast_to((4, 2, 3)),
    "mse": lambda a: F.mse_loss(a, np.zeros(a.shape, a.dtype)),
    "cross_entropy": lambda a: F.cross_entropy(a, np.array([0, 2])),
    "bce_with_logits": lambda a: F.binary_cross_entropy_with_logits(a, np.ones(a.shape, a.dtype)),
    "bce": lambda a: F.binary_cross_entropy(a.sigmoid(), np.ones(a.shape, a.dtype)),
    "linear": lambda a: nn.Linear(3, 4, dtype=a.dtype, seed=0)(a),
    "gelu": F.gelu,
    "silu": F.silu,
    "layer_norm": lambda a: F.layer_norm(a, (3,)),
    "numpy array operand": lambda a: a * np.ones(3, dtype=a.dtype),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=["float16", "float32"])
@pytest.mark.parametrize("name", list(DTYPE_OPS))
def test_low_precision_keeps_its_dtype_through_ops_and_grads(dtype, name):
    x = Value(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = DTYPE_OPS[name](x)
        (y * 1).sum().backward()
    assert y.dtype == dtype, y.dtype
    assert x.grad.dtype == dtype and x.grad.shape == x.shape
    assert np.isfinite(x.grad).all()


@pytest.mark.parametrize(
    "other", [Value(2.0, requires_grad=False), np.float64(2.0), np.array(2.0)], ids=["Value", "np.float64", "0-d"]
)
def test_float64_arrays_and_numpy_scalars_promote_like_numpy(other):
    """Documented: Python numbers are weak (float32 stays float32); float64 numpy scalars, 0-d arrays
    and Values are strong, as in numpy 2 (NEP 50), so the result is float64. The leaf's gradient keeps
    the leaf's dtype either way."""
    x = Value(np.ones(3, dtype=np.float32))
    y = x * other
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32


# -- integer, bool and object inputs ------------------------------------------------------------------


@pytest.mark.parametrize("data", [np.array([1, 2]), np.array([True, False]), np.array([1, 2], dtype=np.uint8)])
def test_integer_and_bool_values_are_constants(data):
    v = Value(data)
    assert not v.requires_grad and v.dtype == data.dtype
    with pytest.raises(DTypeError, match="floating-point"):
        Value(data, requires_grad=True)
    with pytest.raises(DTypeError, match="floating-point"):
        v.requires_grad_()
    w = Value(np.array([0.5, 1.5]))
    (w * v).sum().backward()  # as constants they mix freely with float Values
    np.testing.assert_array_equal(w.grad, data.astype(np.float64))


def test_python_int_lists_become_float64_leaves():
    assert Value([1, 2]).dtype == np.float64 and Value([1, 2]).requires_grad
    assert Value(3).dtype == np.float64 and Value(True).dtype == np.bool_


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1, 2], dtype=object),
        np.array(["a", "b"]),
        np.array([1 + 2j]),
        np.array(["2020-01-01"], dtype="datetime64[D]"),
        [object()],
        "text",
    ],
    ids=["object", "str", "complex", "datetime", "list of objects", "str scalar"],
)
def test_unsupported_dtypes_are_refused_with_our_error(bad):
    with pytest.raises(DTypeError, match=r"dtype|unsupported"):
        Value(bad)


HOSTILE_OPERANDS = {
    "object array": np.array([1.0, 2.0], dtype=object),
    "str array": np.array(["a", "b"]),
    "complex array": np.array([1j, 2.0]),
    "datetime": np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
    "None": None,
    "dict": {},
    "str": "a",
    "set": {1.0},
}
BINARY_USES = {
    "+": lambda a, b: a + b,
    "radd": lambda a, b: b + a,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
    "@": lambda a, b: a @ b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "maximum": ag.maximum,
    "minimum": ag.minimum,
    "where": lambda a, b: ag.where(a.data > 0, a, b),
    "concatenate": lambda a, b: ag.concatenate([a, b]),
    "stack": lambda a, b: ag.stack([a, b]),
    "clip": lambda a, b: a.clip(b, None),
    "mse": lambda a, b: F.mse_loss(a, b),
    "einsum": lambda a, b: ag.einsum("i,i->", a, b),
}


def _raised_by_us(err):
    tb = err.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    path = tb.tb_frame.f_code.co_filename.replace("\\", "/")
    return "/autograd_core/" in path or "/nn/" in path


@pytest.mark.parametrize("left", ["float", "int", "bool"])
@pytest.mark.parametrize("operand", list(HOSTILE_OPERANDS))
def test_hostile_operands_raise_our_errors_never_numpys(left, operand):
    """Every combination either computes or raises an AutogradError subclass (a TypeError or
    ValueError too); numpy's UFuncTypeError and bare TypeErrors never reach the user."""
    a = Value({"float": np.array([1.0, 2.0]), "int": np.array([1, 2]), "bool": np.array([True, False])}[left])
    b = HOSTILE_OPERANDS[operand]
    for name, use in BINARY_USES.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = use(a, b)
        except AutogradError:
            continue
        except (TypeError, ValueError) as err:
            # argument validation of our own (e.g. clip(None, None)) may raise plain errors; numpy's may not
            assert _raised_by_us(err), f"{name} with {operand}: {type(err).__name__} from numpy leaked: {err}"
            continue
        if isinstance(out, Value):
            assert out.dtype.kind in "fiub", (name, out.dtype)
        else:
            assert isinstance(out, (np.ndarray, np.bool_)), (name, type(out))  # comparisons: plain bools


INT_OPS = {
    "+": lambda v: v + v,
    "-": lambda v: v - 1,
    "*": lambda v: v * 2,
    "/": lambda v: v / 2,
    "**": lambda v: v**2,
    "neg": lambda v: -v,
    "abs": abs,
    "exp": ag.exp,
    "tanh": ag.tanh,
    "sigmoid": ag.sigmoid,
    "softplus": special.softplus,
    "log_sigmoid": special.log_sigmoid,
    "softmax": lambda v: special.softmax(v),
    "logsumexp": lambda v: v.logsumexp(),
    "sum": lambda v: v.sum(),
    "mean": lambda v: v.mean(),
    "max": lambda v: v.max(),
    "getitem": lambda v: v[::-1],
    "reshape": lambda v: v.reshape(2, 1),
    "@": lambda v: v @ v,
    "relu": ag.relu,
}


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
@pytest.mark.parametrize("name", list(INT_OPS))
def test_integer_inputs_compute_what_numpy_computes_on_floats(dtype, name):
    """Integer data gives the value the same op gives on the equal float data (float-valued functions
    return numpy's float type for the integer dtype); nothing wraps around or truncates to 0."""
    v = Value(np.array([1, 2], dtype=dtype))
    f = Value(np.array([1.0, 2.0]), requires_grad=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got, want = INT_OPS[name](v), INT_OPS[name](f)
    if name == "neg" and dtype == np.uint8:
        np.testing.assert_array_equal(got.data, [255, 254])  # integer arithmetic wraps, as numpy does
        return
    assert not got.requires_grad
    tol = 2e-3 if got.dtype == np.float16 else 1e-7
    np.testing.assert_allclose(got.data.astype(np.float64), want.data, rtol=tol)


@pytest.mark.parametrize(
    "call, kind",
    [
        (lambda: Value(np.array([True])) - Value(np.array([True])), DTypeError),
        (lambda: -Value(np.array([True])), DTypeError),
        (lambda: Value(np.array([1, 2])) ** -1, AutogradError),
        (lambda: Value(np.ones(3)) + np.ones(4), ShapeError),
        (lambda: Value(np.ones((2, 3))) @ np.ones((2, 3)), ShapeError),
        (lambda: Value(np.ones(3))[5], ag.IndexingError),
        (lambda: Value(np.ones(3)).reshape(2, 2), ShapeError),
        (lambda: Value(np.ones(3)).sum(axis=3), ShapeError),
    ],
    ids=["bool minus", "bool neg", "int negative power", "broadcast", "matmul", "index", "reshape", "axis"],
)
def test_clear_errors_name_the_op_and_shapes(call, kind):
    with pytest.raises(kind) as info:
        call()
    assert isinstance(info.value, AutogradError)
    assert len(str(info.value)) > 20
