"""Value's methods where PyTorch's Tensor and numpy's ndarray disagree or numpy has none, against
PyTorch: ``max``/``min`` (PyTorch's rule with a dim, numpy's with ``axis=``), ``transpose`` of two
dims, ``t``/``mT``/``T``, ``size()``, ``expand(-1, ...)`` and the methods numpy lacks."""

import numpy as np
import pytest
import torch

import autograd_core as ag
from autograd_core.errors import ShapeError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4, 5))  # no ties: the index each extreme picks is the same in both libraries


def _both(fn_ag, fn_torch, x=X):
    """Run a method on a Value and on a tensor; return (ours, theirs) values and input gradients
    (the gradient of a random weighting of the first output)."""
    v, t = ag.Value(x), torch.tensor(x, requires_grad=True)
    out_v, out_t = fn_ag(v), fn_torch(t)
    first_v = out_v[0] if isinstance(out_v, tuple) else out_v
    first_t = out_t[0] if isinstance(out_t, tuple) else out_t
    w = RNG.standard_normal(first_t.shape)
    (first_v * w).sum().backward()
    (first_t * torch.tensor(w)).sum().backward()
    return out_v, out_t, v.grad, t.grad.numpy()


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize(
    "call",
    [
        lambda x, n: getattr(x, n)(1),
        lambda x, n: getattr(x, n)(dim=-1, keepdim=True),
        lambda x, n: getattr(x, n)(0, True),
    ],
)
def test_max_min_with_a_dim_return_values_and_indices_as_pytorch(name, call):
    """``x.max(1)`` is ``(values, indices)`` (torch), not the first row's maximum; the gradient goes to the index."""
    out_v, out_t, g_v, g_t = _both(lambda x: call(x, name), lambda x: call(x, name))
    np.testing.assert_allclose(out_v.values.data, out_t.values.detach().numpy())
    np.testing.assert_array_equal(out_v.indices.data, out_t.indices.numpy())
    np.testing.assert_allclose(out_v[0].data, out_t[0].detach().numpy())
    np.testing.assert_allclose(g_v, g_t)


