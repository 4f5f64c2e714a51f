"""Ops with a domain (log, sqrt, div, arcsin, ...) and overflow-prone ones (exp, cosh, ...): outside it
they give numpy's results (NaN, +-inf) with ONE RuntimeWarning that names our op and points at the
caller's line, instead of numpy's warnings pointing into the registry.

The rule applies to the forward and to every vjp of the ops listed in :data:`DOMAIN_OPS`. Only
numpy's default action (``'warn'``) is replaced: a surrounding ``np.errstate(invalid='raise')`` (or
``'ignore'``) keeps its meaning, so an error still raises ``FloatingPointError`` where you asked for it.
PyTorch gives the same values silently; ``detect_anomaly()`` finds where a NaN or inf first appears.
"""

import functools
import os
import sys
import warnings

import numpy as np

from ..grad_mode import _State

DOMAIN_OPS = (
    # inputs outside the domain give NaN or +-inf
    "log", "log2", "log10", "log1p", "sqrt", "div", "pow", "pow_value", "reciprocal",
    "arcsin", "arccos", "arccosh", "arctanh", "remainder", "fmod", "floor_divide",
    # large inputs overflow to inf
    "exp", "exp2", "expm1", "sinh", "cosh",
)  # fmt: skip

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller_stacklevel():
    """The stacklevel of the first frame outside autograd_core, for warnings.warn called from here."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def _one_warning(name, fn, where):
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        state = np.geterr()
        if "warn" not in state.values():
            return fn(*args, **kwargs)
        seen = []
        quiet = {k: ("call" if v == "warn" else v) for k, v in state.items() if k != "under"}
        with np.errstate(call=lambda kind, flag: seen.append(kind), **quiet):
            out = fn(*args, **kwargs)
        if seen and not _State.anomaly:  # anomaly mode raises for it, naming the op: one report, not two
            kinds = ", ".join(dict.fromkeys(seen))  # numpy's words: "divide by zero", "invalid value", ...
            warnings.warn(
                f"{name}{where}: {kinds} for inputs outside its domain or range; the result holds numpy's "
                "NaN/inf (use ag.detect_anomaly() to find where one first appears)",
                RuntimeWarning,
                stacklevel=_caller_stacklevel(),
            )
        return out

    return wrapped


def install(registry):
    """Wrap the forward and vjps of each op in DOMAIN_OPS (called once, when the ops are imported)."""
    for name in DOMAIN_OPS:
        op = registry[name]
        op.forward = _one_warning(name, op.forward, "")
        op.vjps = tuple(None if v is None else _one_warning(name, v, " (backward)") for v in op.vjps)
