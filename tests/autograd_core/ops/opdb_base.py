"""The op database's building blocks: OpCase, the registration list and shared strategies.

Each :class:`OpCase` says how to draw inputs (a hypothesis strategy giving ``(arrays, params)``:
shapes with broadcasting, axes, keepdims, values kept away from kinks and domain edges), how to
call the op through the public API, and, where PyTorch has the op, its float64 equivalent.
Float arrays in ``arrays`` are differentiated; integer and bool arrays are constants.
"""

from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core.testing import arrays, broadcastable_shapes


@dataclass
class OpCase:
    name: str  # the REGISTRY name this entry covers
    inputs: st.SearchStrategy  # draws (list of arrays, dict of params)
    fn: object  # fn(*values, **params) -> Value, through the public API
    torch_fn: object = None  # torch_fn(*tensors, **params) -> tensor, float64; None where torch has no twin
    second_order: bool = True
    tol: dict = field(default_factory=dict)  # extra gradcheck tolerances


OPS = []


def case(*args, **kwargs):
    OPS.append(OpCase(*args, **kwargs))


def small(**kw):
    """Small arrays: the sweep differentiates every element, twice."""
    return arrays(max_dims=kw.pop("max_dims", 3), max_side=kw.pop("max_side", 3), **kw)


def unary(**kw):
    return small(**kw).map(lambda x: ([x], {}))


@st.composite
def broadcast_pair(draw, n=2, lattice=None, **kw):
    """n arrays whose shapes broadcast together; ``lattice`` keeps pairs apart (no ties)."""
    shps = draw(broadcastable_shapes(n, max_dims=3, max_side=3))
    if lattice:  # x on k/2, y on k/2 + 0.2: |x - y| >= 0.2 everywhere, so maximum/minimum never tie
        return [
            draw(hnp.arrays(np.int64, s, elements=st.integers(-5, 5))) * 0.5 + off for s, off in zip(shps, (0, 0.2))
        ], {}
    return [draw(arrays(s, **kw)) for s in shps], {}
