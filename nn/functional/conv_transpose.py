"""Transposed convolutions (``torch.nn.functional.conv_transpose1d/2d``): the gradient of a convolution
with respect to its x, used as a layer.

Built from primitives, with no loop over pixels: one einsum puts each x pixel's contribution
``x[n, c, l] * w[c, o, k]`` into a window, and ``fold`` (the transpose of ``sliding_windows``)
adds the windows into the output at stride ``s`` and dilation ``d``; the result is cropped by
``padding`` and extended by ``output_padding``. Output size per axis (PyTorch's formula):
``L_out = (L_in - 1) * s - 2 * padding + d * (k - 1) + output_padding + 1``. Gradients, first and
second, come from the engine (einsum and fold are each other's transposes with sliding_windows).
"""

import autograd_core as ag
from autograd_core import ShapeError

from ._utils import as_value, ntuple

__all__ = ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "conv_transpose_output_size"]


def conv_transpose_output_size(size, kernel, stride=1, padding=0, output_padding=0, dilation=1):
    """(L - 1) S - 2P + D (K - 1) + output_padding + 1 for one spatial axis."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _check(name, x, weight, bias, groups, nd):
    spatial = "L" if nd == 1 else "H, W" if nd == 2 else "D, H, W"
    if x.ndim != nd + 2 or weight.ndim != nd + 2:
        raise ShapeError(
            f"{name}: expected x (N, C_in, {spatial}) or (C_in, {spatial}) and a {nd + 2}-d weight "
            f"(C_in, C_out/groups, *kernel), got x {x.shape} and weight {weight.shape}"
        )
    c_in = x.shape[1]
    if groups < 1 or weight.shape[0] % groups:
        raise ShapeError(f"{name}: groups={groups} must divide the weight's in_channels {weight.shape[0]}")
    if c_in != weight.shape[0]:
        raise ShapeError(
            f"{name}: x has {c_in} channels but weight {weight.shape} expects {weight.shape[0]} "
            "(the weight is (in_channels, out_channels / groups, *kernel))"
        )
    c_out = weight.shape[1] * groups
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise ShapeError(f"{name}: bias shape {tuple(bias.shape)} must be ({c_out},) (out_channels)")
    return c_out


def _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation, nd, name):
    x = as_value(x)
    weight = as_value(weight)
    bias = None if bias is None else as_value(bias)
    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    c_out = _check(name, x, weight, bias, groups, nd)
    stride, padding = ntuple(stride, nd, name), ntuple(padding, nd, name)
    output_padding, dilation = ntuple(output_padding, nd, name), ntuple(dilation, nd, name)
    if any(s < 1 for s in stride) or any(d < 1 for d in dilation) or any(p < 0 for p in padding):
        raise ValueError(f"{name}: stride and dilation must be positive and padding non-negative")
    for op, s, d in zip(output_padding, stride, dilation):
        if not 0 <= op < max(s, d):
            raise ValueError(
                f"{name}: output_padding {output_padding} must be non-negative and smaller than stride "
                f"{stride} or dilation {dilation} on each axis"
            )
    kernel = tuple(weight.shape[2:])
    n, c_in = x.shape[:2]
    in_sp = tuple(x.shape[2:])
    out_sp = tuple(
        conv_transpose_output_size(L, k, s, p, op, d)
        for L, k, s, p, op, d in zip(in_sp, kernel, stride, padding, output_padding, dilation)
    )
    if any(L < 1 for L in out_sp):
        raise ShapeError(f"{name}: output size {out_sp} is not positive (x {in_sp}, padding {padding})")
    # each x pixel's window: cols[n, g, o, *in, *k] = sum_c x[n, g, c, *in] w[g, c, o, *k]
    sp, ks = "uvw"[:nd], "ijk"[:nd]
    xg = x.reshape((n, groups, c_in // groups) + in_sp)
    wg = weight.reshape((groups, c_in // groups, c_out // groups) + kernel)
    cols = ag.einsum(f"ngc{sp},gco{ks}->ngo{sp}{ks}", xg, wg).reshape((n, c_out) + in_sp + kernel)
    full_sp = tuple((L - 1) * s + d * (k - 1) + 1 for L, k, s, d in zip(in_sp, kernel, stride, dilation))
    spatial = tuple(range(2, 2 + nd))
    y = ag.fold(cols, (n, c_out) + full_sp, kernel, axes=spatial, stride=stride, dilation=dilation)
    extra = [max(0, op - p) for op, p in zip(output_padding, padding)]  # output_padding beyond the crop
    if any(extra):
        y = ag.pad(y, ((0, 0), (0, 0)) + tuple((0, e) for e in extra))
    if any(padding) or any(extra):
        y = y[(slice(None), slice(None)) + tuple(slice(p, p + L) for p, L in zip(padding, out_sp))]
    if bias is not None:
        y = y + ag.reshape(bias, (c_out,) + (1,) * nd)
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """x (N, C_in, L) or (C_in, L), weight (C_in, C_out/groups, K), bias (C_out,) -> (N, C_out, L_out).

    PyTorch's argument order (groups before dilation). Raises ShapeError for mismatched shapes and
    ValueError for output_padding not smaller than stride or dilation.
    """
    return _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation, 1, "conv_transpose1d")


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """x (N, C_in, H, W), weight (C_in, C_out/groups, kH, kW), bias (C_out,) -> (N, C_out, H_out, W_out).

    Each spatial size is (L - 1) S - 2P + D (K - 1) + output_padding + 1; arguments as conv_transpose1d.
    """
    return _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation, 2, "conv_transpose2d")


def conv_transpose3d(x, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """x (N, C_in, D, H, W), weight (C_in, C_out/groups, kD, kH, kW); arguments as conv_transpose1d."""
    return _conv_transpose_nd(x, weight, bias, stride, padding, output_padding, groups, dilation, 3, "conv_transpose3d")
