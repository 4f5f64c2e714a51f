"""float16: reductions inside ops accumulate in a wider type and cast back (ops/precision.py).

Long rows (70,000 elements) are where float16 accumulation fails: its integers stop at 2,048, it
overflows past 65,504, and numpy's strided float16 sum rounds at every step. Each result is
compared with the float64 computation rounded once to float16.
"""

import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F
from autograd_core import Value

N = 70_000
F16 = np.float16


def close16(got, want, ulps=2, scale=0.0):
    """got (float16) within a few float16 ulps of the float64 reference want (ulps of ``scale`` where
    |want| is smaller: results of order one near zero)."""
    got = np.asarray(got)
    assert got.dtype == F16
    want = np.asarray(want, dtype=np.float64)
    spacing = np.spacing(np.maximum(np.abs(want), scale).astype(F16)).astype(np.float64)
    np.testing.assert_array_less(np.abs(got.astype(np.float64) - want), ulps * spacing + 1e-30)


def test_softmax_family_over_a_long_row_of_equal_logits():
    x = Value(np.zeros(N, F16))
    close16(ag.softmax(x).data, np.full(N, 1 / N))  # 1.43e-05, not 0
    close16(F.softmax(x, dim=0).data, np.full(N, 1 / N))
    close16(ag.log_softmax(x).data, np.full(N, -np.log(N)))
    close16(ag.logsumexp(x).data, np.log(N))
    g = np.random.default_rng(0).uniform(0, 1, N).astype(F16)
    out = ag.softmax(x)
    out.backward(g)
    p = 1 / N
    close16(x.grad, p * (g.astype(np.float64) - np.sum(g.astype(np.float64) * p)), ulps=4)


def test_sum_and_mean_do_not_overflow_or_stall():
    col = np.full((N, 3), 0.1, F16)
    want = np.sum(col.astype(np.float64), axis=0)
    close16(ag.sum(Value(col), axis=0).data, want)  # float16 accumulation stalls at 256
    close16(ag.mean(Value(col), axis=0).data, want / N)
    big = np.array([[60000.0], [60000.0], [-60000.0]], F16)
    close16(ag.sum(Value(big), axis=0).data, [60000.0])  # float16 partial sums overflow to inf
    with np.errstate(over="ignore"):
        assert ag.sum(Value(np.ones(N, F16))).data == np.inf  # 70,000 itself is not a float16


def test_gradients_summed_over_a_long_batch():
    """The engine sums broadcast gradients (a bias over the batch) in a wider type too."""
    b = Value(np.zeros(3, F16))
    x = Value(np.ones((N, 3), F16), requires_grad=False)
    (x + b).backward(np.full((N, 3), 0.1, F16))
    close16(b.grad, np.full(3, N * float(F16(0.1))))
    w = Value(np.zeros((2, 3), F16))
    ag.linear(x, w).backward(np.full((N, 2), 0.1, F16))  # dW = g^T x: a contraction over the batch
    close16(w.grad, np.full((2, 3), N * float(F16(0.1))))


def test_losses_over_long_rows_and_batches():
    logits = Value(np.zeros((2, N), F16))
    loss = F.cross_entropy(logits, np.array([0, 5]))
    close16(loss.data, np.log(N))
    loss.backward()
    close16(logits.grad[0, 1:4], np.full(3, 1 / N / 2))
    x = Value(np.full(N, 2.0, F16))
    t = np.zeros(N, F16)
    close16(F.mse_loss(x, t).data, 4.0)
    close16(F.l1_loss(x * 0.25, t, reduction="sum").data, 0.5 * N)
    close16(F.binary_cross_entropy_with_logits(Value(np.zeros(N, F16)), t).data, np.log(2))


def test_normalisation_statistics_of_a_long_row():
    """Values around 1,000 with spread 400: (x - mean)^2 overflows float16; the result must not."""
    rng = np.random.default_rng(1)
    raw = (1000 + 400 * rng.standard_normal((2, N))).astype(F16)
    x64 = raw.astype(np.float64)
    want = (x64 - x64.mean(1, keepdims=True)) / np.sqrt(x64.var(1, keepdims=True) + 1e-5)
    close16(F.layer_norm(Value(raw), (N,)).data, want, scale=1.0)
    close16(F.group_norm(Value(raw.reshape(2, 1, N)), 1).data.reshape(2, N), want, scale=1.0)
    y = F.batch_norm(Value(raw.T.copy()), None, None, training=True)
    close16(y.data.T, want, scale=1.0)


