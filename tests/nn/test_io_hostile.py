"""Hostile checkpoints: pickles, truncations, lying headers, killed writers. Each is refused with a clear
CheckpointError before anything is built, and a model never sees a half-loaded state."""

import contextlib
import json
import os
import pathlib
import pickle
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd_core.errors import CheckpointError

REPO = pathlib.Path(__file__).resolve().parents[2]


class _Evil:
    """Unpickling this creates a marker file (stands in for arbitrary code execution)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


@pytest.mark.parametrize("protocol", [0, 1, 2, 4, 5])
def test_crafted_pickle_is_rejected_and_never_runs(protocol, tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps({"weight": _Evil(str(marker))}, protocol=protocol))
    with pytest.raises(CheckpointError) as err:
        nn.load(path)
    assert not marker.exists()
    msg = str(err.value)
    assert ("pickle" in msg) if protocol >= 2 else ("not a safetensors checkpoint" in msg)


@pytest.mark.parametrize("zipfile", [True, False])
def test_torch_save_files_are_rejected_without_unpickling(zipfile, tmp_path):
    path = tmp_path / "model.safetensors"
    torch.save(
        {"weight": torch.ones(2), "evil": _Evil(str(tmp_path / "pwned"))}, path, _use_new_zipfile_serialization=zipfile
    )
    with pytest.raises(CheckpointError, match="zip archive" if zipfile else "pickle"):
        nn.load(path)
    assert not (tmp_path / "pwned").exists()


def _good_file(tmp_path):
    path = tmp_path / "good.safetensors"
    nn.save(
        {"w": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1.0, -2.0]), "m": np.array([True])}, path
    )
    return path, path.read_bytes()


def test_truncation_at_every_offset(tmp_path):
    path, data = _good_file(tmp_path)
    n = int.from_bytes(data[:8], "little")
    interesting = set(range(len(data)))  # the file is small: every single offset
    for cut in sorted(interesting):
        bad = tmp_path / f"cut{cut}.safetensors"
        bad.write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match="bytes") as err:
            nn.load(bad)
        if cut < 8:
            assert f"file is {cut} bytes" in str(err.value)
        elif cut < 8 + n:
            assert f"header claims {n} bytes but only {cut - 8} bytes follow" in str(err.value)
        else:
            assert "truncated" in str(err.value) or "data section" in str(err.value)
        bad.unlink()
    assert nn.load(path)["w"].shape == (2, 3)


def _craft(tmp_path, header, data=b"", raw_header=None, length=None):
    body = raw_header if raw_header is not None else json.dumps(header).encode()
    size = len(body) if length is None else length
    path = tmp_path / "crafted.safetensors"
    path.write_bytes(size.to_bytes(8, "little") + body + data)
    return path


F32x2 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}


@pytest.mark.parametrize(
    ("header", "data", "match"),
    [
        (
            {"w": {**F32x2, "data_offsets": [0, 800]}},
            bytes(8),
            r"shape \[2\] of F32 needs 8 bytes but data_offsets \[0, 800\] span 800",
        ),
        (
            {"w": {**F32x2, "shape": [1000, 1000], "data_offsets": [0, 4000000]}},
            bytes(8),
            "end at byte 4000000 but the data section has only 8 bytes",
        ),
        ({"w": {**F32x2, "data_offsets": [8, 0]}}, bytes(8), "span -8 bytes"),
        ({"w": {**F32x2, "data_offsets": [-8, 0]}}, bytes(8), "two non-negative ints"),
        ({"w": {**F32x2, "data_offsets": [0, 8, 16]}}, bytes(8), "two non-negative ints"),
        ({"w": {**F32x2, "data_offsets": [0.0, 8.0]}}, bytes(8), "two non-negative ints"),
        ({"w": {**F32x2, "shape": [2, -1]}}, bytes(8), "non-negative ints"),
        ({"w": {**F32x2, "shape": [True, 2]}}, bytes(8), "non-negative ints"),
        ({"w": {**F32x2, "shape": "2"}}, bytes(8), "non-negative ints"),
        ({"w": {**F32x2, "shape": [3]}}, bytes(8), "needs 12 bytes"),
        (
            {"w": F32x2, "v": F32x2},
            bytes(16),
            "'v' starts at data byte 0 but the previous tensor ends at 8: it overlaps tensor 'w'|'w' starts at data byte 0 but the previous tensor ends at 8: it overlaps tensor 'v'",
        ),
        ({"w": F32x2, "v": {**F32x2, "data_offsets": [4, 12]}}, bytes(12), "overlaps tensor 'w'"),
        ({"w": F32x2, "v": {**F32x2, "data_offsets": [12, 20]}}, bytes(20), "leaves a gap of 4 bytes"),
        ({"w": F32x2}, bytes(12), "tensors cover 8 bytes but the data section holds 12 bytes"),
        ({"w": {**F32x2, "dtype": "F33"}}, bytes(8), "unknown dtype 'F33'"),
        ({"w": {**F32x2, "dtype": "BF16", "data_offsets": [0, 4]}}, bytes(4), "BF16 has no numpy equivalent"),
        ({"w": {**F32x2, "dtype": "F8_E4M3"}}, bytes(8), "no numpy equivalent"),
        ({"w": {**F32x2, "dtype": "O"}}, bytes(8), "unknown dtype 'O'"),
        ({"w": {**F32x2, "dtype": ["F32"]}}, bytes(8), "unknown dtype"),
        ({"w": {"dtype": "F32", "shape": [2]}}, bytes(8), "exactly dtype, shape, data_offsets"),
        ({"w": {**F32x2, "extra": 1}}, bytes(8), "exactly dtype, shape, data_offsets"),
        ({"w": [1, 2]}, bytes(8), "exactly dtype"),
        ([1, 2, 3], b"", "must be a JSON object"),
        ({"__metadata__": {"k": 1}}, b"", "must map str to str"),
        (
            {"m": {"dtype": "BOOL", "shape": [3], "data_offsets": [0, 3]}},
            b"\x00\x01\x02",
            "BOOL tensor 'm' holds bytes other than 0 and 1",
        ),
    ],
)
def test_lying_headers(header, data, match, tmp_path):
    with pytest.raises(CheckpointError, match=match):
        nn.load(_craft(tmp_path, header, data))


@pytest.mark.parametrize(
    ("raw", "length", "match"),
    [
        (b'{"w": 1', None, "not valid JSON"),
        (b"\xff\xfe{}", None, "not UTF-8"),
        (b'{"w": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}, "w": {}}', None, "repeats the key 'w'"),
        (b"{}", 2**40, "header length 1099511627776 bytes exceeds the 100000000-byte limit"),
        (b"{}", 2**64 - 1, "exceeds"),
        (b"{}", 50, "header claims 50 bytes but only 2 bytes follow"),
        (b"[" * 100_000 + b"]" * 100_000, None, "not valid JSON|must be a JSON object"),
    ],
    ids=["unclosed", "not-utf8", "duplicate-key", "huge-length", "max-u64-length", "length-past-eof", "deep-nesting"],
)
def test_broken_headers(raw, length, match, tmp_path):
    with pytest.raises(CheckpointError, match=match):
        nn.load(_craft(tmp_path, None, raw_header=raw, length=length))


def _tree_file(tmp_path, tree, tensors=None):
    tensors = tensors if tensors is not None else {"a": np.ones(2)}
    header, offset = {"__metadata__": {nn.io.TREE_KEY: json.dumps(tree)}}, 0
    for k, v in tensors.items():
        header[k] = {"dtype": "F64", "shape": list(v.shape), "data_offsets": [offset, offset + v.nbytes]}
        offset += v.nbytes
    return _craft(tmp_path, header, b"".join(v.tobytes() for v in tensors.values()))


@pytest.mark.parametrize(
    ("tree", "match"),
    [
        ({"tensor": "missing"}, "missing or repeated tensor 'missing'"),
        ({"list": [{"tensor": "a"}, {"tensor": "a"}]}, "repeated tensor 'a'"),
        ({"value": 1}, r"tensors \['a'\] are not referenced"),
        ({"pickle": "gASV"}, "unknown checkpoint tree node 'pickle'"),
        ({"value": {"nested": "object"}}, "unknown checkpoint tree node 'value'"),
        ({"float": "1e400"}, "unknown checkpoint tree node 'float'"),
        ({"dict": [["k", {"tensor": "a"}], ["k", {"value": 1}]]}, "repeated dict key 'k'"),
        ({"dict": [[True, {"tensor": "a"}]]}, "malformed dict item"),
        ({"dict": [[1.5, {"tensor": "a"}]]}, "bad or repeated dict key 1.5"),
        ({"tensor": "a", "value": 1}, "malformed checkpoint tree node"),
        ("just a string", "malformed checkpoint tree node"),
    ],
)
def test_lying_checkpoint_trees(tree, match, tmp_path):
    with pytest.raises(CheckpointError, match=match):
        nn.load(_tree_file(tmp_path, tree))


def test_deep_tree_is_refused(tmp_path):
    tree = {"tensor": "a"}
    for _ in range(100):
        tree = {"list": [tree]}
    with pytest.raises(CheckpointError, match="deeper than 64"):
        nn.load(_tree_file(tmp_path, tree))
    with pytest.raises(CheckpointError, match="deeper than 64"):
        nested = np.ones(1)
        for _ in range(100):
            nested = [nested]
        nn.save(nested, tmp_path / "deep.safetensors")


def test_model_is_unchanged_after_failed_loads(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Linear(4, 2, dtype=np.float64))
    before = {k: np.copy(v) for k, v in model.state_dict().items()}
    good = {k: np.asarray(v) + 1.0 for k, v in before.items()}
    path = tmp_path / "m.safetensors"
    nn.save(good, path)
    data = path.read_bytes()
    path.write_bytes(data[:-3])  # truncated: nn.load refuses before the model is touched
    with pytest.raises(CheckpointError):
        model.load_state_dict(nn.load(path))
    wrong = dict(good)
    wrong["1.weight"] = np.ones((2, 5))  # the last entry is wrong: earlier ones must not be assigned
    nn.save(wrong, path)
    with pytest.raises(CheckpointError, match=r"1\.weight"):
        model.load_state_dict(nn.load(path))
    nn.save({k: v for k, v in good.items() if k != "1.bias"}, path)
    with pytest.raises(CheckpointError, match=r"missing keys: 1\.bias"):
        model.load_state_dict(nn.load(path))
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(v), before[k])
    nn.save(good, path)
    model.load_state_dict(nn.load(path))
    np.testing.assert_array_equal(np.asarray(model.state_dict()["0.weight"]), good["0.weight"])


_CHILD = textwrap.dedent(
    """
    import os, sys, time
    import numpy as np
    sys.path.insert(0, {repo!r})
    import nn
    if {block!r}:
        os.fsync = lambda fd: time.sleep(60)  # all bytes written, never committed
    big = {{f"t{{i}}": np.full(2_000_000, i, dtype=np.float64) for i in range(4)}}  # 64 MB to write
    nn.save(big, {path!r})
    """
)


@pytest.mark.parametrize("block", [False, True], ids=["mid-write", "before-rename"])
def test_killed_writer_leaves_old_file_intact(block, tmp_path):
    path = tmp_path / "model.safetensors"
    old = {"w": np.arange(10.0), "b": np.ones(3, np.float32)}
    nn.save(old, path)
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", _CHILD.format(repo=str(REPO), block=block, path=str(path))])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            tmps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
            want = 64_000_000 if block else 1 << 20  # every byte written / a partial file
            if tmps and tmps[0].stat().st_size >= want:
                break
            time.sleep(0.002)
        assert child.poll() is None, "the writer finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1  # the writer died before its rename (a killed process cannot clean up)
    print("temp file at kill:", leftovers[0].stat().st_size, "bytes")
    assert path.read_bytes() == before
    out = nn.load(path)
    np.testing.assert_array_equal(out["w"], old["w"])
    np.testing.assert_array_equal(out["b"], old["b"])


_VALID = None


def _valid_bytes(tmp_path_factory):
    global _VALID
    if _VALID is None:
        path = tmp_path_factory.mktemp("fuzz") / "v.safetensors"
        nn.save({"model": {"w": np.arange(6.0).reshape(2, 3), "m": np.array([True, False])}, "epoch": 3}, path)
        _VALID = path.read_bytes()
    return _VALID


@given(data=st.data())
@settings(max_examples=int(os.environ.get("IO_FUZZ_EXAMPLES", "100")))
def test_mutated_files_raise_only_checkpoint_errors(data, tmp_path_factory):
    """Flip, insert or delete bytes anywhere in a valid nested checkpoint: nn.load either returns or raises
    CheckpointError, never another exception (no KeyError, TypeError, UnicodeDecodeError, MemoryError...)."""
    raw = bytearray(_valid_bytes(tmp_path_factory))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["set", "insert", "delete"]))
        if op == "set":
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == "insert":
            raw.insert(pos, data.draw(st.sampled_from(list(b'{}[]",:0123456789-eE.tfn '))))
        else:
            del raw[pos]
    path = tmp_path_factory.getbasetemp() / "mutated.safetensors"
    path.write_bytes(bytes(raw))
    with contextlib.suppress(CheckpointError):
        nn.load(path)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
_entry = st.fixed_dictionaries(
    {
        "dtype": st.sampled_from(["F32", "F64", "BOOL", "U8", "BF16", "X"]) | _json,
        "shape": st.lists(st.integers(-2, 2**40), max_size=3) | _json,
        "data_offsets": st.lists(st.integers(-(2**65), 2**65) | st.integers(0, 64), min_size=0, max_size=3) | _json,
    }
)


@given(
    header=st.dictionaries(st.text(max_size=4), _entry | _json, max_size=4),
    data=st.binary(max_size=64),
)
@settings(max_examples=int(os.environ.get("IO_FUZZ_EXAMPLES", "100")))
def test_random_headers_raise_only_checkpoint_errors(header, data, tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / "random_header.safetensors"
    body = json.dumps(header).encode()
    path.write_bytes(len(body).to_bytes(8, "little") + body + data)
    with contextlib.suppress(CheckpointError):
        out = nn.load(path)
        assert isinstance(out, dict)


@pytest.mark.parametrize(
    "content",
    [
        b"hello, this is a text file\n" * 4,
        b"\x93NUMPY\x01\x00v\x00{'descr': '<f8'}" + b" " * 64,
        b"GIF89a" + b"\x00" * 40,
    ],
    ids=["text", "npy", "gif"],
)
def test_a_file_of_another_kind_is_not_a_safetensors_checkpoint(tmp_path, content):
    path = tmp_path / "model.safetensors"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match="not a safetensors checkpoint"):
        nn.load(path)
