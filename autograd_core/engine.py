"""Reverse mode: an iterative topological order, gradients in a dict local to one pass,
broadcasting undone once here, and each gradient's shape and dtype checked against its input.

A pass is four named steps, shared by :func:`backward` and :func:`gradients`:

1. ``_toposort``: order the graph and refuse, before any state changes, what cannot be differentiated;
2. ``_seed``: the pending-gradient dict, holding each root's seed;
3. ``sweep``: one reverse walk pushing gradients through the vjps, on saved arrays
   (``_sweep_arrays``) or, for ``create_graph=True``, recording a graph of its own (``_sweep_recording``);
4. delivery: :func:`backward` adds the leaves' gradients into ``.grad`` (``_accumulate_into_grad``),
   :func:`gradients` returns the inputs' gradients and leaves ``.grad`` alone.
"""

import itertools
import operator

import numpy as np

from . import support
from .anomaly import check_backward, check_seed
from .broadcasting import conform_to
from .errors import GraphError, InplaceModificationError, ShapeError, TraceError
from .grad_alias import aliases_of, gradient_of, unlink
from .grad_mode import _State, set_grad_enabled
from .skeleton import SMALL, is_big, leave_skeleton
from .value import Value, as_data

_FREED = (
    "backward through a graph whose buffers were already freed (op '{}'). "
    "Pass retain_graph=True to the first backward() to run backward twice."
)


def _toposort(roots):
    """Values requiring grad reachable from roots, each after all of its inputs (no recursion).

    A Value is made after its inputs, so creation order (``_seq``) is a topological order: one walk
    collects the reachable Values, each marked with this pass's number (``_visit``) so it is taken
    once, and a sort by ``_seq`` orders them (interior Values are never copied or unpickled).

    Also refuses, before any state changes, graphs freed by an earlier backward, saved arrays
    that were replaced in place since forward, and inputs whose op has no vjp for them.
    """
    mark = _next_pass()
    stack = []
    for r in roots:
        if r._visit != mark:
            r._visit = mark
            stack.append(r)
    order = []
    while stack:
        v = stack.pop()
        order.append(v)
        op = v._op
        if op is None:
            continue
        saved = v._saved
        if saved is None:
            raise GraphError(_FREED.format(op.name))
        vjps = op.vjps
        for i, p in enumerate(v._prev):
            if isinstance(p, Value) and p.requires_grad:
                if i >= len(vjps) or vjps[i] is None:
                    raise NotImplementedError(f"op '{op.name}' has no derivative with respect to input {i}")
                if p._data is not saved[i]:
                    raise InplaceModificationError(
                        f"input {i} of op '{op.name}' (shape {p.shape}) was modified in place after "
                        "it was saved for backward; recompute the forward pass after changing it"
                    )
                if p._visit != mark:
                    p._visit = mark
                    stack.append(p)
    order.sort(key=_creation)
    return order


_creation = operator.attrgetter("_seq")
_next_pass = itertools.count(1).__next__


def _initial_grad(root, grad):
    """The seed for ``root``: ones for a single-element root, else ``grad`` as a read-only array of
    root's dtype. Raises GraphError (non-scalar root without grad) or ShapeError (wrong shape)."""
    if grad is None:
        if root.size != 1:
            raise GraphError(
                f"backward() needs a grad argument for a non-scalar output of shape {root.shape}: "
                "a gradient can only be created implicitly for a single-element output"
            )
        return as_data(np.ones(root.shape, dtype=root.dtype))
    if isinstance(grad, Value):
        grad = grad._data
    grad = np.array(grad, dtype=root.dtype)
    if grad.shape != root.shape:
        raise ShapeError(f"backward(): grad has shape {grad.shape}, but the output has shape {root.shape}")
    return as_data(grad)


def _conform_array(gi, shape, dtype, name, i):
    """What the plain sweep does to a vjp result that is not yet an ndarray (or, for a 0-d input, a
    numpy scalar) of the input's shape and dtype; also the form a trace replays. Raises GraphError
    naming the op and the input when the vjp returned no number or array (None, a string)."""
    arr = np.asarray(gi)
    if arr.dtype.kind not in "fiub":
        raise GraphError(
            f"the vjp of op '{name}' returned {type(gi).__name__} ({gi!r:.60}) for input {i}: it must return the "
            f"gradient for that input, an array (or Value) of its shape {shape} or one that broadcasts to it "
            "(zeros where the output does not depend on it)"
        )
    gi = conform_to(arr, shape, dtype, name, i)
    return gi[()] if gi.ndim == 0 and type(gi) is np.ndarray else gi


