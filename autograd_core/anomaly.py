"""Anomaly mode: never silent about a NaN or inf, wherever it comes from.

Inside ``detect_anomaly()`` every op checks its inputs and its output as it runs, and backward
checks its seed and every vjp result. Each Value made inside the mode remembers where user code
created it (a short traceback in ``v._trace``). The first NaN/inf raises :class:`AnomalyError`:

- one that *reaches* an op (from the data, a parameter, or a Value computed outside the mode):
  the op that received it, which input, what that input is and where it was created;
- one an op *produces* from finite inputs, in forward or in backward: the op, the pass, and where
  the Value was created;
- one in the gradient passed to ``backward()``/``gradients()``.

Outside the mode nothing is checked (NaNs propagate silently, as in numpy) and the only cost is
one class-attribute test per op in ``registry.apply`` and per gradient in the engine.
"""

import contextlib
import os
import sys
import traceback

import numpy as np

from .errors import AnomalyError
from .grad_mode import _State

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
# library frames left out of "created at": this package and the model library beside it (by path only)
_LIB_DIRS = (_PKG_DIR, os.path.join(os.path.dirname(_PKG_DIR), "nn") + os.sep)
_TRACE_FRAMES = 4


def is_anomaly_enabled():
    """True inside ``detect_anomaly()`` (torch.is_anomaly_enabled)."""
    return _State.anomaly


class detect_anomaly(contextlib.ContextDecorator):  # noqa: N801 (PyTorch's name)
    """Context manager (and decorator) that turns anomaly checks on, restoring the previous state."""

    def __enter__(self):
        self._prev = _State.anomaly
        _State.anomaly = True
        return self

    def __exit__(self, *exc):
        _State.anomaly = self._prev
        return False


class set_detect_anomaly:  # noqa: N801 (PyTorch's name)
    """``set_detect_anomaly(True)`` switches the mode on now; used in a ``with`` it restores on exit."""

    def __init__(self, mode):
        self._prev = _State.anomaly
        _State.anomaly = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _State.anomaly = self._prev
        return False


def _user_frames():
    """The innermost few stack frames outside autograd_core and nn (where user code asked for the op).

    Source lines are looked up only when an error is formatted, so recording stays cheap.
    """
    picked = []
    f = sys._getframe(1)
    while f is not None and len(picked) < _TRACE_FRAMES:
        if not f.f_code.co_filename.startswith(_LIB_DIRS):
            picked.append((f, f.f_lineno))
        f = f.f_back
    picked.reverse()
    return traceback.StackSummary.extract(iter(picked), lookup_lines=False, capture_locals=False)


def _where_created(v):
    trace = getattr(v, "_trace", None)
    if not trace:
        return "  (creation site unknown: the Value was made outside detect_anomaly())"
    return "".join(trace.format()).rstrip()


def _bad(a):
    """'nan', 'inf' or None for an array (or Value, or number); non-float data cannot hold either."""
    a = getattr(a, "_data", a)
    if isinstance(a, (int, bool)) or a is None:
        return None
    a = np.asarray(a)
    if a.dtype.kind not in "fc" or a.size == 0:
        return None
    if np.isnan(a).any():
        return "nan"
    if np.isinf(a).any():
        return "inf"
    return None


def _describe_input(p, d):
    """What an op's input is, for a message: a plain array, a leaf, a parameter-like leaf, an op's output."""
    shape = np.shape(d)
    if p is None or not hasattr(p, "_op"):
        return f"a plain array or number of shape {shape}"
    name = f" '{p.name}'" if getattr(p, "name", None) else ""
    if p._op is not None:
        return f"the output{name} of op '{p._op.name}', shape {shape}"
    kind = "a leaf Value that requires grad (a parameter?)" if p.requires_grad else "a data Value (no grad)"
    return f"{kind}{name}, shape {shape}"


def _check_inputs(op, v, datas):
    """Raise at the first op that receives a NaN/inf: which input, what it is, where it was made."""
    for i, d in enumerate(datas):
        kind = _bad(d)
        if kind is None:
            continue
        p = v._prev[i] if v._prev is not None and i < len(v._prev) else None
        if hasattr(p, "_op"):
            where = f"That Value was created at:\n{_where_created(p)}\nThe op was called at:\n{_where_created(v)}"
        else:
            where = f"It was passed to the op at:\n{_where_created(v)}"
        raise AnomalyError(f"op '{op.name}' received {kind} in input {i}: {_describe_input(p, d)}.\n{where}")


def check_forward(op, v, datas):
    """Record where ``v`` was created; raise if an input holds a NaN/inf, or if the output does."""
    v._trace = _user_frames()
    _check_inputs(op, v, datas)
    kind = _bad(v._data)
    if kind is None:
        return
    shapes = ", ".join(str(np.shape(d)) for d in datas)
    in_backward = _State.backward_step
    if in_backward is not None:
        bop, node, i = in_backward
        raise AnomalyError(
            f"op '{op.name}' produced {kind} (shape {v.shape}) from finite inputs while computing the "
            f"backward of op '{bop.name}' (gradient for input {i}, create_graph=True).\n"
            f"The Value (output of '{bop.name}', shape {node.shape}) was created at:\n{_where_created(node)}"
        )
    raise AnomalyError(
        f"forward of op '{op.name}' produced {kind} (output shape {v.shape}) from finite inputs of "
        f"shapes {shapes}.\nThe Value was created at:\n{_where_created(v)}"
    )


def check_seed(g, i=0):
    """Raise if the gradient given to backward()/gradients() (output ``i``) holds a NaN/inf."""
    kind = _bad(g)
    if kind is not None:
        raise AnomalyError(
            f"the gradient passed to backward() for output {i} holds {kind} "
            f"(shape {np.shape(getattr(g, '_data', g))}): check the grad / grad_outputs argument"
        )


def check_backward(op, v, i, gi):
    """Raise if the gradient for input ``i`` of the node ``v`` holds a NaN/inf."""
    kind = _bad(gi)
    if kind is None:
        return
    forward = _bad(v._data) or (v._saved is not None and any(_bad(d) for d in v._saved))
    why = (
        f"its forward values already held {forward} (that forward ran outside detect_anomaly())"
        if forward
        else "although its forward values were finite"
    )
    raise AnomalyError(
        f"backward of op '{op.name}' produced {kind} in the gradient for input {i} "
        f"(shape {np.shape(getattr(gi, '_data', gi))}) {why}.\n"
        f"The Value (output of '{op.name}', shape {v.shape}) was created at:\n{_where_created(v)}"
    )
