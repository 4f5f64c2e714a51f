"""Op database entries: sliding windows (the view under convolution and pooling) and fold, its transpose."""

import numpy as np

import autograd_core as ag
from autograd_core.ops.windows import fold, normalize_window_args

from .draw import arrays, shapes, st
from .info import OpInfo
from .samples import uniform


def window_params(draw, shape):
    """Draw sliding_windows keywords for ``shape``: window_shape, axes (maybe negative), stride, dilation."""
    n = len(shape)
    axes = tuple(draw(st.permutations(range(n)))[: draw(st.integers(1, n))])
    dilation = tuple(draw(st.integers(1, 2)) if shape[a] >= 3 else 1 for a in axes)
    window = tuple(draw(st.integers(1, (shape[a] - 1) // d + 1)) for a, d in zip(axes, dilation))
    stride = tuple(draw(st.integers(1, 3)) for _ in axes)
    if draw(st.booleans()):
        axes = tuple(a - n for a in axes)
    return {"window_shape": window, "axes": axes, "stride": stride, "dilation": dilation}


def _windows_inputs(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    return [draw(arrays(shape))], window_params(draw, shape)


def _torch_windows(x, window_shape, axes, stride, dilation):
    nd = x.ndim  # each unfold appends its window dim at the end, as numpy's convention does
    for a, w, s, d in zip(axes, window_shape, stride, dilation):
        x = x.unfold(a % nd, (w - 1) * d + 1, s)[..., ::d]
    return x


def _fold_inputs(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    p = window_params(draw, shape)
    window, axes, stride, dilation = normalize_window_args(shape, **p)
    params = {"shape": shape, "window_shape": window, "axes": axes, "stride": stride, "dilation": dilation}
    out_shape = ag.sliding_windows(np.zeros(shape), **p).shape
    return [draw(arrays(out_shape))], params


ENTRIES = [
    OpInfo(
        "sliding_windows",
        ag.sliding_windows,
        sample=([uniform(2, 4, 5)], {"window_shape": (2, 2), "axes": (1, 2), "stride": (1, 2), "dilation": (1, 1)}),
        inputs=_windows_inputs,
        torch=_torch_windows,
    ),
    OpInfo(
        "fold",
        fold,
        sample=([uniform(4, 2)], {"shape": (5,), "window_shape": (2,), "axes": (0,), "stride": (1,), "dilation": (1,)}),
        inputs=_fold_inputs,
    ),
]
