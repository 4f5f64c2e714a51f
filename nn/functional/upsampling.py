"""``F.interpolate`` (PyTorch's resizing): nearest, nearest-exact, linear, bilinear and trilinear.

Source coordinates follow PyTorch's ``area_pixel_compute_source_index``: with ``align_corners=True``
``src = dst * (in - 1) / (out - 1)``; otherwise ``src = (dst + 0.5) * scale - 0.5`` clamped at 0, where
``scale = 1 / scale_factor`` when a scale factor is given (and not recomputed) and ``in / out``
otherwise. Nearest takes ``floor(dst * scale)`` (nearest-exact ``floor((dst + 0.5) * scale)``). Every
mode is integer-array indexing along one spatial axis at a time (linear modes blend two such lookups
with constant weights), so gradients are scatter-adds and second derivatives come from the engine.
"""

import math

import numpy as np

from autograd_core import ShapeError

from ._utils import as_value

__all__ = ["interpolate", "upsample"]

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}
_MODES = ("nearest", "nearest-exact", *_LINEAR)


def _output_sizes(name, in_sp, size, scale_factor, recompute):
    """(output sizes, per-axis scale factors or None) from exactly one of size and scale_factor."""
    nd = len(in_sp)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{name}: give exactly one of size and scale_factor")
    if size is not None:
        out = (int(size),) * nd if np.isscalar(size) else tuple(int(s) for s in size)
        if len(out) != nd:
            raise ValueError(f"{name}: size {size} needs {nd} entries for x spatial shape {in_sp}")
        scales = None
    else:
        scales = (float(scale_factor),) * nd if np.isscalar(scale_factor) else tuple(map(float, scale_factor))
        if len(scales) != nd:
            raise ValueError(f"{name}: scale_factor {scale_factor} needs {nd} entries for spatial shape {in_sp}")
        if min(scales) <= 0:
            raise ValueError(f"{name}: scale_factor must be positive, got {scale_factor}")
        out = tuple(math.floor(n * f) for n, f in zip(in_sp, scales))
        if recompute:
            scales = None
    if min(out) < 1:
        raise ValueError(f"{name}: output size {out} must be positive (x spatial shape {in_sp})")
    return out, scales


def _scale(n_in, n_out, align_corners, factor):
    if align_corners:
        return (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return 1.0 / factor if factor is not None else n_in / n_out


def _take(x, axis, idx):
    return x[(slice(None),) * axis + (idx,)]


def _nearest(x, axis, n_out, scale, exact):
    dst = np.arange(n_out, dtype=np.float64)
    src = np.floor((dst + 0.5) * scale if exact else dst * scale).astype(np.intp)
    return _take(x, axis, np.minimum(src, x.shape[axis] - 1))


def _linear(x, axis, n_out, scale, align_corners):
    n_in = x.shape[axis]
    dst = np.arange(n_out, dtype=np.float64)
    src = dst * scale if align_corners else np.maximum((dst + 0.5) * scale - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.intp), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    lam = (src - i0).astype(x.dtype).reshape((-1,) + (1,) * (x.ndim - axis - 1))
    return _take(x, axis, i0) * (1 - lam) + _take(x, axis, i1) * lam


def interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
    """Resize the spatial axes of (N, C, *spatial): 1, 2 or 3 spatial axes, PyTorch's semantics.

    **Arguments:** ``size`` the output spatial size (int or one per axis) or ``scale_factor`` (float
    or one per axis; output ``floor(in * scale_factor)``), exactly one of them; ``mode`` 'nearest',
    'nearest-exact', 'linear' (3-d x), 'bilinear' (4-d) or 'trilinear' (5-d); ``align_corners``
    (linear modes only, default False) maps the corner pixels' centres onto each other;
    ``recompute_scale_factor=True`` derives the scale from the output size instead of the factor.

    **Returns:** (N, C, *out) in the x's dtype. **Raises:** ValueError for an unknown mode, both
    or neither of size and scale_factor, align_corners with a nearest mode, or a non-positive output
    size; ShapeError when the x rank does not fit the mode.
    """
    x = as_value(x)
    if mode not in _MODES:
        raise ValueError(f"interpolate: mode must be one of {', '.join(_MODES)}; got {mode!r}")
    if x.ndim not in (3, 4, 5):
        raise ShapeError(f"interpolate: expected a 3-, 4- or 5-d x (N, C, *spatial), got shape {x.shape}")
    nd = x.ndim - 2
    if mode in _LINEAR and _LINEAR[mode] != nd:
        raise ShapeError(f"interpolate: mode {mode!r} needs a {_LINEAR[mode] + 2}-d x, got shape {x.shape}")
    if align_corners is not None and mode not in _LINEAR:
        raise ValueError(
            "interpolate: align_corners can only be set with the linear modes (linear, bilinear, trilinear)"
        )
    align_corners = bool(align_corners)
    in_sp = x.shape[2:]
    out_sp, factors = _output_sizes("interpolate", in_sp, size, scale_factor, recompute_scale_factor)
    for i, (n_in, n_out) in enumerate(zip(in_sp, out_sp)):
        if n_in == n_out and (factors is None or factors[i] == 1.0):
            continue  # the identity along this axis
        scale = _scale(n_in, n_out, align_corners, None if factors is None else factors[i])
        if mode in _LINEAR:
            x = _linear(x, 2 + i, n_out, scale, align_corners)
        else:
            x = _nearest(x, 2 + i, n_out, scale, mode == "nearest-exact")
    return x


def upsample(x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's older name for :func:`interpolate`."""
    return interpolate(x, size, scale_factor, mode, align_corners)
