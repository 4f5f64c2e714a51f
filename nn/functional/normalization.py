"""batch_norm and layer_norm from mean/var reductions; running statistics follow PyTorch
(momentum-weighted average, the running variance uses the unbiased batch variance)."""

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value

from ._utils import as_value

__all__ = ["batch_norm", "batch_norm_stats", "group_norm", "instance_norm", "layer_norm", "normalize"]


def _data(x):
    return x.data if isinstance(x, Value) else x


def _channel_shape(x):
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * ag.reshape(weight, shape)
    if bias is not None:
        y = y + ag.reshape(bias, shape)
    return y


def batch_norm_stats(x, weight=None, bias=None, eps=1e-5):
    """Training-mode batch norm: returns (output, batch mean, unbiased batch variance) for the
    running-statistics update (the statistics as plain arrays; only the output is differentiable)."""
    x = as_value(x)
    if x.ndim < 2:
        raise ShapeError(f"batch_norm: expected input of shape (N, C, ...), got {x.shape}")
    axes = (0, *range(2, x.ndim))
    n = x.size // x.shape[1]
    if n <= 1:
        raise ValueError(f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}")
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    y = xc / ag.sqrt(var + eps)
    y = _affine(y, weight, bias, _channel_shape(x))
    unbiased = _data(var).reshape(-1) * (n / (n - 1))
    return y, _data(mean).reshape(-1), unbiased


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """PyTorch's F.batch_norm. In training the batch statistics normalise and, when running
    buffers are given as Values or writable arrays, they are updated in place (momentum=None
    means a cumulative average is not supported here: use a float)."""
    x = as_value(x)
    if training or running_mean is None:
        y, mean, var = batch_norm_stats(x, weight, bias, eps)
        if training and running_mean is not None:
            m = 0.1 if momentum is None else momentum
            _update(running_mean, (1 - m) * _data(running_mean) + m * mean)
            _update(running_var, (1 - m) * _data(running_var) + m * var)
        return y
    shape = _channel_shape(x)
    rm = np.asarray(_data(running_mean), dtype=x.dtype).reshape(shape)
    rv = np.asarray(_data(running_var), dtype=x.dtype).reshape(shape)
    y = (x - rm) * (1.0 / np.sqrt(rv + eps)).astype(x.dtype)
    return _affine(y, weight, bias, shape)


def _update(buf, new):
    if isinstance(buf, Value):
        buf.data = new
    elif isinstance(buf, np.ndarray) and buf.flags.writeable:
        buf[...] = new
    else:
        raise ValueError("batch_norm: running statistics must be Values or writable arrays to be updated in place")


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last len(normalized_shape) dims (biased variance), then scale and shift."""
    x = as_value(x)
    if isinstance(normalized_shape, (int, np.integer)):
        normalized_shape = (int(normalized_shape),)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if x.shape[x.ndim - k :] != normalized_shape or k == 0:
        raise ShapeError(f"layer_norm: normalized_shape {normalized_shape} does not match the end of input {x.shape}")
    axes = tuple(range(x.ndim - k, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    y = xc / ag.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise groups of channels per sample, then a per-channel affine."""
    x = as_value(x)
    n, c = x.shape[:2]
    if c % num_groups:
        raise ShapeError(f"group_norm: {c} channels do not split into {num_groups} groups")
    g = x.reshape((n, num_groups, -1))
    mean = g.mean(axis=2, keepdims=True)
    gc = g - mean
    var = (gc * gc).mean(axis=2, keepdims=True)
    y = (gc / ag.sqrt(var + eps)).reshape(x.shape)
    return _affine(y, weight, bias, _channel_shape(x))


def instance_norm(x, weight=None, bias=None, eps=1e-5):
    """Normalise each channel of each sample over its spatial dims."""
    x = as_value(x)
    return group_norm(x, x.shape[1], weight, bias, eps)


def normalize(x, p=2.0, dim=1, eps=1e-12):
    """x / max(||x||_p, eps) along ``dim``."""
    x = as_value(x)
    norm = (ag.absolute(x) ** p).sum(axis=dim, keepdims=True) ** (1.0 / p)
    return x / ag.maximum(norm, eps)
