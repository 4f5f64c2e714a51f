"""pixel_shuffle, pixel_unshuffle and channel_shuffle: reshapes and transposes, as PyTorch defines them.

pixel_shuffle is the sub-pixel convolution's rearrangement (Shi et al., 2016); channel_shuffle is
ShuffleNet's (Zhang et al., 2018). All are linear, so their gradients are the inverse rearrangements.
"""

from autograd_core import ShapeError

from ._utils import as_value, permute

__all__ = ["channel_shuffle", "pixel_shuffle", "pixel_unshuffle"]


def _check(x, name, least=3):
    x = as_value(x)
    if x.ndim < least:
        raise ShapeError(f"{name}: expected at least {least} dims, got input of shape {x.shape}")
    return x


def pixel_shuffle(x, upscale_factor):
    """(*, C * r**2, H, W) -> (*, C, H * r, W * r) with r = upscale_factor (F.pixel_shuffle):
    ``out[..., c, h*r + i, w*r + j] = x[..., c*r*r + i*r + j, h, w]``. Keeps the dtype.

    Raises ShapeError for fewer than 3 dims or channels not divisible by r**2.
    """
    x = _check(x, "pixel_shuffle")
    r = int(upscale_factor)
    *lead, c, h, w = x.shape
    if r < 1 or c % (r * r):
        raise ShapeError(f"pixel_shuffle: {c} channels are not divisible by upscale_factor**2 = {r * r}")
    b = len(lead)
    y = x.reshape((*lead, c // (r * r), r, r, h, w))
    y = permute(y, (*range(b), b, b + 3, b + 1, b + 4, b + 2))
    return y.reshape((*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(x, downscale_factor):
    """(*, C, H * r, W * r) -> (*, C * r**2, H, W), the inverse of pixel_shuffle (F.pixel_unshuffle).

    Raises ShapeError for fewer than 3 dims or H, W not divisible by r.
    """
    x = _check(x, "pixel_unshuffle")
    r = int(downscale_factor)
    *lead, c, h, w = x.shape
    if r < 1 or h % r or w % r:
        raise ShapeError(f"pixel_unshuffle: spatial size {(h, w)} is not divisible by downscale_factor {r}")
    b = len(lead)
    y = x.reshape((*lead, c, h // r, r, w // r, r))
    y = permute(y, (*range(b), b, b + 2, b + 4, b + 1, b + 3))
    return y.reshape((*lead, c * r * r, h // r, w // r))


def channel_shuffle(x, groups):
    """(N, C, *) with C = g * k: channels regrouped as (g, k) -> (k, g) (F.channel_shuffle), so
    channel ``i * k + j`` moves to ``j * g + i``. Raises ShapeError for fewer than 2 dims or C not
    divisible by groups."""
    x = _check(x, "channel_shuffle", 2)
    g = int(groups)
    n, c, *rest = x.shape
    if g < 1 or c % g:
        raise ShapeError(f"channel_shuffle: {c} channels are not divisible by groups {g}")
    y = x.reshape((n, g, c // g, *rest))
    return permute(y, (0, 2, 1, *range(3, y.ndim))).reshape(x.shape)
