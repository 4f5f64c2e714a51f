"""Reverse mode: an iterative topological order, gradients in a dict local to one pass,
broadcasting undone once here, and each gradient's shape and dtype checked against its input."""

import numpy as np

from .anomaly import check_backward
from .errors import GraphError, InplaceModificationError, ShapeError
from .grad_mode import _State, set_grad_enabled
from .value import Value

_FREED = (
    "backward through a graph whose buffers were already freed (op '{}'). "
    "Pass retain_graph=True to the first backward() to run backward twice."
)


def _toposort(roots):
    """Values requiring grad reachable from roots, each after all of its inputs (no recursion).

    Also refuses, before any state changes, graphs freed by an earlier backward, saved arrays
    that were replaced in place since forward, and inputs whose op has no vjp for them.
    """
    order = []
    seen = set()
    stack = [(r, False) for r in roots]
    while stack:
        v, done = stack.pop()
        if done:
            order.append(v)
            continue
        if id(v) in seen:
            continue
        seen.add(id(v))
        stack.append((v, True))
        if v._op is None:
            continue
        prev = v._prev
        if prev is None:
            raise GraphError(_FREED.format(v._op.name))
        vjps = v._op.vjps
        for i, p in enumerate(prev):
            if isinstance(p, Value) and p.requires_grad:
                if i >= len(vjps) or vjps[i] is None:
                    raise NotImplementedError(f"op '{v._op.name}' has no derivative with respect to input {i}")
                if p._data is not v._saved[i]:
                    raise InplaceModificationError(
                        f"input {i} of op '{v._op.name}' (shape {p.shape}) was modified in place after "
                        "it was saved for backward; recompute the forward pass after changing it"
                    )
                if id(p) not in seen:
                    stack.append((p, False))
    return order


