"""Losses at the extremes (+-1000, +-inf logits, probabilities exactly 0 and 1) under np.errstate(raise),
the softmax - onehot gradient, reduction semantics, empty batches, clear errors and the Module forms."""

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as TF

import nn
import nn.functional as F
from autograd_core import DTypeError, IndexingError, ShapeError, Value

RAISE = {"over": "raise", "invalid": "raise", "divide": "raise"}
INF = np.inf


def run(loss_fn, x, *args, **kw):
    v = Value(x)
    with np.errstate(**RAISE):
        out = loss_fn(v, *args, **kw)
        out.backward(np.ones(out.shape))
    return out.data, v.grad


def torch_run(loss_fn, x, *args, **kw):
    t = torch.tensor(x, requires_grad=True)
    out = loss_fn(t, *(torch.tensor(a) for a in args), **kw)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), t.grad.numpy()


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 5)) * 4
    y = rng.integers(0, 5, 6)
    _, g = run(F.cross_entropy, x, y, reduction="sum")
    np.testing.assert_allclose(g, scipy.special.softmax(x, axis=1) - np.eye(5)[y], rtol=1e-12, atol=1e-15)
    _, g = run(F.cross_entropy, x, y)  # mean: divided by N
    np.testing.assert_allclose(g, (scipy.special.softmax(x, axis=1) - np.eye(5)[y]) / 6, rtol=1e-12, atol=1e-15)


def test_cross_entropy_is_one_fused_op():
    x = Value(np.zeros((2, 3)))
    for reduction in ("mean", "sum", "none"):  # class indices: gather, reduction fused in
        assert F.cross_entropy(x, np.array([0, 1]), reduction=reduction)._op.name == "softmax_nll"
    assert F.cross_entropy(x, np.full((2, 3), 1 / 3), reduction="none")._op.name == "softmax_cross_entropy"


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_at_1000_matches_pytorch(reduction):
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, -1000.0]])
    y = np.array([0, 0, 2])
    out, g = run(F.cross_entropy, x, y, reduction=reduction)
    ref, ref_g = torch_run(TF.cross_entropy, x, y, reduction=reduction)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    np.testing.assert_allclose(g, ref_g, rtol=1e-12, atol=1e-300)
    out, g = run(F.cross_entropy, x, y, reduction=reduction, label_smoothing=0.1)
    ref, ref_g = torch_run(TF.cross_entropy, x, y, reduction=reduction, label_smoothing=0.1)
    np.testing.assert_allclose(out, ref, rtol=1e-12)
    np.testing.assert_allclose(g, ref_g, rtol=1e-12, atol=1e-300)


def test_cross_entropy_with_infinite_logits():
    # -inf logits are impossible classes; a +inf logit on the target is a perfect prediction.
    x = np.array([[INF, 0.0, -INF], [0.0, -INF, 1.0], [INF, 0.0, 0.0]])
    out, g = run(F.cross_entropy, x, np.array([0, 2, 1]), reduction="none")
    np.testing.assert_allclose(out[:2], [0.0, np.log1p(np.exp(-1.0))], rtol=1e-12)
    assert out[2] == INF  # target logit finite, another is +inf: the loss really is infinite
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[0], [0, 0, 0])
    np.testing.assert_allclose(g[2], [1, -1, 0])


def test_nll_of_log_softmax_with_minus_inf_entries_is_finite():
    x = np.array([[0.0, -INF, 1.0], [-INF, 2.0, 0.0]])
    v = Value(x)
    with np.errstate(**RAISE):
        loss = F.nll_loss(F.log_softmax(v, dim=1), np.array([2, 1]))
        loss.backward()
    ref, ref_g = torch_run(lambda t, y: TF.nll_loss(TF.log_softmax(t, dim=1), y), x, np.array([2, 1]))
    np.testing.assert_allclose(loss.data, ref, rtol=1e-12)
    np.testing.assert_allclose(v.grad, ref_g, rtol=1e-12)


