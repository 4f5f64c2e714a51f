"""Statistics and small elementwise compositions (ptp, nansum, nanmean, average, diff, cummax, cummin,
median, nanmedian, quantile, nanquantile, cov, corrcoef, xlogy, copysign, fmax, fmin, heaviside,
deg2rad, rad2deg): first and second derivatives against finite differences over drawn shapes,
values and gradients against PyTorch float64 (composition_sweep.py), plus numpy's rules and errors."""

import numpy as np
import pytest
import torch
from composition_sweep import flat_cat, make_tests
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ArgumentError, Value
from autograd_core.testing import arrays, broadcastable_shapes, shapes


def _distinct(draw, min_dims=1, max_dims=3, nan=False):
    """Entries on a 0.1 grid, all different (no ties: order statistics are smooth there); with
    ``nan``, some entries NaN."""
    shape = draw(shapes(min_dims=min_dims, max_dims=max_dims, max_side=3))
    n = int(np.prod(shape))
    x = np.array(draw(st.lists(st.integers(-30, 30), min_size=n, max_size=n, unique=True)), float).reshape(shape) * 0.1
    if nan and n:
        x.reshape(-1)[draw(st.lists(st.integers(0, n - 1), max_size=2))] = np.nan
    return x


def _axis(draw, x):
    return draw(st.integers(-x.ndim, x.ndim - 1))


def _reduce(nan=False):
    def draw_fn(draw):
        x = _distinct(draw, nan=nan)
        return [x], {"dim": _axis(draw, x), "keepdim": draw(st.booleans())}

    return draw_fn


def _quantile(nan=False):
    def draw_fn(draw):
        x = _distinct(draw, nan=nan)
        q = draw(st.floats(0, 1) | st.lists(st.floats(0, 1), min_size=1, max_size=3))
        dim = draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
        method = draw(st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]))
        return [x], {"q": q, "dim": dim, "keepdim": draw(st.booleans()), "interpolation": method}

    return draw_fn


def _diff(draw):
    x = _distinct(draw)
    extra = draw(st.sampled_from(["none", "number", "array"]))
    ax = _axis(draw, x)
    side = x.shape[: ax % x.ndim] + (2,) + x.shape[ax % x.ndim + 1 :]
    pre = None if extra == "none" else 0.5 if extra == "number" else draw(arrays(side))
    return [x], {"n": draw(st.integers(0, 3)), "dim": ax, "prepend": pre}


def _cov(draw):
    n, k = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    x = np.array(draw(st.lists(st.integers(-30, 30), min_size=n * k, max_size=n * k, unique=True))).reshape(n, k)
    return [x * 0.1], {"correction": draw(st.sampled_from([0, 1]))}


def _cov_weighted(draw):
    n, k = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    return [draw(arrays((n, k))), draw(arrays((k,), min_value=0.5, max_value=2.0))], {
        "fweights": np.array(draw(st.lists(st.integers(1, 3), min_size=k, max_size=k)))
    }


def _binary(**values):
    def draw_fn(draw):
        sa, sb = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
        return [draw(arrays(sa, **values)), draw(arrays(sb, **values))], {}

    return draw_fn


def _untied(draw):
    """Two arrays never within 0.2 of each other (fmax/fmin are kinked at ties)."""
    sa, sb = draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    a = draw(arrays(sa, elements=st.integers(-5, 5))) * 0.5
    b = draw(arrays(sb, elements=st.integers(-5, 5))) * 0.5 + 0.2
    return [a, b], {}


def _xlogy(draw):
    sa, sb = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
    x = draw(arrays(sa, elements=st.sampled_from([0.0, -1.5, 0.7, 2.0])))
    return [x, draw(arrays(sb, min_value=0.3, max_value=3.0))], {}


def _plain(draw):
    return [draw(arrays(draw(shapes(0, 3, max_side=3))))], {}


