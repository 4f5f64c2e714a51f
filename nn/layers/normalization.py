"""BatchNorm1d/2d/3d (running statistics as buffers, like PyTorch), LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm."""

import numpy as np

from .. import functional as F
from ..module import Module
from ..parameter import Parameter

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]


class _BatchNorm(Module):
    _dims = (2, 3)

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=True,
        track_running_stats=True,
        dtype=np.float32,
        *,
        bias=True,
    ):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats, self.use_bias = affine, track_running_stats, bias
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            if bias:
                self.bias = Parameter(np.zeros(num_features, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1 and the batch count 0 (no-op without running statistics)."""
        if self.track_running_stats:
            self.running_mean = np.zeros_like(self.running_mean)
            self.running_var = np.ones_like(self.running_var)
            self.num_batches_tracked = np.array(0, dtype=np.int64)

    def forward(self, x):
        """F.batch_norm with the layer's statistics, as PyTorch's _BatchNorm.forward.

        Training with running statistics: the batch statistics normalise, and the running ones are
        updated with ``momentum``, or with 1/num_batches_tracked (a cumulative moving average) when
        momentum is None. Eval mode: the running statistics normalise. Without running statistics
        the batch statistics always do. Raises ValueError for the wrong number of dims or channels.
        """
        ndim = np.ndim(x)
        if ndim not in self._dims:
            raise ValueError(
                f"{type(self).__name__}: expected {' or '.join(f'{d}-d' for d in self._dims)} input, got {ndim}-d"
            )
        if np.shape(x)[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}: expected {self.num_features} channels, got input of shape {np.shape(x)}"
            )
        args = (self.weight, self.bias)
        if not (self.training and self.track_running_stats):
            return F.batch_norm(x, self.running_mean, self.running_var, *args, self.training, self.momentum, self.eps)
        count = self.num_batches_tracked + 1
        momentum = 1.0 / float(count) if self.momentum is None else self.momentum
        mean, var = self.running_mean.copy(), self.running_var.copy()  # buffers are read-only: F updates copies
        y = F.batch_norm(x, mean, var, *args, True, momentum, self.eps)
        self.running_mean, self.running_var, self.num_batches_tracked = mean, var, count
        return y

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.use_bias}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation (Ioffe & Szegedy, 2015) of (N, C) or (N, C, L) per channel over the batch
    (and length), as torch.nn.BatchNorm1d: running statistics as buffers, ``momentum=None`` for a
    cumulative average, ``affine`` weight and bias, ``track_running_stats``. Output: x's shape."""

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Normalise (N, C, H, W) per channel; eval() switches to the running statistics."""

    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Normalise (N, C, D, H, W) per channel (see BatchNorm1d); eval() switches to the running statistics."""

    _dims = (5,)


class LayerNorm(Module):
    """Normalise over the trailing ``normalized_shape`` dims, with elementwise affine weight and bias."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, dtype=np.float32):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine, self.use_bias = eps, elementwise_affine, bias
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, bias={self.use_bias}"


class GroupNorm(Module):
    """Group normalisation (Wu & He, 2018): each sample's channels in ``num_groups`` groups are
    standardised, then a per-channel affine (F.group_norm). Input (N, C, ...), output the same.
    Raises ValueError when num_channels is not divisible by num_groups."""

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, dtype=np.float32):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels {num_channels} must be divisible by num_groups {num_groups}")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        if affine:
            self.weight = Parameter(np.ones(num_channels, dtype=dtype))
            self.bias = Parameter(np.zeros(num_channels, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class RMSNorm(Module):
    """Root-mean-square layer normalisation (Zhang & Sennrich, 2019) as torch.nn.RMSNorm (PyTorch 2.4+):
    ``x / sqrt(mean(x**2) + eps) * weight`` over the trailing ``normalized_shape`` dims (F.rms_norm).

    eps: None means ``np.finfo(x.dtype).eps``. elementwise_affine: a learnable weight of
    normalized_shape (ones); RMSNorm has no bias. Input (..., *normalized_shape); output the same.
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, dtype=np.float32):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def forward(self, x):
        """F.rms_norm with the layer's weight; ShapeError when x does not end in normalized_shape."""
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """Local response normalisation across channels (Krizhevsky et al., 2012), as torch.nn.LocalResponseNorm:
    ``x / (k + alpha / size * sum of x**2 over `size` neighbouring channels) ** beta`` (F.local_response_norm).
    Input (N, C, *) with at least 3 dims; output the same shape and dtype. No parameters."""

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x):
        """F.local_response_norm with the layer's settings."""
        return F.local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
