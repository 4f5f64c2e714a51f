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
from nn.functional import (
    activations,
    activations_extra,
    losses,
    losses_embedding,
    losses_likelihood,
    losses_margin,
    normalization,
)

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
    # hinges at their kinks (z = 0): the gradient passes, as PyTorch's clamp_min backward
    "margin_ranking_loss": [
        torch_case(
            lambda a, b, y: F.margin_ranking_loss(a, b, y, margin=0.5),
            lambda a, b, y: TF.margin_ranking_loss(a, b, y, margin=0.5),
            [[0.5, -0.5, 1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.5], [1.0, -1.0, 1.0, -1.0, -1.0]],
        )
    ],
    "hinge_embedding_loss": [
        torch_case(
            lambda x: F.hinge_embedding_loss(x, np.array([-1.0, -1.0, -1.0, -1.0, 1.0, 1.0])),
            lambda x: TF.hinge_embedding_loss(x, torch.tensor([-1.0, -1.0, -1.0, -1.0, 1.0, 1.0])),
            [[1.0, 0.5, 1000.0, -1000.0, 0.0, 2.0]],
        )
    ],
    # PyTorch's log1p(exp(-y x)) is inf at -y x = 1000; softplus gives 1000 and the limits at +-inf
    "soft_margin_loss": [
        torch_case(
            lambda x: F.soft_margin_loss(x, np.array([1.0, -1.0, 1.0])),
            lambda x: TF.soft_margin_loss(x, torch.tensor([1.0, -1.0, 1.0])),
            [[0.0, 0.0, 30.0]],
        ),
        maths_case(
            lambda x: F.soft_margin_loss(x, np.ones(5), reduction="none"),
            [[1000.0, -1000.0, INF, -INF, 0.0]],
            [0.0, 1000.0, 0.0, INF, np.log(2)],
            [np.diag([0.0, -1.0, 0.0, -1.0, -0.5])],
        ),
    ],
    "multilabel_soft_margin_loss": [
        torch_case(
            F.multilabel_soft_margin_loss,
            TF.multilabel_soft_margin_loss,
            [_rows([0.0, 1000.0, -1000.0]), _rows([0.5, 1.0, 0.0])],
        ),
        # PyTorch: 0 * log(sigmoid(-inf)) = NaN; the loss is 0, its target-derivative -x / C
        maths_case(
            F.multilabel_soft_margin_loss, [_rows([INF, -INF]), _rows([1.0, 0.0])], 0.0, [[[0.0, 0.0]], [[-INF, INF]]]
        ),
    ],
    # beside a zero vector the gradient is huge (x2 / 1e-6 |x2|) and PyTorch's differs from the exact
    # derivative of its own forward in the ninth digit (ours is exact there): rtol 1e-8
    "cosine_embedding_loss": [
        torch_case(
            lambda a, b: F.cosine_embedding_loss(a, b, np.array([1, -1, -1, 1])),
            lambda a, b: TF.cosine_embedding_loss(a, b, torch.tensor([1, -1, -1, 1])),
            [
                _rows([0.0, 0.0], [1.0, 0.0], [1000.0, -1000.0], [0.0, 0.0]),
                _rows([0.0, 0.0], [0.0, 1.0], [1000.0, 1000.0], [3.0, 4.0]),
            ],
            rtol=1e-8,
        )
    ],
    "multi_margin_loss": [
        torch_case(
            lambda x: F.multi_margin_loss(x, np.array([0, 1])),
            lambda x: TF.multi_margin_loss(x, torch.tensor([0, 1])),
            [_rows([1.0, 0.0, 0.0], [1000.0, -1000.0, 2000.0])],
        ),
        torch_case(
            lambda x: F.multi_margin_loss(x, np.array([2]), p=2, margin=0.5),
            lambda x: TF.multi_margin_loss(x, torch.tensor([2]), p=2, margin=0.5),
            [_rows([0.0, 0.5, 0.5])],
        ),
    ],
    # zero distances: the difference x1 - x2 + eps is exactly 0 in the first row (norm gradient 0)
    "pairwise_distance": [
        torch_case(
            F.pairwise_distance,
            TF.pairwise_distance,
            [_rows([0.0, 0.0], [1000.0, -1000.0]), _rows([1e-6, 1e-6], [0.0, 0.0])],
        ),
        torch_case(
            lambda a, b: F.pairwise_distance(a, b, 1.0),
            lambda a, b: TF.pairwise_distance(a, b, 1.0),
            [_rows([0.0, 0.0]), _rows([1e-6, 1e-6])],
        ),
    ],
    "triplet_margin_loss": [
        torch_case(
            F.triplet_margin_loss, TF.triplet_margin_loss, [np.zeros((2, 3)), np.zeros((2, 3)), np.ones((2, 3))]
        ),
        torch_case(  # swap with d(a, n) = d(p, n): the tie shares the gradient, as PyTorch's minimum
            lambda a, p, n: F.triplet_margin_loss(a, p, n, swap=True),
            lambda a, p, n: TF.triplet_margin_loss(a, p, n, swap=True),
            [np.zeros((2, 3)), np.zeros((2, 3)), np.full((2, 3), 0.2)],
        ),
    ],
    "poisson_nll_loss": [
        torch_case(F.poisson_nll_loss, TF.poisson_nll_loss, [[0.0, -1000.0, 5.0], [0.0, 1.0, 0.5]]),
        torch_case(
            lambda x, t: F.poisson_nll_loss(x, t, log_input=False),
            lambda x, t: TF.poisson_nll_loss(x, t, log_input=False),
            [[0.0, 1.0, 1000.0], [0.0, 1.0, 2.0]],
        ),
        torch_case(
            lambda x, t: F.poisson_nll_loss(x, t, full=True),
            lambda x, t: TF.poisson_nll_loss(x, t, full=True),
            [[1.0, 2.0, 1.0], [1.0, 2.0, 0.5]],
        ),
        # at t = 0 PyTorch's target-gradient is 0 * log(0) = NaN; Stirling's term is 0 there, so it is -x
        maths_case(
            lambda x, t: F.poisson_nll_loss(x, t, full=True), [[0.5], [0.0]], np.exp(0.5), [[np.exp(0.5)], [-0.5]]
        ),
    ],
    # var 0 and var below eps are clamped to eps; the gradient passes the clamp as in PyTorch
    "gaussian_nll_loss": [
        torch_case(
            F.gaussian_nll_loss,
            TF.gaussian_nll_loss,
            [[0.0, 1000.0, 1.0, 2.0], [0.0, 0.0, 1.0, -2.0], [0.0, 1.0, 1e-7, 1e-6]],
        ),
        torch_case(
            lambda x, t, v: F.gaussian_nll_loss(x, t, v, full=True),
            lambda x, t, v: TF.gaussian_nll_loss(x, t, v, full=True),
            [_rows([0.0, 1.0], [2.0, 3.0]), _rows([1.0, 1.0], [1.0, 1.0]), [0.0, 2.0]],
        ),
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
    public |= set(losses_embedding.__all__) | set(losses_likelihood.__all__) | set(losses_margin.__all__)
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
