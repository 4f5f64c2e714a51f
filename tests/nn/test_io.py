"""nn.save / nn.load: bit-exact round trips, interoperability with safetensors' own readers and writers."""

import os

import numpy as np
import pytest
import safetensors.numpy
import safetensors.torch
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from autograd_core import Value
from autograd_core.errors import CheckpointError

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_]
UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _bits_equal(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    if a.dtype.kind == "f":
        np.testing.assert_array_equal(a.view(UINT[a.dtype.itemsize]), b.view(UINT[b.dtype.itemsize]))
    else:
        np.testing.assert_array_equal(a, b)


def _special(dtype):
    """Values that break lossy round trips: signed zero, infinities, NaN payloads, subnormals, extremes."""
    if np.dtype(dtype).kind == "f":
        info = np.finfo(dtype)
        vals = np.array(
            [0.0, -0.0, np.inf, -np.inf, np.nan, info.tiny, info.tiny / 4, info.max, -info.max, 1 / 3], dtype
        )
        u = UINT[np.dtype(dtype).itemsize]
        nan_payload = np.array([np.iinfo(u).max], u).view(dtype)  # an all-ones NaN
        return np.concatenate([vals, nan_payload])
    if dtype is np.bool_:
        return np.array([True, False, True])
    info = np.iinfo(dtype)
    return np.array([info.min, info.max, 0, 1], dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_round_trip_is_bit_exact(dtype, tmp_path):
    rng = np.random.default_rng(0)
    sd = {
        "special": _special(dtype),
        "matrix": (rng.normal(size=(7, 5)) * 100).astype(dtype),
        "scalar": np.array(3, dtype),
        "empty": np.zeros((0, 4), dtype),
        "strided": (rng.normal(size=(6, 4)) * 10).astype(dtype).T,  # not contiguous
    }
    path = tmp_path / "m.safetensors"
    nn.save(sd, path)
    out = nn.load(path)
    assert set(out) == set(sd)
    for k in sd:
        _bits_equal(sd[k], out[k])
        assert out[k].flags.writeable and out[k].flags.c_contiguous


@given(arr=hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)))
def test_round_trip_hypothesis(arr, tmp_path_factory):
    path = tmp_path_factory.mktemp("h") / "x.safetensors"
    nn.save({"x": arr, "big_endian": arr.astype(arr.dtype.newbyteorder(">"))}, path)
    out = nn.load(path)
    _bits_equal(arr, out["x"])
    _bits_equal(arr, out["big_endian"])  # stored little-endian, returned in native order


def test_values_and_parameters_are_saved_by_their_data(tmp_path):
    v = Value(np.arange(6.0).reshape(2, 3))
    lin = nn.Linear(3, 2, dtype=np.float64)
    nn.save({"v": v, **lin.state_dict()}, tmp_path / "a.safetensors")
    out = nn.load(tmp_path / "a.safetensors")
    np.testing.assert_array_equal(out["v"], v.data)
    np.testing.assert_array_equal(out["weight"], lin.weight.data)