def unbroadcast(g, shape):
    """Sum ``g`` down to ``shape`` over the axes that broadcasting added or stretched."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0:
        return None
    if lead and shape and gshape[lead:] == shape:  # a bias: only leading axes added (0-d would give a scalar)
        return g.sum(axis=tuple(range(lead)))
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    if any(s != 1 and gshape[i + lead] != s for i, s in enumerate(shape)):
        return None
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if g.shape != shape else g


def _fit(gi, p, op, i, create_graph):
    """Shape/dtype check of one vjp result against its input, with central unbroadcasting."""
    if create_graph:
        if not isinstance(gi, Value):
            gi = Value._node(np.asarray(gi), None, None, None, None)
    elif type(gi) is not np.ndarray:
        if isinstance(gi, Value):
            gi = gi._data
        gi = np.asarray(gi)
    shape = p._data.shape
    if gi.shape != shape:
        fitted = unbroadcast(gi, shape)
        if fitted is None:
            raise ShapeError(f"{op.name}: gradient for input {i} has shape {gi.shape}, but the input has shape {shape}")
        gi = fitted
    dtype = p._data.dtype
    if gi.dtype != dtype:
        gi = gi.astype(dtype)
    return gi


def _initial_grad(root, grad):
    if grad is None:
        if root.size != 1:
            raise GraphError(
                f"backward() needs a grad argument for a non-scalar output of shape {root.shape}: "
                "a gradient can only be created implicitly for a single-element output"
            )
        return np.ones(root.shape, dtype=root.dtype)
    if isinstance(grad, Value):
        grad = grad._data
    grad = np.array(grad, dtype=root.dtype)
    if grad.shape != root.shape:
        raise ShapeError(f"backward(): grad has shape {grad.shape}, but the output has shape {root.shape}")
    grad.flags.writeable = False
    return grad


def run_backward(roots, grads, retain_graph=False, create_graph=False, inputs=None, accumulate=True):
    """The reverse pass shared by backward() and gradients().

    With ``inputs`` it returns their gradients (None where unreachable) and leaves ``.grad``
    alone; otherwise it accumulates into leaves and Values that retain grad.
    """
    order = _toposort(roots)
    needed = None
    if inputs is not None:
        wanted = {id(x) for x in inputs}
        needed = set(wanted)
        for v in order:
            if v._op is not None and any(id(p) in needed for p in v._prev if isinstance(p, Value)):
                needed.add(id(v))
        results = {}
    pending = {}
    for r, g in zip(roots, grads):
        if create_graph:
            g = Value._node(g, None, None, None, None) if not isinstance(g, Value) else g
        pending[r] = pending[r] + g if r in pending else g
    with set_grad_enabled(create_graph):
        for v in reversed(order):
            g = pending.pop(v, None)
            if g is None:
                continue
            if needed is not None:
                if id(v) in wanted:
                    results[id(v)] = g
            elif accumulate and (v._op is None or v._retain):
                _accumulate(v, g, create_graph)
            op = v._op
            if op is None:
                continue
            prev = v._prev
            if create_graph:
                args, out = prev, v
            else:
                args, out = v._saved, v._data
            ctx = v._ctx
            vjps = op.vjps
            for i, p in enumerate(prev):
                if not (isinstance(p, Value) and p.requires_grad):
                    continue
                if needed is not None and id(p) not in needed:
                    continue
                if _State.anomaly:
                    _State.backward_step = (op, v, i)  # anomaly.check_forward names it (create_graph)
                gi = vjps[i](g, out, *args, **ctx)  # _toposort checked that the vjp exists
                pd = p._data
                if create_graph or type(gi) is not np.ndarray or gi.shape != pd.shape or gi.dtype != pd.dtype:
                    gi = _fit(gi, p, op, i, create_graph)  # wrap, unbroadcast, cast: only when needed
                if _State.anomaly:
                    _State.backward_step = None
                    check_backward(op, v, i, gi)
                if p in pending:
                    pending[p] = pending[p] + gi
                else:
                    pending[p] = gi
            if not retain_graph:
                v._prev = v._saved = None
    if inputs is not None:
        return [results.get(id(x)) for x in inputs]
    return None


def _accumulate(v, g, create_graph):
    if not create_graph and g.flags.writeable:
        g.flags.writeable = False
    v.grad = g if v.grad is None else v.grad + g


def backward(root, grad=None, retain_graph=None, create_graph=False):
    """Accumulate d(root)/d(leaf) into every leaf's ``.grad``; see Value.backward."""
    if not isinstance(root, Value):
        raise TypeError(f"backward() needs a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise GraphError("backward() on a Value that does not require grad (no graph was recorded for it)")
    if retain_graph is None:
        retain_graph = create_graph
    run_backward([root], [_initial_grad(root, grad)], retain_graph, create_graph)


def gradients(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """d(outputs)/d(inputs) as a list, without touching ``.grad`` (torch.autograd.grad)."""
    single_out = isinstance(outputs, Value)
    outputs = [outputs] if single_out else list(outputs)
    inputs = [inputs] if isinstance(inputs, Value) else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, (Value, np.ndarray)) or np.isscalar(grad_outputs):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"gradients(): {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    for o in outputs:
        if not o.requires_grad:
            raise GraphError(f"gradients(): an output of shape {o.shape} does not require grad")
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"gradients(): inputs must be Values, got {type(x).__name__}")
    if retain_graph is None:
        retain_graph = create_graph
    seeds = []
    for o, go in zip(outputs, grad_outputs):
        if create_graph and isinstance(go, Value):
            if go.shape != o.shape:
                raise ShapeError(f"gradients(): grad_output has shape {go.shape}, but the output has shape {o.shape}")
            seeds.append(go)
        else:
            seeds.append(_initial_grad(o, go))
    grads = run_backward(outputs, seeds, retain_graph, create_graph, inputs=inputs)
    for x, g in zip(inputs, grads):
        if g is None and not allow_unused:
            raise GraphError(
                f"gradients(): an input of shape {x.shape} is not reachable from the outputs; pass allow_unused=True"
            )
    return [Value._node(g, None, None, None, None) if g is not None and not isinstance(g, Value) else g for g in grads]
