"""Built-in data: scikit-learn's bundled 8x8 digits, toy 2-D generators, and an MNIST IDX reader.

Nothing here downloads. The generators take a ``seed`` and return float arrays ``X`` of shape
(n, 2) and integer labels ``y``. ``read_idx`` parses the IDX format that MNIST ships in (optionally
gzipped) and checks its magic number, dtype code, dimensions and size with clear errors.
"""

import gzip
import os
import struct

import numpy as np

__all__ = ["IDXError", "load_digits", "load_mnist", "make_moons", "make_spirals", "make_xor", "read_idx", "write_idx"]


def load_digits(flatten=False, dtype=np.float32):
    """scikit-learn's bundled 1,797 8x8 handwritten digits, scaled to [0, 1].

    Returns ``(X, y)``: X of shape (n, 1, 8, 8) (NCHW, for Conv2d) or (n, 64) with ``flatten=True``;
    y int64 labels 0-9. scikit-learn is an optional extra: ``pip install 'autograd-core[demo]'``.
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as err:
        raise ImportError(
            "load_digits() needs scikit-learn (it ships the digits data): pip install scikit-learn "
            "or pip install 'autograd-core[demo]'"
        ) from err
    bunch = _sk_load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    y = bunch.target.astype(np.int64)
    return (X, y) if flatten else (X.reshape(-1, 1, 8, 8), y)


def make_xor(n=200, noise=0.1, seed=0, dtype=np.float64):
    """Points around the four corners (+-1, +-1); label 1 where the signs differ (XOR)."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = (2.0 * corners - 1) + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] ^ corners[:, 1]).astype(np.int64)
    return X.astype(dtype), y


def make_moons(n=200, noise=0.1, seed=0, dtype=np.float64):
    """Two interleaving half circles (scikit-learn's make_moons, reimplemented): labels 0 and 1."""
    rng = np.random.default_rng(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X = np.concatenate(
        [np.stack([np.cos(t0), np.sin(t0)], 1), np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], 1)],
    )
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    perm = rng.permutation(n)
    return X[perm].astype(dtype), y[perm]


def make_spirals(n=300, classes=3, noise=0.2, turns=0.75, seed=0, dtype=np.float64):
    """``classes`` interleaved spiral arms, each winding ``turns`` times (the CS231n toy set); labels 0..classes-1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    r = np.tile(np.linspace(0.0, 1.0, -(-n // classes)), classes)[:n]
    r = np.sort(r)
    theta = 2 * np.pi * turns * r + y * 2 * np.pi / classes + noise * rng.standard_normal(n)
    X = np.stack([r * np.sin(theta), r * np.cos(theta)], 1)
    perm = rng.permutation(n)
    return X[perm].astype(dtype), y[perm].astype(np.int64)


# -- IDX (MNIST) ------------------------------------------------------------------------------------

_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class IDXError(ValueError):
    """A file that is not a well-formed IDX file (bad magic, dtype code, dimensions or size)."""


def _open(path):
    with open(path, "rb") as f:
        head = f.read(2)
    return gzip.open(path, "rb") if head == b"\x1f\x8b" else open(path, "rb")


def read_idx(path):
    """Read an IDX file (as MNIST ships it, gzipped or not) into a native-endian ndarray."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"read_idx: no such file: {path}")
    with _open(path) as f:
        raw = f.read()
    if len(raw) < 4:
        raise IDXError(f"{path}: too short for an IDX header ({len(raw)} bytes)")
    zero, code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0:
        raise IDXError(f"{path}: bad magic number 0x{raw[:4].hex()} (an IDX file starts with two zero bytes)")
    if code not in _IDX_DTYPES:
        raise IDXError(f"{path}: unknown IDX dtype code 0x{code:02x} (expected one of 08 09 0b 0c 0d 0e)")
    if ndim == 0:
        raise IDXError(f"{path}: an IDX file needs at least one dimension")
    if len(raw) < 4 + 4 * ndim:
        raise IDXError(f"{path}: header says {ndim} dimensions but the file ends inside the header")
    dims = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    dtype = np.dtype(_IDX_DTYPES[code])
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    body = len(raw) - 4 - 4 * ndim
    if body != expected:
        raise IDXError(
            f"{path}: dimensions {dims} of dtype {dtype.str[1:]} need {expected} bytes of data, the file has {body}"
        )
    arr = np.frombuffer(raw, dtype=dtype, offset=4 + 4 * ndim).reshape(dims)
    return arr.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write an ndarray as an IDX file (used by tests and to cache data)."""
    array = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in _IDX_DTYPES.items()}
    key = array.dtype.newbyteorder("=")
    if key not in codes:
        raise IDXError(f"write_idx: dtype {array.dtype} has no IDX code")
    with open(os.fspath(path), "wb") as f:
        f.write(struct.pack(">HBB", 0, codes[key], array.ndim))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.dtype(_IDX_DTYPES[codes[key]])).tobytes())


_MNIST = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _find(root, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        p = os.path.join(root, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(
        f"load_mnist: {stem}[.gz] not found in {root}. Download the four MNIST IDX files there yourself "
        "(this library never downloads)"
    )


def load_mnist(root, split="train", normalize=True, dtype=np.float32):
    """MNIST from local IDX files in ``root``: returns X (n, 1, 28, 28) scaled to [0, 1] and y int64."""
    if split not in _MNIST:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    images_path, labels_path = (_find(os.fspath(root), s) for s in _MNIST[split])
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3:
        raise IDXError(f"{images_path}: images must have 3 dimensions (n, rows, cols), got shape {images.shape}")
    if labels.ndim != 1 or len(labels) != len(images):
        raise IDXError(f"{labels_path}: {labels.shape} labels do not match {len(images)} images")
    X = images[:, None].astype(dtype)
    if normalize:
        X /= 255.0
    return X, labels.astype(np.int64)
