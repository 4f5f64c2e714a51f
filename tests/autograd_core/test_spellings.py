"""PyTorch's spellings work beside numpy's: dim/keepdim for axis/keepdims on every reduction and shape
method and ag.* function, argmax/argmin, and an error when both spellings of one argument are given."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core import Value

X = np.random.default_rng(0).standard_normal((3, 4, 5))

REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis", [None, 1, -1, (0, 2)])
@pytest.mark.parametrize("keep", [False, True])
def test_reductions_take_both_spellings(name, axis, keep):
    """numpy's and PyTorch's spellings give the same values (``x.max(1)``/``x.max(dim=1)``: PyTorch's
    ``(values, indices)``, whose values are numpy's ``x.max(axis=1)``)."""
    x = Value(X)
    want = getattr(x, name)(axis=axis, keepdims=keep)
    for got in (
        getattr(x, name)(dim=axis, keepdim=keep),
        getattr(x, name)(axis, keep),  # positional, as both libraries allow
        getattr(x, name)(dim=axis, keepdims=keep),
        getattr(ag, name)(x, dim=axis, keepdim=keep),
        getattr(ag, name)(x, axis=axis, keepdim=keep),
    ):
        got = got.values if isinstance(got, tuple) else got
        np.testing.assert_array_equal(got.data, want.data)
        assert got.shape == want.shape
    got = getattr(x, name)(dim=axis, keepdim=keep)
    (got.values if isinstance(got, tuple) else got).sum().backward()  # and it is the same differentiable op
    assert x.grad.shape == X.shape


def test_torch_spelling_gives_torchs_answer():
    t = torch.from_numpy(X)
    x = Value(X)
    np.testing.assert_allclose(x.sum(dim=1).data, t.sum(dim=1).numpy())
    np.testing.assert_allclose(x.mean(1, keepdim=True).data, t.mean(1, keepdim=True).numpy())
    np.testing.assert_allclose(x.logsumexp(dim=-1).data, torch.logsumexp(t, dim=-1).numpy())
    np.testing.assert_allclose(ag.softmax(x, dim=1).data, torch.softmax(t, dim=1).numpy())
    np.testing.assert_allclose(ag.log_softmax(x, dim=0).data, torch.log_softmax(t, dim=0).numpy())


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.sum(axis=1, dim=1),
        lambda x: x.mean(keepdims=True, keepdim=True),
        lambda x: ag.sum(x, axis=0, dim=0),
        lambda x: ag.concatenate([x, x], axis=1, dim=1),
        lambda x: x.squeeze(axis=0, dim=0),
        lambda x: x.argmax(axis=0, dim=0),
    ],
)
def test_both_spellings_at_once_is_an_error(call):
    with pytest.raises(TypeError, match="give one"):
        call(Value(X))


def test_an_op_without_an_axis_refuses_dim_by_its_name():
    with pytest.raises(TypeError, match="'dim'"):
        ag.exp(Value(X), dim=1)


def test_shape_methods_and_joins_take_dim():
    x = Value(X)
    assert x.unsqueeze(dim=0).shape == (1, 3, 4, 5) == x.expand_dims(axis=0).shape
    assert x.unsqueeze(dim=0).squeeze(dim=0).shape == X.shape
    assert ag.concatenate([x, x], dim=2).shape == (3, 4, 10) == ag.concatenate([x, x], 2).shape
    assert ag.stack([x, x], dim=1).shape == (3, 2, 4, 5)
    assert ag.concatenate([x, x]).shape == (6, 4, 5)  # the default axis is 0 in both libraries
    with pytest.raises(TypeError, match="unsqueeze"):
        x.unsqueeze()


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_match_torch(name):
    data = X.copy()
    data[1, 2, 3] = np.nan  # NaN counts as the extreme in both numpy and PyTorch
    x, t = Value(data), torch.from_numpy(data)
    assert getattr(x, name)().item() == getattr(t, name)().item()  # index into the flattened array
    for dim in (0, 1, -1):
        for keep in (False, True):
            got = getattr(x, name)(dim=dim, keepdim=keep)
            want = getattr(t, name)(dim=dim, keepdim=keep).numpy()
            assert got.dtype == np.int64 and got.shape == want.shape
            np.testing.assert_array_equal(np.asarray(got), want)
            np.testing.assert_array_equal(np.asarray(getattr(ag, name)(x, axis=dim, keepdims=keep)), want)
    assert getattr(ag, name)(X, 1).shape == (3, 5)  # plain arrays too


def test_argmax_is_an_integer_constant():
    idx = Value(X).argmax(dim=1)
    assert idx.dtype == np.int64 and not idx.requires_grad  # an index has no gradient
