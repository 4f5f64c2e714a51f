"""DataLoader batching, shuffle determinism, drop_last; datasets; the IDX reader on files the test writes."""

import gzip
import struct

import numpy as np
import pytest

from nn.data import DataLoader, Dataset, TensorDataset, random_split, train_test_split
from nn.training.datasets import (
    IDXError,
    load_digits,
    load_mnist,
    make_moons,
    make_spirals,
    make_xor,
    read_idx,
    write_idx,
)


def _xy(n=10):
    return np.arange(n * 2, dtype=np.float64).reshape(n, 2), np.arange(n)


def test_batches_in_order_with_a_short_last_batch():
    X, y = _xy(10)
    batches = list(DataLoader(TensorDataset(X, y), batch_size=4))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)
    np.testing.assert_array_equal(batches[0][0], X[:4])
    assert len(DataLoader(TensorDataset(X, y), batch_size=4)) == 3


def test_drop_last():
    X, y = _xy(10)
    loader = DataLoader(TensorDataset(X, y), batch_size=4, drop_last=True)
    assert [len(b[1]) for b in loader] == [4, 4]
    assert len(loader) == 2


def test_shuffle_is_a_permutation_determined_by_the_seed():
    X, y = _xy(50)
    a = [b[1] for b in DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=3)]
    b = [b[1] for b in DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=3)]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    order = np.concatenate(a)
    assert sorted(order) == list(range(50)) and not np.array_equal(order, np.arange(50))
    # rows stay paired
    for bx, by in DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, seed=3):
        np.testing.assert_array_equal(bx, X[by])
    # each epoch draws a new order; a generator works too
    loader = DataLoader(TensorDataset(X, y), batch_size=50, shuffle=True, generator=np.random.default_rng(0))
    e1, e2 = next(iter(loader))[1], next(iter(loader))[1]
    assert not np.array_equal(e1, e2)


def test_single_array_and_plain_arrays():
    X, _ = _xy(5)
    (first,) = list(DataLoader(TensorDataset(X), batch_size=5))[:1]
    np.testing.assert_array_equal(first, X)
    bx, by = next(iter(DataLoader(TensorDataset(X, np.arange(5)), batch_size=2)))
    assert bx.shape == (2, 2) and by.tolist() == [0, 1]


class Squares(Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float64), i % 2


def test_generic_dataset_items_are_stacked():
    bx, by = next(iter(DataLoader(Squares(), batch_size=3)))
    np.testing.assert_array_equal(bx, [[0, 0], [1, 1], [2, 4]])
    np.testing.assert_array_equal(by, [0, 1, 0])


def test_bad_arguments():
    X, y = _xy(5)
    with pytest.raises(ValueError, match="first dimension"):
        TensorDataset(X, y[:3])
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(TensorDataset(X), batch_size=0)
    with pytest.raises(TypeError, match="Dataset"):
        DataLoader(42)
    with pytest.raises(NotImplementedError):
        len(Dataset())


def test_random_split_and_train_test_split():
    X, y = _xy(10)
    a, b = random_split(TensorDataset(X, y), [0.7, 0.3], seed=0)
    assert len(a) == 7 and len(b) == 3
    assert sorted(np.concatenate([a[:][1], b[:][1]]).tolist()) == list(range(10))
    with pytest.raises(ValueError, match="sum"):
        random_split(TensorDataset(X, y), [3, 3])
    Xtr, Xte, ytr, _yte = train_test_split(X, y, test_size=0.3, seed=1)
    assert len(Xte) == 3 and len(Xtr) == 7
    np.testing.assert_array_equal(Xtr[:, 0] / 2, ytr)


def test_generators_are_seeded_and_shaped():
    for make in (make_xor, make_moons, make_spirals):
        X, y = make(n=60, seed=1)
        X2, _y2 = make(n=60, seed=1)
        assert X.shape == (60, 2) and y.shape == (60,) and y.dtype == np.int64
        np.testing.assert_array_equal(X, X2)
        assert not np.array_equal(X, make(n=60, seed=2)[0])
    assert set(make_spirals(n=60, classes=3)[1]) == {0, 1, 2}
    X, y = make_xor(n=400, noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_load_digits():
    X, y = load_digits()
    assert X.shape == (1797, 1, 8, 8) and X.dtype == np.float32 and X.min() >= 0 and X.max() <= 1
    assert load_digits(flatten=True)[0].shape == (1797, 64) and set(y) == set(range(10))


# -- IDX ------------------------------------------------------------------------------------------


def test_idx_roundtrip_all_dtypes(tmp_path):
    for dtype in (np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64):
        a = (np.arange(24) - 5).reshape(2, 3, 4).astype(dtype)
        write_idx(tmp_path / "a.idx", a)
        b = read_idx(tmp_path / "a.idx")
        assert b.dtype == dtype and b.dtype.isnative
        np.testing.assert_array_equal(a, b)


def _write_raw(path, magic, dims, body):
    with open(path, "wb") as f:
        f.write(magic + struct.pack(f">{len(dims)}I", *dims) + body)


@pytest.mark.parametrize(
    "magic,dims,body,match",
    [
        (b"\x01\x00\x08\x01", (3,), b"abc", "magic"),
        (b"\x00\x00\x07\x01", (3,), b"abc", "dtype code"),
        (b"\x00\x00\x08\x00", (), b"", "at least one dimension"),
        (b"\x00\x00\x08\x02", (2, 3), b"abcde", "need 6 bytes"),
        (b"\x00\x00\x0d\x01", (2,), b"1234", "need 8 bytes"),
    ],
)
def test_idx_validation(tmp_path, magic, dims, body, match):
    p = tmp_path / "bad.idx"
    _write_raw(p, magic, dims, body)
    with pytest.raises(IDXError, match=match):
        read_idx(p)


def test_idx_short_files(tmp_path):
    p = tmp_path / "short.idx"
    p.write_bytes(b"\x00\x00")
    with pytest.raises(IDXError, match="too short"):
        read_idx(p)
    p.write_bytes(b"\x00\x00\x08\x03\x00\x00\x00\x01")
    with pytest.raises(IDXError, match="inside the header"):
        read_idx(p)
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "missing.idx")


def test_load_mnist_from_small_local_files(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28)).astype(np.uint8)
    labels = np.array([0, 1, 2, 3, 9], np.uint8)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images)
    raw = tmp_path / "labels.raw"
    write_idx(raw, labels)
    with gzip.open(tmp_path / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(raw.read_bytes())
    X, y = load_mnist(tmp_path, split="test")
    assert X.shape == (5, 1, 28, 28) and X.dtype == np.float32
    np.testing.assert_allclose(X[:, 0] * 255, images, atol=1e-4)
    assert y.tolist() == [0, 1, 2, 3, 9]
    with pytest.raises(FileNotFoundError, match="never downloads"):
        load_mnist(tmp_path, split="train")
    with pytest.raises(ValueError, match="split"):
        load_mnist(tmp_path, split="val")
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:4])
    with pytest.raises(IDXError, match="do not match"):
        load_mnist(tmp_path, split="test")


def test_load_digits_without_sklearn_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError("no sklearn")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ImportError, match=r"pip install scikit-learn"):
        load_digits()
