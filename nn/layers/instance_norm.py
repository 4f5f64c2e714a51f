"""InstanceNorm1d/2d/3d: per-sample, per-channel normalisation with PyTorch's options (F.instance_norm)."""

import warnings

import numpy as np

from .. import functional as F
from .normalization import _BatchNorm

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_BatchNorm):
    """Instance normalisation (Ulyanov et al., 2016) as torch.nn.InstanceNorm*d: each channel of each
    sample standardised over its spatial dims (biased variance), then an optional per-channel affine.

    num_features: C. affine (default False): learnable weight (ones) and bias (zeros; ``bias=False``
    drops it). track_running_stats (default False): keep running_mean / running_var buffers (and
    PyTorch's num_batches_tracked, which stays 0), updated in training with the batch average of the
    instance statistics (momentum; None means 0, as PyTorch), and used in eval mode. Input
    (N, C, *spatial) or unbatched (C, *spatial); output the same shape and dtype.
    """

    _spatial = 1

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=False,
        track_running_stats=False,
        dtype=np.float32,
        *,
        bias=True,
    ):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, dtype, bias=bias)

    def forward(self, x):
        """F.instance_norm with the layer's weights and statistics (PyTorch's _InstanceNorm.forward).

        Raises ValueError for input that is neither (N, C, *spatial) nor (C, *spatial), or whose
        channels differ from num_features when the layer is affine or tracks statistics (otherwise
        a warning, as PyTorch), or with a single spatial element in training.
        """
        ndim, k = np.ndim(x), self._spatial
        name = type(self).__name__
        if ndim not in (k + 1, k + 2):
            raise ValueError(f"{name}: expected {k + 1}-d (unbatched) or {k + 2}-d input, got {ndim}-d")
        channels = np.shape(x)[ndim - k - 1]
        if channels != self.num_features:
            msg = f"{name}: expected {self.num_features} channels, got input of shape {np.shape(x)}"
            if self.affine or self.track_running_stats:
                raise ValueError(msg)
            warnings.warn(msg + " (num_features is unused without affine or running statistics)", stacklevel=2)
        if ndim == k + 1:
            return self.forward(x[None])[0]
        use_input = self.training or not self.track_running_stats
        momentum = 0.0 if self.momentum is None else self.momentum
        if not (use_input and self.track_running_stats):
            return F.instance_norm(
                x, self.running_mean, self.running_var, self.weight, self.bias, use_input, momentum, self.eps
            )
        mean, var = self.running_mean.copy(), self.running_var.copy()  # buffers are read-only: F updates copies
        y = F.instance_norm(x, mean, var, self.weight, self.bias, True, momentum, self.eps)
        self.running_mean, self.running_var = mean, var
        return y

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or (C, L) over L; options as PyTorch's (see _InstanceNorm)."""

    _spatial = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or (C, H, W) over (H, W); options as InstanceNorm1d."""

    _spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or (C, D, H, W) over (D, H, W); options as InstanceNorm1d."""

    _spatial = 3
