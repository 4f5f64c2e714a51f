"""Hostile checkpoint files: nn.load never unpickles, checks every header byte before allocating,
raises CheckpointError naming tensors and byte counts, leaves the model unchanged, and nn.save is
atomic (a writer killed at any moment leaves either the old or the new file, never a mix).

tests/nn/test_io_hostile.py covers the basic cases; these probe further: pickles disguised behind
a plausible header length, payloads hidden in metadata and tensor bytes, every byte offset of a
nested checkpoint, systematic lies in each header field, memory use on lying sizes, and writers
killed at random moments or racing each other.
"""

import json
import os
import pathlib
import pickle
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc

import numpy as np
import pytest

import nn
from autograd_core.errors import CheckpointError
from nn.io import MAX_HEADER_BYTES

REPO = pathlib.Path(__file__).resolve().parents[2]


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


@pytest.fixture
def no_unpickling(monkeypatch):
    """Any attempt to unpickle (pickle, numpy's allow_pickle paths) fails the test loudly."""

    def boom(*a, **k):
        raise AssertionError("nn.load tried to unpickle")

    monkeypatch.setattr(pickle, "loads", boom)
    monkeypatch.setattr(pickle, "load", boom)
    monkeypatch.setattr(pickle, "Unpickler", boom)
    monkeypatch.setattr(np, "load", boom)


def _model():
    return nn.Sequential(nn.Linear(3, 4, seed=0), nn.Linear(4, 2, seed=1))


def _snapshot(model):
    return {k: np.array(v, copy=True) for k, v in model.state_dict().items()}


def _assert_unchanged(model, snap):
    now = model.state_dict()
    assert list(now) == list(snap)
    for k in snap:
        assert now[k].dtype == snap[k].dtype and now[k].tobytes() == snap[k].tobytes(), k


def _raw(header, data=b"", length=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    n = len(text) if length is None else length
    return n.to_bytes(8, "little") + text + data


# -- pickles in disguise ---------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [0, 2, 5])
@pytest.mark.parametrize("suffix", [".safetensors", ".pt", ".ckpt", ""])
def test_pickle_behind_a_plausible_header_length_never_runs(protocol, suffix, tmp_path, no_unpickling):
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"weight": _Evil(str(marker))}, protocol=protocol)
    path = tmp_path / f"model{suffix}"
    for blob in (payload, _raw(payload), _raw(payload + b" " * 8, length=len(payload))):
        path.write_bytes(blob)
        with pytest.raises(CheckpointError) as info:
            nn.load(path)
        assert "bytes" in str(info.value) or "pickle" in str(info.value)
        assert not marker.exists()


def test_npy_and_npz_with_object_arrays_are_rejected(tmp_path, no_unpickling):
    marker = tmp_path / "pwned"
    obj = np.array([_Evil(str(marker))], dtype=object)
    for name, writer in [("a.npy", np.save), ("b.npz", lambda p, o: np.savez(p, x=o))]:
        real = tmp_path / name
        writer(real, obj) if name.endswith("npy") else writer(str(real), obj)
        disguised = tmp_path / (name + ".safetensors")
        disguised.write_bytes(real.read_bytes())
        with pytest.raises(CheckpointError):
            nn.load(disguised)
    assert not marker.exists()


def test_payloads_in_metadata_and_tensor_bytes_stay_inert(tmp_path, no_unpickling):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Evil(str(marker)))
    data = payload + b"\0" * (-len(payload) % 8)
    header = {
        "__metadata__": {"note": payload.decode("latin-1")},
        "blob": {"dtype": "U8", "shape": [len(data)], "data_offsets": [0, len(data)]},
    }
    path = tmp_path / "m.safetensors"
    path.write_bytes(_raw(header, data))
    out, meta = nn.load(path, with_metadata=True)
    assert out["blob"].tobytes() == data and meta["note"] == payload.decode("latin-1")
    assert not marker.exists()


# -- truncation and extension at every offset ------------------------------------------------------


