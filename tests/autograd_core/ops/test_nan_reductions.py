"""numpy's NaN-ignoring reductions and scans (nanvar, nanstd, nanmax, nanmin, nanprod, nancumsum) and
percentile/nanpercentile: first and second derivatives against finite differences over drawn shapes
(NaN entries drawn as a mask, so finite differences see them as constants), values and gradients
against PyTorch float64 spelled with masks, numpy's values and dispatch, edge cases, errors."""

import warnings

import numpy as np
import pytest
import torch
from composition_sweep import make_tests
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ArgumentError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.testing import shapes


def _masked(draw, keep=2):
    """Distinct entries on a 0.1 grid, a NaN mask sparing the first ``keep`` entries along the axis
    (so no row is all NaN), and an axis (None: all)."""
    shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    n = int(np.prod(shape))
    x = np.array(draw(st.lists(st.integers(-30, 30), min_size=n, max_size=n, unique=True)), float).reshape(shape) * 0.1
    mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))).reshape(shape)
    axis = draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    if axis is None:
        mask.reshape(-1)[:keep] = False
    else:
        np.moveaxis(mask, axis, 0)[:keep] = False
    return x, mask, axis


def _reduce(draw):
    x, mask, axis = _masked(draw)
    return [x], {"mask": mask, "axis": axis, "keepdims": draw(st.booleans())}


def _moment(draw):
    x, mask, axis = _masked(draw)
    kept = x.size if axis is None else x.shape[axis]  # at least min(kept, 2) entries per row are not NaN
    ddof = draw(st.sampled_from([0, 1] if kept >= 2 else [0]))
    return [x], {"mask": mask, "axis": axis, "keepdims": draw(st.booleans()), "ddof": ddof}


def _percentile(draw):
    x, mask, axis = _masked(draw)
    q = draw(st.floats(0, 100) | st.lists(st.floats(0, 100), min_size=1, max_size=3))
    method = draw(st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]))
    return [x], {"mask": mask, "q": q, "axis": axis, "keepdims": draw(st.booleans()), "method": method}


def _nan(x, mask):
    """x with NaN where ``mask`` (Values and tensors)."""
    if isinstance(x, torch.Tensor):
        return torch.where(torch.from_numpy(mask), torch.nan, x)
    return ag.where(mask, np.nan, x)


def _ours(fn):
    return lambda x, mask, **p: fn(_nan(x, mask), **p)


def _twin_fill(reduce, fill):
    """PyTorch's spelling: the masked entries replaced by the neutral value, then the plain reduction."""

    def twin(x, mask, axis, keepdims):
        filled = torch.where(torch.from_numpy(mask), fill, x)
        if axis is None:
            return reduce(filled).reshape((1,) * x.ndim if keepdims else ())
        return reduce(filled, dim=axis, keepdim=keepdims)

    return twin


def _twin_percentile(skip):
    def twin(x, mask, q, axis, keepdims, method):
        qs = torch.tensor(np.asarray(q) / 100, dtype=x.dtype)
        fn = torch.nanquantile if skip else torch.quantile
        return fn(_nan(x, mask) if skip else x, qs, dim=axis, keepdim=keepdims, interpolation=method)

    return twin


CASES = {
    "nanvar": (_moment, _ours(ag.nanvar), None),
    "nanstd": (_moment, _ours(ag.nanstd), None),
    "nanmax": (_reduce, _ours(ag.nanmax), _twin_fill(torch.amax, -torch.inf)),
    "nanmin": (_reduce, _ours(ag.nanmin), _twin_fill(torch.amin, torch.inf)),
    "nanprod": (
        _reduce,
        _ours(ag.nanprod),
        lambda x, mask, axis, keepdims: (
            _twin_fill(torch.prod, 1.0)(x, mask, axis, keepdims) if not isinstance(axis, tuple) else None
        ),
    ),
    "nancumsum": (
        lambda d: ([(m := _masked(d))[0]], {"mask": m[1], "axis": m[2]}),
        _ours(ag.nancumsum),
        lambda x, mask, axis: torch.cumsum(
            torch.where(torch.from_numpy(mask), 0.0, x).reshape(-1 if axis is None else x.shape),
            0 if axis is None else axis,
        ),
    ),
    "percentile": (
        _percentile,
        lambda x, mask, **p: ag.percentile(x, **p),
        _twin_percentile(False),
    ),
    "nanpercentile": (_percentile, _ours(ag.nanpercentile), _twin_percentile(True)),
}

