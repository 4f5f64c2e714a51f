"""The margin, embedding and likelihood losses (and pairwise_distance) against PyTorch float64
(values and gradients of every argument PyTorch differentiates, every reduction and option) and
central finite differences (first and second order) over hypothesis-drawn batch and feature sizes."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd_core import Value
from autograd_core.testing import assert_gradients_match

FEW = max(5, settings.default.max_examples // 3)
REDUCTIONS = ["mean", "sum", "none"]


def _signs(rng, *shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def _case(name, n, c, rng, opt):
    """(diff arrays, const arrays, kwargs) for loss ``name``; ``opt`` an integer choosing options."""
    r = lambda *s: rng.uniform(-2, 2, s)
    if name == "margin_ranking_loss":
        return [r(n), r(n), _signs(rng, n)], [], {"margin": [0.0, 0.5][opt % 2]}
    if name == "hinge_embedding_loss":
        return [r(n, c)], [_signs(rng, n, c)], {"margin": [1.0, 0.3][opt % 2]}
    if name == "soft_margin_loss":
        return [r(n, c)], [_signs(rng, n, c)], {}
    if name == "multilabel_soft_margin_loss":
        diff = [r(n, c), rng.random((n, c))] + ([rng.uniform(0.5, 2, c)] if opt % 2 else [])
        return diff, [], {}
    if name == "cosine_embedding_loss":
        return [r(n, c), r(n, c)], [_signs(rng, n)], {"margin": [0.0, 0.3][opt % 2]}
    if name == "multi_margin_loss":
        kw = {"p": 1 + opt % 2, "margin": [1.0, 0.5][opt // 2 % 2]}
        const = [rng.integers(0, c + 1, n)]
        if opt // 4 % 2:
            kw["weight"] = rng.uniform(0.5, 2, c + 1)
        return [r(n, c + 1)], const, kw
    if name == "triplet_margin_loss":
        kw = {"p": [2, 1, 3][opt % 3], "swap": bool(opt // 3 % 2), "margin": [1.0, 0.5][opt // 6 % 2]}
        return [r(n, c), r(n, c), r(n, c)], [], kw
    if name == "pairwise_distance":
        return [r(n, c), r(n, c)], [], {"p": [2.0, 1.0, np.inf][opt % 3], "keepdim": bool(opt // 3 % 2)}
    if name == "poisson_nll_loss":
        log_input, full = bool(opt % 2), bool(opt // 2 % 2)
        x = r(n, c) if log_input else rng.uniform(0.2, 3, (n, c))
        return (
            [x, rng.integers(0, 5, (n, c)).astype(float) + rng.random((n, c)) * 0.5],
            [],
            {
                "log_input": log_input,
                "full": full,
            },
        )
    if name == "gaussian_nll_loss":
        var = [rng.uniform(0.1, 2, (n, c)), rng.uniform(0.1, 2, n), rng.uniform(0.1, 2, (n, 1))][opt % 3]
        return [r(n, c), r(n, c), var], [], {"full": bool(opt // 3 % 2)}
    raise KeyError(name)


NAMES = [
    "cosine_embedding_loss",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multi_margin_loss",
    "multilabel_soft_margin_loss",
    "pairwise_distance",
    "poisson_nll_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
]


def _call(name, args, kw, torch_side):
    fn = getattr(TF if torch_side else F, name)
    if name == "multilabel_soft_margin_loss" and len(args) == 3:
        return fn(args[0], args[1], weight=args[2], **kw)
    if torch_side and "weight" in kw:
        kw = dict(kw, weight=torch.tensor(kw["weight"]))
    return fn(*args, **kw)


@pytest.mark.parametrize("name", NAMES)
@given(
    n=st.integers(1, 4), c=st.integers(1, 4), seed=st.integers(0, 2**16), opt=st.integers(0, 11), red=st.integers(0, 2)
)
def test_matches_pytorch_float64(name, n, c, seed, opt, red):
    rng = np.random.default_rng(seed)
    diff, const, kw = _case(name, n, c, rng, opt)
    if name != "pairwise_distance":
        kw["reduction"] = REDUCTIONS[red]
    vs = [Value(a) for a in diff]
    ts = [torch.tensor(a, requires_grad=True) for a in diff]
    out = _call(name, vs + const, kw, False)
    ref = _call(name, ts + [torch.tensor(a) for a in const], kw, True)
    assert out.shape == tuple(ref.shape) and out.dtype == np.float64
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-13)
    g = rng.standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    for k, (v, t) in enumerate(zip(vs, ts)):
        want = np.zeros(v.shape) if t.grad is None else t.grad.numpy()
        got = np.zeros(v.shape) if v.grad is None else v.grad
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=f"{name}: gradient {k}")


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=FEW)
@given(n=st.integers(1, 3), c=st.integers(1, 3), seed=st.integers(0, 2**16), opt=st.integers(0, 11))
def test_first_and_second_derivatives_match_finite_differences(name, n, c, seed, opt):
    diff, const, kw = _case(name, n, c, np.random.default_rng(seed), opt)
    if name == "triplet_margin_loss":
        kw["swap"] = False  # min(d_neg, d_swap) has a kink where they are equal
    assert_gradients_match(lambda *vs: _call(name, list(vs) + const, kw, False), *diff, second_order=True)


RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}


def test_finite_at_1000_and_at_zero_distances():
    big = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    pm = np.array([[1.0, 1.0], [-1.0, 1.0]])
    with np.errstate(**RAISE):
        calls = {
            "soft_margin_loss": lambda x: F.soft_margin_loss(x, pm),  # PyTorch: inf
            "multilabel_soft_margin_loss": lambda x: F.multilabel_soft_margin_loss(x, (pm + 1) / 2),
            "margin_ranking_loss": lambda x: F.margin_ranking_loss(x, -x, pm),
            "hinge_embedding_loss": lambda x: F.hinge_embedding_loss(x, pm),
            "cosine_embedding_loss": lambda x: F.cosine_embedding_loss(x, np.zeros((2, 2)), np.array([1, -1])),
            "multi_margin_loss": lambda x: F.multi_margin_loss(x, np.array([0, 1])),
            "triplet_margin_loss": lambda x: F.triplet_margin_loss(x, x, x, swap=True),  # every distance eps
            "pairwise_distance": lambda x: F.pairwise_distance(x, x + 1e-6).sum(),  # differences exactly 0
            "poisson_nll_loss": lambda x: F.poisson_nll_loss(x * (big < 0.0), np.full((2, 2), 3.0), full=True),
            "gaussian_nll_loss": lambda x: F.gaussian_nll_loss(x, -x, np.zeros((2, 2))),  # var clamped to eps
        }
        for name, call in calls.items():
            v = Value(big)
            out = call(v)
            out.backward()
            assert np.isfinite(out.data).all() and np.isfinite(v.grad).all(), name
    v = Value(big)
    F.soft_margin_loss(v, pm, reduction="sum").backward()
    np.testing.assert_allclose(F.soft_margin_loss(big, pm, reduction="none").data, [[0, 1000], [0, 0]])
    np.testing.assert_allclose(v.grad, [[0, -1], [0, 0]])


def test_gaussian_var_shapes_and_clamp_follow_pytorch():
    x, t = np.random.default_rng(0).standard_normal((2, 3, 4))
    for var in [np.full((3, 4), 0.5), np.full(3, 0.5), np.full((3, 1), 0.5), np.full((1, 4), 0.5), 0.5]:
        v = var if isinstance(var, float) else Value(var)
        out = F.gaussian_nll_loss(x, t, v)
        ref = TF.gaussian_nll_loss(
            torch.tensor(x), torch.tensor(t), var if isinstance(var, float) else torch.tensor(var)
        )
        np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-12)
    for bad in [np.ones(4), np.ones((2, 2)), np.ones((1, 1))]:
        with pytest.raises(ValueError, match="incorrect size"):
            F.gaussian_nll_loss(x, t, bad)
    with pytest.raises(ValueError, match="negative"):
        F.gaussian_nll_loss(x, t, -np.ones((3, 4)))
    v = Value(np.array([0.0, 1e-8, 1.0]))  # below eps: clamped, the gradient passes as the identity
    F.gaussian_nll_loss(np.zeros(3), np.ones(3), v, reduction="sum").backward()
    np.testing.assert_allclose(v.grad, 0.5 * (1 / np.array([1e-6, 1e-6, 1.0]) - 1 / np.array([1e-12, 1e-12, 1.0])))


def test_unbatched_layouts_match_pytorch_shapes():
    x = np.array([0.3, 1.2, -0.5])
    for target in [np.array(1), np.array([1])]:
        out = F.multi_margin_loss(x, target, reduction="none")
        ref = TF.multi_margin_loss(torch.tensor(x), torch.tensor(target), reduction="none")
        assert out.shape == tuple(ref.shape)
        np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-12)
    for name, args in [
        ("triplet_margin_loss", (x, 2 * x, 3 * x)),
        ("cosine_embedding_loss", (x, 2 * x, np.array(1.0))),
    ]:
        out = getattr(F, name)(*args, reduction="none")
        ref = getattr(TF, name)(*(torch.tensor(a) for a in args), reduction="none")
        assert out.shape == tuple(ref.shape)
        np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-9, atol=1e-15)


def test_losses_at_their_kinks_take_pytorchs_derivative():
    # multi_margin_loss counts a term only where it is positive: derivative 0 at margin - x[y] + x[i] = 0
    x = Value(np.array([[1.0, 0.0, 0.0]]))
    F.multi_margin_loss(x, np.array([0])).backward()
    np.testing.assert_array_equal(x.grad, 0.0)
    # the hinges of margin_ranking / hinge_embedding pass the gradient at 0 (clamp_min's backward)
    x = Value(np.array([1.0, 0.5]))
    F.hinge_embedding_loss(x, np.array([-1.0, -1.0]), reduction="sum").backward()
    np.testing.assert_array_equal(x.grad, [-1.0, -1.0])


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: F.multi_margin_loss(np.zeros((2, 3)), np.array([0, 1]), p=3), ValueError, "p == 1 and p == 2"),
        (lambda: F.multi_margin_loss(np.zeros((2, 3)), np.array([0, 3])), IndexError, "out of range"),
        (lambda: F.multi_margin_loss(np.zeros((2, 3)), np.array([0.0, 1.0])), TypeError, "integer"),
        (lambda: F.multi_margin_loss(np.zeros((2, 3)), np.array([0, 1]), weight=np.ones(2)), ValueError, r"\(3,\)"),
        (lambda: F.triplet_margin_loss(np.zeros((2, 3)), np.zeros(3), np.zeros((2, 3))), ValueError, "dimensions"),
        (lambda: F.triplet_margin_loss(np.zeros(3), np.zeros(3), np.zeros(3), margin=0.0), ValueError, "margin"),
        (lambda: F.margin_ranking_loss(np.zeros(2), np.zeros(2), np.zeros((1, 2))), ValueError, "dimensions"),
        (
            lambda: F.cosine_embedding_loss(np.zeros((2, 3)), np.zeros((2, 3)), np.ones(3).reshape(1, 3)),
            ValueError,
            "target",
        ),
        (lambda: F.multilabel_soft_margin_loss(np.zeros((2, 3)), np.zeros((2, 2))), ValueError, "shape"),
        (lambda: F.soft_margin_loss(np.zeros(2), Value(np.ones(2))), TypeError, "target is not differentiable"),
        (lambda: F.poisson_nll_loss(np.zeros(2), np.zeros(2), reduction="avg"), ValueError, "reduction"),
        (lambda: F.gaussian_nll_loss(np.zeros(2), np.zeros(2), 1.0, reduction="avg"), ValueError, "reduction"),
        (lambda: nn.MultiMarginLoss(p=3), ValueError, "p == 1"),
        (lambda: nn.TripletMarginLoss(margin=-1.0), ValueError, "margin"),
    ],
)
def test_clear_errors(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_modules_equal_functional_and_keep_weights_as_buffers():
    rng = np.random.default_rng(4)
    a, b, c = rng.standard_normal((3, 2, 4))
    pm = np.array([1.0, -1.0])
    cases = [
        (
            nn.MarginRankingLoss(0.5, reduction="sum"),
            (a[:, 0], b[:, 0], pm),
            lambda: F.margin_ranking_loss(a[:, 0], b[:, 0], pm, 0.5, reduction="sum"),
        ),
        (nn.HingeEmbeddingLoss(0.3), (a, np.ones((2, 4))), lambda: F.hinge_embedding_loss(a, np.ones((2, 4)), 0.3)),
        (nn.SoftMarginLoss(), (a, np.ones((2, 4))), lambda: F.soft_margin_loss(a, np.ones((2, 4)))),
        (
            nn.MultiLabelSoftMarginLoss(np.arange(1.0, 5.0)),
            (a, np.ones((2, 4))),
            lambda: F.multilabel_soft_margin_loss(a, np.ones((2, 4)), np.arange(1.0, 5.0)),
        ),
        (nn.CosineEmbeddingLoss(0.2), (a, b, pm), lambda: F.cosine_embedding_loss(a, b, pm, 0.2)),
        (
            nn.MultiMarginLoss(2, 0.5, np.ones(4)),
            (a, np.array([1, 3])),
            lambda: F.multi_margin_loss(a, np.array([1, 3]), 2, 0.5, np.ones(4)),
        ),
        (
            nn.TripletMarginLoss(0.5, 1.0, swap=True),
            (a, b, c),
            lambda: F.triplet_margin_loss(a, b, c, 0.5, 1.0, swap=True),
        ),
        (
            nn.PoissonNLLLoss(False, True),
            (np.abs(a), np.abs(b) * 3),
            lambda: F.poisson_nll_loss(np.abs(a), np.abs(b) * 3, False, True),
        ),
        (nn.GaussianNLLLoss(full=True), (a, b, np.ones(2)), lambda: F.gaussian_nll_loss(a, b, np.ones(2), full=True)),
        (nn.PairwiseDistance(1.0, keepdim=True), (a, b), lambda: F.pairwise_distance(a, b, 1.0, keepdim=True)),
    ]
    for module, args, fn in cases:
        np.testing.assert_array_equal(module(*args).data, fn().data)
    assert list(nn.MultiMarginLoss(weight=np.ones(3)).state_dict()) == ["weight"]
    assert list(nn.MultiLabelSoftMarginLoss(weight=np.ones(3)).state_dict()) == ["weight"]
    assert repr(nn.PairwiseDistance()) == "PairwiseDistance()" and repr(nn.SoftMarginLoss()) == "SoftMarginLoss()"


EMPTY = {  # z (N, 3) float -> the arguments, labels and targets of matching N and dtype
    "margin_ranking_loss": lambda z: (z[:, 0], z[:, 1], np.ones(len(z), z.dtype)),
    "hinge_embedding_loss": lambda z: (z, -np.ones_like(z)),
    "soft_margin_loss": lambda z: (z, np.ones_like(z)),
    "multilabel_soft_margin_loss": lambda z: (z, np.ones_like(z)),
    "cosine_embedding_loss": lambda z: (z, z[::-1], -np.ones(len(z))),
    "multi_margin_loss": lambda z: (z, np.zeros(len(z), dtype=int)),
    "triplet_margin_loss": lambda z: (z, z * 2, z[::-1]),
    "poisson_nll_loss": lambda z: (z, np.ones_like(z)),
    "gaussian_nll_loss": lambda z: (z, z * 2, np.ones_like(z)),
}


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_float32_stays_float32_and_empty_batches_follow_the_convention(name):
    x = np.random.default_rng(0).uniform(0.1, 2, (2, 3)).astype(np.float32)
    args = EMPTY[name](x)
    v = Value(np.array(args[0]))
    out = getattr(F, name)(v, *args[1:])
    out.backward()
    assert out.dtype == np.float32 and v.grad.dtype == np.float32
    empty = EMPTY[name](np.zeros((0, 3)))
    assert np.isnan(getattr(F, name)(*empty).data)  # a mean over nothing is NaN, a sum 0 (README)
    assert getattr(F, name)(*empty, reduction="sum").data == 0