def _nested_checkpoint(tmp_path):
    model = _model()
    opt = nn.optim.Adam(model.parameters(), lr=0.1)
    loss = (model(np.ones((2, 3), dtype=np.float32)) ** 2).sum()
    loss.backward()
    opt.step()
    path = tmp_path / "ckpt.safetensors"
    nn.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 7, "note": "x"}, path)
    return path, path.read_bytes()


def test_nested_checkpoint_truncated_at_every_byte(tmp_path):
    path, data = _nested_checkpoint(tmp_path)
    assert nn.load(path)["epoch"] == 7
    bad = tmp_path / "cut.safetensors"
    for cut in range(len(data)):
        bad.write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match="bytes") as info:
            nn.load(bad)
        assert str(bad) in str(info.value)


@pytest.mark.parametrize("extra", [b"\0", b"\0" * 7, b"garbage!", b"\x80\x04junk"])
def test_trailing_bytes_are_reported(extra, tmp_path):
    path, data = _nested_checkpoint(tmp_path)
    path.write_bytes(data + extra)
    with pytest.raises(CheckpointError, match=rf"cover \d+ bytes .* holds {len(data) - 8 - _hlen(data) + len(extra)}"):
        nn.load(path)


def _hlen(data):
    return int.from_bytes(data[:8], "little")


# -- lying headers, one field at a time ---------------------------------------------------------------


def _good_parts(tmp_path):
    path = tmp_path / "good.safetensors"
    nn.save({"a": np.arange(6, dtype=np.float64).reshape(2, 3), "b": np.arange(4, dtype=np.float32)}, path)
    data = path.read_bytes()
    n = _hlen(data)
    return json.loads(data[8 : 8 + n]), data[8 + n :]


LIES = {
    "end + 1": lambda e: e["a"]["data_offsets"].__setitem__(1, e["a"]["data_offsets"][1] + 1),
    "begin + 8": lambda e: e["b"]["data_offsets"].__setitem__(0, e["b"]["data_offsets"][0] + 8),
    "swapped offsets": lambda e: e["a"].__setitem__("data_offsets", e["a"]["data_offsets"][::-1]),
    "overlap": lambda e: e["b"].__setitem__("data_offsets", [0, 16]),
    "past the end": lambda e: e["b"].__setitem__("data_offsets", [56, 72]),
    "huge offsets": lambda e: e["b"].__setitem__("data_offsets", [2**62, 2**62 + 16]),
    "negative offset": lambda e: e["b"]["data_offsets"].__setitem__(0, -16),
    "float offset": lambda e: e["b"]["data_offsets"].__setitem__(0, 48.0),
    "three offsets": lambda e: e["b"]["data_offsets"].append(64),
    "string offsets": lambda e: e["b"].__setitem__("data_offsets", "48-64"),
    "extra dim": lambda e: e["a"]["shape"].append(2),
    "zero dim": lambda e: e["a"]["shape"].__setitem__(0, 0),
    "negative dim": lambda e: e["a"]["shape"].__setitem__(0, -2),
    "bool dim": lambda e: e["b"].__setitem__("shape", [True, 4]),
    "float dim": lambda e: e["a"]["shape"].__setitem__(0, 2.0),
    "huge dims": lambda e: e["a"].__setitem__("shape", [2**40, 2**40]),
    "nested shape": lambda e: e["a"].__setitem__("shape", [[2, 3]]),
    "shape null": lambda e: e["a"].__setitem__("shape", None),
    "dtype lower": lambda e: e["a"].__setitem__("dtype", "f64"),
    "dtype BF16": lambda e: e["b"].__setitem__("dtype", "BF16"),
    "dtype C64": lambda e: e["a"].__setitem__("dtype", "C64"),
    "dtype numpy": lambda e: e["a"].__setitem__("dtype", "<f8"),
    "dtype object": lambda e: e["a"].__setitem__("dtype", "O"),
    "dtype number": lambda e: e["a"].__setitem__("dtype", 8),
    "dtype smaller": lambda e: e["a"].__setitem__("dtype", "F32"),  # 6 x 4 bytes in a 48-byte span
    "missing key": lambda e: e["a"].pop("dtype"),
    "extra key": lambda e: e["a"].__setitem__("offset", 0),
    "entry a list": lambda e: e.__setitem__("a", [1, 2]),
    "metadata non-str": lambda e: e.__setitem__("__metadata__", {"k": 1}),
    "metadata list": lambda e: e.__setitem__("__metadata__", ["k"]),
    "tree missing tensor": lambda e: e.__setitem__("__metadata__", {"autograd_core.tree": '{"tensor":"zzz"}'}),
    "tree repeats tensor": lambda e: e.__setitem__(
        "__metadata__", {"autograd_core.tree": '{"list":[{"tensor":"a"},{"tensor":"a"},{"tensor":"b"}]}'}
    ),
    "tree unknown node": lambda e: e.__setitem__("__metadata__", {"autograd_core.tree": '{"pickle":"x"}'}),
    "tree not json": lambda e: e.__setitem__("__metadata__", {"autograd_core.tree": "{"}),
    "tree deep": lambda e: e.__setitem__("__metadata__", {"autograd_core.tree": '{"list":[' * 5000 + "]}" * 5000}),
}