CASES = {
    "ptp": (_reduce(), lambda x, dim, keepdim: ag.ptp(x, dim, keepdim), None),
    "nansum": (_reduce(), lambda x, dim, keepdim: x.nansum(dim, keepdim), torch.nansum),
    "nanmean": (_reduce(), lambda x, dim, keepdim: x.nanmean(dim, keepdim), torch.nanmean),
    "diff": (
        _diff,
        lambda x, n, dim, prepend: x.diff(n, dim, prepend),
        lambda x, n, dim, prepend: (
            torch.diff(x, n, dim, None if prepend is None else torch.as_tensor(prepend))
            if not isinstance(prepend, float)
            else None
        ),
    ),
    "cummax": (
        lambda d: ([x := _distinct(d)], {"dim": _axis(d, x)}),
        lambda x, dim: x.cummax(dim).values,
        lambda x, dim: torch.cummax(x, dim).values,
    ),
    "cummin": (
        lambda d: ([x := _distinct(d)], {"dim": _axis(d, x)}),
        lambda x, dim: ag.cummin(x, dim).values,
        lambda x, dim: torch.cummin(x, dim).values,
    ),
    "median": (
        _reduce(),
        lambda x, dim, keepdim: x.median(dim, keepdim).values,
        lambda x, dim, keepdim: torch.median(x, dim, keepdim).values,
    ),
    "median_all": (lambda d: ([_distinct(d, 0)], {}), ag.median, torch.median),
    "nanmedian": (
        _reduce(),
        lambda x, dim, keepdim: ag.nanmedian(x, dim, keepdim).values,
        lambda x, dim, keepdim: torch.nanmedian(x, dim, keepdim).values,
    ),
    "quantile": (
        _quantile(),
        lambda x, q, **p: ag.quantile(x, q, **p),
        lambda x, q, **p: torch.quantile(x, torch.tensor(q, dtype=x.dtype), **p),
    ),
    "nanquantile": (
        _quantile(),
        lambda x, q, **p: x.nanquantile(q, **p),
        lambda x, q, **p: torch.nanquantile(x, torch.tensor(q, dtype=x.dtype), **p),
    ),
    "cov": (
        _cov,
        lambda x, correction: x.cov(correction=correction),
        lambda x, correction: torch.cov(x, correction=correction),
    ),
    "cov_weights": (
        _cov_weighted,
        lambda x, w, fweights: ag.cov(x, fweights=fweights, aweights=w),
        lambda x, w, fweights: torch.cov(x, fweights=torch.as_tensor(fweights), aweights=w),
    ),
    "corrcoef": (_cov, lambda x, correction: ag.corrcoef(x), lambda x, correction: torch.corrcoef(x)),
    "average": (
        _cov_weighted,
        lambda x, w, fweights: ag.average(x, axis=1, weights=w),
        lambda x, w, fweights: (x * w).sum(1) / w.sum(),
    ),
    "xlogy": (_xlogy, ag.xlogy, torch.xlogy),
    "copysign": (_binary(away_from=(0,), margin=0.1), lambda a, b: a.copysign(b), torch.copysign),
    "fmax": (_untied, ag.fmax, torch.fmax),
    "fmin": (_untied, lambda a, b: a.fmin(b), torch.fmin),
    "heaviside": (_binary(away_from=(0,)), ag.heaviside, None),
    "deg2rad": (_plain, lambda x: x.deg2rad(), torch.deg2rad),
    "rad2deg": (_plain, ag.rad2deg, torch.rad2deg),
    "digamma": (lambda d: ([d(arrays(d(shapes(0, 2, max_side=3)), min_value=0.5))], {}), lambda x: x.digamma(), None),
    "atleast pieces": (lambda d: ([_distinct(d)], {}), lambda x: flat_cat(ag.atleast_2d(x, x)), None),
}

(
    test_first_and_second_derivatives_against_finite_differences,
    test_values_and_gradients_against_pytorch,
) = make_tests(CASES)


