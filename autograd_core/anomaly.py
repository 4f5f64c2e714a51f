"""Anomaly mode: find the op that first produced a NaN or inf, in forward or in backward.

Inside ``detect_anomaly()`` every op's output is checked as it is computed and every vjp result as
backward produces it; each recorded Value remembers where user code created it (a short traceback
in ``v._trace``). The first NaN/inf that was not already present in the op's inputs raises
:class:`AnomalyError` naming the op, the pass (forward or backward) and that place.

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
_TRACE_FRAMES = 4


def is_anomaly_enabled():
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
    """The innermost few stack frames outside autograd_core (where user code asked for the op).

    Source lines are looked up only when an error is formatted, so recording stays cheap.
    """
    picked = []
    f = sys._getframe(1)
    while f is not None and len(picked) < _TRACE_FRAMES:
        if not f.f_code.co_filename.startswith(_PKG_DIR):
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


def check_forward(op, v, datas):
    """Record where ``v`` was created; raise if its data holds a NaN/inf its inputs did not."""
    v._trace = _user_frames()
    kind = _bad(v._data)
    if kind is None or any(_bad(d) for d in datas):
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


def check_backward(op, v, i, gi):
    """Raise if the gradient for input ``i`` of the node ``v`` holds a NaN/inf not present in the
    forward data of that node (its output or saved inputs)."""
    kind = _bad(gi)
    if kind is None:
        return
    if _bad(v._data) or (v._saved is not None and any(_bad(d) for d in v._saved)):
        return
    raise AnomalyError(
        f"backward of op '{op.name}' produced {kind} in the gradient for input {i} "
        f"(shape {np.shape(getattr(gi, '_data', gi))}) although its forward values were finite.\n"
        f"The Value (output of '{op.name}', shape {v.shape}) was created at:\n{_where_created(v)}"
    )
