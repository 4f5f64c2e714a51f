"""nn.functional entry points never turn a list holding Values into a constant: every tensor
argument given as a list of Values (one per row) gives the same value and the same gradient as the
stacked Value; arguments PyTorch does not differentiate (class weights, pos_weight) refuse a Value
that requires grad instead of silently dropping its gradient."""

import inspect

import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F
from autograd_core import NotDifferentiableError, Value

R = np.random.default_rng(3)
X = R.uniform(-1.5, 1.5, (2, 3, 4))  # (N, C, L)
P = R.uniform(0.1, 0.9, (2, 3))
T = R.uniform(0.1, 0.9, (2, 3))
C = R.uniform(-1.5, 1.5, (2, 4, 6))  # (N, C * kh * kw, L) columns for fold

# name -> (call, float inputs); each input in turn is given as a list of per-row Values
SAMPLES = {
    "adaptive_avg_pool1d": (lambda x: F.adaptive_avg_pool1d(x, 2), [X]),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, 2), [X]),
    "adaptive_max_pool1d": (lambda x: F.adaptive_max_pool1d(x, 3), [X]),
    "adaptive_max_pool2d": (lambda x: F.adaptive_max_pool2d(x, 2), [X]),
    "alpha_dropout": (lambda x: F.alpha_dropout(x, 0.5, training=False), [X]),
    "avg_pool1d": (lambda x: F.avg_pool1d(x, 2), [X]),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 2), [X]),
    "avg_pool3d": (lambda x: F.avg_pool3d(x, (1, 2, 2)), [X[:, None]]),
    "batch_norm": (lambda x, w, b: F.batch_norm(x, np.zeros(3), np.ones(3), w, b), [X, P[0], T[0]]),
    "batch_norm_stats": (lambda x, w: F.batch_norm_stats(x, w)[0], [X, P[0]]),
    "bilinear": (lambda x, y, w: F.bilinear(x, y, w), [P, T, X[:, :3, :3]]),
    "binary_cross_entropy": (lambda p, t: F.binary_cross_entropy(p, t), [P, T]),
    "binary_cross_entropy_with_logits": (lambda x, t: F.binary_cross_entropy_with_logits(x, t), [P * 4 - 2, T]),
    "celu": (F.celu, [X]),
    "channel_shuffle": (lambda x: F.channel_shuffle(x, 3), [X]),
    "cosine_embedding_loss": (lambda a, b: F.cosine_embedding_loss(a, b, np.array([1, -1])), [P, T]),
    "conv1d": (lambda x, w, b: F.conv1d(x, w, b), [X, X[:, :, :2], P[0, :2]]),
    "cosine_similarity": (lambda a, b: F.cosine_similarity(a, b), [X, X * 0.5 + 0.3]),
    "conv2d": (lambda x, w: F.conv2d(x, w), [X[:, None], X[:, None, :2, :2]]),
    "conv3d": (lambda x, w: F.conv3d(x, w), [X[:, None, None], X[:, None, None, :2, :2]]),
    "conv_transpose1d": (lambda x, w, b: F.conv_transpose1d(x, w, b), [X, X[0, :, None, :2], P[0, :1]]),
    "conv_transpose2d": (lambda x, w: F.conv_transpose2d(x, w), [X[:, None], X[:1, None, :2, :2]]),
    "conv_transpose3d": (lambda x, w: F.conv_transpose3d(x, w), [X[:, None, None], X[:1, None, None, :2, :2]]),
    "cross_entropy": (lambda x, t: F.cross_entropy(x, t), [P, T]),
    "dropout": (lambda x: F.dropout(x, 0.5, training=False), [X]),
    "dropout1d": (lambda x: F.dropout1d(x, 0.5, training=False), [X]),
    "dropout2d": (lambda x: F.dropout2d(x, 0.5, training=False), [X]),
    "dropout3d": (lambda x: F.dropout3d(x, 0.5, training=False), [X[:, None]]),
    "elu": (F.elu, [X]),
    "embedding": (lambda w: F.embedding(np.array([[0, 2], [1, 1]]), w, padding_idx=1), [X[0]]),
    "fold": (lambda c: F.fold(c, (3, 4), 2), [C]),
    "gaussian_nll_loss": (F.gaussian_nll_loss, [P, T, T]),
    "gelu": (F.gelu, [X]),
    "glu": (lambda x: F.glu(x, dim=2), [X]),
    "group_norm": (lambda x, w, b: F.group_norm(x, 3, w, b), [X, P[0], T[0]]),
    "hardsigmoid": (F.hardsigmoid, [X]),
    "hardshrink": (F.hardshrink, [X]),
    "hardswish": (F.hardswish, [X]),
    "hardtanh": (F.hardtanh, [X]),
    "hinge_embedding_loss": (lambda x: F.hinge_embedding_loss(x, np.array([[1, -1, 1], [-1, 1, -1]])), [P]),
    "huber_loss": (lambda x, t, w: F.huber_loss(x, t, weight=w), [P, T, T]),
    "interpolate": (lambda x: F.interpolate(x, scale_factor=2, mode="linear"), [X]),
    "instance_norm": (lambda x, w: F.instance_norm(x, weight=w), [X, P[0]]),
    "kl_div": (lambda x, t: F.kl_div(x, t, reduction="batchmean"), [np.log(P), T]),
    "l1_loss": (lambda x, t, w: F.l1_loss(x, t, weight=w), [P, T, T]),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (4,), w, b), [X, X[0, 0], X[1, 0]]),
    "leaky_relu": (F.leaky_relu, [X]),
    "linear": (lambda x, w, b: F.linear(x, w, b), [X, X[0, :2], P[0, :2]]),
    "local_response_norm": (lambda x: F.local_response_norm(x, 2), [X]),
    "log_sigmoid": (F.log_sigmoid, [X]),
    "log_softmax": (lambda x: F.log_softmax(x, dim=1), [X]),
    "logsigmoid": (F.logsigmoid, [X]),
    "margin_ranking_loss": (F.margin_ranking_loss, [P, T, T - 0.5]),
    "max_pool1d": (lambda x: F.max_pool1d(x, 2), [X]),
    "lp_pool1d": (lambda x: F.lp_pool1d(x, 2, 2), [X]),
    "lp_pool2d": (lambda x: F.lp_pool2d(x, 2, 2), [X]),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), [X]),
    "max_pool3d": (lambda x: F.max_pool3d(x, (1, 2, 2)), [X[:, None]]),
    "maxout": (lambda x: F.maxout(x, 2), [X]),
    "mish": (F.mish, [X]),
    "multi_margin_loss": (lambda x: F.multi_margin_loss(x, np.array([0, 2]), p=2), [P]),
    "multilabel_soft_margin_loss": (F.multilabel_soft_margin_loss, [P, T, T]),
    "mpelu": (lambda x, a, b: F.mpelu(x, a, b), [X, P[0], T[0]]),
    "mse_loss": (lambda x, t, w: F.mse_loss(x, t, weight=w), [P, T, T]),
    "nll_loss": (lambda x: F.nll_loss(x, np.array([0, 2])), [P]),
    "normalize": (F.normalize, [X]),
    "pixel_shuffle": (lambda x: F.pixel_shuffle(x, 2), [X.reshape(2, 4, 3, 1)]),
    "pixel_unshuffle": (lambda x: F.pixel_unshuffle(x, 2), [X.reshape(2, 1, 2, 6)]),
    "pairwise_distance": (F.pairwise_distance, [P, T]),
    "poisson_nll_loss": (lambda x, t: F.poisson_nll_loss(x, t, full=True), [P, T * 4]),
    "prelu": (lambda x, w: F.prelu(x, w), [X, P[0]]),
    "relu": (F.relu, [X]),
    "relu6": (F.relu6, [X]),
    "rrelu": (lambda x: F.rrelu(x, 0.1, 0.3, training=True, generator=np.random.default_rng(0)), [X]),
    "rms_norm": (lambda x, w: F.rms_norm(x, 4, w), [X, X[0, 0]]),
    "scaled_dot_product_attention": (
        lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m),
        [X, X, X, X[0, :, :3]],
    ),
    "selu": (F.selu, [X]),
    "sigmoid": (F.sigmoid, [X]),
    "silu": (F.silu, [X]),
    "smooth_l1_loss": (lambda x, t: F.smooth_l1_loss(x, t), [P, T]),
    "soft_margin_loss": (lambda x: F.soft_margin_loss(x, np.array([[1, -1, 1], [-1, 1, -1]])), [P]),
    "softmax": (lambda x: F.softmax(x, dim=-1), [X]),
    "softmin": (lambda x: F.softmin(x, dim=0), [X]),
    "softplus": (F.softplus, [X]),
    "pad": (lambda x: F.pad(x, (1, 2, 0, 1), mode="reflect"), [X]),
    "softshrink": (lambda x: F.softshrink(x, 0.2), [X]),
    "softsign": (F.softsign, [X]),
    "swish": (lambda x, b: F.swish(x, b), [X, P[0, :1]]),
    "tanh": (F.tanh, [X]),
    "tanhshrink": (F.tanhshrink, [X]),
    "threshold": (lambda x: F.threshold(x, 0.1, 2.0), [X]),
    "triplet_margin_loss": (F.triplet_margin_loss, [P, T, P * 2]),
    "unfold": (lambda x: F.unfold(x, 2), [X[:, None]]),
    "upsample": (lambda x: F.upsample(x, scale_factor=2), [X]),
    "window_max": (lambda x: F.window_max(ag.sliding_windows(x, 2), nwin=1), [X]),
}
NOT_TENSOR_FUNCTIONS = {
    "conv_output_size",
    "conv_padding",
    "conv_transpose_output_size",
    "embedding_renorm_",  # changes a weight in place, not recorded
    "one_hot",  # class indices in, an integer array out: nothing to differentiate
    "pool_output_size",
}


