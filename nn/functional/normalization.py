"""batch_norm, layer_norm, group_norm, instance_norm, rms_norm, local_response_norm and normalize, as PyTorch
defines them.

Every normalisation is ``(x - mean) / sqrt(var + eps)`` over some axes, with the biased variance,
computed once in :func:`_standardize`; batch norm's running statistics follow PyTorch (a
momentum-weighted average, in which the running variance takes the unbiased batch variance).
"""

import math

import numpy as np

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.ops.spelling import either_spelling

from ._utils import as_value

__all__ = [
    "batch_norm",
    "batch_norm_stats",
    "group_norm",
    "instance_norm",
    "layer_norm",
    "local_response_norm",
    "normalize",
    "rms_norm",
]


def _data(x):
    return x.numpy() if isinstance(x, Value) else x


def _channel_shape(x):
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _standardize(x, axes, eps):
    """``((x - mean) / sqrt(var + eps), mean, var)`` over ``axes`` (kept), var biased; differentiable.

    float16 x is standardised in float32 (the statistics and the division, as PyTorch computes them
    for half: a float16 (x - mean)^2 overflows past 256) and the result cast back to float16.
    """
    xw = x.astype(np.float32) if x.dtype == np.float16 else x
    mean = xw.mean(axis=axes, keepdims=True)
    xc = xw - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    y = xc / ag.sqrt(var + eps)
    return (y.astype(x.dtype) if y.dtype != x.dtype else y), mean, var


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * ag.reshape(weight, shape)
    if bias is not None:
        y = y + ag.reshape(bias, shape)
    return y


