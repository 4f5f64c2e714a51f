"""Safe checkpoints: ``nn.save(obj, path)`` / ``nn.load(path)`` in the safetensors format, never pickle.

File layout (safetensors): 8-byte little-endian header length N, N bytes of JSON header
``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}``, then the
raw little-endian tensor bytes. Files written here load with ``safetensors.torch.load_file`` /
``safetensors.numpy.load_file`` and vice versa.

What can be saved:
- a flat dict ``{str: ndarray | Value}`` (a model's state dict): a plain safetensors file;
- a nested structure of dicts (str or int keys), lists and tuples whose leaves are arrays, Values,
  numpy scalars or plain JSON scalars (int, float, bool, None, str), e.g.
  ``{"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}``. Its arrays are stored
  as tensors named by their ``.``-joined path ("optimizer.state.0.exp_avg") and its shape as JSON in
  the ``__metadata__`` entry ``autograd_core.tree``; other safetensors readers see the flat tensors.

Loading parses and checks the whole header (sizes, dtypes, shapes, offsets that tile the data
exactly) before any array is built, and raises CheckpointError naming the tensor and byte counts.
Writes go to a temporary file in the same directory, are fsynced, then ``os.replace``d over the
target, so a crash mid-save leaves the previous file intact.
"""

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Mapping

import numpy as np

from autograd_core import Value
from autograd_core.errors import CheckpointError

MAX_HEADER_BYTES = 100_000_000  # the limit the safetensors library itself enforces
TREE_KEY = "autograd_core.tree"
_MAX_DEPTH = 64

_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U64": np.uint64,
    "U32": np.uint32,
    "U16": np.uint16,
    "U8": np.uint8,
    "BOOL": np.bool_,
}
_CODES = {np.dtype(v): k for k, v in _DTYPES.items()}
_UNSUPPORTED = {"BF16", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64", "C128"}


# -- saving -------------------------------------------------------------------------------------
def save(obj, path, metadata=None):
    """Write ``obj`` (a flat state dict or a nested checkpoint, see the module docstring) atomically."""
    tensors = {}
    if metadata is not None and (
        not isinstance(metadata, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())
    ):
        raise CheckpointError("metadata must be a dict of str -> str")
    meta = dict(metadata or {})
    if TREE_KEY in meta:
        raise CheckpointError(f"metadata key {TREE_KEY!r} is reserved")
    if _is_flat(obj):
        for k, v in obj.items():
            tensors[k] = _as_saveable(v, k)
    else:
        meta[TREE_KEY] = json.dumps(_skeleton(obj, (), tensors, 0), separators=(",", ":"))
    for name in tensors:
        if name == "__metadata__":
            raise CheckpointError("a tensor cannot be named '__metadata__' (reserved by safetensors)")
    header, order = _header(tensors, meta)
    _atomic_write(path, header, [tensors[n] for n in order])


def _is_flat(obj):
    return isinstance(obj, Mapping) and all(
        isinstance(k, str) and isinstance(v, (np.ndarray, Value, np.generic)) for k, v in obj.items()
    )


def _as_saveable(v, name):
    arr = np.asarray(v.numpy() if isinstance(v, Value) else v)
    if arr.dtype.newbyteorder("=") not in _CODES:
        raise CheckpointError(f"tensor {name!r} has dtype {arr.dtype}, which safetensors cannot store here")
    arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
    return arr if arr.flags.c_contiguous else arr.copy(order="C")  # (ascontiguousarray would make 0-d arrays 1-d)


def _skeleton(obj, path, tensors, depth):
    """JSON description of a nested object; arrays are moved into ``tensors`` under their dotted path."""
    if depth > _MAX_DEPTH:
        raise CheckpointError(f"checkpoint nested deeper than {_MAX_DEPTH} levels")
    if isinstance(obj, (np.ndarray, Value, np.generic)):
        name = ".".join(map(str, path)) or "tensor"
        if name in tensors:
            raise CheckpointError(f"two entries map to the tensor name {name!r}; rename a key")
        tensors[name] = _as_saveable(obj, name)
        return {"tensor": name}
    if obj is None or isinstance(obj, (bool, int, str)):
        return {"value": obj}
    if isinstance(obj, float):
        return {"value": obj} if math.isfinite(obj) else {"float": repr(obj)}
    if isinstance(obj, Mapping):
        items = []
        for k, v in obj.items():
            if isinstance(k, bool) or not isinstance(k, (str, int)):
                raise CheckpointError(f"dict key {k!r} at {'.'.join(map(str, path)) or '<root>'} is not a str or int")
            items.append([k, _skeleton(v, (*path, k), tensors, depth + 1)])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [_skeleton(v, (*path, i), tensors, depth + 1) for i, v in enumerate(obj)]}
    raise CheckpointError(
        f"cannot save a {type(obj).__name__} at {'.'.join(map(str, path)) or '<root>'}: "
        "only arrays, Values, numbers, str, None, dicts, lists and tuples (never pickle)"
    )


