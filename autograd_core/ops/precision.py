"""Reduced precision: float16 operands of ops that add up many terms are computed in a wider type.

float16 holds integers exactly only up to 2,048 and overflows past 65,504, and numpy adds a
float16 array along a strided axis one float16 rounding at a time (a column of 70,000 values of
0.1 sums to 256). So, as PyTorch does with its float accumulate type for half:

- ``sum`` and ``mean`` of float16 accumulate in float64 (:data:`SUM_DTYPE`; numpy's strided
  float32 sum is naive and can still miss a float16 ulp on long columns);
- the scans ``cumsum``, ``cumprod``, ``logcumsumexp`` (and their vjps, a reversed cumsum) run
  float16 in float64 too (:func:`accumulate_half`);
- softmax, log_softmax, logsumexp, the fused cross-entropies, matmul, tensordot, einsum and
  linear compute on float32 copies of float16 operands (:func:`widen_half`).

Each casts its result back, so float16 in gives float16 out, as everywhere else. Counts above
65,504 are no float16 either: the mean's gradient divides by them in float32 (:func:`divisor`).
"""

from functools import wraps

import numpy as np

_F16 = np.dtype(np.float16)


def sum_dtype(dtype):
    """The accumulator dtype for summing an array of ``dtype``: float64 for float16, else None (numpy's)."""
    return np.float64 if dtype == _F16 else None


def divisor(n, dtype):
    """The count ``n`` to divide an array of ``dtype`` by: ``n`` itself, or for float16 ``np.float32(n)``.

    numpy casts a Python number to float16 when it meets a float16 array, so ``g / 70000`` would
    divide by inf and give 0; dividing by a float32 gives a float32 quotient, which the engine
    rounds once to float16.
    """
    return np.float32(n) if dtype == _F16 else n


def _all_half(arrays):
    """True when the float operands are float16 and nothing wider (so numpy would compute in float16)."""
    seen = False
    for a in arrays:
        dt = getattr(a, "dtype", None)
        if dt is None or dt.kind != "f":
            continue
        if dt != _F16:
            return False
        seen = True
    return seen


def _widened(forward, wide):
    @wraps(forward)
    def run(*arrays, **params):
        if not _all_half(arrays):
            return forward(*arrays, **params)
        out = forward(*(a.astype(wide) if getattr(a, "dtype", None) == _F16 else a for a in arrays), **params)
        return out.astype(_F16) if out.dtype.kind == "f" else out

    return run


def widen_half(forward):
    """Wrap an op's forward so that all-float16 operands run as float32 and the result comes back float16.

    Only positional array operands are widened (params such as axes pass through); anything else
    runs unchanged, at the cost of one dtype test per operand.
    """
    return _widened(forward, np.float32)


def accumulate_half(forward):
    """:func:`widen_half` for the scans (cumsum, cumprod, logcumsumexp; nancumsum and the reversed
    cumsum of their vjps run through cumsum): all-float16 operands run in float64 (``sum``'s
    accumulator), so a running sum of 3,000 ones ends at 3,000, not float16's 2,048; each entry is
    rounded once to float16."""
    return _widened(forward, np.float64)


def widen_half_composition(fn):
    """:func:`widen_half` for a function built from ops (a composition): all-float16 Value or array
    operands are cast to float32 by recorded ``astype`` ops, ``fn`` runs on them, and its float
    results (a Value or a tuple of them) are cast back to float16, so gradients flow back in float16.

    Keyword operands (weights) count and are cast too. For compositions that divide by a count or a
    sum of weights, which float16 cannot hold past 65,504 (``nanmean``, weighted ``average``, ``cov``,
    ``corrcoef``).
    """

    @wraps(fn)
    def run(*args, **kwargs):
        if not _all_half((*args, *kwargs.values())):
            return fn(*args, **kwargs)
        out = fn(*(_wide(a) for a in args), **{k: _wide(a) for k, a in kwargs.items()})
        return tuple(_back(o) for o in out) if isinstance(out, tuple) else _back(out)

    return run


def _wide(a):
    return a.astype(np.float32) if getattr(a, "dtype", None) == _F16 else a


def _back(out):
    return out.astype(_F16) if getattr(out, "dtype", None) is not None and out.dtype.kind == "f" else out
