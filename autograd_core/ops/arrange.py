"""Rearranging entries: flip, roll, moveaxis, repeat and tile, split and chunk, meshgrid.

Each is a composition of the shape primitives (basic slicing, reshape, transpose, broadcast_to,
concatenate), so the gradient is the transpose of the rearrangement: reversed for flip, rolled
back for roll, summed over the copies for repeat, tile and meshgrid, placed back for split.
"""

import itertools

import numpy as np

from ..errors import ArgumentError, ShapeError
from .args import one_axis, one_of
from .reduce import normalize_axis
from .registry import as_operand
from .shape import broadcast_to, concatenate, getitem, reshape, transpose


def _data(x):
    return getattr(x, "_data", x)


def _ndim(x):
    return np.ndim(_data(x))


def _shape(x):
    return np.shape(_data(x))


def _ints(v, fn, what):
    """An int or a sequence of ints as a tuple of ints."""
    seq = (v,) if isinstance(v, (int, np.integer)) else tuple(v)
    if any(isinstance(i, bool) or not isinstance(i, (int, np.integer)) for i in seq):
        raise TypeError(f"{fn}: {what} must be ints, got {v!r}")
    return tuple(int(i) for i in seq)


def flip(x, dims=None, *, axis=None):
    """x with the order of entries reversed along ``dims``/``axis`` (int or tuple; None: every axis,
    numpy's default; PyTorch requires dims). Gradient: reversed back."""
    x = as_operand(x, "flip")
    axes = normalize_axis(one_of("flip", dims=dims, axis=axis), _ndim(x), "flip")
    return getitem(x, tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(_ndim(x))))


def fliplr(x):
    """Reverse the columns (axis 1) of an input of at least 2 dimensions."""
    x = as_operand(x, "fliplr")
    if _ndim(x) < 2:
        raise ShapeError(f"fliplr: needs at least 2 dimensions, got shape {_shape(x)}")
    return flip(x, 1)


def flipud(x):
    """Reverse the rows (axis 0) of an input of at least 1 dimension."""
    x = as_operand(x, "flipud")
    if _ndim(x) < 1:
        raise ShapeError("flipud: needs at least 1 dimension, got a 0-d input")
    return flip(x, 0)


def _roll_one(x, shift, axis):
    n = _shape(x)[axis]
    if n == 0 or shift % n == 0:
        return x
    k = shift % n
    head = (slice(None),) * axis
    return concatenate([getitem(x, (*head, slice(n - k, None))), getitem(x, (*head, slice(0, n - k)))], axis=axis)


def roll(x, shifts=None, dims=None, *, shift=None, axis=None):
    """Entries shifted by ``shifts``/``shift`` along ``dims``/``axis``, wrapping around (PyTorch's and
    numpy's roll). Shifts and dims are ints or equal-length sequences; dims None rolls x flattened.
    Gradient: rolled back by ``-shifts``."""
    x = as_operand(x, "roll")
    axes = one_of("roll", dims=dims, axis=axis)
    shifts = one_of("roll", shifts=shifts, shift=shift)
    if shifts is None:
        raise TypeError("roll: give shifts (PyTorch) or shift (numpy)")
    shifts = _ints(shifts, "roll", "shifts")
    if axes is None:
        if len(shifts) != 1:
            raise ShapeError(f"roll: {len(shifts)} shifts need as many dims, got none")
        return reshape(_roll_one(reshape(x, shape=(-1,)), shifts[0], 0), shape=_shape(x))
    axes = _ints(axes, "roll", "dims")
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ShapeError(f"roll: shifts {shifts} and dims {axes} differ in length")
    for s, a in zip(shifts, axes):
        x = _roll_one(x, s, one_axis("roll", a, _ndim(x)))
    return x


