"""ConvTranspose1d/2d/3d: weight (in, out/groups, *kernel), as torch.nn.ConvTranspose*d."""

import numpy as np

from .. import functional as F
from .. import init
from ..functional._utils import ntuple
from .conv import _ConvBase

__all__ = ["ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


class _ConvTransposeNd(_ConvBase):
    _repr_defaults = (("padding", 0), ("output_padding", 0), ("dilation", 1))

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
        if padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported, got {padding_mode!r}")
        self._setup(in_channels, out_channels, kernel_size, groups, bias, dtype, (in_channels, out_channels // groups))
        self.stride, self.padding = ntuple(stride, nd, name), ntuple(padding, nd, name)
        self.output_padding, self.dilation = ntuple(output_padding, nd, name), ntuple(dilation, nd, name)
        if any(not 0 <= op < max(s, d) for op, s, d in zip(self.output_padding, self.stride, self.dilation)):
            raise ValueError(f"{name}: output_padding must be smaller than either stride or dilation on each axis")
        self.padding_mode = padding_mode
        self.reset_parameters(init.resolve_rng(rng, seed))

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
