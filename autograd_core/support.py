"""Structural zeros in backward: where a gradient is exactly zero because the output does not depend
on the input there, it stays exactly zero, whatever the local derivatives below it are.

``where(c, f(x), g(x))`` sends the cotangent 0 to ``f(x)`` where ``c`` is False. The chain rule then
multiplies that 0 by f's local derivative, and where that is infinite or NaN (sqrt of a negative
number, log of 0, an exp that overflowed) ``0 * inf`` gives NaN: a gradient that should be that of
``g`` alone comes out NaN, in PyTorch and JAX as well (their most reported autodiff gotcha).

Selection ops declare, for each input, the *support* of its gradient (``Op.support``): a boolean
mask, True where the gradient may be nonzero. ``where`` (its two branches), ``maximum``/``minimum``
(the losing side), ``clip`` (outside the bounds), the ``max``/``min`` reductions (every non-maximal
entry), indexing (every entry not picked) and ``index_put`` (every entry overwritten) have one. The engine carries the support with the
pending gradient of a Value made by an elementwise op; that op's vjps then give exactly 0 outside it
(an elementwise output depends on its inputs at the same position only), and pass it on to their
own elementwise inputs. Chains of elementwise ops under a selection are covered; a non-elementwise
op (a matmul, a reduction, a reshape) ends the chain, its vjp runs as usual.

``relu`` has no support: it sits under every layer of the common networks, and carrying its zeros
down cost 40% on the CNN training step and 90% on micrograd's scalar MLP (measured, see the
README); ``relu(f(x))`` with f' infinite where f(x) < 0 gives NaN there, as in PyTorch.

Cost: nothing unless a selection op's input was made by an elementwise op; then one mask per input,
and per elementwise vjp below it one finiteness check of its result (a sum), plus an ``np.where``
only where that result holds an inf or NaN.
"""

import numpy as np

from .broadcasting import unbroadcast
from .value import Value


def consumes(p):
    """True when ``p``'s gradient support would be used: p was made by an elementwise op."""
    op = p._op
    return op is not None and op.kind == "elementwise"


def fit(mask, shape):
    """A support of a gradient before unbroadcasting, as one of the input's ``shape``: an element may
    be nonzero where any element broadcast from it may. None when the shapes do not match."""
    mask = np.asarray(mask, dtype=bool)
    if mask.shape == shape:
        return mask
    counted = unbroadcast(mask.astype(np.int8), shape)
    return None if counted is None else counted != 0


def restrict(gi, known, record):
    """``gi`` set to exactly 0 outside ``known`` (the support of the cotangent), when it has its shape."""
    if known is None or gi.shape != known.shape:
        return gi
    if record:
        from .ops.elementwise import where

        return where(known, gi, 0)
    return np.where(known, gi, 0)


def merge(supports, pending, p, mask):
    """Record that ``p`` receives a gradient with support ``mask`` (None: anywhere), before adding it to
    ``pending``: supports of several contributions unite; one without a support removes it."""
    if p in pending:
        old = supports.get(p)
        if old is None or mask is None:
            supports.pop(p, None)
        else:
            supports[p] = old | mask
    elif mask is not None:
        supports[p] = mask


def input_support(op, i, known, out, args, ctx, shape, p):
    """The support of the gradient for input ``i`` (shape ``shape``), or None for anywhere.

    It is the op's own support for that input (``op.support[i]``, from forward data), intersected
    with ``known`` (the cotangent's, for an elementwise op), kept only where ``p`` will use it.
    """
    if not consumes(p):
        return None
    mask = known
    rule = op.support[i] if op.support is not None and i < len(op.support) else None
    if rule is not None:
        own = rule(_data(out), *(_data(a) for a in args), **ctx)
        if own is not None:
            mask = own if mask is None else np.broadcast_to(mask, np.broadcast_shapes(mask.shape, np.shape(own))) & own
    if mask is None:
        return None
    mask = fit(mask, shape)
    return None if mask is None or mask.all() else mask


def vjp(op, i, g, out, args, ctx, known, v, p, record):
    """Input ``i``'s gradient at node ``v``, exactly 0 outside ``known`` (the cotangent's support, or
    None), and the support to record for ``p`` (None: anywhere). ``out`` and ``args`` are what the
    vjp takes (arrays, or Values when ``record``); supports are computed from the saved arrays."""
    if op.kind != "elementwise":
        known = None  # it describes the output; only an elementwise op maps it onto its inputs
    if known is None:
        gi = op.vjps[i](g, out, *args, **ctx)
    else:
        with np.errstate(all="ignore"):  # 0 * inf outside the support is expected: it is replaced by 0
            gi = op.vjps[i](g, out, *args, **ctx)
            finite = not record and np.isfinite(np.sum(_data(gi)))  # then 0 * (finite) is 0 already
        if record:  # always: the recorded where also keeps second derivatives out of the unselected part
            gi = restrict(
                gi if isinstance(gi, Value) else Value._node(np.asarray(gi), None, None, None, None), known, True
            )
        elif not finite:
            gi = restrict(np.asarray(_data(gi)), known, False)
    return gi, input_support(op, i, known, v._data, v._saved, ctx, p._data.shape, p)


def _data(x):
    return x._data if isinstance(x, Value) else x
