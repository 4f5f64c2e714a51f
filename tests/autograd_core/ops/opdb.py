"""The op database: one entry per registered primitive, read by the sweep in test_op_sweep.py.

Each entry (opdb_base.OpCase) says how to draw inputs (shapes with broadcasting, axes, keepdims,
values kept away from kinks and domain edges), how to call the op through the public API, and,
where PyTorch has the op, its float64 equivalent. Entries live in opdb_math.py (elementwise,
reductions), opdb_shape.py (shape, windows, linear algebra) and opdb_special.py (ops.special and the
fused primitives window_max and linear).
"""

import opdb_math  # noqa: F401 (registers entries)
import opdb_shape  # noqa: F401 (registers entries)
import opdb_special  # noqa: F401 (registers entries)
import opdb_ufuncs  # noqa: F401 (registers entries)
from opdb_base import OPS, OpCase

BY_NAME = {c.name: c for c in OPS}

__all__ = ["BY_NAME", "OPS", "OpCase"]
