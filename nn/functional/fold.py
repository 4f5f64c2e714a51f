"""``F.unfold`` (im2col) and ``F.fold`` (col2im) in PyTorch's layouts, from ``sliding_windows`` and its
transpose ``ag.fold``: each is the other's adjoint, so gradients of any order come from the engine.

Layouts (PyTorch's): ``unfold`` maps (N, C, H, W) to (N, C * kh * kw, L), with the channel slowest and
the kernel offsets row-major inside it, and L = out_h * out_w blocks in row-major order, where
out = floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1 on each axis.
``fold`` maps (N, C * kh * kw, L) back to (N, C, H, W), summing overlapping values.
"""

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value, ntuple, permute
from .conv import conv_output_size

__all__ = ["fold", "unfold"]


def _args(name, kernel_size, dilation, padding, stride):
    k, d = ntuple(kernel_size, 2, name), ntuple(dilation, 2, name)
    p, s = ntuple(padding, 2, name), ntuple(stride, 2, name)
    if min(k + d + s) < 1 or min(p) < 0:
        raise ValueError(f"{name}: kernel_size, dilation and stride must be positive and padding non-negative")
    return k, d, p, s


def _blocks(name, size, k, d, p, s):
    blocks = tuple(conv_output_size(n, kk, ss, pp, dd) for n, kk, ss, pp, dd in zip(size, k, s, p, d))
    if min(blocks) < 1:
        raise ShapeError(
            f"{name}: a {k} kernel with dilation {d} does not fit the padded size "
            f"{tuple(n + 2 * pp for n, pp in zip(size, p))}"
        )
    return blocks


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks as columns: (N, C, H, W) or (C, H, W) -> (N, C * kh * kw, L) or (C * kh * kw, L).

    Raises ShapeError for another rank or a kernel that does not fit the padded x.
    """
    x = as_value(x)
    if x.ndim not in (3, 4):
        raise ShapeError(f"unfold: expected a 3-d or 4-d x (N, C, H, W), got shape {x.shape}")
    unbatched = x.ndim == 3
    if unbatched:
        x = x.unsqueeze(0)
    k, d, p, s = _args("unfold", kernel_size, dilation, padding, stride)
    n, c = x.shape[:2]
    oh, ow = _blocks("unfold", x.shape[2:], k, d, p, s)
    if any(p):
        x = ag.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    win = ag.sliding_windows(x, k, axes=(2, 3), stride=s, dilation=d)  # (N, C, oh, ow, kh, kw)
    cols = permute(win, (0, 1, 4, 5, 2, 3)).reshape((n, c * k[0] * k[1], oh * ow))
    return cols.squeeze(0) if unbatched else cols


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns back into an image, overlaps summed: (N, C * kh * kw, L) -> (N, C, H, W), ``output_size`` (H, W).

    Also (C * kh * kw, L) -> (C, H, W). The adjoint of :func:`unfold` (``fold(unfold(x))`` multiplies
    each pixel by the number of blocks covering it). Raises ShapeError when dim 1 is not divisible
    by kh * kw or L is not the number of blocks that ``output_size`` holds.
    """
    cols = as_value(x)
    if cols.ndim not in (2, 3):
        raise ShapeError(f"fold: expected a 2-d or 3-d x (N, C * kh * kw, L), got shape {cols.shape}")
    unbatched = cols.ndim == 2
    if unbatched:
        cols = cols.unsqueeze(0)
    size = ntuple(output_size, 2, "fold")
    k, d, p, s = _args("fold", kernel_size, dilation, padding, stride)
    n, ckk, L = cols.shape
    oh, ow = _blocks("fold", size, k, d, p, s)
    if ckk % (k[0] * k[1]) or oh * ow != L:
        raise ShapeError(
            f"fold: x shape {cols.shape} does not match kernel {k} and output_size {size}: dim 1 must be a "
            f"multiple of {k[0] * k[1]} and dim 2 must be {oh} * {ow} = {oh * ow} blocks"
        )
    c = ckk // (k[0] * k[1])
    win = permute(cols.reshape((n, c, k[0], k[1], oh, ow)), (0, 1, 4, 5, 2, 3))
    padded = (n, c, size[0] + 2 * p[0], size[1] + 2 * p[1])
    y = ag.fold(win, padded, k, axes=(2, 3), stride=s, dilation=d)
    if any(p):
        y = y[:, :, p[0] : p[0] + size[0], p[1] : p[1] + size[1]]
    return y.squeeze(0) if unbatched else y