def moveaxis(x, source, destination):
    """Axes ``source`` moved to positions ``destination`` (ints or equal-length sequences), the others
    keeping their order: numpy's ``moveaxis``, PyTorch's ``movedim``. Gradient: moved back."""
    x = as_operand(x, "moveaxis")
    nd = _ndim(x)
    src = [one_axis("moveaxis", a, nd) for a in _ints(source, "moveaxis", "source")]
    dst = [one_axis("moveaxis", a, nd) for a in _ints(destination, "moveaxis", "destination")]
    if len(src) != len(dst):
        raise ShapeError(f"moveaxis: source {source} and destination {destination} differ in length")
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ShapeError(f"moveaxis: repeated axis in source {source} or destination {destination}")
    order = [a for a in range(nd) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(x, axes=tuple(order))


movedim = moveaxis


# -- copies ------------------------------------------------------------------------------------------
def repeat(x, repeats, axis=None):
    """numpy's ``repeat`` (PyTorch's ``repeat_interleave``): each entry ``repeats`` times along ``axis``
    (None: x flattened). ``repeats`` is an int or one non-negative int per entry. Gradient: each
    entry's copies summed."""
    x = as_operand(x, "repeat")
    if axis is None:
        x, axis = reshape(x, shape=(-1,)), 0
    axis = one_axis("repeat", axis, _ndim(x))
    n = _shape(x)[axis] if _ndim(x) else 1
    reps = np.asarray(_data(repeats))
    if reps.dtype.kind not in "iu" or (reps < 0).any() or reps.ndim > 1 or reps.size not in (1, n):
        raise ArgumentError(f"repeat: repeats must be a non-negative int or {n} of them, got {repeats!r}")
    if _ndim(x) == 0:
        x = reshape(x, shape=(1,))
    idx = np.repeat(np.arange(n), np.broadcast_to(reps.reshape(-1), (n,)))
    return getitem(x, (slice(None),) * axis + (idx,))


def repeat_interleave(x, repeats, dim=None):
    """PyTorch's ``repeat_interleave``: :func:`repeat` with PyTorch's argument names."""
    return repeat(as_operand(x, "repeat_interleave"), repeats, dim)


def tile(x, reps):
    """numpy's and PyTorch's ``tile``: x copied ``reps`` times along each axis (reps aligned with the
    trailing axes; extra reps add leading axes). Gradient: the copies summed (a broadcast)."""
    x = as_operand(x, "tile")
    reps = _ints(reps, "tile", "reps")
    if any(r < 0 for r in reps):
        raise ArgumentError(f"tile: reps must be non-negative, got {reps}")
    shape = _shape(x)
    nd = max(len(shape), len(reps))
    shape = (1,) * (nd - len(shape)) + shape
    reps = (1,) * (nd - len(reps)) + reps
    paired = tuple(v for s in shape for v in (1, s))
    wide = broadcast_to(reshape(x, shape=paired), shape=tuple(v for r, s in zip(reps, shape) for v in (r, s)))
    return reshape(wide, shape=tuple(r * s for r, s in zip(reps, shape)))


# -- splitting ---------------------------------------------------------------------------------------
def _split_axis(fn, x, dim, axis):
    if _ndim(x) == 0:
        raise ShapeError(f"{fn}: a 0-d input has no axis to split")
    return one_axis(fn, one_of(fn, 0, dim=dim, axis=axis), _ndim(x))


def _pieces(x, bounds, axis):
    head = (slice(None),) * axis
    return tuple(getitem(x, (*head, slice(a, b))) for a, b in itertools.pairwise(bounds))


def split(x, split_size_or_sections, dim=None, *, axis=None):
    """PyTorch's ``split``: pieces of ``split_size_or_sections`` entries along ``dim`` (default 0; an
    int: equal pieces, the last smaller; a list: those sizes, summing to the axis length). Returns a tuple.
    numpy's ``split`` (sections or split points) is :func:`array_split`'s strict form, reached as ``np.split``."""
    x = as_operand(x, "split")
    ax = _split_axis("split", x, dim, axis)
    n = _shape(x)[ax]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size <= 0 and n:
            raise ArgumentError(f"split: split_size must be positive, got {size}")
        bounds = list(range(0, n, size)) + [n] if n else [0, 0]
    else:
        sizes = _ints(split_size_or_sections, "split", "sizes")
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise ShapeError(f"split: sizes {sizes} do not add up to the axis length {n}")
        bounds = [int(b) for b in np.cumsum((0, *sizes))]
    return _pieces(x, bounds, ax)


def tensor_split(x, indices_or_sections, dim=None, *, axis=None):
    """PyTorch's ``tensor_split`` and numpy's ``array_split``: an int n gives n pieces as equal as
    can be (the first ``len % n`` one longer); a list gives the split points (slice bounds: negative
    ones count from the end, out-of-order ones give empty pieces). ``dim`` defaults to 0. Returns a tuple."""
    x = as_operand(x, "tensor_split")
    ax = _split_axis("tensor_split", x, dim, axis)
    n = _shape(x)[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0:
            raise ArgumentError(f"tensor_split: the number of sections must be positive, got {k}")
        q, r = divmod(n, k)
        return _pieces(x, [int(b) for b in np.cumsum([0] + [q + 1] * r + [q] * (k - r))], ax)
    return _pieces(x, [0, *_ints(indices_or_sections, "tensor_split", "indices"), n], ax)


array_split = tensor_split


def chunk(x, chunks, dim=0):
    """PyTorch's ``chunk``: at most ``chunks`` pieces of ``ceil(len / chunks)`` entries along ``dim``."""
    x = as_operand(x, "chunk")
    if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)) or chunks <= 0:
        raise ArgumentError(f"chunk: chunks must be a positive int, got {chunks!r}")
    n = _shape(x)[_split_axis("chunk", x, dim, None)]
    return split(x, max(-(-n // int(chunks)), 1), dim)


def meshgrid(*xs, indexing="ij"):
    """Coordinate grids from 1-D (or 0-d) inputs, as a tuple of Values of one shape.

    ``indexing='ij'`` (PyTorch's default): output i varies along axis i. ``'xy'`` (numpy's default):
    the first two axes swapped, for Cartesian (x, y) grids. A list of inputs is taken as well; inputs
    of more dimensions are flattened, as numpy does (PyTorch refuses them).
    Gradient: each grid summed back onto its input (a broadcast).
    """
    if len(xs) == 1 and isinstance(xs[0], (list, tuple)):
        xs = tuple(xs[0])
    if indexing not in ("ij", "xy"):
        raise ArgumentError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    xs = [as_operand(x, "meshgrid") for x in xs]
    sizes = [int(np.size(_data(x))) for x in xs]
    if indexing == "xy" and len(xs) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, x in enumerate(xs):
        pos = (1, 0)[i] if indexing == "xy" and len(xs) >= 2 and i < 2 else i
        shape = [1] * len(xs)
        shape[pos] = -1
        out.append(broadcast_to(reshape(x, shape=tuple(shape)), shape=tuple(sizes)))
    return tuple(out)