@pytest.mark.parametrize("pos_weight", [None, np.array([2.0, 0.5, 1.0])])
def test_bce_with_logits_at_1000_and_inf(pos_weight):
    x = np.array([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 3.0]])
    t = np.array([[1.0, 0.0, 0.5], [1.0, 0.0, 0.0]])
    tpw = None if pos_weight is None else torch.tensor(pos_weight)
    for reduction in ("mean", "sum", "none"):
        out, g = run(F.binary_cross_entropy_with_logits, x, t, reduction=reduction, pos_weight=pos_weight)
        ref, ref_g = torch_run(TF.binary_cross_entropy_with_logits, x, t, reduction=reduction, pos_weight=tpw)
        np.testing.assert_allclose(out, ref, rtol=1e-12)
        np.testing.assert_allclose(g, ref_g, rtol=1e-12, atol=1e-300)
    xi = np.array([[INF, -INF, INF], [-INF, INF, -INF]])
    ti = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    out, g = run(F.binary_cross_entropy_with_logits, xi, ti, reduction="none", pos_weight=pos_weight)
    np.testing.assert_array_equal(out, [[0, 0, INF], [INF, 0, 0]])
    assert np.all(np.isfinite(g))


def test_bce_at_probabilities_exactly_zero_and_one():
    p = np.array([0.0, 0.0, 1.0, 1.0, 0.5])
    t = np.array([0.0, 1.0, 0.0, 1.0, 1.0])
    w = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
    for reduction in ("mean", "sum", "none"):
        out, g = run(F.binary_cross_entropy, p, t, weight=w, reduction=reduction)
        ref, ref_g = torch_run(TF.binary_cross_entropy, p, t, weight=torch.tensor(w), reduction=reduction)
        assert np.all(np.isfinite(out)) and np.all(np.isfinite(g))
        np.testing.assert_allclose(out, ref, rtol=1e-12)
        np.testing.assert_allclose(g, ref_g, rtol=1e-12)
    out, _ = run(F.binary_cross_entropy, p, t, reduction="none")
    np.testing.assert_allclose(out[:4], [0, 100, 100, 0])  # logs clamped at -100


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_losses_at_1000(name):
    x = np.array([1000.0, -1000.0, 0.5])
    t = np.array([-1000.0, 1000.0, 0.0])
    for reduction in ("mean", "sum", "none"):
        out, g = run(getattr(F, name), x, t, reduction=reduction)
        ref, ref_g = torch_run(getattr(TF, name), x, t, reduction=reduction)
        np.testing.assert_allclose(out, ref, rtol=1e-12)
        np.testing.assert_allclose(g, ref_g, rtol=1e-12)


def test_reductions_are_consistent():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((4, 3)), rng.integers(0, 3, 4)
    none = F.cross_entropy(x, y, reduction="none").data
    np.testing.assert_allclose(F.cross_entropy(x, y, reduction="sum").data, none.sum())
    np.testing.assert_allclose(F.cross_entropy(x, y).data, none.mean())
    # legacy flags, as in PyTorch
    np.testing.assert_allclose(F.mse_loss(x, x * 2, size_average=False).data, (x * x).sum())
    assert F.mse_loss(x, x * 2, reduce=False).shape == x.shape


def test_empty_batches_and_all_ignored_targets():
    # A mean over nothing is NaN (PyTorch's 0/0) without raising; a sum is 0; gradients are empty.
    x = Value(np.zeros((0, 3)))
    with np.errstate(**RAISE):
        assert np.isnan(F.cross_entropy(x, np.zeros(0, dtype=np.int64)).item())
        assert F.cross_entropy(x, np.zeros(0, dtype=np.int64), reduction="sum").item() == 0
        assert np.isnan(F.mse_loss(x, np.zeros((0, 3))).item())
        loss = F.mse_loss(x, np.zeros((0, 3)), reduction="sum")
        loss.backward()
    assert x.grad.shape == (0, 3)
    with np.errstate(**RAISE):
        assert np.isnan(F.cross_entropy(np.zeros((2, 3)), np.array([-100, -100])).item())
    assert torch.isnan(TF.cross_entropy(torch.zeros(2, 3), torch.tensor([-100, -100])))