def batch_norm_stats(x, weight=None, bias=None, eps=1e-5):
    """Training-mode batch norm returning ``(output, batch mean, unbiased batch variance)``.

    x: (N, C, ...) of a float dtype; weight, bias: (C,) or None. The output (differentiable) has
    x's shape and dtype; the statistics are (C,) ndarrays, for a running-statistics update.
    An empty batch (N = 0) gives an empty output and None statistics (PyTorch leaves the running
    statistics alone then). Raises ShapeError for fewer than 2 dims, ValueError for a single value
    per channel.
    """
    x = as_value(x)
    if x.ndim < 2:
        raise ShapeError(f"batch_norm: expected input of shape (N, C, ...), got {x.shape}")
    n = math.prod(x.shape) // x.shape[1] if x.shape[1] else 0
    if n == 0 and x.shape[0] == 0:  # an empty batch: an empty output, no statistics (PyTorch's)
        return _affine(x, weight, bias, _channel_shape(x)), None, None
    if n <= 1:
        raise ValueError(f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}")
    y, mean, var = _standardize(x, (0, *range(2, x.ndim)), eps)
    y = _affine(y, weight, bias, _channel_shape(x))
    return y, _data(mean).reshape(-1), _data(var).reshape(-1) * (n / (n - 1))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalisation (Ioffe & Szegedy, 2015) with PyTorch's F.batch_norm signature and meaning.

    x: (N, C, ...) of a float dtype; running_mean, running_var, weight, bias: (C,) or None.
    In training (or without running statistics) the batch's mean and biased variance over every
    axis but C normalise x; in training, running statistics that are given are updated in place:
    ``running = (1 - momentum) * running + momentum * batch`` (the batch variance unbiased), into a
    Value (its data rebound) or a writeable ndarray (written, keeping its dtype). In eval mode the
    running statistics normalise x. Returns ``y * weight + bias``, of x's shape and dtype.

    momentum: a float in [0, 1]. None, which the BatchNorm layers read as a cumulative moving
    average, needs the number of batches seen, which only the layers track; here it raises, as
    PyTorch's F.batch_norm does. Raises TypeError for momentum=None, ValueError for running
    statistics that cannot be updated in place (read-only arrays) or a single value per channel,
    ShapeError for input of fewer than 2 dims.
    """
    x = as_value(x)
    if not training and running_mean is not None:
        shape = _channel_shape(x)
        rm = np.asarray(_data(running_mean), dtype=x.dtype).reshape(shape)
        rv = np.asarray(_data(running_var), dtype=x.dtype).reshape(shape)
        y = (x - rm) * (1.0 / np.sqrt(rv + eps)).astype(x.dtype)
        return _affine(y, weight, bias, shape)
    update = training and running_mean is not None
    if update:
        if momentum is None:
            raise TypeError(
                "batch_norm: momentum=None (a cumulative moving average) needs the number of batches seen, which "
                "the BatchNorm layers track; pass a float, e.g. 1 / num_batches"
            )
        for buf in (running_mean, running_var):
            if not isinstance(buf, Value) and not (isinstance(buf, np.ndarray) and buf.flags.writeable):
                raise ValueError(
                    "batch_norm: running statistics must be Values or writeable arrays to be updated in place"
                )
    y, mean, var = batch_norm_stats(x, weight, bias, eps)
    if update and mean is not None:
        _update(running_mean, (1 - momentum) * _data(running_mean) + momentum * mean)
        _update(running_var, (1 - momentum) * _data(running_var) + momentum * var)
    return y


def _update(buf, new):
    if isinstance(buf, Value):
        buf.data = new
    else:
        buf[...] = new


def _normalized(x, normalized_shape, name):
    """normalized_shape as a tuple, checked against the end of x's shape."""
    if isinstance(normalized_shape, (int, np.integer)):
        normalized_shape = (int(normalized_shape),)
    shape = tuple(normalized_shape)
    if x.shape[x.ndim - len(shape) :] != shape or not shape:
        raise ShapeError(f"{name}: normalized_shape {shape} does not match the end of input {x.shape}")
    return shape


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation (Ba et al., 2016; PyTorch's F.layer_norm): standardise over the last
    ``len(normalized_shape)`` dims (biased variance), then ``* weight + bias`` (of normalized_shape).

    Returns x's shape and dtype. Raises ShapeError when normalized_shape is empty or is not the end of x's shape.
    """
    x = as_value(x)
    k = len(_normalized(x, normalized_shape, "layer_norm"))
    y, _, _ = _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalisation (Wu & He, 2018; PyTorch's F.group_norm): standardise each sample's
    channels in ``num_groups`` groups (over the group's channels and all spatial dims), then a
    per-channel affine. x: (N, C, ...); weight, bias: (C,) or None. Returns x's shape and dtype.

    Raises ShapeError when C is not divisible by num_groups.
    """
    x = as_value(x)
    n, c = x.shape[:2]
    if c % num_groups:
        raise ShapeError(f"group_norm: {c} channels do not split into {num_groups} groups")
    y, _, _ = _standardize(x.reshape((n, num_groups, math.prod(x.shape[1:]) // num_groups)), 2, eps)
    return _affine(y.reshape(x.shape), weight, bias, _channel_shape(x))


def instance_norm(
    x, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-5
):
    """Instance normalisation (Ulyanov et al., 2016), PyTorch's F.instance_norm signature and meaning.

    x: (N, C, ...) of a float dtype; running_mean, running_var, weight, bias: (C,) or None.
    With ``use_input_stats`` each channel of each sample is standardised over its spatial dims
    (biased variance); running statistics that are given are then updated in place, as PyTorch
    does, with the batch average of the per-instance means and unbiased variances:
    ``running = (1 - momentum) * running + momentum * batch`` (into a Value or a writeable array).
    Without it the running statistics normalise x. Returns ``y * weight + bias``, x's shape and dtype.

    Raises ShapeError for fewer than 3 dims, ValueError for a single spatial element with input
    statistics (PyTorch's rule) or running statistics that cannot be updated in place.
    """
    x = as_value(x)
    if x.ndim < 3:
        raise ShapeError(f"instance_norm: expected input of shape (N, C, ...) with spatial dims, got {x.shape}")
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError("instance_norm: use_input_stats=False needs running_mean and running_var")
        return batch_norm(x, running_mean, running_var, weight, bias, False, momentum, eps)
    n = math.prod(x.shape[2:])
    if x.shape[0] == 0:  # an empty batch: an empty output, statistics left alone (as batch_norm)
        return _affine(x, weight, bias, _channel_shape(x))
    if n <= 1:
        raise ValueError(f"instance_norm: expected more than 1 spatial element when training, got input {x.shape}")
    update = running_mean is not None and running_var is not None
    for buf in (running_mean, running_var) if update else ():
        if not isinstance(buf, Value) and not (isinstance(buf, np.ndarray) and buf.flags.writeable):
            raise ValueError("instance_norm: running statistics must be Values or writeable arrays to be updated")
    y, mean, var = _standardize(x, tuple(range(2, x.ndim)), eps)
    if update:
        mean = _data(mean).reshape(x.shape[:2]).mean(axis=0)
        var = _data(var).reshape(x.shape[:2]).mean(axis=0) * (n / (n - 1))
        _update(running_mean, (1 - momentum) * _data(running_mean) + momentum * mean)
        _update(running_var, (1 - momentum) * _data(running_var) + momentum * var)
    return _affine(y, weight, bias, _channel_shape(x))


def rms_norm(x, normalized_shape, weight=None, eps=None):
    """Root-mean-square layer normalisation (Zhang & Sennrich, 2019; PyTorch 2.4's F.rms_norm):
    ``x / sqrt(mean(x**2) + eps) * weight``, the mean over the last ``len(normalized_shape)`` dims.

    x: (..., *normalized_shape) of a float dtype; weight: normalized_shape or None. eps None means
    ``np.finfo(x.dtype).eps``, as PyTorch. float16 is computed in float32 and cast back. Returns x's
    shape and dtype. Raises ShapeError when normalized_shape is empty or not the end of x's shape.
    """
    x = as_value(x)
    shape = _normalized(x, normalized_shape, "rms_norm")
    if eps is None:
        eps = float(np.finfo(x.dtype).eps)
    xw = x.astype(np.float32) if x.dtype == np.float16 else x
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    y = xw / ag.sqrt((xw * xw).mean(axis=axes, keepdims=True) + eps)
    y = y.astype(x.dtype) if y.dtype != x.dtype else y
    return y if weight is None else y * weight


def local_response_norm(x, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalisation across channels (Krizhevsky et al., 2012; PyTorch's definition):
    ``x / (k + alpha * mean(x**2 over the `size` channels around c)) ** beta``, the window zero-padded
    by size // 2 before and (size - 1) // 2 after channel c (the mean always divides by ``size``).

    x: (N, C, ...) with at least 3 dims, of a float dtype; returns its shape and dtype.
    Raises ShapeError for fewer than 3 dims, ValueError for size < 1.
    """
    x = as_value(x)
    if x.ndim < 3:
        raise ShapeError(f"local_response_norm: expected 3 or more dims (N, C, ...), got input {x.shape}")
    if int(size) < 1:
        raise ValueError(f"local_response_norm: size must be a positive int, got {size}")
    size = int(size)
    sq = ag.pad(x * x, ((0, 0), (size // 2, (size - 1) // 2)) + ((0, 0),) * (x.ndim - 2))
    div = ag.sliding_windows(sq, (size,), axes=(1,)).mean(axis=-1)
    return x / (div * alpha + k) ** beta


def normalize(x, p=2.0, dim=None, eps=1e-12, *, axis=None):
    """``x / max(||x||_p, eps)`` along ``dim`` (PyTorch's F.normalize; default 1, ``axis=`` accepted); returns
    x's shape and dtype.

    ``p`` is any positive number, ``inf`` (the largest |x|), ``-inf`` (the smallest) or 0 (the count
    of nonzero entries, a constant). At the zero vector the gradient is 1 / eps, as in PyTorch: the
    norm's branch of the maximum is unselected there, so its infinite derivative never reaches it.
    """
    dim = either_spelling("normalize", "dim", dim, "axis", axis, 1)
    x = as_value(x)
    p = float(p)
    a = ag.absolute(x)
    if p == np.inf:
        norm = a.max(axis=dim, keepdims=True)
    elif p == -np.inf:
        norm = a.min(axis=dim, keepdims=True)
    elif p == 0:
        norm = np.count_nonzero(x.data, axis=dim, keepdims=True).astype(x.dtype)
    else:
        norm = ag.vector_norm(x, p, dim=dim, keepdim=True)  # scaled by max |x|; float16 summed in float32
    return x / ag.maximum(norm, eps)