@pytest.mark.parametrize("lie", list(LIES))
def test_each_lie_in_the_header_is_a_checkpoint_error(lie, tmp_path, no_unpickling):
    entries, data = _good_parts(tmp_path)
    LIES[lie](entries)
    path = tmp_path / "lie.safetensors"
    path.write_bytes(_raw(entries, data))
    with pytest.raises(CheckpointError) as info:
        nn.load(path)
    msg = str(info.value)
    assert str(path) in msg
    if "tree" not in lie and "metadata" not in lie:
        assert "'a'" in msg or "'b'" in msg or "bytes" in msg, msg  # names the tensor or the byte counts


@pytest.mark.parametrize(
    "raw",
    [
        _raw(b'{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": 1}', b"\0" * 4),
        _raw(b"[1, 2, 3]"),
        _raw(b'"just a string"'),
        _raw(b"null"),
        _raw(b"{" * 100_000 + b"}" * 100_000),
        _raw(b"\xff\xfe{}"),
        _raw(b'{"a": NaN}'),
        _raw(b""),
    ],
    ids=["duplicate key", "array", "string", "null", "deep json", "not utf-8", "NaN", "empty"],
)
def test_malformed_json_headers(raw, tmp_path):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(raw)
    with pytest.raises(CheckpointError):
        nn.load(path)


# -- oversized and lying sizes cost no memory ----------------------------------------------------------


@pytest.mark.parametrize(
    "length", [2**64 - 1, 2**63, MAX_HEADER_BYTES + 1, MAX_HEADER_BYTES - 1, 10**6], ids=lambda n: f"{n}"
)
def test_oversized_or_lying_header_length_allocates_nothing(length, tmp_path):
    path = tmp_path / "big.safetensors"
    path.write_bytes(length.to_bytes(8, "little") + b"{}" + b" " * 90)
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=r"\d+ bytes") as info:
            nn.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak
    assert str(length) in str(info.value)


def test_huge_tensor_claim_in_a_tiny_file_allocates_nothing(tmp_path):
    header = {"w": {"dtype": "F64", "shape": [2**28], "data_offsets": [0, 2**31]}}
    path = tmp_path / "claim.safetensors"
    path.write_bytes(_raw(header, b"\0" * 64))
    tracemalloc.start()
    try:
        with pytest.raises(CheckpointError, match=r"'w'.*2147483648.*64 bytes"):
            nn.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak


# -- wrong dtypes and values -----------------------------------------------------------------------


def test_bool_tensor_with_other_bytes(tmp_path):
    path = tmp_path / "bool.safetensors"
    path.write_bytes(_raw({"m": {"dtype": "BOOL", "shape": [4], "data_offsets": [0, 4]}}, b"\x00\x01\x02\x01"))
    with pytest.raises(CheckpointError, match=r"'m'.*0 and 1"):
        nn.load(path)


