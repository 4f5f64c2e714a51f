"""Every loss against PyTorch float64 (values, input and target gradients, every reduction, weights)
and central finite differences (first and second derivatives) over hypothesis-drawn layouts."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

import nn.functional as F
from autograd_core import Value
from autograd_core.testing import arrays, assert_gradients_match, shapes

FEW = max(5, settings.default.max_examples // 3)
REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def _t(a):
    return None if a is None else torch.tensor(a)


def compare(ours, theirs, diff, const=(), kw=None, tkw=None, rtol=1e-10):
    """ours(*Values, *const, **kw) vs theirs(*tensors, *const tensors, **tkw): value and grads of ``diff``."""
    kw = kw or {}
    vs = [Value(a) for a in diff]
    ts = [torch.tensor(a, requires_grad=True) for a in diff]
    out = ours(*vs, *const, **kw)
    ref = theirs(*ts, *(torch.tensor(c) for c in const), **(kw if tkw is None else tkw))
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=rtol, atol=1e-13)
    g = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    for v, t in zip(vs, ts):
        np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=rtol, atol=1e-13)


# -- regression losses ------------------------------------------------------------------------------


@st.composite
def pairs(draw, kink=None):
    shape = draw(shapes(min_dims=0, max_dims=3, max_side=4))
    x = draw(arrays(shape))
    d = draw(arrays(shape, min_value=-2.0, max_value=2.0, away_from=kink or (), margin=0.05))
    return x, x - d  # target = x - d keeps x - target = d away from the kinks


@pytest.mark.parametrize(
    "name, kw, kinks",
    [
        ("mse_loss", {}, None),
        ("l1_loss", {}, (0,)),
        ("huber_loss", {"delta": 0.7}, (0, -0.7, 0.7)),
        ("smooth_l1_loss", {"beta": 0.5}, (0, -0.5, 0.5)),
        ("smooth_l1_loss", {"beta": 0.0}, (0,)),
    ],
)
@given(data=st.data(), reduction=REDUCTIONS, weighted=st.booleans())
def test_regression_losses_match_pytorch(name, kw, kinks, data, reduction, weighted):
    x, t = data.draw(pairs(kinks))
    kw = dict(kw, reduction=reduction)
    if weighted and name != "smooth_l1_loss":
        w = np.abs(data.draw(arrays(x.shape))) + 0.1
        kw["weight"] = w
        tkw = dict(kw, weight=torch.tensor(w))
    else:
        tkw = kw
    compare(getattr(F, name), getattr(TF, name), [x, t], kw=kw, tkw=tkw)


@pytest.mark.parametrize(
    "name, kw, kinks", [("mse_loss", {}, None), ("l1_loss", {}, (0,)), ("huber_loss", {}, (0, -1, 1))]
)
@settings(max_examples=FEW)
@given(data=st.data())
def test_regression_losses_finite_differences(name, kw, kinks, data):
    x, t = data.draw(pairs(kinks))
    assert_gradients_match(lambda a, b: getattr(F, name)(a, b, **kw), x, t, second_order=True)


def test_l1_gradient_at_equal_values_is_zero():
    x = Value(np.array([1.0, 2.0]))
    F.l1_loss(x, np.array([1.0, 3.0]), reduction="sum").backward()
    np.testing.assert_array_equal(x.grad, [0.0, -1.0])


def test_regression_losses_broadcast_with_a_warning_like_pytorch():
    with pytest.warns(UserWarning, match="different to the input size"):
        out = F.mse_loss(np.zeros((3, 2)), np.ones(2))
    assert out.item() == 1.0


# -- binary cross-entropy ---------------------------------------------------------------------------


@st.composite
def binary_inputs(draw, probs):
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=4))
    x = draw(arrays(shape, min_value=0.02, max_value=0.98)) if probs else draw(arrays(shape, min_value=-6, max_value=6))
    t = draw(arrays(shape, min_value=0.0, max_value=1.0))
    return x, t, shape


@given(data=st.data(), reduction=REDUCTIONS, weighted=st.booleans())
def test_bce_matches_pytorch(data, reduction, weighted):
    p, t, shape = data.draw(binary_inputs(True))
    w = data.draw(arrays(shape[-1:], min_value=0.1, max_value=2.0)) if weighted else None
    kw = {"weight": w, "reduction": reduction}
    compare(F.binary_cross_entropy, TF.binary_cross_entropy, [p], const=[t], kw=kw, tkw=dict(kw, weight=_t(w)))


@given(data=st.data(), reduction=REDUCTIONS, weighted=st.booleans(), pos=st.booleans())
def test_bce_with_logits_matches_pytorch(data, reduction, weighted, pos):
    x, t, shape = data.draw(binary_inputs(False))
    w = data.draw(arrays(shape[-1:], min_value=0.1, max_value=2.0)) if weighted else None
    pw = data.draw(arrays(shape[-1:], min_value=0.2, max_value=3.0)) if pos else None
    kw = {"weight": w, "reduction": reduction, "pos_weight": pw}
    # the target is differentiable too, as in PyTorch
    compare(
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        [x, t],
        kw=kw,
        tkw=dict(kw, weight=_t(w), pos_weight=_t(pw)),
    )


@settings(max_examples=FEW)
@given(data=st.data(), pos=st.booleans())
def test_binary_losses_finite_differences(data, pos):
    p, t, shape = data.draw(binary_inputs(True))
    assert_gradients_match(F.binary_cross_entropy, p, t, second_order=True)
    pw = np.linspace(0.5, 2.0, shape[-1]) if pos else None
    assert_gradients_match(
        lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw), (p - 0.5) * 8, t, second_order=True
    )


# -- cross-entropy and nll --------------------------------------------------------------------------


@st.composite
def class_inputs(draw, probs=False):
    """Logits in one of the layouts (C,), (N, C), (N, C, d1), (N, C, d1, d2) and matching targets."""
    layout = draw(st.integers(0, 3))
    c = draw(st.integers(1, 4))
    shape = (
        (c,)
        if layout == 0
        else (draw(st.integers(1, 3)), c) + tuple(draw(st.integers(1, 3)) for _ in range(layout - 1))
    )
    x = draw(arrays(shape, min_value=-4, max_value=4))
    tshape = shape[:1][:0] if layout == 0 else shape[:1] + shape[2:]
    if probs:
        t = draw(arrays(shape, min_value=0.0, max_value=1.0))
        t = t / np.maximum(t.sum(axis=0 if layout == 0 else 1, keepdims=True), 1e-3)
    else:
        t = np.asarray(draw(arrays(tshape, dtype=np.int64, min_value=0, max_value=c - 1)))
    return x, t, c


@given(
    data=st.data(),
    reduction=REDUCTIONS,
    weighted=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.1, 0.5]),
    ignore=st.booleans(),
)
def test_cross_entropy_with_class_indices_matches_pytorch(data, reduction, weighted, smoothing, ignore):
    x, t, c = data.draw(class_inputs())
    w = data.draw(arrays((c,), min_value=0.1, max_value=2.0)) if weighted else None
    kw = {"weight": w, "reduction": reduction, "label_smoothing": smoothing}
    if ignore and t.size > 1:
        t = t.copy()
        t.flat[0] = -100  # the default ignore_index
    if ignore and t.size > 1 and reduction == "mean" and (t == -100).all():
        return
    compare(F.cross_entropy, TF.cross_entropy, [x], const=[t], kw=kw, tkw=dict(kw, weight=_t(w)))


@given(data=st.data(), reduction=REDUCTIONS, weighted=st.booleans(), smoothing=st.sampled_from([0.0, 0.2]))
def test_cross_entropy_with_probabilities_matches_pytorch(data, reduction, weighted, smoothing):
    x, t, c = data.draw(class_inputs(probs=True))
    w = data.draw(arrays((c,), min_value=0.1, max_value=2.0)) if weighted else None
    kw = {"weight": w, "reduction": reduction, "label_smoothing": smoothing}
    compare(F.cross_entropy, TF.cross_entropy, [x, t], kw=kw, tkw=dict(kw, weight=_t(w)))


@given(data=st.data(), reduction=REDUCTIONS, weighted=st.booleans(), ignore_index=st.sampled_from([-100, 0, 2]))
def test_nll_loss_matches_pytorch(data, reduction, weighted, ignore_index):
    x, t, c = data.draw(class_inputs())
    w = data.draw(arrays((c,), min_value=0.1, max_value=2.0)) if weighted else None
    if reduction == "mean" and (t == ignore_index).all():
        return  # 0/0: NaN in both (tested separately)
    kw = {"weight": w, "reduction": reduction, "ignore_index": ignore_index}
    compare(F.nll_loss, TF.nll_loss, [x], const=[t], kw=kw, tkw=dict(kw, weight=_t(w)))


@settings(max_examples=FEW)
@given(data=st.data(), probs=st.booleans(), smoothing=st.sampled_from([0.0, 0.1]), ignore=st.booleans())
def test_cross_entropy_finite_differences(data, probs, smoothing, ignore):
    x, t, c = data.draw(class_inputs(probs=probs))
    w = np.linspace(0.5, 1.5, c)
    if probs:
        assert_gradients_match(
            lambda a, b: F.cross_entropy(a, b, weight=w, label_smoothing=smoothing), x, t, second_order=True
        )
        return
    if ignore and t.size > 1:
        t = t.copy()
        t.flat[0] = -100
    # smoothing 0 takes the fused gathering op (softmax_nll), 0.1 the one-hot form (softmax_cross_entropy)
    assert_gradients_match(lambda a: F.cross_entropy(a, t, weight=w, label_smoothing=smoothing), x, second_order=True)
    assert_gradients_match(lambda a: F.nll_loss(a, t, weight=w), x, second_order=True)