def _seed(roots, grads, record):
    """The pending-gradient dict of a pass: each root with its seed (summed if a root repeats).

    With ``record`` (create_graph) the seeds become Values, so the whole pass records a graph.
    """
    pending = {}
    for k, (r, g) in enumerate(zip(roots, grads)):
        if _State.anomaly:
            check_seed(g, k)
        if record and not isinstance(g, Value):
            g = Value._node(g, None, None, None, None)
        if r in pending:  # a root given twice: its seeds add up
            total = pending[r] + g
            if _State.tracer is not None:
                _State.tracer.call(operator.add, (pending[r], g), {}, total)
            g = total
        pending[r] = g
    return pending


def _sweep_arrays(order, pending, retain_graph, keep, needed):
    """The plain sweep: each node's vjps run on the arrays saved at forward time, so every gradient
    is an ndarray of its input's shape and dtype (see :func:`sweep`). Under ``ag.trace`` each vjp call,
    fit and sum is reported to the recorder.

    Freeing a node drops its saved arrays and keeps, for drawings, the gradient that flowed through
    it when small (``_flow``); nodes that are or hold a big array are listed for
    :func:`~autograd_core.skeleton.leave_skeleton`, which swaps those arrays for husks.
    """
    tracer = _State.tracer
    anomaly = _State.anomaly
    to_husk = []
    supports = {}  # Value -> where its pending gradient may be nonzero (support.py); usually empty
    for v in reversed(order):
        op = v._op
        if op is None:
            continue
        g = pending.get(v) if v._retain or v in keep else pending.pop(v, None)
        if g is None:
            continue
        known = supports.pop(v, None) if supports else None
        selects = (known is not None or op.support is not None) and tracer is None  # ag.trace: plain chain rule
        if g.size <= SMALL:
            v._flow = g if g.base is None else g.copy()
            big = False
        else:
            big = True
        saved, out, params, vjps = v._saved, v._data, v._params, op.vjps
        n = -1 if params else len(saved)
        for i, p in enumerate(v._prev):
            if not (isinstance(p, Value) and p.requires_grad):
                if not big and type(p) is not float and is_big(p):
                    big = True  # a big constant operand
                continue
            if needed is not None and p not in needed:
                big = True  # a branch this pass leaves unfreed: leave_skeleton cuts it off
                continue
            vjp = vjps[i]  # _toposort checked that it exists; positional calls cost half a star call's
            mask = None
            if selects:  # structural zeros: 0 outside the cotangent's support, whatever the local derivative
                gi, mask = support.vjp(op, i, g, out, saved, params, known, v, p, False)
            elif n == 2:
                gi = vjp(g, out, saved[0], saved[1])
            elif n == 1:
                gi = vjp(g, out, saved[0])
            else:
                gi = vjp(g, out, *saved, **params)
            if tracer is not None:
                tracer.call(vjp, (g, out, *saved), params, gi)
            pd = p._data
            if pd.size > SMALL:
                big = True
            tg = type(gi)  # an ndarray of the input's shape and dtype, or the 0-d input's scalar type
            if tg is not type(pd) or (tg is np.ndarray and (gi.shape != pd.shape or gi.dtype is not pd.dtype)):
                raw = gi._data if isinstance(gi, Value) else gi  # only when needed: wrap, unbroadcast, cast
                gi = _conform_array(raw, pd.shape, pd.dtype, op.name, i)
                if tracer is not None:
                    tracer.call(_conform_array, (raw, pd.shape, pd.dtype, op.name, i), {}, gi)
            if anomaly:
                check_backward(op, v, i, gi)
            if supports or mask is not None:
                support.merge(supports, pending, p, mask)
            q = pending.get(p)
            if q is None:
                pending[p] = gi
            else:  # a new array, never in place: gi may be another node's gradient as it is
                pending[p] = total = q + gi
                if tracer is not None:
                    tracer.call(operator.add, (q, gi), {}, total)
        if not retain_graph:
            v._saved = None
            if big:
                to_husk.append(v)
    if to_husk:
        leave_skeleton(reversed(to_husk))