def test_every_functional_entry_point_has_a_sample():
    public = {n for n, f in vars(F).items() if inspect.isfunction(f) and not n.startswith("_")}
    assert sorted(public - NOT_TENSOR_FUNCTIONS - set(SAMPLES)) == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_list_of_values_keeps_its_gradient(name):
    call, inputs = SAMPLES[name]
    cot = None
    for k in range(len(inputs)):
        whole = [Value(x) for x in inputs]
        out = call(*whole)
        cot = R.standard_normal(out.shape) if cot is None else cot
        want = ag.gradients((out * cot).sum(), whole, allow_unused=True)
        rows = [Value(r) for r in inputs[k]]  # input k as a list holding one Value per row
        args = [Value(x) for x in inputs]
        args[k] = rows
        out_list = call(*args)
        np.testing.assert_allclose(out_list.data, out.data, rtol=1e-12, atol=1e-12)
        got = ag.gradients((out_list * cot).sum(), rows, allow_unused=True)
        expected = want[k]
        assert expected is not None, f"{name}: input {k} gets no gradient"
        assert all(g is not None for g in got), f"{name}: input {k} given as a list lost its gradient"
        np.testing.assert_allclose(np.stack([g.data for g in got]), expected.data, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda w: F.cross_entropy(Value(P), np.array([0, 2]), weight=w),
        lambda w: F.nll_loss(Value(P), np.array([0, 2]), weight=w),
        lambda w: F.binary_cross_entropy(Value(P), T, weight=w[:2, None] * np.ones(3)),
        lambda w: F.binary_cross_entropy_with_logits(Value(P), T, weight=w),
        lambda w: F.binary_cross_entropy_with_logits(Value(P), T, pos_weight=w),
        lambda w: F.multi_margin_loss(Value(P), np.array([0, 2]), weight=w),
        lambda w: F.cross_entropy(Value(P), np.array([0, 2]), weight=[w[0], w[1], w[2]]),
    ],
)
def test_weights_pytorch_does_not_differentiate_refuse_a_value_that_requires_grad(call):
    w = Value(np.array([1.0, 2.0, 0.5]))
    with pytest.raises(NotDifferentiableError, match="weight"):
        call(w)
    call(w.detach())  # as a constant it is fine


def test_elementwise_loss_weights_are_differentiated_as_in_pytorch():
    torch = pytest.importorskip("torch")
    for ours, theirs in [(F.mse_loss, torch.nn.functional.mse_loss), (F.l1_loss, torch.nn.functional.l1_loss)]:
        w = Value(T)
        ours(Value(P), P * 0.5, weight=w).backward()
        tw = torch.tensor(T, requires_grad=True)
        theirs(torch.tensor(P), torch.tensor(P * 0.5), weight=tw).backward()
        np.testing.assert_allclose(w.grad, tw.grad.numpy(), rtol=1e-12)
