"""Pooling layers: MaxPool1d/2d/3d, AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d, AdaptiveMaxPool1d/2d, LPPool1d/2d
(no parameters)."""

from .. import functional as F
from ..module import Module

__all__ = [
    "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "AvgPool3d",
    "LPPool1d",
    "LPPool2d",
    "MaxPool1d",
    "MaxPool2d",
    "MaxPool3d",
]


class _MaxPool(Module):
    """Shared settings of the max-pooling layers (stride defaults to kernel_size, as PyTorch)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation, self.ceil_mode = padding, dilation, ceil_mode

    def extra_repr(self):
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPool):
    """Max over each window of (N, C, L) (F.max_pool1d); the gradient goes to the first maximum.
    L_out = floor((L + 2P - D(K-1) - 1) / S) + 1 (ceil with ceil_mode)."""

    def forward(self, x):
        return F.max_pool1d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


class MaxPool2d(_MaxPool):
    """Max over each window; the gradient goes to the first maximum (PyTorch's rule)."""

    def forward(self, x):
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


class MaxPool3d(_MaxPool):
    """Max over each window of (N, C, D, H, W) (F.max_pool3d); each size as MaxPool1d's formula."""

    def forward(self, x):
        return F.max_pool3d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode)


class _AvgPool(Module):
    """Shared settings of the average-pooling layers (stride defaults to kernel_size, as PyTorch)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPool):
    """Window means over (N, C, L) (F.avg_pool1d); zero padding counts in the divisor unless
    count_include_pad=False. L_out = floor((L + 2P - K) / S) + 1 (ceil with ceil_mode)."""

    def forward(self, x):
        return F.avg_pool1d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class AvgPool2d(_AvgPool):
    """Window means over (N, C, H, W) (F.avg_pool2d); ``divisor_override`` replaces the window size
    as divisor. Each spatial size follows AvgPool1d's formula."""

    def __init__(
        self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None
    ):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    _fn = staticmethod(F.avg_pool2d)

    def forward(self, x):
        return self._fn(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )


class AvgPool3d(AvgPool2d):
    """Window means over (N, C, D, H, W) (F.avg_pool3d); arguments as AvgPool2d."""

    _fn = staticmethod(F.avg_pool3d)


class AdaptiveAvgPool1d(Module):
    """Average (N, C, L) into ``output_size`` bins for any L (F.adaptive_avg_pool1d; PyTorch's bins)."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return F.adaptive_avg_pool1d(x, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(AdaptiveAvgPool1d):
    """Average into ``output_size`` bins for any input size; (1, 1) is global average pooling."""

    def forward(self, x):
        return F.adaptive_avg_pool2d(x, self.output_size)


class AdaptiveMaxPool1d(Module):
    """Maximum of (N, C, L) over ``output_size`` adaptive bins for any L (F.adaptive_max_pool1d);
    ``return_indices=True`` returns (output, int64 indices) as PyTorch."""

    _fn = staticmethod(F.adaptive_max_pool1d)

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, x):
        return self._fn(x, self.output_size, self.return_indices)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveMaxPool1d):
    """Maximum of (N, C, H, W) over adaptive bins (F.adaptive_max_pool2d); indices are h * W + w."""

    _fn = staticmethod(F.adaptive_max_pool2d)


class LPPool1d(Module):
    """Power-average pooling of (N, C, L) (F.lp_pool1d): each window's ``norm_type``-norm, no padding;
    stride defaults to kernel_size. L_out = floor((L - K) / S) + 1 (ceil with ceil_mode)."""

    _fn = staticmethod(F.lp_pool1d)

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, x):
        return self._fn(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )


class LPPool2d(LPPool1d):
    """Power-average pooling of (N, C, H, W) (F.lp_pool2d); arguments as LPPool1d."""

    _fn = staticmethod(F.lp_pool2d)
