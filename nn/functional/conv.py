"""Convolutions (cross-correlations, as in PyTorch) as pad + sliding_windows + one tensordot/einsum.

The window view costs nothing; the contraction copies it once into BLAS's layout (im2col). Its
vjps are the same primitives transposed (tensordot, then fold, then unpad), so first and second
derivatives come from the engine: there is no hand-written convolution gradient to get wrong.
"""

import math

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value, ntuple, permute

__all__ = ["conv1d", "conv2d", "conv3d", "conv_output_size", "conv_padding"]


def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    """floor((W + 2P - D(F-1) - 1) / S) + 1 for one spatial axis (symmetric padding P)."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def conv_padding(padding, kernel, stride, dilation, nd, name):
    """Padding as one (before, after) pair per spatial axis: int, tuple, 'valid' or 'same'."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
            pairs = []
            for k, d in zip(kernel, dilation):
                total = d * (k - 1)
                pairs.append((total // 2, total - total // 2))  # extra on the right, like PyTorch
            return tuple(pairs)
        raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid'; got {padding!r}")
    p = ntuple(padding, nd, name)
    if any(a < 0 for a in p):
        raise ValueError(f"{name}: negative padding {padding!r}")
    return tuple((a, a) for a in p)


def _convnd(x, weight, bias, stride, padding, dilation, groups, nd, name):
    x, weight = as_value(x), as_value(weight)
    bias = None if bias is None else as_value(bias)
    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    if x.ndim != nd + 2 or weight.ndim != nd + 2:
        raise ShapeError(
            f"{name}: expected input (N, C, {'L' if nd == 1 else 'H, W' if nd == 2 else 'D, H, W'}) and a {nd + 2}-d "
            f"weight, got input {x.shape} and weight {weight.shape}"
        )
    n, c = x.shape[:2]
    out_ch, c_per_group = weight.shape[:2]
    kernel = weight.shape[2:]
    if groups < 1 or c % groups or out_ch % groups:
        raise ShapeError(f"{name}: groups={groups} must divide in_channels {c} and out_channels {out_ch}")
    if c_per_group * groups != c:
        raise ShapeError(
            f"{name}: input has {c} channels but weight {weight.shape} expects {c_per_group * groups} "
            f"(in_channels / groups = {c_per_group}, groups = {groups})"
        )
    stride = ntuple(stride, nd, name)
    dilation = ntuple(dilation, nd, name)
    pads = conv_padding(padding, kernel, stride, dilation, nd, name)
    if any(p != (0, 0) for p in pads):
        x = ag.pad(x, ((0, 0), (0, 0)) + pads)
    spatial = tuple(range(2, 2 + nd))
    for a, k, d in zip(spatial, kernel, dilation):
        if x.shape[a] < d * (k - 1) + 1:
            raise ShapeError(
                f"{name}: padded input size {x.shape[2:]} is smaller than the dilated kernel size "
                f"{tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))}"
            )
    win = ag.sliding_windows(x, kernel, axes=spatial, stride=stride, dilation=dilation)  # (N, C, *out, *k)
    out_sp = win.shape[2 : 2 + nd]
    if groups == 1:
        # im2col as one (C*k, N*L) matrix: the whole batch is a single GEMM with the (O, C*k) weight
        # (forward, weight gradient and column gradient alike), which BLAS threads far better than
        # N small products. The (O, N*L) result is copied once into contiguous NCHW (the (N, O*L)
        # reshape of the transposed view), so later elementwise ops and pooling read one layout
        kdims = tuple(range(2 + nd, 2 + 2 * nd))
        npix = math.prod(out_sp)
        cols = permute(win, (1, *kdims, 0, *spatial)).reshape((c * math.prod(kernel), n * npix))
        y = ag.matmul(weight.reshape((out_ch, -1)), cols).reshape((out_ch, n, npix))
        y = permute(y, (1, 0, 2)).reshape((n, out_ch * npix)).reshape((n, out_ch) + out_sp)
    else:
        letters = "uvwxyz"[:nd]
        ks = "ijk"[:nd]
        win = win.reshape((n, groups, c_per_group) + out_sp + kernel)
        w = weight.reshape((groups, out_ch // groups, c_per_group) + kernel)
        y = ag.einsum(f"ngc{letters}{ks},goc{ks}->ngo{letters}", win, w)
        y = y.reshape((n, out_ch) + out_sp)
    if bias is not None:
        y = y + ag.reshape(bias, (out_ch,) + (1,) * nd)
    return y.squeeze(0) if unbatched else y


def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """x (N, C_in, L), weight (C_out, C_in/groups, K) -> (N, C_out, L_out)."""
    return _convnd(x, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """x (N, C_in, H, W), weight (C_out, C_in/groups, kH, kW) -> (N, C_out, H_out, W_out)."""
    return _convnd(x, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """x (N, C_in, D, H, W), weight (C_out, C_in/groups, kD, kH, kW)."""
    return _convnd(x, weight, bias, stride, padding, dilation, groups, 3, "conv3d")
