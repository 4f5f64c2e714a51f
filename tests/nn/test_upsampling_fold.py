"""F.interpolate / nn.Upsample and F.unfold / F.fold (nn.Unfold / nn.Fold) against torch and finite differences."""

import numpy as np
import pytest
import torch
from _torch_helpers import assert_close_both
from hypothesis import given
from hypothesis import strategies as st

import nn
import nn.functional as F
from autograd_core import ShapeError, gradcheck, gradgradcheck

T = torch.nn.functional


@given(
    st.sampled_from(
        [("linear", 1), ("bilinear", 2), ("trilinear", 3), ("nearest", 1), ("nearest", 2), ("nearest-exact", 2)]
    ),
    st.data(),
)
def test_interpolate_matches_torch(mode_nd, data):
    mode, nd = mode_nd
    spatial = tuple(data.draw(st.integers(1, 4)) for _ in range(nd))
    if data.draw(st.booleans()):
        kw = {"size": tuple(data.draw(st.integers(1, 6)) for _ in range(nd))}
    else:
        factors = tuple(data.draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.7])) for _ in range(nd))
        if min(int(n * f) for n, f in zip(spatial, factors)) < 1:
            factors = (2.0,) * nd
        kw = {"scale_factor": factors, "recompute_scale_factor": data.draw(st.sampled_from([None, True]))}
    if mode.startswith("nearest"):
        kw["align_corners"] = None
    else:
        kw["align_corners"] = data.draw(st.booleans())
    x = np.random.default_rng(0).normal(size=(2, 2) + spatial)
    assert_close_both(lambda v: F.interpolate(v, mode=mode, **kw), lambda t: T.interpolate(t, mode=mode, **kw), [x])


def test_upsample_layers_and_gradcheck():
    x = np.random.default_rng(0).normal(size=(1, 2, 3, 2))
    for ours, theirs in [
        (nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2)),
        (nn.Upsample(size=(4, 5), mode="bilinear"), torch.nn.Upsample(size=(4, 5), mode="bilinear")),
        (nn.UpsamplingBilinear2d(scale_factor=2), torch.nn.UpsamplingBilinear2d(scale_factor=2)),
        (nn.UpsamplingNearest2d(size=5), torch.nn.UpsamplingNearest2d(size=5)),
    ]:
        assert_close_both(ours, theirs, [x])
    for mode, ac in [("bilinear", False), ("bilinear", True), ("nearest", None)]:
        gradgradcheck(lambda v, m=mode, a=ac: F.interpolate(v, scale_factor=1.5, mode=m, align_corners=a) ** 2, [x])


def test_interpolate_errors():
    x = np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError, match="exactly one"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="align_corners"):
        F.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(ShapeError, match="bilinear"):
        F.interpolate(np.zeros((1, 1, 3)), scale_factor=2, mode="bilinear")
    with pytest.raises(ValueError, match="mode"):
        F.interpolate(x, scale_factor=2, mode="bicubic")
    with pytest.raises(ValueError, match="positive"):
        F.interpolate(x, scale_factor=0.2)


_FOLD_ARGS = [
    {"kernel_size": 2},
    {"kernel_size": (3, 2), "stride": 2, "padding": 1, "dilation": (1, 2)},
    {"kernel_size": 2, "stride": (1, 3), "padding": (0, 1)},
]


@pytest.mark.parametrize("kw", _FOLD_ARGS)
def test_unfold_and_fold_match_torch(kw):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 6, 7))
    assert_close_both(lambda v: F.unfold(v, **kw), lambda t: T.unfold(t, **kw), [x])
    cols = F.unfold(x, **kw).data
    assert_close_both(
        lambda v: F.fold(v, (6, 7), **kw), lambda t: T.fold(t, (6, 7), **kw), [rng.normal(size=cols.shape)]
    )
    assert_close_both(nn.Unfold(**kw), torch.nn.Unfold(**kw), [x])
    assert_close_both(nn.Fold((6, 7), **kw), torch.nn.Fold((6, 7), **kw), [rng.normal(size=cols.shape)])
    assert F.unfold(x[0], **kw).shape == cols.shape[1:]  # unbatched


def test_fold_unfold_gradcheck_and_adjointness():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 2, 4, 3))
    kw = {"kernel_size": 2, "padding": 1, "stride": 2}
    gradgradcheck(lambda v: F.unfold(v, **kw) ** 2, [x])
    cols = rng.normal(size=F.unfold(x, **kw).shape)
    gradgradcheck(lambda c: F.fold(c, (4, 3), **kw) ** 2, [cols])
    # <unfold(x), c> == <x, fold(c)>: fold is unfold's adjoint
    np.testing.assert_allclose((F.unfold(x, **kw).data * cols).sum(), (x * F.fold(cols, (4, 3), **kw).data).sum())
    gradcheck(lambda v: F.fold(F.unfold(v, 2), (4, 3), 2), [x])


def test_fold_errors():
    with pytest.raises(ShapeError, match="blocks"):
        F.fold(np.zeros((1, 8, 5)), (3, 3), 2)
    with pytest.raises(ShapeError, match="4-d"):
        F.unfold(np.zeros((3, 3)), 2)
    with pytest.raises(ShapeError, match="does not fit"):
        F.unfold(np.zeros((1, 1, 2, 2)), 3)
