"""Every way a Value could silently become a constant is either differentiated through or refused
with NotDifferentiableError: op parameters, clip bounds, pad values, in-place updates."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import NotDifferentiableError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck

R = np.random.default_rng(11)


def test_clip_bounds_that_are_values_are_differentiated():
    x, lo, hi = R.uniform(-2, 2, (3, 4)), R.uniform(-1.5, -0.2, (4,)), R.uniform(0.2, 1.5, (3, 1))
    gradcheck(lambda x, lo, hi: ag.clip(x, lo, hi), [x, lo, hi])
    gradgradcheck(lambda x, lo, hi: ag.clip(x, lo, hi) * x, [x, lo, hi])
    gradcheck(lambda x, lo: ag.clip(x, min=lo), [x, lo])
    gradcheck(lambda x, hi: ag.clip(x, max=[hi[0, 0], hi[1, 0], hi[2, 0], hi[0, 0]]), [x, hi])  # a list of Values
    # min > max: numpy's order (the result is max); the gradient follows it
    gradcheck(lambda x, lo, hi: ag.clip(x, lo + 3, hi), [x, lo, hi])


def test_clip_with_value_bounds_matches_torch():
    torch = pytest.importorskip("torch")
    x, lo, hi = R.uniform(-2, 2, 6), R.uniform(-1, 0, 6), R.uniform(0, 1, 6)
    vs = [Value(a) for a in (x, lo, hi)]
    ag.clip(*vs).sum().backward()
    ts = [torch.tensor(a, requires_grad=True) for a in (x, lo, hi)]
    torch.clamp(*ts).sum().backward()
    for v, t in zip(vs, ts):
        np.testing.assert_array_equal(v.grad, t.grad.numpy())


def test_a_pad_value_that_is_a_value_is_differentiated():
    x = R.standard_normal((2, 3))
    gradcheck(lambda x, c: ag.pad(x, ((1, 0), (0, 2)), value=c), [x, np.array(0.3)])
    c = Value(0.5)
    ag.pad(Value(x), 1, value=c).sum().backward()
    assert c.grad == 4 * 5 - 6  # one per padded cell


@pytest.mark.parametrize(
    "call",
    [
        lambda w: ag.softmax_nll(Value(np.ones((2, 3))), target=[0, 1], weight=w[:2]),
        lambda w: ag.sigmoid_cross_entropy(Value(np.ones(3)), np.ones(3), pos_weight=w),
        lambda w: ag.softmax_nll(Value(np.ones((2, 3))), target=[0, 1], weight=[w[0], w[1]]),
    ],
)
def test_a_parameter_that_requires_grad_is_refused(call):
    w = Value(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(NotDifferentiableError, match="weight"):
        call(w)
    call(w.detach())


@pytest.mark.parametrize(
    "update",
    [
        lambda v, w: v.add_(w),
        lambda v, w: v.sub_(w),
        lambda v, w: v.mul_(w),
        lambda v, w: v.copy_(w),
        lambda v, w: v.fill_(w[0]),
        lambda v, w: v.__setitem__(0, w[1]),
        lambda v, w: v.__setitem__(slice(0, 2), [w[0], w[1]]),
    ],
)
def test_in_place_updates_refuse_a_value_that_requires_grad(update):
    v, w = Value(np.zeros(3), requires_grad=False), Value(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(NotDifferentiableError, match="in-place"):
        update(v, w)
    np.testing.assert_array_equal(v.data, np.zeros(3))  # refused before any change
    with ag.no_grad():  # nothing is recorded there: the explicit way to write a value in
        update(v, w)
    update(v, w.detach())
