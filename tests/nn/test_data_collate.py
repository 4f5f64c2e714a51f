"""PyTorch's map-style semantics: a list of samples is collated per field (default_collate), against torch."""

import numpy as np
import pytest
from torch.utils.data import DataLoader as TorchLoader

import nn
from nn.data import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split


def _torch_batches(samples, **kw):
    return [tuple(t.numpy() for t in b) if isinstance(b, (list, tuple)) else b for b in TorchLoader(samples, **kw)]


def _same(ours, theirs):
    """Batches equal in values and dtype kind (torch makes Python floats float64 and ints int64, as we do)."""
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        for u, v in zip(a, b):
            np.testing.assert_array_equal(u, v)
            assert np.asarray(u).dtype == np.asarray(v).dtype


@pytest.mark.parametrize(
    "samples",
    [
        [(0.5, 0), (1.5, 1)],
        [(np.ones(2), 1), (np.zeros(2), 0), (np.full(2, 3.0), 2)],
        [(np.ones((2, 3), np.float32), np.int64(4), True), (np.zeros((2, 3), np.float32), np.int64(5), False)],
    ],
)
def test_a_list_of_samples_is_collated_per_field_as_torch(samples):
    ours = list(DataLoader(samples, batch_size=2))
    _same(ours, _torch_batches(samples, batch_size=2))
    assert ours[0][1].dtype.kind in "ib"  # integer labels stay integer


def test_dicts_nested_tuples_and_strings():
    samples = [{"x": np.ones(2), "y": 1, "name": "a"}, {"x": np.zeros(2), "y": 0, "name": "b"}]
    (batch,) = DataLoader(samples, batch_size=2)
    (tb,) = TorchLoader(samples, batch_size=2)
    np.testing.assert_array_equal(batch["x"], tb["x"].numpy())
    np.testing.assert_array_equal(batch["y"], tb["y"].numpy())
    assert batch["y"].dtype == np.int64 and batch["name"] == ["a", "b"]
    (xb, (yb, zb)), *_ = DataLoader([(1.0, (2, 3.0)), (4.0, (5, 6.0))], batch_size=2)
    assert xb.tolist() == [1.0, 4.0] and yb.tolist() == [2, 5] and zb.tolist() == [3.0, 6.0]


def test_ragged_samples_are_refused_naming_the_field():
    with pytest.raises(ValueError, match=r"sample\[0\].*shape \(2,\).*shape \(3,\)"):
        list(DataLoader([(np.ones(2), 1), (np.zeros(3), 0)], batch_size=2))
    X, y = np.zeros((5, 2)), np.arange(5)
    with pytest.raises(ValueError, match=r"TensorDataset\(X, y\)"):  # a tuple of columns is two samples, as in torch
        next(iter(DataLoader((X, y), batch_size=2)))
    with pytest.raises(ValueError, match="2 fields in item 0 but 3"):
        default_collate([(1, 2), (1, 2, 3)])
    with pytest.raises(ValueError, match="keys"):
        default_collate([{"a": 1}, {"b": 1}])
    with pytest.raises(TypeError, match="collate_fn"):
        default_collate([None, None])


class Pairs(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.array([i, -i], np.float32), i


def test_subset_random_split_shuffle_drop_last_and_collate_fn():
    ds = [(float(i), i) for i in range(7)]
    a, b = random_split(ds, [5, 2], generator=np.random.default_rng(0))
    xs = np.concatenate([xb for xb, _ in DataLoader(a, batch_size=2)] + [xb for xb, _ in DataLoader(b, batch_size=3)])
    assert sorted(xs.tolist()) == [float(i) for i in range(7)]
    for xb, yb in DataLoader(a, batch_size=2, shuffle=True, generator=np.random.default_rng(1), drop_last=True):
        assert len(xb) == 2 and xb.tolist() == [float(y) for y in yb] and yb.dtype == np.int64
    assert len(DataLoader(a, batch_size=2, drop_last=True)) == 2
    sub = Subset(Pairs(), [4, 0])
    xb, yb = next(iter(DataLoader(sub, batch_size=2)))
    assert xb.dtype == np.float32 and xb.tolist() == [[4, -4], [0, 0]] and yb.tolist() == [4, 0]
    seen = []
    out = list(DataLoader(Pairs(), batch_size=2, collate_fn=lambda items: seen.append(len(items)) or len(items)))
    assert out == [2, 2, 1] and seen == [2, 2, 1]
    # a TensorDataset with a collate_fn gets the samples, not the fast batch
    got = next(iter(DataLoader(TensorDataset(np.arange(4.0), np.arange(4)), batch_size=3, collate_fn=list)))
    assert len(got) == 3 and got[1][0] == 1.0


def test_num_workers_and_bad_arguments():
    with pytest.warns(UserWarning, match="worker processes are not supported"):
        loader = DataLoader([(0.5, 0), (1.5, 1)], batch_size=2, num_workers=2)
    assert next(iter(loader))[0].tolist() == [0.5, 1.5]
    assert DataLoader([1.0], num_workers=0).num_workers == 0
    with pytest.raises(ValueError, match="num_workers"):
        DataLoader([1.0], num_workers=-1)
    with pytest.raises(TypeError, match="collate_fn"):
        DataLoader([1.0], collate_fn=3)


def test_fit_takes_a_list_of_samples():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((16, 2))
    samples = [(x, int(x[0] > 0)) for x in X]
    model = nn.Linear(2, 2)
    hist = nn.fit(
        model,
        nn.CrossEntropyLoss(),
        nn.optim.SGD(model.parameters(), lr=0.1),
        samples,
        epochs=1,
        batch_size=8,
        progress=False,
    )
    assert np.isfinite(hist["loss"][0])
