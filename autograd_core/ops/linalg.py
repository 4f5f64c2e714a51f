"""Linear algebra: matmul (1-D, 2-D, batched with broadcasting), tensordot and einsum.

Each vjp is the same kind of product with the operands rearranged, so it is differentiable too.
"""

import math
import string
from functools import lru_cache

import numpy as np

from ..errors import ShapeError
from .precision import widen_half
from .registry import as_operand, defop, defop_variadic
from .shape import broadcast_to


def _data(x):
    return getattr(x, "_data", x)


@widen_half
def _matmul(a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: operands must be at least 1-D, got shapes {a.shape} and {b.shape}")
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise ShapeError(
            f"matmul: shapes {a.shape} and {b.shape} do not align ({a.shape[-1]} vs {b.shape[-2 if b.ndim > 1 else 0]})"
        )
    return np.matmul(a, b)


def _swap(x):
    return x.swapaxes(-1, -2)


@widen_half  # float16: the contraction accumulates in float32 (ops/precision.py)
def _matmul_vjp_a(g, out, a, b):
    if b.ndim == 1:  # (..., n) @ (n,) -> (...): da = g[..., None] * b
        return g.reshape(g.shape + (1,)) * b if a.ndim > 1 else g * b
    if a.ndim == 1:  # (n,) @ (..., n, m) -> (..., m): da = b @ g summed by the engine
        return (b @ g.reshape(g.shape + (1,))).reshape(g.shape[:-1] + (b.shape[-2],))
    return g @ _swap(b)


@widen_half
def _matmul_vjp_b(g, out, a, b):
    if a.ndim == 1:  # (n,) @ (..., n, m): db = a[:, None] * g[..., None, :]
        if b.ndim == 1:
            return g * a
        return a.reshape((a.shape[0], 1)) * g.reshape(g.shape[:-1] + (1, g.shape[-1]))
    if b.ndim == 1:  # (..., k, n) @ (n,) -> (..., k): db = sum over batch of a^T g
        return (_swap(a) @ g.reshape(g.shape + (1,))).reshape(a.shape[:-2] + (a.shape[-1],))
    return _swap(a) @ g


matmul = defop("matmul", _matmul, _matmul_vjp_a, _matmul_vjp_b, kind="linalg")


# -- tensordot -------------------------------------------------------------------------------
def normalize_tensordot_axes(axes, nda, ndb):
    """numpy's axes argument (int N, or two sequences) as two tuples of non-negative axes."""
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(nda, ndb):
            raise ShapeError(f"tensordot: axes={n} does not fit operands of {nda} and {ndb} dimensions")
        return tuple(range(nda - n, nda)), tuple(range(n))
    try:
        ax_a, ax_b = axes
    except (TypeError, ValueError):
        raise ShapeError(f"tensordot: axes must be an int or a pair of axis lists, got {axes!r}") from None
    ax_a = (ax_a,) if isinstance(ax_a, (int, np.integer)) else tuple(ax_a)
    ax_b = (ax_b,) if isinstance(ax_b, (int, np.integer)) else tuple(ax_b)
    if len(ax_a) != len(ax_b):
        raise ShapeError(f"tensordot: axes {axes!r} pair lists of different lengths")
    try:
        return tuple(int(a) % nda if -nda <= a < nda else _bad() for a in ax_a), tuple(
            int(b) % ndb if -ndb <= b < ndb else _bad() for b in ax_b
        )
    except IndexError:
        raise ShapeError(f"tensordot: axes {axes!r} out of range for {nda}-d and {ndb}-d operands") from None


def _bad():
    raise IndexError


@widen_half
def _tensordot(a, b, axes):
    for i, j in zip(*axes):
        if a.shape[i] != b.shape[j]:
            raise ShapeError(
                f"tensordot: shapes {a.shape} and {b.shape} do not align on axes {axes} ({a.shape[i]} vs {b.shape[j]})"
            )
    return np.tensordot(a, b, axes)


def _tensordot_vjp_a(g, out, a, b, axes):
    ax_a, ax_b = axes
    nda, ndb = np.ndim(_data(a)), np.ndim(_data(b))
    free_a = [i for i in range(nda) if i not in ax_a]
    free_b = [j for j in range(ndb) if j not in ax_b]
    ga = _tensordot_op.dispatch(g, b, axes=(tuple(range(len(free_a), len(free_a) + len(free_b))), tuple(free_b)))
    # ga's dims: a's free dims, then b's contracted dims in b's order, i.e. their partners in a
    return ga.transpose(tuple(np.argsort(free_a + [ax_a[ax_b.index(j)] for j in sorted(ax_b)])))


def _tensordot_vjp_b(g, out, a, b, axes):
    ax_a, ax_b = axes
    nda, ndb = np.ndim(_data(a)), np.ndim(_data(b))
    free_a = [i for i in range(nda) if i not in ax_a]
    free_b = [j for j in range(ndb) if j not in ax_b]
    gb = _tensordot_op.dispatch(a, g, axes=(tuple(free_a), tuple(range(len(free_a)))))
    # gb's dims: a's contracted dims in a's order (as their partners in b), then b's free dims
    return gb.transpose(tuple(np.argsort([ax_b[ax_a.index(i)] for i in sorted(ax_a)] + free_b)))


_tensordot_op = defop("tensordot", _tensordot, _tensordot_vjp_a, _tensordot_vjp_b, kind="linalg")


def tensordot(a, b, axes=2):
    """Sum products over ``axes`` (int N: last N of a with first N of b; or two axis lists)."""
    a, b = as_operand(a, "tensordot"), as_operand(b, "tensordot")
    return _tensordot_op(a, b, axes=normalize_tensordot_axes(axes, np.ndim(_data(a)), np.ndim(_data(b))))


# -- einsum ----------------------------------------------------------------------------------
_LETTERS = string.ascii_letters


def _fresh(used, n):
    free = [c for c in _LETTERS if c not in used]
    if len(free) < n:
        raise ShapeError("einsum: too many distinct indices (at most 52)")
    return "".join(free[:n])


@lru_cache(maxsize=1024)
def normalize_subscripts(subscripts, ndims):
    """Explicit, ellipsis-free subscripts ('ij,jk->ik') for operands of the given ndims."""
    spec = subscripts.replace(" ", "")
    lhs, arrow, rhs = spec.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(ndims):
        raise ShapeError(f"einsum: {subscripts!r} names {len(ins)} operands but {len(ndims)} were given")
    for part in [*ins, rhs]:
        if not all(c in _LETTERS for c in part.replace("...", "")) or part.count("...") > 1:
            raise ShapeError(f"einsum: invalid subscripts {subscripts!r}")
    ell_dims = []
    for part, nd in zip(ins, ndims):
        n = len(part.replace("...", ""))
        e = nd - n
        if e < 0 or (e > 0 and "..." not in part):
            raise ShapeError(f"einsum: subscripts {part!r} do not match an operand of {nd} dimensions")
        ell_dims.append(e if "..." in part else 0)
    ell = _fresh(set(spec), max(ell_dims, default=0))
    ins = [p.replace("...", ell[len(ell) - e :]) for p, e in zip(ins, ell_dims)]
    if arrow:
        out = rhs.replace("...", ell)
        if len(set(out)) != len(out) or any(c not in "".join(ins) for c in out):
            raise ShapeError(f"einsum: output subscripts in {subscripts!r} must be distinct input indices")
    else:
        joined = "".join(p.replace("...", "") for p in lhs.split(","))
        out = ell + "".join(sorted(c for c in set(joined) if joined.count(c) == 1))
    return ",".join(ins) + "->" + out


_PATHS = {}


@lru_cache(maxsize=1024)
def _pair_plan(subscripts):
    """For two operands without repeated indices: how to compute the einsum as one matmul.

    Indices split into batch (both operands and output), contracted (both, not output), kept
    (one operand and output) and summed (one operand only, summed first)."""
    lhs, out = subscripts.split("->")
    sa, sb = lhs.split(",")
    if len(set(sa)) != len(sa) or len(set(sb)) != len(sb):
        return None
    batch = [c for c in out if c in sa and c in sb]
    keep_a = [c for c in out if c in sa and c not in sb]
    keep_b = [c for c in out if c in sb and c not in sa]
    contracted = [c for c in sa if c in sb and c not in out]
    sum_a = tuple(i for i, c in enumerate(sa) if c not in sb and c not in out)
    sum_b = tuple(i for i, c in enumerate(sb) if c not in sa and c not in out)
    ra = [c for c in sa if c in out or c in sb]
    rb = [c for c in sb if c in out or c in sa]
    perm_a = tuple(ra.index(c) for c in batch + keep_a + contracted)
    perm_b = tuple(rb.index(c) for c in batch + contracted + keep_b)
    mid = batch + keep_a + keep_b
    perm_out = tuple(mid.index(c) for c in out)
    return sum_a, sum_b, perm_a, perm_b, len(batch), len(keep_a), len(contracted), perm_out


def _pair(plan, a, b):
    """Two-operand einsum by transposes and one (batched) matmul or a broadcast multiply, or None."""
    sum_a, sum_b, perm_a, perm_b, nb, nka, nc, perm_out = plan
    a, b = np.asarray(a), np.asarray(b)
    if sum_a:
        a = a.sum(axis=sum_a)
    if sum_b:
        b = b.sum(axis=sum_b)
    a, b = a.transpose(perm_a), b.transpose(perm_b)
    batch_a, kept_a, k_a = a.shape[:nb], a.shape[nb : nb + nka], a.shape[nb + nka :]
    batch_b, k_b, kept_b = b.shape[:nb], b.shape[nb : nb + nc], b.shape[nb + nc :]
    if k_a != k_b:  # a size-1 contracted index broadcasting: leave it to numpy
        return None
    if nc == 0:  # no contraction: an outer/elementwise product
        r = a.reshape(batch_a + kept_a + (1,) * len(kept_b)) * b.reshape(batch_b + (1,) * nka + kept_b)
    else:
        m, k, n = math.prod(kept_a), math.prod(k_a), math.prod(kept_b)
        if m == 1 and n == 1 and nb:  # batched dot products: numpy's einsum loop beats 1x1 matmuls
            return None
        r = np.matmul(a.reshape(batch_a + (m, k)), b.reshape(batch_b + (k, n)))
        r = r.reshape(r.shape[:nb] + kept_a + kept_b)
    return r.transpose(perm_out)


@widen_half
def _einsum(*operands, subscripts):
    if len(operands) < 2:
        return np.einsum(subscripts, *operands)
    if len(operands) == 2:
        plan = _pair_plan(subscripts)
        r = _pair(plan, *operands) if plan is not None else None
        if r is not None:
            return r
        return np.einsum(subscripts, *operands)
    key = (subscripts, *(np.shape(o) for o in operands))
    path = _PATHS.get(key)
    if path is None:
        path = np.einsum_path(subscripts, *operands, optimize="greedy")[0]
        if len(_PATHS) > 4096:
            _PATHS.clear()
        _PATHS[key] = path
    return np.einsum(subscripts, *operands, optimize=path)


@lru_cache(maxsize=1024)
def _vjp_plan(subscripts, i, shape_i):
    """How to get operand i's gradient: einsum of g, the other operands and identity matrices
    (for an index repeated in operand i, i.e. a diagonal), then a reshape for indices only it has."""
    lhs, out = subscripts.split("->")
    ins = lhs.split(",")
    target, eyes, used = [], [], set(subscripts)
    for pos, c in enumerate(ins[i]):
        if c in target:  # repeated index: a fresh one tied to c by an identity matrix
            f = _fresh(used, 1)
            used.add(f)
            eyes.append((c + f, shape_i[pos]))
            c = f
        target.append(c)
    specs = [out] + [s for j, s in enumerate(ins) if j != i] + [e for e, _ in eyes]
    present = set("".join(specs))
    kept = "".join(c for c in target if c in present)
    keep_shape = None
    if len(kept) != len(target):  # indices only operand i has: the gradient is constant along them
        keep_shape = tuple(n if c in present else 1 for c, n in zip(target, shape_i))
    return ",".join(specs) + "->" + kept, tuple(eyes), keep_shape


def _einsum_vjp(i, g, out, *operands, subscripts):
    shape_i = np.shape(_data(operands[i]))
    sub, eyes, keep_shape = _vjp_plan(subscripts, i, shape_i)
    dtype = _data(g).dtype
    args = [g, *operands[:i], *operands[i + 1 :], *(np.eye(n, dtype=dtype) for _, n in eyes)]
    r = _einsum_op.dispatch(*args, subscripts=sub)
    if keep_shape is not None:
        r = r.reshape(keep_shape)
    full = np.broadcast_shapes(r.shape, shape_i)
    return broadcast_to.dispatch(r, full) if r.shape != full else r  # the engine sums any broadcast dims


_einsum_op = defop_variadic("einsum", _einsum, _einsum_vjp, kind="linalg")


def einsum(subscripts, *operands):
    """Einstein summation as numpy spells it ('ij,jk->ik', implicit output, '...' broadcasting)."""
    if not isinstance(subscripts, str):
        raise ShapeError("einsum: the first argument must be a subscripts string such as 'ij,jk->ik'")
    operands = [as_operand(o, "einsum") for o in operands]
    ndims = tuple(np.ndim(_data(o)) for o in operands)
    return _einsum_op(*operands, subscripts=normalize_subscripts(subscripts, ndims))
