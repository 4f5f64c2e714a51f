"""Label text for drawings: escaping for Graphviz, numbers for small arrays, one record per node."""

import numpy as np

from ..ops.saving import Residual

_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '\\{}|<>"'})


def escape_record(text):
    """Escape a string for a record label field (``\\ { } | < > "`` are special there); newlines too."""
    return str(text).translate(_RECORD_SPECIAL).replace("\n", "\\n")


def escape_text(text):
    """Escape a string for an ordinary (non-record) label: backslashes and quotes."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def fmt_array(a, max_values):
    """Numbers of a small array (4 significant digits), or None when it has more than ``max_values``."""
    a = np.asarray(a)
    if a.size > max_values:
        return None
    if a.ndim == 0:
        x = a.item()
        return f"{x:.4g}" if isinstance(x, float) else str(x)
    return np.array2string(a, precision=4, separator=", ", suppress_small=True).replace("\n", "")


def shape_text(shape, dtype):
    """``scalar float64`` or ``(2, 3) float32``."""
    text = "scalar" if len(shape) == 0 else str(tuple(shape))
    return f"{text} {np.dtype(dtype)}"


def norm_text(a):
    """The L2 norm of an array, for gradients too big to print."""
    return f"{float(np.linalg.norm(np.asarray(a, dtype=np.float64).ravel())):.4g}"


def params_text(params):
    """An op's params on one line (defaults such as axis=None left out), or ""."""
    if not params:
        return ""
    parts = []
    for k, v in params.items():
        if v is None or v is False or isinstance(v, Residual):  # a residual is saved work, not a param
            continue
        if isinstance(v, np.ndarray):
            v = f"array{v.shape}" if v.size > 4 else v.tolist()
        text = repr(v)
        parts.append(f"{k}={text if len(text) <= 24 else text[:21] + '...'}")
    return ", ".join(parts)


def op_label(view):
    """An op node's label: the op's name and, on a second line, its params (escaped for Graphviz)."""
    params = params_text(view.params)
    return escape_text(view.op.name + ("\n" + params if params else ""))


HIDDEN = object()  # value_fields(grad=HIDDEN): no gradient shown (not reached yet)


def value_fields(view, title, show_values, max_values, show_grad, grad=None):
    """The record fields of a node: title, shape and dtype, and data and grad when small enough.

    ``grad`` overrides the node's own gradient (the step-by-step backward shows partial sums);
    ``HIDDEN`` shows none.
    """
    fields = [escape_record(title)] if title else []
    fields.append(escape_record(shape_text(view.shape, view.dtype)))
    if show_values and view.data is not None:
        data = fmt_array(view.data, max_values)
        if data is not None:
            fields.append(escape_record("data " + data))
    g = view.grad if grad is None else grad
    if show_values and show_grad and g is not None and g is not HIDDEN:
        text = fmt_array(g, max_values)
        fields.append(escape_record("grad " + text if text is not None else "‖grad‖ " + norm_text(g)))
    return fields


def const_label(c, show_values, max_values):
    """A constant operand: ``const 2`` for a number, else shape, dtype and small data."""
    a = np.asarray(c)
    data = fmt_array(a, max_values) if show_values else None
    if data is not None and a.ndim == 0:
        return escape_record(f"const {data}")
    fields = ["const", escape_record(shape_text(a.shape, a.dtype))]
    if data is not None:
        fields.append(escape_record("data " + data))
    return " | ".join(fields)