def test_max_of_the_issue_example():
    """The reported case: a (3, 4) arange's ``max(1)[0]`` is each row's maximum."""
    x = ag.Value(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(x.max(1)[0].data, torch.arange(12.0).reshape(3, 4).max(1)[0].numpy())
    np.testing.assert_array_equal(x.min(1).values.data, [0.0, 4.0, 8.0])


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_axis_keep_numpy_values_and_other_means_elementwise(name):
    """``axis=`` (or a tuple) is numpy's values-only reduction; no argument the global extreme; a Value
    the elementwise maximum/minimum (torch.max(x, other))."""
    v = ag.Value(X)
    np.testing.assert_allclose(getattr(v, name)(axis=1).data, getattr(X, name)(axis=1))
    np.testing.assert_allclose(
        getattr(v, name)(axis=(0, 2), keepdims=True).data, getattr(X, name)((0, 2), keepdims=True)
    )
    np.testing.assert_allclose(getattr(v, name)((0, 2)).data, getattr(X, name)((0, 2)))
    np.testing.assert_allclose(getattr(v, name)().data, getattr(X, name)())
    other = RNG.standard_normal((4, 5))
    out_v, out_t, g_v, g_t = _both(
        lambda x: getattr(x, name)(ag.Value(other)), lambda x: getattr(x, name)(torch.tensor(other))
    )
    np.testing.assert_allclose(out_v.data, out_t.detach().numpy())
    np.testing.assert_allclose(g_v, g_t)
    np.testing.assert_allclose(getattr(np, name)(v, 1).data, getattr(np, name)(X, 1))  # numpy's function: numpy's
    with pytest.raises(TypeError, match="dim must be an int"):
        getattr(v, name)("x")


def test_transpose_of_two_dims_swaps_them_as_pytorch():
    """Two ints swap (torch); a tuple or three ints permute (numpy); none reverse all."""
    x2, x3 = RNG.standard_normal((2, 3)), X
    for x, args in ((x2, (0, 1)), (x2, (1, 0)), (x3, (1, 2)), (x3, (0, -1))):
        assert ag.Value(x).transpose(*args).shape == torch.tensor(x).transpose(*args).shape
        np.testing.assert_array_equal(ag.Value(x).transpose(*args).data, torch.tensor(x).transpose(*args).numpy())
    np.testing.assert_array_equal(ag.Value(x3).transpose((2, 0, 1)).data, x3.transpose((2, 0, 1)))
    np.testing.assert_array_equal(ag.Value(x3).transpose(2, 0, 1).data, x3.transpose(2, 0, 1))
    np.testing.assert_array_equal(ag.Value(x3).permute(0, 1, 2).data, x3)
    np.testing.assert_array_equal(ag.Value(x2).permute(0, 1).data, x2)
    np.testing.assert_array_equal(ag.Value(x3).transpose().data, x3.T)
    _, _, g_v, g_t = _both(lambda x: x.transpose(1, 2), lambda x: x.transpose(1, 2))
    np.testing.assert_allclose(g_v, g_t)


def test_t_mt_and_t_property_as_pytorch():
    """``t()`` transposes 2-D and leaves 0-D/1-D as they are; ``mT`` swaps the last two dims."""
    for shape in ((), (3,), (2, 3)):
        x = RNG.standard_normal(shape)
        np.testing.assert_array_equal(ag.Value(x).t().data, torch.tensor(x).t().numpy())
    np.testing.assert_array_equal(ag.Value(X).mT.data, torch.tensor(X).mT.numpy())
    np.testing.assert_array_equal(ag.Value(X[0]).T.data, torch.tensor(X[0]).T.numpy())
    with pytest.raises(ShapeError, match="mT"):
        ag.Value(X).t()
    with pytest.raises(ShapeError, match="at least 2"):
        _ = ag.Value(np.ones(3)).mT


OTHER = RNG.standard_normal((4, 5))
COND = X > 0
CASES = {
    "clamp": (lambda x: x.clamp(min=-0.5, max=0.5), lambda x: x.clamp(min=-0.5, max=0.5)),
    "clamp one side": (lambda x: x.clamp(-0.2), lambda x: x.clamp(-0.2)),
    "pow": (lambda x: x.pow(2), lambda x: x.pow(2)),
    "softmax": (lambda x: x.softmax(1), lambda x: x.softmax(1)),
    "log_softmax": (lambda x: x.log_softmax(dim=-1), lambda x: x.log_softmax(dim=-1)),
    "log1p": (lambda x: (x * x).log1p(), lambda x: (x * x).log1p()),
    "mm": (lambda x: x[0].mm(ag.Value(OTHER.T)), lambda x: x[0].mm(torch.tensor(OTHER.T))),
    "clone": (lambda x: x.clone() * 2, lambda x: x.clone() * 2),
    "narrow": (lambda x: x.narrow(2, 1, 3), lambda x: x.narrow(2, 1, 3)),
    "narrow negative start": (lambda x: x.narrow(1, -2, 2), lambda x: x.narrow(1, -2, 2)),
    "unbind": (lambda x: x.unbind(1), lambda x: x.unbind(1)),
    "where": (lambda x: x.where(COND, 0.5), lambda x: x.where(torch.tensor(COND), 0.5)),
    "amax": (lambda x: x.amax(1), lambda x: x.amax(1)),
    "amin": (lambda x: x.amin((0, 2)), lambda x: x.amin((0, 2))),
    "nansum": (lambda x: x.nansum(0), lambda x: x.nansum(0)),
    "median": (lambda x: x.median(1), lambda x: x.median(1)),
    "expand -1": (lambda x: x[:, :1].expand(-1, 3, -1), lambda x: x[:, :1].expand(-1, 3, -1)),
    "expand new dim": (lambda x: x[0].expand(2, -1, 5), lambda x: x[0].expand(2, -1, 5)),
}


@pytest.mark.parametrize("case", CASES)
def test_methods_match_pytorch(case):
    """Values and gradients of PyTorch's Tensor methods, ours against torch's."""
    fn_ag, fn_torch = CASES[case]
    out_v, out_t, g_v, g_t = _both(fn_ag, fn_torch)
    firsts = zip(out_v, out_t) if isinstance(out_v, tuple) else [(out_v, out_t)]
    for a, b in firsts:
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g_v, g_t, rtol=1e-12, atol=1e-12)


def test_bad_narrow_unbind_mm_and_expand_say_what_is_wrong():
    """Each refusal names the method and the sizes."""
    v = ag.Value(X)
    with pytest.raises(ShapeError, match="do not fit dim 2 of size 5"):
        v.narrow(2, 3, 3)
    with pytest.raises(ShapeError, match="dim 3 out of range"):
        v.unbind(3)
    with pytest.raises(ShapeError, match="2-D"):
        v.mm(v)
    with pytest.raises(ShapeError, match="leading"):
        v.expand(-1, 3, 4, 5)


def test_size_is_the_count_and_callable_as_pytorch():
    """``x.size`` is numpy's element count in arithmetic; ``x.size()`` the shape, ``x.size(d)`` one dim."""
    v, t = ag.Value(X), torch.tensor(X)
    assert v.size == X.size and v.size * 2 == 120 and v.size > 59 and int(v.size) == 60
    assert v.size() == tuple(t.size()) and v.size(-1) == t.size(-1) and v.size(1) == 4
    np.testing.assert_allclose((v.sum() / v.size).data, X.mean())
    with pytest.raises(IndexError, match="out of range"):
        v.size(3)


def test_misspelt_keyword_names_value_method_and_the_closest():
    """Python would name the private class (``ValueMethods.mean()``); ours names Value.mean and suggests."""
    v = ag.Value(X)
    with pytest.raises(
        TypeError, match=r"Value\.mean\(\) got an unexpected keyword argument 'kepdim'; did you mean 'keepdim'"
    ):
        v.mean(kepdim=True)
    with pytest.raises(TypeError, match=r"Value\.sort\(\) .*'dimm'; did you mean 'dim'"):
        v.sort(dimm=1)
    with pytest.raises(TypeError, match=r"^Value\.sum\(\) takes"):
        v.sum(0, False, 1, 2)
