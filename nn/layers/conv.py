"""Conv1d, Conv2d, Conv3d: weight (out, in/groups, *kernel), PyTorch's default initialisation."""

import numpy as np

from .. import functional as F
from .. import init
from ..functional._utils import ntuple
from ..module import Module
from ..parameter import Parameter

__all__ = ["Conv1d", "Conv2d", "Conv3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvBase(Module):
    """What Conv*d and ConvTranspose*d share: the channel and group checks, the kernel size, the weight
    (``weight_lead + kernel``) and bias Parameters, PyTorch's default initialisation and the repr."""

    _nd = 2
    _fn = None
    _repr_defaults = ()  # (attribute, per-axis default): shown in the repr where it differs

    def _setup(self, in_channels, out_channels, kernel_size, groups, bias, dtype, weight_lead):
        nd, name = self._nd, type(self).__name__
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}"
            )
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = ntuple(kernel_size, nd, name)
        self.weight = Parameter(np.empty((*weight_lead, *self.kernel_size), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)

    def reset_parameters(self, rng=None):
        """PyTorch's: kaiming_uniform_(a=sqrt(5)) weight, bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (fan_in from
        the weight's second axis and the kernel)."""
        init.default_affine_(self.weight, self.bias, generator=rng)

    def extra_repr(self):
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        for attr, default in self._repr_defaults:
            if getattr(self, attr) != (default,) * self._nd:
                s += f", {attr}={getattr(self, attr)!r}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode!r}"
        return s


class _ConvNd(_ConvBase):
    _repr_defaults = (("padding", 0), ("dilation", 1))

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        padding_mode="zeros",
        dtype=np.float32,
        rng=None,
        seed=None,
    ):
        super().__init__()
        nd, name = self._nd, type(self).__name__
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"{name}: padding_mode must be one of {', '.join(map(repr, _PADDING_MODES))}, got {padding_mode!r}"
            )
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid'; got {padding!r}")
        self.stride = ntuple(stride, nd, name)
        if padding == "same" and any(s != 1 for s in self.stride):
            raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
        self._setup(in_channels, out_channels, kernel_size, groups, bias, dtype, (out_channels, in_channels // groups))
        self.padding = padding if isinstance(padding, str) else ntuple(padding, nd, name)
        self.dilation = ntuple(dilation, nd, name)
        self.padding_mode = padding_mode
        self.reset_parameters(init.resolve_rng(rng, seed))

    def forward(self, x):
        """Convolve ``x``; a non-zero ``padding_mode`` pads with F.pad first (PyTorch's order), then pads 0."""
        padding = self.padding
        if self.padding_mode != "zeros":
            nd = self._nd
            pairs = F.conv_padding(padding, self.kernel_size, self.stride, self.dilation, nd, type(self).__name__)
            x = F.pad(x, tuple(a for pair in reversed(pairs) for a in pair), mode=self.padding_mode)
            padding = 0
        return type(self)._fn(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv1d(_ConvNd):
    """(N, C_in, L) -> (N, C_out, L_out), L_out = floor((L + 2P - D(K-1) - 1)/S) + 1."""

    _nd = 1
    _fn = staticmethod(F.conv1d)


class Conv2d(_ConvNd):
    """(N, C_in, H, W) -> (N, C_out, H_out, W_out); each spatial size follows (W + 2P - D(F-1) - 1)/S + 1."""

    _nd = 2
    _fn = staticmethod(F.conv2d)


class Conv3d(_ConvNd):
    """(N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out); each spatial size follows Conv1d's formula."""

    _nd = 3
    _fn = staticmethod(F.conv3d)
