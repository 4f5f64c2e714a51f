"""Datasets and a DataLoader that yields numpy batches, with PyTorch's map-style semantics.

A dataset is anything with ``__len__`` and ``__getitem__(i)`` returning one sample: a ``Dataset``
subclass, or a plain list/tuple of samples such as ``[(x0, y0), (x1, y1)]`` (as in PyTorch). A
batch is the samples collated field by field (:func:`nn.collate.default_collate`, or ``collate_fn``).
Arrays as columns (inputs in one array, targets in another) go through ``TensorDataset(X, y)``,
indexed with whole index arrays, so a batch is one fancy-indexing call per array (no per-item
Python loop); a bare ndarray is its rows, so it is wrapped in a TensorDataset too. Shuffling draws from a
``numpy.random.Generator``: ``generator``, or one made from ``seed``, or else nn's default generator
(``nn.manual_seed``; see ``nn.init``), so an epoch's order is reproducible.
"""

import warnings

import numpy as np

from .collate import default_collate
from .init import resolve_rng

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split", "train_test_split"]


class Dataset:
    """A sized collection of items: subclasses define ``__len__`` and ``__getitem__(i)``."""

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


def _raw(a):
    return np.asarray(a)


class TensorDataset(Dataset):
    """Equal-length arrays (inputs, targets, ...) indexed together along their first axis."""

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        self.arrays = tuple(_raw(a) for a in arrays)
        n = len(self.arrays[0]) if self.arrays[0].ndim else None
        for a in self.arrays:
            if a.ndim == 0 or len(a) != n:
                lengths = [a.shape[0] if a.ndim else "scalar" for a in self.arrays]
                raise ValueError(f"TensorDataset: arrays must share their first dimension; got lengths {lengths}")

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        item = tuple(a[index] for a in self.arrays)
        return item[0] if len(item) == 1 else item

    def take(self, indices):
        """A batch: each array fancy-indexed at once."""
        return self[np.asarray(indices)]


class Subset(Dataset):
    """The items of ``dataset`` at ``indices``."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.dataset[int(self.indices[index])]
        return _take(self.dataset, self.indices[index])

    def take(self, indices):
        """The batch of the items at ``indices`` (positions in this subset), as the dataset batches them."""
        return _take(self.dataset, self.indices[np.asarray(indices)])


def _take(dataset, indices, collate_fn=None):
    """A batch of samples: vectorised when the dataset supports it and collation is the default,
    else the samples read one by one and collated (``collate_fn``, or :func:`default_collate`)."""
    if collate_fn is None and hasattr(dataset, "take"):
        return dataset.take(indices)
    return (collate_fn or default_collate)([dataset[int(i)] for i in indices])


def _read_only(batch):
    """Freeze a fresh batch so ops can keep it by reference instead of copying it (see registry.apply)."""
    parts = batch.values() if isinstance(batch, dict) else batch if isinstance(batch, (tuple, list)) else (batch,)
    for a in parts:
        if isinstance(a, np.ndarray) and a.flags.owndata:
            a.flags.writeable = False
    return batch


def random_split(dataset, lengths, seed=None, generator=None):
    """Split into non-overlapping Subsets of the given lengths (or fractions summing to 1), as
    torch.utils.data.random_split. The permutation comes from ``generator``, else ``seed``, else nn's
    default generator. Raises ValueError when the lengths do not sum to ``len(dataset)`` or both
    seed and generator are given, TypeError for a generator that is not a numpy Generator."""
    n = len(dataset)
    lengths = list(lengths)
    if all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-6:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: lengths {lengths} do not sum to the dataset's length {n}")
    perm = resolve_rng(seed=seed, generator=generator).permutation(n)
    out, start = [], 0
    for k in lengths:
        out.append(Subset(dataset, perm[start : start + k]))
        start += k
    return out


def train_test_split(*arrays, test_size=0.2, seed=0):
    """Shuffle equal-length arrays with ``seed`` and split them: returns (a_train, a_test, b_train, b_test, ...)."""
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError("train_test_split: arrays must have the same length")
    n_test = round(n * test_size) if isinstance(test_size, float) else int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size={test_size} leaves an empty split of {n} items")
    perm = np.random.default_rng(seed).permutation(n)
    test, train = perm[:n_test], perm[n_test:]
    out = []
    for a in arrays:
        a = _raw(a)
        out += [a[train], a[test]]
    return tuple(out)


class DataLoader:
    """Iterate over ``dataset`` in batches of numpy arrays (torch.utils.data.DataLoader, map-style).

    **Arguments:**

    - ``dataset``: a Dataset, any object with ``__len__`` and ``__getitem__``, a list/tuple of
      samples (``[(x0, y0), (x1, y1), ...]``: collated per field, as PyTorch), or an ndarray (its
      rows). Arrays as columns go through ``TensorDataset(X, y)``.
    - ``batch_size``: a positive int. ``drop_last``: skip a final short batch.
    - ``shuffle``: a new permutation every epoch, drawn from ``generator`` (a numpy Generator), or
      ``default_rng(seed)`` (the same seed gives the same sequence of epochs), or else nn's default
      generator as it is when the epoch starts (``nn.manual_seed``).
    - ``collate_fn``: list of samples -> batch; default :func:`nn.collate.default_collate` (numbers
      -> an array, int labels stay int64, arrays stacked, tuples/dicts per field).
    - ``num_workers``: 0. Worker processes are not supported: a positive value warns once and
      loads in this process (same batches, same order).

    **Raises:** TypeError for a dataset without ``__len__``/``__getitem__``; ValueError for a bad
    batch_size or a negative num_workers; ragged samples raise a ValueError naming the field when
    their batch is built.
    """

    def __init__(
        self,
        dataset,
        batch_size=1,
        shuffle=False,
        drop_last=False,
        seed=None,
        generator=None,
        collate_fn=None,
        num_workers=0,
    ):
        if isinstance(dataset, np.ndarray):
            dataset = TensorDataset(dataset)
        if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
            raise TypeError(f"DataLoader needs a Dataset (with __len__ and __getitem__), got {type(dataset).__name__}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be a non-negative integer, got {num_workers!r}")
        if num_workers > 0:
            warnings.warn(
                f"DataLoader(num_workers={num_workers}): worker processes are not supported; "
                "batches are loaded in this process (same batches, same order)",
                UserWarning,
                stacklevel=2,
            )
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be callable, got {type(collate_fn).__name__}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.collate_fn = collate_fn
        self.num_workers = int(num_workers)
        explicit = seed is not None or generator is not None
        self.generator = resolve_rng(seed=seed, generator=generator) if explicit else None

    def __len__(self):
        """The number of batches in one epoch."""
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        """One epoch: batches in order, or in a fresh permutation with ``shuffle``."""
        n = len(self.dataset)
        if self.shuffle:
            order = (self.generator or resolve_rng()).permutation(n)
        else:
            order = np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            yield _read_only(_take(self.dataset, order[start : start + self.batch_size], self.collate_fn))