def _header(tensors, meta):
    # Larger items first, then by name: every tensor starts aligned to its item size.
    order = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))
    entries, offset = {}, 0
    if meta:
        entries["__metadata__"] = meta
    for n in order:
        a = tensors[n]
        entries[n] = {
            "dtype": _CODES[a.dtype.newbyteorder("=")],
            "shape": list(a.shape),
            "data_offsets": [offset, offset + a.nbytes],
        }
        offset += a.nbytes
    text = json.dumps(entries, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-len(text) % 8)  # pad to 8 bytes like the safetensors writer
    return len(text).to_bytes(8, "little") + text, order


def _atomic_write(path, header, arrays):
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(header)
            for a in arrays:
                f.write(memoryview(a.reshape(-1)).cast("B"))
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        try:
            dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dfd)
        except OSError:
            pass
        finally:
            os.close(dfd)


# -- loading ------------------------------------------------------------------------------------
def load(path, *, with_metadata=False):
    """Read a safetensors file; every byte of the header is checked before any array is returned.

    Returns a dict ``{name: ndarray}`` (writable copies, native byte order), or the nested object a
    checkpoint was saved from. ``with_metadata=True`` returns ``(obj, metadata_dict)``.
    """
    path = os.fspath(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        prefix = f.read(8)
        if len(prefix) < 8:
            raise CheckpointError(
                f"{path}: file is {len(prefix)} bytes, shorter than the 8-byte header length of a safetensors file"
            )
        _reject_foreign(path, prefix)
        n = int.from_bytes(prefix, "little")
        first = f.read(1)
        if first and first != b"{" and (n > MAX_HEADER_BYTES or 8 + n > size or n < 2):
            # an impossible header length and no JSON object after it: some other kind of file
            raise CheckpointError(
                f"{path}: not a safetensors checkpoint (a safetensors file is an 8-byte header length, then a JSON "
                f"header starting with '{{'; this file starts {(prefix + first)!r}). nn.load reads files written by "
                "nn.save or safetensors' save_file."
            )
        f.seek(8)
        if n > MAX_HEADER_BYTES:
            raise CheckpointError(f"{path}: header length {n} bytes exceeds the {MAX_HEADER_BYTES}-byte limit")
        if 8 + n > size:
            raise CheckpointError(
                f"{path}: header claims {n} bytes but only {size - 8} bytes follow the 8-byte length (truncated?)"
            )
        raw = f.read(n)
        entries, meta = _parse_header(path, raw)
        data_len = size - 8 - n
        specs = _check_layout(path, entries, data_len)
        data = f.read(data_len)
    if len(data) != data_len:
        raise CheckpointError(f"{path}: expected {data_len} data bytes, read {len(data)} (file changed while loading?)")
    flat = {}
    for name, dtype, shape, begin, end in specs:
        arr = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<"), count=math.prod(shape), offset=begin)
        if dtype is np.bool_ and arr.size and np.frombuffer(data, np.uint8, end - begin, begin).max() > 1:
            raise CheckpointError(f"{path}: BOOL tensor {name!r} holds bytes other than 0 and 1")
        flat[name] = arr.astype(np.dtype(dtype), copy=True).reshape(shape)
    obj = flat
    if TREE_KEY in meta:
        obj = _rebuild(path, meta.pop(TREE_KEY), flat)
    return (obj, meta) if with_metadata else obj


def _reject_foreign(path, prefix):
    if prefix[0] == 0x80 and 2 <= prefix[1] <= 5:
        raise CheckpointError(f"{path}: this is a Python pickle (protocol {prefix[1]}); nn.load never unpickles")
    if prefix.startswith(b"PK\x03\x04"):
        raise CheckpointError(
            f"{path}: this is a zip archive (torch.save's pickle format); nn.load never unpickles. "
            "Convert it with safetensors.torch.save_file in a trusted environment."
        )


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise CheckpointError(f"header repeats the key {k!r}")
        d[k] = v
    return d


def _parse_header(path, raw):
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CheckpointError(
            f"{path}: header ({len(raw)} bytes) is not UTF-8 (byte {e.start}); not a safetensors file"
        ) from None
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicates)
    except CheckpointError as e:
        raise CheckpointError(f"{path}: {e}") from None
    except (ValueError, RecursionError) as e:
        raise CheckpointError(f"{path}: header ({len(raw)} bytes) is not valid JSON: {e}") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: header must be a JSON object, got {type(header).__name__}")
    meta = header.pop("__metadata__", None) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise CheckpointError(f"{path}: '__metadata__' must map str to str")
    return header, meta