def _sweep_recording(order, pending, retain_graph, keep, needed):
    """The create_graph sweep: each node's vjps run on its Values with recording on, so every gradient
    is a Value with a graph of its own, differentiable again (see :func:`sweep`)."""
    freed = []
    supports = {}
    for v in reversed(order):
        op = v._op
        if op is None:
            continue
        g = pending.get(v) if v._retain or v in keep else pending.pop(v, None)
        if g is None:
            continue
        prev, params, vjps = v._prev, v._params, op.vjps
        known = supports.pop(v, None) if supports else None
        selects = known is not None or op.support is not None
        for i, p in enumerate(prev):
            if not (isinstance(p, Value) and p.requires_grad) or (needed is not None and p not in needed):
                continue
            if _State.anomaly:
                _State.backward_step = (op, v, i)  # anomaly.check_forward names it if a vjp's op makes a NaN
            if selects:
                gi, mask = support.vjp(op, i, g, v, prev, params, known, v, p, True)
            else:
                gi, mask = vjps[i](g, v, *prev, **params), None
            if not isinstance(gi, Value):
                gi = Value._node(as_data(np.asarray(gi)), None, None, None, None)
            gi = conform_to(gi, p._data.shape, p._data.dtype, op.name, i)
            if _State.anomaly:
                _State.backward_step = None
                check_backward(op, v, i, gi)
            if supports or mask is not None:
                support.merge(supports, pending, p, mask)
            pending[p] = pending[p] + gi if p in pending else gi
        if g._data.size <= SMALL:
            v._flow = g._data
        if not retain_graph:
            v._saved = None
            freed.append(v)
    leave_skeleton(reversed(freed))


def sweep(order, pending, retain_graph, record, keep=(), needed=None):
    """Walk ``order`` (from :func:`_toposort`) in reverse once: each interior node pushes its pending
    gradient through its vjps to its inputs, then, unless ``retain_graph``, frees its saved buffers
    (leaving the skeleton drawings read, see ``skeleton.py``).

    With ``record`` (create_graph) the vjps record a graph (:func:`_sweep_recording`); otherwise they
    run on plain arrays (:func:`_sweep_arrays`). On return ``pending`` holds the gradient of every
    leaf reached and of every interior node that retains grad or is in ``keep``; other interior
    gradients are dropped as soon as they are used. ``needed`` (a set of Values, or None for all)
    prunes inputs whose gradient nobody asked for. The one reverse walk of backward() and
    gradients(): one call is one backward sweep.
    """
    if record and _State.tracer is not None:
        raise TraceError("create_graph=True inside a traced function is not supported; trace first-order steps")
    try:
        with set_grad_enabled(record):
            (_sweep_recording if record else _sweep_arrays)(order, pending, retain_graph, keep, needed)
    finally:
        _State.backward_step = None  # anomaly's hook, also when a vjp raised


def _needed_for(inputs, order):
    """The inputs and every node in ``order`` that depends on one (the rest of the graph is pruned)."""
    needed = set(inputs)
    for v in order:
        if v._op is not None and any(p in needed for p in v._prev if isinstance(p, Value)):
            needed.add(v)
    return needed


def _accumulate_into_grad(grads, record):
    """backward()'s delivery: each Value in ``grads`` (leaves and Values that retain grad) adds its
    gradient into ``.grad``; frozen read-only unless ``record``, so later in-place changes cannot alias it."""
    tracer = _State.tracer
    with set_grad_enabled(record):
        for v, g in grads.items():
            if not record and type(g) is np.ndarray and g.flags.writeable:
                g.setflags(write=False)
            v._grad = g if v._grad is None else v._grad + g
            if tracer is not None:
                tracer.accumulate(v, g)


