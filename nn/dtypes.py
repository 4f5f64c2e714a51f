"""The dtype rule for layers: a layer with parameters computes in its parameters' dtype.

A floating-point, integer or bool input (Value or ndarray) of another dtype is cast to the
parameters' dtype before ``forward`` runs, as Keras does (PyTorch raises instead). numpy makes
float64 and int64 arrays by default, so without the cast a float32 model fed numpy data would
silently compute, and return, float64. The cast of a Value is the differentiable ``astype`` op, so a
gradient reaches a float64 input as float64. Arguments a layer reads as indices or class targets
stay integer: the positions a class lists in ``_index_args`` (Embedding's indices, a loss's
target). Non-array arguments are left alone, as are layers without parameters or floating buffers
(ReLU, pooling, dropout keep their input's dtype).
"""

import numpy as np

from autograd_core import Value


def parameter_dtype(module):
    """The dtype of the module's own first parameter, else of its first floating buffer (BatchNorm
    without affine keeps float running stats), else None."""
    for p in module._parameters.values():
        if p is not None:
            return p.dtype
    for b in module._buffers.values():
        if isinstance(b, np.ndarray) and b.dtype.kind == "f":
            return b.dtype
    return None


def _needs_cast(x, dtype, index):
    if not isinstance(x, (Value, np.ndarray)) or x.dtype == dtype:
        return False
    return x.dtype.kind == "f" or (x.dtype.kind in "iub" and not index)


def cast_inputs(module, args):
    """``args`` with floating-point, integer and bool Values and arrays cast to the module's
    parameter dtype, except at the positions in the class's ``_index_args`` (the same tuple,
    untouched, when nothing needs a cast: the common case costs no allocation)."""
    dtype = parameter_dtype(module)
    if dtype is None:
        return args
    keep = getattr(module, "_index_args", ())
    flags = [_needs_cast(a, dtype, i in keep) for i, a in enumerate(args)]
    if any(flags):
        return tuple(a.astype(dtype) if f else a for a, f in zip(args, flags))
    return args


_DEVICE_TYPES = {"cpu", "cuda", "mps", "xpu", "meta", "hip", "xla", "ipu", "mtia", "vulkan", "privateuseone"}


def _device_name(a):
    """The device a ``to()`` argument names ('cpu', 'cuda:0', a torch.device, a CUDA index), else None."""
    if type(a).__name__ == "device":  # a torch.device, read by its text (torch is not imported here)
        return str(a)
    if isinstance(a, str) and a.split(":")[0] in _DEVICE_TYPES:
        return a
    if isinstance(a, int) and not isinstance(a, bool):
        return f"cuda:{a}"
    return None


def to_arguments(name, args, kwargs):
    """The dtype that ``Module.to(*args, **kwargs)`` asks for (None: none), with PyTorch's forms:
    ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(device=..., dtype=...)``, a
    ``non_blocking``/``copy``/``memory_format`` keyword (ignored). A dtype may be numpy's, a name
    ('float64') or a torch dtype (torch.float64).

    Raises ValueError for a device other than the CPU ('cuda', 'mps', ...: autograd-core computes on
    the CPU with numpy), TypeError for a non-floating dtype or an unknown keyword.
    """
    kwargs = {k: v for k, v in kwargs.items() if k not in ("non_blocking", "copy", "memory_format")}
    device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    devices = [] if device is None else [device]
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    for a in args:
        if isinstance(a, bool):  # to(dtype, non_blocking) positionally
            continue
        device = _device_name(a)
        if device is not None:
            devices.append(device)
        else:
            dtype = a
    for device in devices:
        text = _device_name(device) or str(device)
        if text.split(":")[0] != "cpu":
            raise ValueError(
                f"{name}: device {text!r} is not available: autograd-core computes on the CPU with numpy; "
                "pass 'cpu' (a no-op) or leave the call out"
            )
    if dtype is None:
        return None
    dtype = np.dtype(str(dtype).removeprefix("torch.") if type(dtype).__name__ == "dtype" else dtype)
    if dtype.kind != "f":
        raise TypeError(f"{name}: dtype must be floating point, got {dtype}")
    return dtype
