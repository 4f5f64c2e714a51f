"""The op database: one entry per registered primitive, read by the test sweep, ``check_op`` and the CLI.

Every op in ``autograd_core.REGISTRY`` (except user ops of kind ``"custom"``) has exactly one
:class:`OpInfo` here, and every entry names a registered op; ``tests/autograd_core/test_opdb.py``
fails otherwise. Readers:

- ``tests/autograd_core/ops/test_op_sweep.py`` draws inputs from each entry's hypothesis strategy:
  first and second derivatives against finite differences, values and gradients against PyTorch
  float64, float32 preserved, empty inputs;
- :func:`check_op` and ``autograd-core gradcheck`` check each entry's fixed sample (numpy only).

Importing this package needs numpy alone; hypothesis and torch are imported when a strategy or a
twin is first used. That is why the database sits beside :mod:`autograd_core.testing` rather than
inside it: importing ``autograd_core.testing`` requires hypothesis (and says which extra to install),
while ``autograd-core gradcheck`` must run without the test extra. ``autograd_core.testing``
re-exports :func:`check_op`, :func:`names` (as ``op_names``) and :func:`get` (as ``op_info``).

Adding an op
------------
1. Write the op in ``autograd_core/ops/`` (forward and vjp side by side, registered in REGISTRY).
2. Add one :class:`OpInfo` to ``ENTRIES`` in the file of this package for its kind
   (``elementwise.py``, ``ufuncs.py``, ``reduce.py``, ``statistics.py``, ``shape.py``, ``indexing.py``,
   ``windows.py``, ``linalg.py``, ``matrices.py``, ``special.py``; a new kind gets a new file, listed in ``_KIND_FILES`` below)::

       def _my_op_inputs(draw):                         # hypothesis draw function
           sx, sy = draw(broadcastable_shapes(2, max_dims=3, max_side=3))
           alpha = draw(st.sampled_from([0.5, 2.0]))
           return [draw(arrays(sx)), draw(arrays(sy, away_from=(0,)))], {"alpha": alpha}

       OpInfo(
           "my_op",                                     # its REGISTRY name
           lambda x, y, alpha: ag.my_op(x, y, alpha=alpha),  # the call through the public API
           sample=([uniform(2, 3), uniform(3, away=[0])], {"alpha": 0.5}),  # fixed float64 sample
           inputs=_my_op_inputs,                        # or unary(...), broadcast(...) from draw.py
           torch=lambda x, y, alpha: torch.my_op(x, y, alpha=alpha),  # or "my_op", or None
           second_order=True,                           # False only with a reason in a comment
           tol={},                                      # gradcheck keywords (atol, rtol, eps) if needed
       )

   Use ``st``, ``hnp``, ``arrays``, ``shapes``, ``broadcastable_shapes``, ``axes_for`` from
   ``.draw`` and ``torch`` from ``.info``: they import lazily, so never import hypothesis or torch
   at the top of a database file. Keep samples small (the checks build full Jacobians, twice) and
   away from kinks, domain edges and ties (``uniform(..., away=[0])``, ``positive``, ``distinct``).
3. Declare its special points (0, +-inf, domain edges, ties, equal bounds) in ``special_points/``
   with the maths or ``torch_point`` where PyTorch is right:
   ``_add("my_op", pair(x=[0, INF], y=[1, 1], dx=[...], dy=[...]))``; a selection op (one whose
   gradient is exactly 0 somewhere by construction) also sets ``op.support`` (autograd_core/support.py).
4. Run ``python -m pytest tests/autograd_core -k my_op`` and ``autograd-core gradcheck --only my_op``.
"""

import difflib
from collections import Counter

from ..gradcheck import gradcheck, gradgradcheck
from ..ops import REGISTRY
from . import elementwise, indexing, linalg, matrices, reduce, shape, special, statistics, ufuncs, windows
from .info import OpInfo

__all__ = ["BY_NAME", "OPS", "OpInfo", "check_op", "coverage", "get", "names"]

_KIND_FILES = (elementwise, ufuncs, reduce, statistics, shape, indexing, windows, linalg, matrices, special)
OPS = tuple(entry for module in _KIND_FILES for entry in module.ENTRIES)
BY_NAME = {entry.name: entry for entry in OPS}


def names():
    """The names of every op database entry, sorted."""
    return sorted(BY_NAME)


def get(name):
    """The :class:`OpInfo` for ``name``; KeyError naming the closest entries if there is none."""
    try:
        return BY_NAME[name]
    except KeyError:
        close = difflib.get_close_matches(name, BY_NAME, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; autograd_core.opdb.names() lists them"
        raise KeyError(f"no op database entry {name!r}{hint}") from None


def coverage():
    """``(missing, unregistered)``: registered non-custom ops without an entry, entries naming no registered op.

    Duplicate entries (two OpInfos with one name) are listed in ``unregistered`` as ``"name (duplicate)"``.
    """
    missing = sorted(n for n, op in REGISTRY.items() if op.kind != "custom" and n not in BY_NAME)
    unregistered = sorted(n for n in BY_NAME if n not in REGISTRY)
    counts = Counter(entry.name for entry in OPS)
    unregistered += sorted(f"{n} (duplicate)" for n, k in counts.items() if k > 1)
    return missing, unregistered


def check_op(name, *, second_order=None, fast=False, **tol):
    """Check op ``name``'s gradients on its database sample against central finite differences (float64).

    **Arguments:**

    - ``name``: a database entry (see :func:`names`); an :class:`OpInfo` is accepted too.
    - ``second_order``: also check second derivatives; default: the entry's ``second_order`` flag.
    - ``fast``: random projections instead of full Jacobians (see :func:`autograd_core.gradcheck`).
    - ``tol``: ``eps``, ``atol``, ``rtol`` overriding the entry's tolerances.

    **Returns:** True. **Raises:** ``GradcheckError`` (an AssertionError) naming the order, input and
    element on a mismatch; ``KeyError`` for an unknown name. Needs numpy only (no hypothesis, no torch).
    """
    info = name if isinstance(name, OpInfo) else get(name)
    arrays, params = info.sample
    f = info.bind(params)
    opts = {**info.tol, **tol}
    gradcheck(f, arrays, fast=fast, **opts)
    if info.second_order if second_order is None else second_order:
        gradgradcheck(f, arrays, fast=fast, **opts)
    return True
