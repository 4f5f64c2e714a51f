"""Pooling over sliding windows: max (gradient to the FIRST maximum of each window), average, adaptive.

Max pooling is pad + ``ag.sliding_windows`` + the engine primitive ``ag.window_max``
(autograd_core/ops/window_max.py), whose vjp routes the gradient to the first maximum.
"""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, window_max

from ._utils import as_value, ntuple

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "lp_pool1d",
    "lp_pool2d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "pool_output_size",
    "window_max",
]


def pool_output_size(size, kernel, stride, padding, dilation=1, ceil_mode=False):
    """PyTorch's pooling output length, including ceil_mode's "last window starts inside" rule."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pool_args(x, kernel_size, stride, padding, dilation, ceil_mode, nd, name):
    x = as_value(x)
    if x.ndim not in (nd + 1, nd + 2):
        raise ShapeError(f"{name}: expected a {nd + 1}-d or {nd + 2}-d input, got shape {x.shape}")
    kernel = ntuple(kernel_size, nd, name)
    stride = kernel if stride is None or stride == () else ntuple(stride, nd, name)
    padding = ntuple(padding, nd, name)
    dilation = ntuple(dilation, nd, name)
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise ValueError(f"{name}: padding {padding} should be at most half of the kernel size {kernel}")
    sizes = x.shape[-nd:]
    out = tuple(pool_output_size(*a, ceil_mode) for a in zip(sizes, kernel, stride, padding, dilation))
    if any(o < 1 for o in out):
        raise ShapeError(f"{name}: input size {sizes} is too small for kernel {kernel} (output size {out})")
    # right padding: the symmetric padding plus whatever ceil_mode's partial last window needs
    pads = []
    for size, k, s, p, d, o in zip(sizes, kernel, stride, padding, dilation, out):
        need = (o - 1) * s + d * (k - 1) + 1
        pads.append((p, max(need - size - p, 0)))
    return x, kernel, stride, tuple(pads), dilation, out


def _windows(x, kernel, stride, pads, dilation, nd, value):
    if any(p != (0, 0) for p in pads):
        x = ag.pad(x, ((0, 0),) * (x.ndim - nd) + pads, value=value)
    axes = tuple(range(x.ndim - nd, x.ndim))
    return ag.sliding_windows(x, kernel, axes=axes, stride=stride, dilation=dilation)


def _max_pool(x, kernel_size, stride, padding, dilation, ceil_mode, nd, name):
    x, kernel, stride, pads, dilation, _ = _pool_args(x, kernel_size, stride, padding, dilation, ceil_mode, nd, name)
    win = _windows(x, kernel, stride, pads, dilation, nd, -np.inf)
    return window_max(win, nwin=nd)


def max_pool1d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """(N, C, L) -> (N, C, L_out); padding counts as -inf; gradient to the first max per window."""
    return _max_pool(x, kernel_size, stride, padding, dilation, ceil_mode, 1, "max_pool1d")


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """(N, C, H, W) -> (N, C, H_out, W_out); stride defaults to kernel_size."""
    return _max_pool(x, kernel_size, stride, padding, dilation, ceil_mode, 2, "max_pool2d")


def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """(N, C, D, H, W) -> (N, C, D_out, H_out, W_out) (F.max_pool3d); each size as max_pool1d's."""
    return _max_pool(x, kernel_size, stride, padding, dilation, ceil_mode, 3, "max_pool3d")


def _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd, name):
    x, kernel, stride, pads, _, out = _pool_args(x, kernel_size, stride, padding, 1, ceil_mode, nd, name)
    win = _windows(x, kernel, stride, pads, (1,) * nd, nd, 0.0)
    axes = tuple(range(-nd, 0))
    if all(p == (0, 0) for p in pads) and not divisor_override:
        return win.mean(axis=axes)  # one op; float16 accumulates wider and divides once (ops/precision.py)
    total = win.sum(axis=axes)
    if divisor_override:
        return total / divisor_override
    # PyTorch divides by the window's overlap with the padded input (count_include_pad) or with
    # the input itself; a ceil_mode window hanging past the padding never counts the overhang
    sizes = x.shape[-nd:]
    counts = 1.0
    for i, (size, k, s, (p, _), o) in enumerate(zip(sizes, kernel, stride, pads, out)):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, size + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size)
        shape = [1] * nd
        shape[i] = o
        counts = counts * (end - start).reshape(shape)
    return total / np.asarray(counts, dtype=x.dtype)