def test_float32_stays_float32():
    x = Value(np.zeros((2, 3), dtype=np.float32))
    for loss in (
        F.cross_entropy(x, np.array([0, 2])),
        F.nll_loss(x, np.array([0, 2])),
        F.binary_cross_entropy_with_logits(x, np.ones((2, 3), dtype=np.float32)),
        F.mse_loss(x, np.ones((2, 3), dtype=np.float32)),
    ):
        assert loss.dtype == np.float32
        x.grad = None
        loss.backward()
        assert x.grad.dtype == np.float32


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda: F.mse_loss(np.zeros(3), np.zeros(3), reduction="avg"), ValueError, "reduction must be"),
        (lambda: F.mse_loss(np.zeros(3), np.zeros(4)), ShapeError, "does not broadcast"),
        (lambda: F.mse_loss(np.zeros(3), np.zeros(3), weight=np.ones(2)), ShapeError, "weight"),
        (lambda: F.huber_loss(np.zeros(3), np.zeros(3), delta=0.0), ValueError, "delta"),
        (lambda: F.smooth_l1_loss(np.zeros(3), np.zeros(3), beta=-1.0), ValueError, "beta"),
        (lambda: F.binary_cross_entropy(np.array([0.5, 1.5]), np.zeros(2)), ValueError, "between 0 and 1"),
        (lambda: F.binary_cross_entropy(np.zeros(2), np.zeros(3)), ShapeError, "target of shape"),
        (lambda: F.binary_cross_entropy_with_logits(np.zeros(2), np.zeros((2, 1))), ShapeError, "target"),
        (
            lambda: F.binary_cross_entropy_with_logits(np.zeros((2, 3)), np.zeros((2, 3)), pos_weight=np.ones(2)),
            ShapeError,
            "pos_weight",
        ),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0, 3])), IndexingError, "out of bounds"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0, -1])), IndexingError, "out of bounds"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2])), ShapeError, "does not fit"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0])), ShapeError, "must be integers"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([True, False])), DTypeError, "integers"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0, 1]), weight=np.ones(2)), ShapeError, "one per class"),
        (lambda: F.cross_entropy(np.zeros((2, 3)), np.array([0, 1]), label_smoothing=1.5), ValueError, "smoothing"),
        (lambda: F.cross_entropy(np.array(1.0), np.array(0)), ShapeError, "class dimension"),
        (lambda: F.nll_loss(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=np.int64)), ShapeError, "expected \\(2, 4\\)"),
        (lambda: nn.CrossEntropyLoss(reduction="mean ")(np.zeros((1, 2)), np.array([0])), ValueError, "reduction"),
    ],
)
def test_clear_errors(call, err, match):
    with pytest.raises(err, match=match):
        call()


def test_loss_modules_equal_functional_and_keep_weights_as_buffers():
    rng = np.random.default_rng(2)
    x, y, t = rng.standard_normal((4, 3)), rng.integers(0, 3, 4), rng.random((4, 3))
    w = np.array([0.5, 1.0, 2.0])
    cases = [
        (nn.MSELoss(reduction="sum"), F.mse_loss(x, t, reduction="sum"), (x, t)),
        (nn.L1Loss(), F.l1_loss(x, t), (x, t)),
        (nn.HuberLoss(delta=0.5), F.huber_loss(x, t, delta=0.5), (x, t)),
        (nn.SmoothL1Loss(beta=0.5), F.smooth_l1_loss(x, t, beta=0.5), (x, t)),
        (nn.BCELoss(weight=w), F.binary_cross_entropy(t, t > 0.5, weight=w), (t, t > 0.5)),
        (nn.BCEWithLogitsLoss(pos_weight=w), F.binary_cross_entropy_with_logits(x, t, pos_weight=w), (x, t)),
        (
            nn.CrossEntropyLoss(weight=w, ignore_index=1, label_smoothing=0.1),
            F.cross_entropy(x, y, weight=w, ignore_index=1, label_smoothing=0.1),
            (x, y),
        ),
        (nn.NLLLoss(weight=w), F.nll_loss(x, y, weight=w), (x, y)),
    ]
    for module, expected, args in cases:
        np.testing.assert_array_equal(module(*args).data, expected.data)
        assert list(module.parameters()) == []
    assert list(nn.CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=w).state_dict()) == ["pos_weight"]
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss(reduction='sum')"
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"


def test_bce_float16_at_zero_and_one_stays_finite():
    # 1e-12 underflows in float16, so the gradient's epsilon becomes float16's smallest normal number.
    p = Value(np.array([0.0, 0.5, 1.0], dtype=np.float16))
    with np.errstate(**RAISE):
        loss = F.binary_cross_entropy(p, np.array([1.0, 1.0, 0.0], dtype=np.float16), reduction="sum")
        loss.backward()
    assert loss.dtype == np.float16 and p.grad.dtype == np.float16
    assert np.all(np.isfinite(p.grad)) and p.grad[0] < -1e4 and p.grad[2] > 1e4
    np.testing.assert_allclose(float(loss.item()), 200 + np.log(2), rtol=1e-3)