def _check_layout(path, entries, data_len):
    """Validate each entry and that the tensors tile the data section exactly: no gaps, overlaps or overrun."""
    specs = []
    for name, e in entries.items():
        where = f"{path}: tensor {name!r}"
        if not isinstance(e, dict) or set(e) != {"dtype", "shape", "data_offsets"}:
            keys = sorted(e) if isinstance(e, dict) else type(e).__name__
            raise CheckpointError(f"{where}: entry must have exactly dtype, shape, data_offsets; got {keys}")
        code, shape, offs = e["dtype"], e["shape"], e["data_offsets"]
        if not isinstance(code, str):
            raise CheckpointError(f"{where}: unknown dtype {code!r} (known: {', '.join(_DTYPES)})")
        if code in _UNSUPPORTED:
            raise CheckpointError(f"{where}: dtype {code} has no numpy equivalent; convert it to F32 before saving")
        if code not in _DTYPES:
            raise CheckpointError(f"{where}: unknown dtype {code!r} (known: {', '.join(_DTYPES)})")
        if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
            raise CheckpointError(f"{where}: shape must be a list of non-negative ints, got {shape!r}")
        if not isinstance(offs, list) or len(offs) != 2 or not all(type(o) is int and o >= 0 for o in offs):
            raise CheckpointError(f"{where}: data_offsets must be two non-negative ints, got {offs!r}")
        begin, end = offs
        need = math.prod(shape) * np.dtype(_DTYPES[code]).itemsize
        if end < begin or end - begin != need:
            raise CheckpointError(
                f"{where}: shape {shape} of {code} needs {need} bytes but data_offsets [{begin}, {end}] "
                f"span {end - begin} bytes"
            )
        if end > data_len:
            raise CheckpointError(
                f"{where}: data_offsets end at byte {end} but the data section has only {data_len} bytes (truncated?)"
            )
        specs.append((name, _DTYPES[code], tuple(shape), begin, end))
    specs.sort(key=lambda s: (s[3], s[4]))
    pos, prev = 0, None
    for name, _, _, begin, end in specs:
        if begin != pos:
            what = f"overlaps tensor {prev!r}" if begin < pos else f"leaves a gap of {begin - pos} bytes"
            raise CheckpointError(
                f"{path}: tensor {name!r} starts at data byte {begin} but the previous tensor ends at {pos}: it {what}"
            )
        pos, prev = end, name
    if pos != data_len:
        raise CheckpointError(f"{path}: tensors cover {pos} bytes but the data section holds {data_len} bytes")
    return specs


def _rebuild(path, text, flat):
    """Rebuild a nested checkpoint from its JSON skeleton, checking every node and tensor reference."""
    try:
        skel = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise CheckpointError(f"{path}: metadata {TREE_KEY!r} is not valid JSON: {e}") from None
    used = set()

    def build(node, depth):
        if depth > _MAX_DEPTH:
            raise CheckpointError(f"{path}: checkpoint tree nested deeper than {_MAX_DEPTH} levels")
        if not isinstance(node, dict) or len(node) != 1:
            raise CheckpointError(f"{path}: malformed checkpoint tree node {str(node)[:80]!r}")
        ((kind, v),) = node.items()
        if kind == "tensor":
            if not isinstance(v, str) or v not in flat or v in used:
                raise CheckpointError(f"{path}: checkpoint tree refers to missing or repeated tensor {v!r}")
            used.add(v)
            return flat[v]
        if kind == "value" and (v is None or isinstance(v, (bool, int, float, str))):
            return v
        if kind == "float" and v in ("inf", "-inf", "nan"):
            return float(v)
        if kind in ("list", "tuple") and isinstance(v, list):
            items = [build(x, depth + 1) for x in v]
            return items if kind == "list" else tuple(items)
        if kind == "dict" and isinstance(v, list):
            out = {}
            for item in v:
                if not (isinstance(item, list) and len(item) == 2) or isinstance(item[0], bool):
                    raise CheckpointError(f"{path}: malformed dict item in checkpoint tree: {str(item)[:80]!r}")
                if not isinstance(item[0], (str, int)) or item[0] in out:
                    raise CheckpointError(f"{path}: bad or repeated dict key {item[0]!r} in checkpoint tree")
                out[item[0]] = build(item[1], depth + 1)
            return out
        raise CheckpointError(f"{path}: unknown checkpoint tree node {kind!r}")

    obj = build(skel, 0)
    unused = sorted(set(flat) - used)
    if unused:
        raise CheckpointError(f"{path}: tensors {unused[:5]} are not referenced by the checkpoint tree")
    return obj