@pytest.mark.parametrize(
    "bad",
    [
        {"0.weight": np.zeros((4, 3), dtype=np.int64)},
        {"0.weight": np.zeros((4, 3), dtype=bool)},
        {"0.weight": np.zeros((3, 4), dtype=np.float32)},
        {"0.weight": np.zeros((4, 3, 1), dtype=np.float32)},
        {"0.weight": np.array(["x"] * 12).reshape(4, 3)},
        {"0.weight": object()},
        {"0.wieght": np.zeros((4, 3), dtype=np.float32)},
        {},
    ],
    ids=["int into float", "bool into float", "transposed", "extra dim", "strings", "object", "typo key", "empty"],
)
def test_bad_state_dicts_leave_the_model_unchanged(bad, tmp_path):
    model = _model()
    snap = _snapshot(model)
    full = dict(model.state_dict())
    full.update(bad)
    if not bad:
        full = {}
    with pytest.raises(CheckpointError) as info:
        model.load_state_dict(full)
    assert any(k in str(info.value) for k in ("0.weight", "0.wieght", "missing"))
    _assert_unchanged(model, snap)


def test_every_hostile_file_leaves_the_model_unchanged(tmp_path, no_unpickling):
    model = _model()
    path = tmp_path / "m.safetensors"
    nn.save(model.state_dict(), path)
    good = path.read_bytes()
    snap = _snapshot(model)
    other = _model()
    for p in other.parameters():
        p.data = p.data + 1
    nn.save(other.state_dict(), tmp_path / "other.safetensors")
    hostile = [good[:cut] for cut in range(0, len(good), 7)]
    hostile += [good[:8] + good[8:].replace(b'"F32"', b'"F64"', 1), good + b"\0", pickle.dumps(other.state_dict())]
    for blob in hostile:
        path.write_bytes(blob)
        with pytest.raises(CheckpointError):
            model.load_state_dict(nn.load(path))
        _assert_unchanged(model, snap)
    model.load_state_dict(nn.load(tmp_path / "other.safetensors"))  # a good file still loads afterwards
    assert not np.array_equal(model.state_dict()["0.weight"], snap["0.weight"])


# -- atomic saves -----------------------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {repo!r})
    import numpy as np
    import nn
    a = {{"w": np.full(1_000_000, 1.0), "tag": np.array([1])}}
    b = {{"w": np.full(1_000_000, 2.0), "tag": np.array([2])}}
    print("ready", flush=True)
    while True:
        nn.save(a, {path!r})
        nn.save(b, {path!r})
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.013, 0.031, 0.077])
def test_writer_killed_at_random_moments_leaves_a_complete_file(delay, tmp_path):
    """A process saving in a loop is SIGKILLed at various moments: the file is always exactly one of
    the two complete checkpoints (never a mix, never truncated); at most one temp file is left."""
    path = tmp_path / "ckpt.safetensors"
    nn.save({"w": np.full(1_000_000, 0.0), "tag": np.array([0])}, path)
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER.format(repo=str(REPO), path=str(path))], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.05 + delay)
        child.kill()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    out = nn.load(path)
    tag = int(out["tag"][0])
    assert tag in (0, 1, 2)
    np.testing.assert_array_equal(out["w"], np.full(1_000_000, float(tag)))
    assert len([p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]) <= 1


def test_racing_writers_leave_one_complete_file(tmp_path):
    path = tmp_path / "race.safetensors"
    errors = []

    def writer(k):
        try:
            for _ in range(10):
                nn.save({"w": np.full(50_000, float(k)), "k": np.array([k])}, path)
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    out = nn.load(path)
    np.testing.assert_array_equal(out["w"], np.full(50_000, float(out["k"][0])))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.safetensors"]  # no temp files left


def test_save_into_a_directory_path_fails_cleanly(tmp_path):
    target = tmp_path / "adir"
    target.mkdir()
    with pytest.raises(OSError):
        nn.save({"w": np.ones(3)}, target)
    assert target.is_dir() and list(target.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["adir"]


def test_permissions_and_symlinks_are_not_followed_into_other_files(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.safetensors"
    os.symlink(victim, link)
    nn.save({"w": np.ones(2)}, link)  # replaces the link itself, never writes through it
    assert victim.read_text() == "keep me"
    assert not link.is_symlink()
    np.testing.assert_array_equal(nn.load(link)["w"], np.ones(2))