def test_numpy_median_and_quantile_follow_numpy_and_ag_median_follows_pytorch():
    x = np.array([[3.0, 1.0, 2.0, 5.0], [0.0, 4.0, 4.0, 1.0]])
    np.testing.assert_allclose(np.median(Value(x), axis=1).data, np.median(x, axis=1))
    assert ag.median(x).data == torch.median(torch.tensor(x)).item() == 2.0  # the lower median
    v = Value(np.array([1.0, 2.0, 2.0, 3.0]))
    ag.median(v).backward()  # ties share the gradient (PyTorch's evenly_distribute_backward)
    np.testing.assert_array_equal(v.grad, [0, 0.5, 0.5, 0])
    for method in ("linear", "lower", "higher", "nearest", "midpoint"):
        np.testing.assert_allclose(
            ag.quantile(x, [0.2, 0.5, 0.75], dim=1, method=method).data,
            np.quantile(x, [0.2, 0.5, 0.75], axis=1, method=method),
        )
    assert np.isnan(ag.quantile([1.0, np.nan], 0.5).data) and ag.nanquantile([1.0, np.nan], 0.5).data == 1.0


@pytest.mark.parametrize(
    ("ours", "twin"),
    [
        (lambda x: ag.nansum(x, 1), lambda x: torch.nansum(x, 1)),
        (lambda x: ag.nanmean(x, 0), lambda x: torch.nanmean(x, 0)),
        (lambda x: ag.nanmedian(x, 1).values, lambda x: torch.nanmedian(x, 1).values),
        (lambda x: ag.nanmedian(x), torch.nanmedian),
        (
            lambda x: ag.nanquantile(x, [0.3, 0.8], 1),
            lambda x: torch.nanquantile(x, torch.tensor([0.3, 0.8], dtype=torch.float64), 1),
        ),
        (lambda x: ag.quantile(x, 0.3, 1), lambda x: torch.quantile(x, 0.3, 1)),
        (lambda x: ag.median(x, 1).values, lambda x: torch.median(x, 1).values),
        (lambda x: ag.cummin(x, 1).values, lambda x: torch.cummin(x, 1).values),
        (lambda x: ag.fmax(x, x[::-1]), lambda x: torch.fmax(x, x.flip(0))),
    ],
)
def test_nan_entries_are_skipped_or_propagated_as_pytorch_does(ours, twin):
    x = np.array([[0.5, np.nan, -1.0, 2.0], [np.nan, np.nan, np.nan, np.nan], [1.5, 0.25, np.nan, -3.0]])
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    out, want = ours(v), twin(t)
    np.testing.assert_allclose(out.data, want.detach().numpy(), equal_nan=True)
    cot = np.random.default_rng(1).standard_normal(out.shape)
    (want * torch.from_numpy(cot)).nansum().backward()
    g = ag.gradients(out, [v], cot)[0].data
    np.testing.assert_allclose(np.where(np.isnan(x), 0, g), np.where(np.isnan(x), 0, t.grad.numpy()), equal_nan=True)


def test_cummax_indices_follow_pytorch_on_ties_and_nan():
    x = np.array([[1.0, 1.0, 0.0, np.nan, 2.0, np.nan], [2.0, 0.0, 2.0, 1.0, 3.0, 3.0]])
    got = ag.cummax(x, 1)
    want = torch.cummax(torch.tensor(x), 1)
    np.testing.assert_array_equal(got.indices.data, want.indices.numpy())
    np.testing.assert_array_equal(ag.cummin(x, 1).indices.data, torch.cummin(torch.tensor(x), 1).indices.numpy())


def test_float_tests_are_bool_constants():
    x = Value(np.array([0.0, np.inf, -np.inf, np.nan]))
    for name in ("isnan", "isinf", "isfinite", "isposinf", "isneginf"):
        got = getattr(x, name)()
        assert got.dtype == bool and not got.requires_grad
        np.testing.assert_array_equal(got.data, getattr(np, name)(x.data))
    np.testing.assert_array_equal(ag.isclose(x, 1e-9).data, np.isclose(x.data, 1e-9))


def test_bad_arguments_are_refused_naming_the_function():
    with pytest.raises(ArgumentError, match="quantile: q must be"):
        ag.quantile(np.ones(3), 1.5)
    with pytest.raises(ArgumentError, match="average: the weights sum to zero"):
        ag.average(np.ones(3), weights=np.zeros(3))
    with pytest.raises(ArgumentError, match="diff: n must be"):
        ag.diff(np.ones(3), -1)
    with pytest.raises(TypeError, match="cummax: give dim"):
        ag.cummax(np.ones(3))
    with pytest.raises(TypeError, match="polygamma: n must be"):
        ag.polygamma(-1, 1.0)