@pytest.mark.parametrize("pool", ["avg", "adaptive"])
def test_pooling_averages_over_long_windows(pool):
    x = np.random.default_rng(2).uniform(0, 1, (1, 2, 8192)).astype(F16)
    v = Value(x)
    out = F.avg_pool1d(v, 4096) if pool == "avg" else F.adaptive_avg_pool1d(v, 2)
    want = x.astype(np.float64).reshape(1, 2, 2, 4096).mean(-1)
    close16(out.data, want)


def test_matmul_family_accumulates_wider():
    a = np.full((1, N), 0.1, F16)
    b = np.ones((N, 1), F16)
    want = N * float(F16(0.1))
    close16(ag.matmul(Value(a), Value(b)).data, [[want]])
    close16(ag.tensordot(Value(a), Value(b), axes=1).data, [[want]])
    close16(ag.einsum("ij,jk->ik", Value(a), Value(b)).data, [[want]])


def test_weighted_means_whose_sum_overflows_float16():
    """mse with weights: the weighted sum (280,000) is no float16, the weighted mean (4) is."""
    x = Value(np.full(N, 2.0, F16))
    w = np.ones(N, F16)
    loss = F.mse_loss(x, np.zeros(N, F16), weight=w)
    close16(loss.data, 4.0)
    loss.backward()
    close16(x.grad, np.full(N, 4.0 / N))


def test_mean_gradient_over_more_elements_than_float16_can_count():
    """g / 70000 in float16 would divide by inf (70,000 is no float16) and give 0."""
    x = Value(np.full(N, 2.0, F16))
    (x * x).mean().backward()
    close16(x.grad, np.full(N, 4.0 / N))
    y = Value(np.ones((1, 1, N), F16))
    F.avg_pool1d(y, N).backward(np.ones((1, 1, 1), F16))
    close16(y.grad, np.full((1, 1, N), 1.0 / N))


ALT = np.tile(np.array([0.0, 1.0], F16), N // 2)  # variance 0.25 over 70,000 entries
STATS = {
    # name: (function of a float16 Value, its float64 value on ALT)
    "var": (lambda v: ag.var(v, correction=0), 0.25),
    "std": (lambda v: ag.std(v, correction=0), 0.5),
    "var over a column": (lambda v: ag.var(v.reshape(-1, 1), axis=0, correction=0)[0], 0.25),
    "std of a shifted row": (lambda v: ag.std(v + 1000.0, correction=0), 0.5),
    # norms of a row of 0.1: the scaled sum (|x| / max |x|)^p is N, past float16's range
    "2-norm": (lambda v: ag.norm(v * 0 + 0.1), np.sqrt(N) * float(F16(0.1))),
    "1-norm": (lambda v: ag.vector_norm(v * 0 + 0.1, 1), N * float(F16(0.1))),
    "3-norm": (lambda v: ag.vector_norm(v * 0 + 0.1, 3), N ** (1 / 3) * float(F16(0.1))),
    "F.normalize": (lambda v: F.normalize(v * 0 + 1.0, dim=0)[0], 1 / np.sqrt(N)),
    "nanmean": (lambda v: ag.nanmean(v), 0.5),
    "weighted average": (lambda v: ag.average(v, weights=np.ones(N, F16)), 0.5),
    "cov": (lambda v: ag.cov(v, correction=0), 0.25),
    "corrcoef": (lambda v: ag.corrcoef(ag.stack([v, 1.0 - v]))[0, 1], -1.0),
}


@pytest.mark.parametrize("name", sorted(STATS))
def test_statistics_and_norms_of_a_long_row(name):
    """Sums of squares, and divisors N past 65,504, in float32: var/std/norms/cov were 0 or inf."""
    fn, want = STATS[name]
    x = Value(ALT)
    out = fn(x)
    close16(out.data, want, ulps=4, scale=1.0)
    out.backward()
    assert x.grad.dtype == F16 and np.isfinite(x.grad).all()
