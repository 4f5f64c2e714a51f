"""Default collation: a list of samples -> one batch, field by field (torch.utils.data.default_collate).

A sample is a number, an array, a string, or a tuple/list/dict of those (nested). Numbers become
one array (Python float -> float64, int -> int64, bool -> bool; numpy scalars keep their dtype),
arrays are stacked along a new first axis, strings stay a list, tuples/lists are transposed and
collated per position (a tuple gives a tuple, a list a list), dicts per key. Ragged samples (arrays
of different shapes, tuples of different lengths, dicts with different keys) raise a ValueError
naming the field and the two samples that differ.
"""

from collections.abc import Mapping, Sequence
from numbers import Number

import numpy as np

__all__ = ["default_collate"]


def default_collate(batch):
    """Collate a list of samples into a batch, as torch.utils.data.default_collate does, in numpy.

    **Arguments:** ``batch``: a non-empty list of samples of one structure (see the module docstring).

    **Returns:** numbers -> a 1-d array of len(batch); arrays of shape S -> an array of shape
    (len(batch), *S) in their common dtype; tuples/lists/dicts -> the same container of batches.

    **Raises:** ValueError naming the field for ragged samples; TypeError for a sample of a type that
    cannot be batched (pass ``collate_fn`` to the DataLoader for those).
    """
    return _collate(list(batch), "sample")


def _kind(x):
    """The structural kind of one sample field, as collation treats it."""
    if isinstance(x, (str, bytes)):
        return "string"
    if isinstance(x, Mapping):
        return "dict"
    if isinstance(x, (np.ndarray, Number, np.generic)) or hasattr(x, "__array__"):
        return "array"
    if isinstance(x, Sequence):
        return "sequence"
    return None


def _collate(items, where):
    first = items[0]
    kind = _kind(first)
    if kind is None:
        raise TypeError(
            f"DataLoader: cannot batch {where} of type {type(first).__name__}; samples must be numbers, arrays, "
            "strings, or tuples/lists/dicts of them; pass collate_fn= to batch other types"
        )
    for j, x in enumerate(items):
        if _kind(x) != kind:
            raise ValueError(
                f"DataLoader: {where} is a {type(first).__name__} in item 0 but a {type(x).__name__} in item {j}; "
                "every sample must have the same structure"
            )
    if kind == "string":
        return list(items)
    if kind == "dict":
        keys = list(first)
        for j, x in enumerate(items):
            if set(x) != set(keys):
                raise ValueError(f"DataLoader: {where} has keys {sorted(keys)} in item 0 but {sorted(x)} in item {j}")
        return {k: _collate([x[k] for x in items], f"{where}[{k!r}]") for k in keys}
    if kind == "sequence":
        for j, x in enumerate(items):
            if len(x) != len(first):
                raise ValueError(
                    f"DataLoader: {where} has {len(first)} fields in item 0 but {len(x)} in item {j}; "
                    "every sample must have the same number of fields"
                )
        fields = [_collate([x[k] for x in items], f"{where}[{k}]") for k in range(len(first))]
        return tuple(fields) if isinstance(first, tuple) else fields
    return _stack(items, where)


def _stack(items, where):
    """Numbers or arrays of one shape stacked along a new first axis."""
    arrays = [np.asarray(x) for x in items]
    for j, a in enumerate(arrays):
        if a.shape != arrays[0].shape:
            raise ValueError(
                f"DataLoader: cannot stack {where}: item 0 has shape {arrays[0].shape} but item {j} has shape "
                f"{a.shape}; give samples equal shapes (pad or crop them) or pass collate_fn= (arrays as "
                "columns, inputs in one and targets in another, go through TensorDataset(X, y))"
            )
    return np.stack(arrays)
