"""nn.functional's compositions (activations, losses, normalisation) at their special points: 0, +-inf,
+-1000, kinks and bounds (equal bounds too), with a zero, a unit and a mixed cotangent, against
PyTorch where PyTorch is right and against the maths where it is not. Every public function of
those modules has an entry: a new one fails here until it declares its points.

The engine's primitives have their own sweep (tests/autograd_core/ops/test_special_points.py).
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd_core as ag
import nn.functional as F
from autograd_core import Value
from nn.functional import activations, activations_extra, losses, normalization

INF = np.inf
EDGES = np.array([0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 1000.0, -1000.0, INF, -INF])
FINITE = EDGES[np.isfinite(EDGES)]


def torch_case(ours, theirs, inputs, rtol=1e-10, **kw):
    """ours(*Values, **kw) against theirs(*tensors, **kw): value and gradients of every float input."""
    return ("torch", ours, theirs, [np.array(x, dtype=np.float64) for x in inputs], kw, rtol)


def maths_case(ours, inputs, value, grads, **kw):
    """ours(*Values) against the maths: its value and the Jacobian of each float input."""
    return ("maths", ours, (value, grads), [np.array(x, dtype=np.float64) for x in inputs], kw, 1e-10)


def _rows(*rows):
    return np.array(rows, dtype=np.float64)


# each entry: name -> list of cases; names come from the modules' __all__ (see the coverage test)
CASES = {
    "sigmoid": [torch_case(F.sigmoid, torch.sigmoid, [EDGES])],
    "tanh": [torch_case(F.tanh, torch.tanh, [EDGES])],
    "relu": [
        torch_case(F.relu, TF.relu, [EDGES]),
        torch_case(
            lambda x: F.relu(x, max_value=1.0),
            lambda x: torch.where((x > 0) & (x < 1), x, torch.clamp(x, 0, 1).detach()),
            [EDGES],
        ),
    ],
    "leaky_relu": [torch_case(F.leaky_relu, TF.leaky_relu, [EDGES])],
    "relu6": [torch_case(F.relu6, TF.relu6, [np.r_[EDGES, 6.0, 6.5]])],
    "hardtanh": [
        torch_case(F.hardtanh, TF.hardtanh, [EDGES]),
        torch_case(
            lambda x: F.hardtanh(x, 0.5, 0.5), lambda x: TF.hardtanh(x, 0.5, 0.5), [np.r_[EDGES, 0.5]]
        ),  # equal bounds: constant, gradient 0 everywhere
    ],
    "prelu": [torch_case(F.prelu, TF.prelu, [EDGES, [0.25]])],
    "elu": [torch_case(F.elu, TF.elu, [EDGES])],
    "selu": [torch_case(F.selu, TF.selu, [EDGES])],
    "celu": [torch_case(F.celu, TF.celu, [EDGES])],
    "softplus": [
        torch_case(F.softplus, TF.softplus, [EDGES]),
        torch_case(
            lambda x: F.softplus(x, 2.0, 20.0), lambda x: TF.softplus(x, 2.0, 20.0), [[10.0, 10.5, 9.5, INF, -INF]]
        ),
    ],
    # x * f(x) at -inf is -inf * 0 (NaN in PyTorch too, documented in the README): finite edges only
    "silu": [torch_case(F.silu, TF.silu, [FINITE])],
    "swish": [torch_case(lambda x: F.swish(x, 2.0), lambda x: x * torch.sigmoid(2.0 * x), [FINITE])],
    "gelu": [
        torch_case(F.gelu, TF.gelu, [FINITE]),
        torch_case(lambda x: F.gelu(x, "tanh"), lambda x: TF.gelu(x, approximate="tanh"), [FINITE]),
    ],
    "mish": [torch_case(F.mish, TF.mish, [FINITE])],
    # PyTorch's backward multiplies by 1/6 as a float32 constant: agreement to float32 there
    "hardsigmoid": [torch_case(F.hardsigmoid, TF.hardsigmoid, [np.r_[EDGES, 3.0, -3.0]], rtol=1e-7)],
    "hardswish": [
        torch_case(F.hardswish, TF.hardswish, [np.r_[EDGES[:-1], 3.0, -3.0]], rtol=1e-7),
        maths_case(F.hardswish, [[-INF, -3.0]], [0.0, 0.0], [np.zeros((2, 2))]),  # PyTorch: -inf * 0 = NaN at -inf
    ],
    "mpelu": [torch_case(lambda x: F.mpelu(x, 1.0, 1.0), TF.elu, [EDGES])],  # alpha = beta = 1 is ELU
    "maxout": [
        maths_case(lambda x: F.maxout(x, 2), [[INF, INF, -INF, 0.0]], [INF, 0.0], [[[0.5, 0.5, 0, 0], [0, 0, 0, 1]]]),
    ],
    "softmax": [
        torch_case(
            lambda x: F.softmax(x, dim=1),
            lambda x: torch.softmax(x, 1),
            [_rows([0.0, -INF, 1.0], [1000.0, -1000.0, 0.0])],
        ),
        maths_case(lambda x: F.softmax(x, dim=0), [[INF, 0.0]], [1.0, 0.0], [np.zeros((2, 2))]),  # the limit
    ],
    "softmin": [torch_case(lambda x: F.softmin(x, dim=1), lambda x: TF.softmin(x, 1), [_rows([0.0, INF, 1.0])])],
    "log_softmax": [
        torch_case(lambda x: F.log_softmax(x, dim=1), lambda x: torch.log_softmax(x, 1), [_rows([0.0, -INF, 1.0])])
    ],
    "log_sigmoid": [torch_case(F.log_sigmoid, TF.logsigmoid, [EDGES])],
    "logsigmoid": [torch_case(F.logsigmoid, TF.logsigmoid, [EDGES])],
    "hardshrink": [torch_case(F.hardshrink, TF.hardshrink, [np.r_[EDGES, 0.5, -0.5]])],  # 0 at +-lambd
    "softshrink": [
        torch_case(F.softshrink, TF.softshrink, [np.r_[EDGES, 0.5, -0.5]]),
        torch_case(lambda x: F.softshrink(x, 0.0), lambda x: TF.softshrink(x, 0.0), [EDGES]),
    ],
    "tanhshrink": [torch_case(F.tanhshrink, TF.tanhshrink, [EDGES])],
    # PyTorch's x / (1 + |x|) is NaN at +-inf; the limits are +-1 with derivative 0
    "softsign": [
        torch_case(F.softsign, TF.softsign, [np.r_[FINITE, 1e300, -1e300]]),
        maths_case(F.softsign, [[INF, -INF, 0.0]], [1.0, -1.0, 0.0], [np.diag([0.0, 0.0, 1.0])]),
    ],
    "threshold": [
        torch_case(lambda x: F.threshold(x, 1.0, -5.0), lambda x: TF.threshold(x, 1.0, -5.0), [EDGES]),
    ],
    "rrelu": [
        torch_case(F.rrelu, TF.rrelu, [EDGES]),  # eval: leaky_relu with the mean slope
        torch_case(lambda x: F.rrelu(x, 0.2, 0.2, training=True), lambda x: TF.leaky_relu(x, 0.2), [EDGES]),
    ],
    "glu": [torch_case(lambda x: F.glu(x, 0), lambda x: TF.glu(x, 0), [EDGES])],
    # -- losses --------------------------------------------------------------------------------
    "mse_loss": [torch_case(F.mse_loss, TF.mse_loss, [FINITE, FINITE[::-1]])],
    "l1_loss": [torch_case(F.l1_loss, TF.l1_loss, [[0.0, 1.0, -1.0], [0.0, 1.0, 2.0]])],  # |d| at d = 0: 0
    "huber_loss": [torch_case(F.huber_loss, TF.huber_loss, [[0.0, 1.0, -1.0, 3.0, 1000.0], [0.0, 0.0, 0.0, 2.0, 0.0]])],
    "smooth_l1_loss": [
        torch_case(F.smooth_l1_loss, TF.smooth_l1_loss, [[0.0, 1.0, -1.0, 1000.0], [0.0, 0.0, 0.0, 0.0]]),
        torch_case(
            lambda x, t: F.smooth_l1_loss(x, t, beta=0.0),
            lambda x, t: TF.smooth_l1_loss(x, t, beta=0.0),
            [[0.0, 1.0, -1.0], [0.0, 0.0, 0.0]],
        ),
    ],
    # the maths of the clamped loss: its t-derivative uses the same clamped logs (PyTorch's rule for p
    # is ours; its t-derivative is unclamped, inf at p = 0 and 1, inconsistent with its own forward)
    "binary_cross_entropy": [
        maths_case(
            F.binary_cross_entropy,
            [[0.0, 1.0, 0.5, 1e-300], [0.0, 1.0, 0.5, 0.0]],
            np.log(2) / 4,
            [[0, 0, 0, 1e-300 / 4 / float(np.float32(1e-12))], [25, -25, 0, 25]],
        )
    ],
    # at x = +-inf PyTorch's value is (1 - t) * inf = NaN even where the loss is 0 (t = 1 at +inf)
    "binary_cross_entropy_with_logits": [
        maths_case(
            lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=np.array([2.0])),
            [[0.0, 1000.0, -1000.0, INF, -INF], [0.5, 1.0, 0.0, 1.0, 0.0]],
            1.5 * np.log(2) / 5,
            [[-0.05, 0, 0, 0, 0], [np.log(2) / 5, -200, 400, -INF, INF]],
        ),
        torch_case(
            lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=np.array([0.5])),
            lambda x, t: TF.binary_cross_entropy_with_logits(x, t, pos_weight=torch.tensor([0.5], dtype=torch.float64)),
            [[0.0, 1000.0, -1000.0, 3.0], [0.5, 1.0, 0.0, 0.25]],
        ),
    ],
    "cross_entropy": [
        torch_case(
            lambda x: F.cross_entropy(x, np.array([0, 1])),
            lambda x: TF.cross_entropy(x, torch.tensor([0, 1])),
            [_rows([0.0, -INF, 1.0], [1000.0, 0.0, -1000.0])],
        ),
        torch_case(
            lambda x: F.cross_entropy(x, np.array([0, 2]), label_smoothing=0.1),
            lambda x: TF.cross_entropy(x, torch.tensor([0, 2]), label_smoothing=0.1),
            [_rows([0.0, -1000.0, 1.0], [1000.0, 0.0, -1000.0])],
        ),
    ],
    "nll_loss": [
        torch_case(
            lambda x: F.nll_loss(x, np.array([0, 1])),
            lambda x: TF.nll_loss(x, torch.tensor([0, 1])),
            [_rows([0.0, -INF], [-INF, 0.0])],
        )
    ],
    # -- normalisation: constant inputs (variance 0) and the zero vector ------------------------------
    "batch_norm": [
        torch_case(
            lambda x: F.batch_norm(x, None, None, training=True),
            lambda x: TF.batch_norm(x, None, None, training=True),
            [np.full((3, 2), 5.0)],
        )
    ],
    "layer_norm": [
        torch_case(lambda x: F.layer_norm(x, (3,)), lambda x: TF.layer_norm(x, (3,)), [np.full((2, 3), -7.0)])
    ],
    "group_norm": [
        torch_case(lambda x: F.group_norm(x, 1), lambda x: TF.group_norm(x, 1), [np.full((2, 2, 3), 1000.0)])
    ],
    "instance_norm": [torch_case(F.instance_norm, TF.instance_norm, [np.full((2, 2, 3), 0.0)])],
    "rms_norm": [  # the zero vector: eps alone under the root (the dtype's eps by default, as PyTorch)
        torch_case(lambda x: F.rms_norm(x, (3,)), lambda x: TF.rms_norm(x, (3,)), [np.zeros((2, 3))]),
        torch_case(
            lambda x: F.rms_norm(x, (3,)), lambda x: TF.rms_norm(x, (3,)), [_rows([1e-300, 0, 0], [1e300, 1, 0])]
        ),
    ],
    "local_response_norm": [
        torch_case(
            lambda x: F.local_response_norm(x, 2), lambda x: TF.local_response_norm(x, 2), [np.zeros((1, 3, 2))]
        ),
        torch_case(
            lambda x: F.local_response_norm(x, 3), lambda x: TF.local_response_norm(x, 3), [np.full((1, 3, 2), 1e3)]
        ),
    ],
    "normalize": [
        torch_case(F.normalize, TF.normalize, [np.zeros((2, 3))]),  # max(norm, eps): the norm's branch is unselected
        torch_case(lambda x: F.normalize(x, p=1.0), lambda x: TF.normalize(x, p=1.0), [_rows([0.0, 0.0], [3.0, -4.0])]),
        torch_case(lambda x: F.normalize(x, p=INF), lambda x: TF.normalize(x, p=INF), [_rows([0.0, 0.0], [3.0, -4.0])]),
        torch_case(
            lambda x: F.normalize(x, p=-INF), lambda x: TF.normalize(x, p=-INF), [_rows([1.0, 2.0], [3.0, -4.0])]
        ),
        torch_case(lambda x: F.normalize(x, p=0), lambda x: TF.normalize(x, p=0), [_rows([0.0, 0.0], [3.0, 0.0])]),
    ],
}
COVERED_ELSEWHERE = {"batch_norm_stats": "batch_norm in training mode is batch_norm_stats"}


def test_every_public_function_declares_special_points():
    public = set(activations.__all__) | set(activations_extra.__all__) | set(losses.__all__)
    public |= set(normalization.__all__)
    missing = sorted(public - set(CASES) - set(COVERED_ELSEWHERE))
    assert not missing, f"declare special points in tests/nn/test_functional_special_points.py for: {missing}"


def _cotangents(shape):
    n = int(np.prod(shape, dtype=np.int64))
    return {
        "zero": np.zeros(shape),
        "unit": np.ones(shape),
        "mixed": np.resize([1.5, -0.5, 2.0, 0.0, -1.0], n).reshape(shape),
    }


def _ours(fn, inputs, cot, kw):
    vs = [Value(x) for x in inputs]
    with np.errstate(all="ignore"):
        out = fn(*vs, **kw)
        grads = ag.gradients(out, vs, cot, allow_unused=True)
    return out.data, [np.zeros(v.shape) if g is None else g.data for v, g in zip(vs, grads)]


def _theirs(fn, inputs, cot, kw):
    ts = [torch.tensor(x, requires_grad=True) for x in inputs]
    out = fn(*ts, **kw)
    grads = torch.autograd.grad(out, ts, torch.from_numpy(cot), allow_unused=True)
    return out.detach().numpy(), [np.zeros(t.shape) if g is None else g.numpy() for t, g in zip(ts, grads)]


def _vjp(cot, jac):
    """c . J by broadcasting and summing, so that 0 * inf stays NaN (BLAS may skip zeros)."""
    with np.errstate(invalid="ignore"):
        return (cot.reshape(cot.shape + (1,) * (jac.ndim - cot.ndim)) * jac).sum(axis=tuple(range(cot.ndim)))


IDS = [(name, i) for name in sorted(CASES) for i in range(len(CASES[name]))]


@pytest.mark.parametrize(("name", "i"), IDS, ids=[f"{n}-{i}" for n, i in IDS])
def test_special_points(name, i):
    mode, ours, ref, inputs, kw, rtol = CASES[name][i]
    with np.errstate(all="ignore"):
        shape = ours(*[Value(x) for x in inputs], **kw).shape
    for kind, cot in _cotangents(shape).items():
        value, grads = _ours(ours, inputs, cot, kw)
        if mode == "torch":
            want_value, want = _theirs(ref, inputs, cot, kw)
        else:
            want_value, jacobians = ref
            want = [_vjp(cot, np.asarray(j, dtype=np.float64)) for j in jacobians]
        what = f"{name} case {i} at {[x.tolist() for x in inputs]}, {kind} cotangent"
        np.testing.assert_allclose(value, want_value, rtol=rtol, atol=1e-12, equal_nan=True, err_msg=f"value: {what}")
        for k, (g, w) in enumerate(zip(grads, want)):
            np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-12, equal_nan=True, err_msg=f"gradient {k}: {what}")