def avg_pool1d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Window means over (N, C, L) (F.avg_pool1d); arguments, output length and errors as avg_pool2d."""
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1, "avg_pool1d")


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """Window means; by default zero padding counts in the divisor (PyTorch's count_include_pad=True)."""
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2, "avg_pool2d")


def avg_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """Window means over (N, C, D, H, W) (F.avg_pool3d); arguments as avg_pool2d."""
    return _avg_pool(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3, "avg_pool3d")


def _lp_pool(x, norm_type, kernel_size, stride, ceil_mode, nd, name):
    """PyTorch's power-average pooling: ``(sum over the window of x**p) ** (1/p)``, computed as
    ``(avg_pool(x**p) * window size) ** (1/p)``; p = inf is max pooling of |x|. Where a window's sum is
    0 the result is 0 with gradient 0 (PyTorch's documented rule), at every order."""
    p = float(norm_type)
    if p == np.inf:
        return _max_pool(ag.absolute(as_value(x)), kernel_size, stride, 0, 1, ceil_mode, nd, name)
    if p == 0:
        raise ValueError(f"{name}: norm_type must be nonzero, got {norm_type}")
    pool = avg_pool1d if nd == 1 else avg_pool2d
    out = pool(as_value(x) ** p, kernel_size, stride, 0, ceil_mode) * float(np.prod(ntuple(kernel_size, nd, name)))
    zero = out.numpy() == 0
    return ag.where(zero, 0.0, ag.where(zero, 1.0, out) ** (1.0 / p)).astype(out.dtype)


def lp_pool1d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling over (N, C, L) (F.lp_pool1d): the p-norm of each window, no padding.
    ``norm_type`` p: nonzero float or inf. Raises ValueError for p = 0; output length as avg_pool1d."""
    return _lp_pool(x, norm_type, kernel_size, stride, ceil_mode, 1, "lp_pool1d")


def lp_pool2d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling over (N, C, H, W) (F.lp_pool2d); see lp_pool1d."""
    return _lp_pool(x, norm_type, kernel_size, stride, ceil_mode, 2, "lp_pool2d")


def _adaptive_matrix(size, out, dtype):
    """(out, size) averaging matrix with PyTorch's bins [floor(i*L/out), ceil((i+1)*L/out))."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    pos = np.arange(size)
    m = (pos >= start[:, None]) & (pos < end[:, None])
    return (m / (end - start)[:, None]).astype(dtype)


def adaptive_sizes(x, output_size, nd, name, nonempty=False):
    """An adaptive pool's input as a Value, its spatial sizes and the output sizes: ``output_size`` an
    int, None (keep that size) or one per spatial axis. ShapeError for an input that is not
    (N, C, *spatial) or (C, *spatial), or an output size below 1 (or, with ``nonempty``, an empty
    spatial axis)."""
    x = as_value(x)
    if x.ndim not in (nd + 1, nd + 2):
        raise ShapeError(f"{name}: expected a {nd + 1}-d or {nd + 2}-d input, got shape {x.shape}")
    sizes = x.shape[-nd:]
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * nd
    out = tuple(s if o is None else int(o) for s, o in zip(sizes, output_size))
    if len(out) != nd or any(o < 1 for o in out) or (nonempty and any(s < 1 for s in sizes)):
        raise ShapeError(f"{name}: invalid output_size {output_size!r} for input of shape {x.shape}")
    return x, sizes, out


def _adaptive(x, output_size, nd, name):
    x, sizes, out = adaptive_sizes(x, output_size, nd, name)
    if all(o == 1 for o in out):
        return x.mean(axis=tuple(range(-nd, 0)), keepdims=True)
    if all(s % o == 0 for s, o in zip(sizes, out)):
        k = tuple(s // o for s, o in zip(sizes, out))
        return _avg_pool(x, k, k, 0, False, True, None, nd, name)
    y = x
    for i, (s, o) in enumerate(zip(sizes, out)):
        axis = x.ndim - nd + i
        y = ag.tensordot(y, _adaptive_matrix(s, o, x.dtype), axes=((axis,), (1,)))  # moves axis to the end
        y = ag.transpose(y, axes=tuple(range(axis)) + (y.ndim - 1,) + tuple(range(axis, y.ndim - 1)))
    return y


def adaptive_avg_pool1d(x, output_size):
    """Average (N, C, L) into ``output_size`` bins for any L (F.adaptive_avg_pool1d); see adaptive_avg_pool2d."""
    return _adaptive(x, output_size, 1, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(x, output_size):
    """Average into a fixed output grid for any input size (bins as PyTorch draws them)."""
    return _adaptive(x, output_size, 2, "adaptive_avg_pool2d")