def backward(root, grad=None, retain_graph=None, create_graph=False):
    """Accumulate d(root)/d(leaf) into ``.grad`` of every leaf (and retaining Value) that root depends on.

    Arguments:
        root: a Value that requires grad, of any shape and float dtype.
        grad: d(loss)/d(root), of root's shape (cast to root's dtype); may be omitted for a
            single-element root (then 1). Plays the role of ``gradient`` in torch.Tensor.backward.
        retain_graph: keep the saved buffers so backward can run again (default: create_graph).
        create_graph: record the backward pass, so the gradients are Values that can be
            differentiated again (higher order).

    Each leaf's ``.grad`` has the leaf's shape and dtype; it is a read-only ndarray, or a Value with
    create_graph. ``.grad`` is only touched once every gradient has been computed.

    Raises:
        TypeError: root is not a Value.
        GraphError: root does not require grad; root has more than one element and grad is None;
            the graph's buffers were freed by an earlier backward (pass retain_graph=True).
        ShapeError: grad's shape differs from root's; a vjp returned a gradient whose shape no
            broadcasting explains (names the op and input).
        InplaceModificationError: an input saved for backward was changed in place since forward.
        NotImplementedError: an op on the path has no derivative for an input that requires grad.
        AnomalyError: inside ``detect_anomaly()``, a vjp produced a NaN/inf from finite values.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward() needs a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise GraphError("backward() on a Value that does not require grad (no graph was recorded for it)")
    if retain_graph is None:
        retain_graph = create_graph
    order = _toposort([root])
    pending = _seed([root], [_initial_grad(root, grad)], create_graph)
    sweep(order, pending, retain_graph, create_graph)
    _accumulate_into_grad(pending, create_graph)
    if create_graph:
        unlink(pending)  # the new gradients' graphs reach their holders only weakly: no reference cycle


def _output_seeds(outputs, grad_outputs, record):
    """Check gradients()'s outputs and grad_outputs and return one seed per output.

    A Value grad_output is kept as it is when ``record`` (so the result is differentiable in it).
    """
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, (Value, np.ndarray)) or np.isscalar(grad_outputs):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"gradients(): {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    seeds = []
    for o, go in zip(outputs, grad_outputs):
        if not o.requires_grad:
            raise GraphError(f"gradients(): an output of shape {o.shape} does not require grad")
        if record and isinstance(go, Value):
            if go.shape != o.shape:
                raise ShapeError(f"gradients(): grad_output has shape {go.shape}, but the output has shape {o.shape}")
            seeds.append(go)
        else:
            seeds.append(_initial_grad(o, go))
    return seeds


def gradients(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """d(outputs)/d(inputs) as a list, one Value per input (its shape and dtype), leaving ``.grad`` alone.

    ``torch.autograd.grad``: with ``grad_outputs`` v (one per output, of its shape; default ones for
    single-element outputs) the result for input x is sum_k v_k^T d(output_k)/dx. outputs, inputs:
    a Value or a sequence of them. A Value grad_output with create_graph makes the result
    differentiable in it too. retain_graph and create_graph as :func:`backward`; the results
    require grad only with create_graph. allow_unused: None for an input the outputs do not reach.

    Raises TypeError (an input is not a Value), ValueError (as many grad_outputs as outputs are
    needed), GraphError (an output does not require grad, or has more than one element and no
    grad_output; an input is unreachable without allow_unused; a freed graph), and ShapeError,
    InplaceModificationError, NotImplementedError, AnomalyError as :func:`backward`.
    """
    outputs = [outputs] if isinstance(outputs, Value) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"gradients(): inputs must be Values, got {type(x).__name__}")
    pending = _seed(outputs, _output_seeds(outputs, grad_outputs, create_graph), create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    order = _toposort(outputs)
    stand_ins = aliases_of(inputs, order)  # inputs a create_graph backward left behind an alias
    wanted = [*inputs, *(a for group in stand_ins.values() for a in group)]
    sweep(order, pending, retain_graph, create_graph, set(wanted), _needed_for(wanted, order))
    grads = []
    for x in inputs:
        g = gradient_of(x, pending, stand_ins)
        if g is None and not allow_unused:
            raise GraphError(
                f"gradients(): an input of shape {x.shape} is not reachable from the outputs; pass allow_unused=True"
            )
        grads.append(Value._node(g, None, None, None, None) if g is not None and not isinstance(g, Value) else g)
    return grads
