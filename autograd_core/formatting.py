"""A readable repr for Values: data summarised like numpy, plus dtype, grad flag and op."""

import numpy as np


def value_repr(v):
    """``Value([...], dtype=..., op=..., requires_grad=True, name=...)``: data as numpy summarises it
    (at most 20 elements shown), then only the attributes that differ from a float64 constant."""
    data = v._data
    if data.ndim == 0:
        body = repr(data.item())
    else:
        body = np.array2string(data, separator=", ", threshold=20, edgeitems=3, precision=4, prefix="Value(")
    extras = []
    if data.dtype != np.float64:
        extras.append(f"dtype={data.dtype}")
    if v._op is not None:
        extras.append(f"op={v._op.name}")
    elif v.requires_grad:
        extras.append("requires_grad=True")
    if v.name:
        extras.append(f"name={v.name!r}")
    return f"Value({body}{', ' if extras else ''}{', '.join(extras)})"