def test_files_from_safetensors_torch_load_here_and_back(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    tensors = {k: v.detach() for k, v in model.state_dict().items()}
    tensors["half"] = torch.randn(3, 3).half()
    tensors["double"] = torch.randn(2, dtype=torch.float64)
    tensors["ints"] = torch.arange(5)
    tensors["mask"] = torch.tensor([True, False])
    tensors["scalar"] = torch.tensor(2.5)
    path = tmp_path / "torch.safetensors"
    safetensors.torch.save_file(tensors, str(path), metadata={"format": "pt"})
    out, meta = nn.load(path, with_metadata=True)
    assert meta == {"format": "pt"}
    for k, t in tensors.items():
        _bits_equal(t.numpy(), out[k])
    # ... and our file loads in torch, bit for bit
    back = tmp_path / "ours.safetensors"
    nn.save(out, back, metadata={"source": "autograd_core"})
    reloaded = safetensors.torch.load_file(str(back))
    for k, t in tensors.items():
        assert reloaded[k].dtype == t.dtype
        assert torch.equal(reloaded[k], t)


def test_torch_weights_give_same_outputs_after_the_trip(tmp_path):
    torch.manual_seed(1)
    tlin = torch.nn.Linear(5, 3).double()
    safetensors.torch.save_file({k: v.detach() for k, v in tlin.state_dict().items()}, str(tmp_path / "l.safetensors"))
    lin = nn.Linear(5, 3, dtype=np.float64)
    lin.load_state_dict(nn.load(tmp_path / "l.safetensors"))
    x = np.random.default_rng(0).normal(size=(4, 5))
    np.testing.assert_allclose(lin(x).data, tlin(torch.tensor(x)).detach().numpy(), rtol=1e-12)


def test_safetensors_numpy_interop(tmp_path):
    arrays = {"a": np.arange(12, dtype=np.int32).reshape(3, 4), "b": np.linspace(0, 1, 5, dtype=np.float16)}
    safetensors.numpy.save_file(arrays, str(tmp_path / "n.safetensors"))
    out = nn.load(tmp_path / "n.safetensors")
    for k in arrays:
        _bits_equal(arrays[k], out[k])
    nn.save(arrays, tmp_path / "o.safetensors")
    out = safetensors.numpy.load_file(str(tmp_path / "o.safetensors"))
    for k in arrays:
        _bits_equal(arrays[k], out[k])


def test_nested_checkpoint_round_trip(tmp_path):
    ck = {
        "model": {"fc.weight": np.ones((2, 2), np.float32), "fc.bias": np.zeros(2, np.float32)},
        "optimizer": {
            "state": {0: {"step": 3.0, "exp_avg": np.full((2, 2), 0.5)}, 1: {}},
            "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "amsgrad": False, "params": [0, 1], "name": None}],
        },
        "epoch": 7,
        "best": float("inf"),
        "worst": float("-inf"),
        "nan": float("nan"),
        "history": [1.5, 2.5, np.float32(0.25)],
        "tag": "run-1",
        "empty": {},
    }
    path = tmp_path / "ck.safetensors"
    nn.save(ck, path)
    out = nn.load(path)
    assert out["epoch"] == 7 and out["tag"] == "run-1" and out["empty"] == {}
    assert out["best"] == float("inf") and out["worst"] == float("-inf") and np.isnan(out["nan"])
    assert list(out["optimizer"]["state"]) == [0, 1]  # int keys stay ints
    assert out["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)  # tuples stay tuples
    assert out["optimizer"]["param_groups"][0]["name"] is None
    _bits_equal(out["model"]["fc.weight"], ck["model"]["fc.weight"])
    _bits_equal(out["history"][2], np.array(np.float32(0.25)))
    # other readers see the flat tensors under dotted names
    flat = safetensors.numpy.load_file(str(path))
    assert set(flat) == {"model.fc.weight", "model.fc.bias", "optimizer.state.0.exp_avg", "history.2"}


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        ({"a": np.array([object()])}, "dtype object"),
        ({"a": np.ones(2, np.complex128)}, "complex128"),
        ({"f": lambda: 0}, "cannot save a function"),
        ({"s": {1, 2}}, "cannot save a set"),
        ({1.5: np.ones(1)}, "not a str or int"),
        ({"a.b": np.ones(1), "a": {"b": np.ones(1)}}, "a.b"),
        ({"__metadata__": {"x": np.ones(1)}, "y": 1}, None),
    ],
)
def test_unsaveable_objects_raise_and_leave_the_old_file(obj, match, tmp_path):
    path = tmp_path / "keep.safetensors"
    nn.save({"w": np.arange(3.0)}, path)
    before = path.read_bytes()
    if match is None:  # "__metadata__.x" is a fine tensor name; only a bare "__metadata__" is reserved
        nn.save(obj, tmp_path / "other.safetensors")
        return
    with pytest.raises(CheckpointError, match=match):
        nn.save(obj, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["keep.safetensors"]


def test_reserved_names_and_metadata(tmp_path):
    with pytest.raises(CheckpointError, match="__metadata__"):
        nn.save({"__metadata__": np.ones(1)}, tmp_path / "x.safetensors")
    with pytest.raises(CheckpointError, match="reserved"):
        nn.save({"a": np.ones(1)}, tmp_path / "x.safetensors", metadata={nn.io.TREE_KEY: "{}"})
    with pytest.raises(CheckpointError, match="str -> str"):
        nn.save({"a": np.ones(1)}, tmp_path / "x.safetensors", metadata={"n": 1})
    assert not os.listdir(tmp_path)


def test_save_failing_mid_write_keeps_old_file_and_cleans_up(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    nn.save({"w": np.arange(4.0)}, path)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        nn.save({"w": np.zeros(1000)}, path)
    monkeypatch.undo()
    np.testing.assert_array_equal(nn.load(path)["w"], np.arange(4.0))
    assert os.listdir(tmp_path) == ["m.safetensors"]


def test_overwrite_keeps_file_mode(tmp_path):
    path = tmp_path / "m.safetensors"
    nn.save({"w": np.ones(1)}, path)
    os.chmod(path, 0o640)
    nn.save({"w": np.zeros(1)}, path)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert nn.load(path)["w"][0] == 0.0
