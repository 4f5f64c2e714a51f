"""ConvTranspose1d/2d/3d: weight (in, out/groups, *kernel), as torch.nn.ConvTranspose*d."""

import numpy as np

from .. import functional as F
from .. import init
from ..functional._utils import ntuple
from ..module import Module
from ..parameter import Parameter

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


class _ConvTransposeNd(Module):
    _nd = 2
    _fn = None

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups=1,
        bias=True,
        dilation=1,
        padding_mode="zeros",
        dtype=np.float32,
        rng=None,
        seed=None,
    ):
        super().__init__()
        nd, name = self._nd, type(self).__name__
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}"
            )
        if padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported, got {padding_mode!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = ntuple(kernel_size, nd, name)
        self.stride, self.padding = ntuple(stride, nd, name), ntuple(padding, nd, name)
        self.output_padding, self.dilation = ntuple(output_padding, nd, name), ntuple(dilation, nd, name)
        if any(not 0 <= op < max(s, d) for op, s, d in zip(self.output_padding, self.stride, self.dilation)):
            raise ValueError(f"{name}: output_padding must be smaller than either stride or dilation on each axis")
        self.groups, self.padding_mode = groups, padding_mode
        self.weight = Parameter(np.empty((in_channels, out_channels // groups, *self.kernel_size), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(init.resolve_rng(rng, seed))

    def reset_parameters(self, rng=None):
        """PyTorch's: kaiming_uniform_(a=sqrt(5)) weight (fan_in = out/groups * kernel), bias U(±1/sqrt(fan_in))."""
        init.default_affine_(self.weight, self.bias, generator=rng)

    def _output_padding(self, x, output_size):
        """The output_padding that gives ``output_size`` (PyTorch's forward(input, output_size))."""
        if output_size is None:
            return self.output_padding
        nd, name = self._nd, type(self).__name__
        size = tuple(output_size)[-nd:]
        if len(size) != nd:
            raise ValueError(f"{name}: output_size {output_size} needs {nd} spatial sizes")
        pads = []
        for i, want in enumerate(size):
            least = F.conv_transpose_output_size(
                x.shape[-nd + i], self.kernel_size[i], self.stride[i], self.padding[i], 0, self.dilation[i]
            )
            extra = want - least
            if not 0 <= extra < max(self.stride[i], self.dilation[i]):
                top = least + max(self.stride[i], self.dilation[i]) - 1
                raise ValueError(
                    f"{name}: requested output size {size} is not reachable: axis {i} allows {least}..{top}"
                )
            pads.append(extra)
        return tuple(pads)

    def forward(self, x, output_size=None):
        op = self._output_padding(x, output_size)
        return type(self)._fn(x, self.weight, self.bias, self.stride, self.padding, op, self.groups, self.dilation)

    def extra_repr(self):
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        for attr, default in (("padding", 0), ("output_padding", 0), ("dilation", 1)):
            if getattr(self, attr) != (default,) * self._nd:
                s += f", {attr}={getattr(self, attr)}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class ConvTranspose1d(_ConvTransposeNd):
    """(N, C_in, L) -> (N, C_out, L_out), L_out = (L - 1) S - 2P + D (K - 1) + output_padding + 1."""

    _nd = 1
    _fn = staticmethod(F.conv_transpose1d)


class ConvTranspose2d(_ConvTransposeNd):
    """(N, C_in, H, W) -> (N, C_out, H_out, W_out); each size (L - 1) S - 2P + D (K - 1) + output_padding + 1."""

    _nd = 2
    _fn = staticmethod(F.conv_transpose2d)


class ConvTranspose3d(_ConvTransposeNd):
    """(N, C_in, D, H, W) -> (N, C_out, D_out, H_out, W_out); sizes as ConvTranspose2d."""

    _nd = 3
    _fn = staticmethod(F.conv_transpose3d)