(
    test_first_and_second_derivatives_against_finite_differences,
    test_values_and_gradients_against_pytorch,
) = make_tests(CASES)


@pytest.mark.parametrize("name", ["nanvar", "nanstd", "nanmax", "nanmin", "nanprod", "nancumsum"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_values_follow_numpy_with_nan_rows_and_too_few_entries(name, axis):
    x = np.array([[0.5, np.nan, -1.0, 2.0], [np.nan, np.nan, np.nan, np.nan], [1.5, np.nan, np.nan, np.nan]])
    ours, theirs = getattr(ag, name), getattr(np, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for kw in [{"ddof": 1}, {"ddof": 0}] if name in ("nanvar", "nanstd") else [{}]:
            want = theirs(x, axis=axis, **kw)
            v = Value(x)
            out = ours(v, axis=axis, **kw)
            np.testing.assert_allclose(out.data, want, equal_nan=True)
            np.testing.assert_allclose(getattr(np, name)(v, axis=axis, **kw).data, want, equal_nan=True)
            out.backward(np.ones(out.shape))
            assert np.isfinite(v.grad).all() and (v.grad[np.isnan(x)] == 0).all()


def test_nanstd_gradient_is_zero_at_zero_variance_and_the_fast_path_matches_std():
    x = np.array([[2.0, 2.0, np.nan], [1.0, 3.0, 2.0]])
    v = Value(x)
    ag.nanstd(v, axis=1).sum().backward()
    np.testing.assert_array_equal(v.grad[0], [0, 0, 0])
    gradcheck(lambda a: ag.nanstd(a, axis=1), [x[1:]])
    plain = np.array([[1.0, 3.0, 2.5], [0.5, 0.0, 1.0]])
    np.testing.assert_array_equal(ag.nanstd(plain, 1, 1).data, ag.std(plain, 1).data)
    gradgradcheck(lambda a: ag.nanvar(a, axis=0, ddof=1), [plain])


def test_nanmax_ties_share_and_integers_become_float():
    v = Value(np.array([1.0, 3.0, np.nan, 3.0]))
    ag.nanmax(v).backward()
    np.testing.assert_array_equal(v.grad, [0, 0.5, 0, 0.5])
    assert ag.nanmin(np.array([3, 1, 2])).data == 1 and ag.nanmin(np.array([3, 1])).dtype == np.float64


def test_percentile_is_numpys_for_every_method():
    x = np.array([[3.0, 1.0, 2.0, 5.0], [0.0, 4.0, 4.0, 1.0]])
    for method in ("linear", "lower", "higher", "nearest", "midpoint"):
        got = ag.percentile(x, [20, 50, 75], axis=1, method=method).data
        np.testing.assert_array_equal(got, np.percentile(x, [20, 50, 75], axis=1, method=method))
        np.testing.assert_array_equal(
            np.percentile(Value(x), 30, 0, method=method).data, np.percentile(x, 30, 0, method=method)
        )
    gradcheck(lambda v: np.nanpercentile(v, [10, 90], axis=1), [x + np.arange(8).reshape(2, 4) * 0.01])


def test_bad_arguments_are_refused_naming_the_function():
    with pytest.raises(ArgumentError, match=r"percentile: q must be .* \[0, 100\]"):
        ag.percentile(np.ones(3), 101)
    with pytest.raises(ArgumentError, match="nanvar: ddof"):
        ag.nanvar(np.ones(3), ddof=-1)
    with pytest.raises(TypeError, match="nanstd: ddof and correction"):
        ag.nanstd(np.ones(3), ddof=1, correction=1)
    with pytest.raises(ag.NotDifferentiableError, match=r"numpy.nanmax\(..., out="):
        np.nanmax(Value(np.ones(3)), out=np.ones(()))
