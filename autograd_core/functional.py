"""Function transforms: grad, value_and_grad, jacobian, hessian, vjp, jvp; all nestable.

How nesting works (no tracers or levels, just the graph):

- Arguments that are raw arrays or numbers become fresh leaf Values; arguments that are already
  Values (say, the leaf of an outer ``grad``) are used as they are, so the outer transform can
  differentiate straight through the inner one.
- **The rule for what comes back.** A transform returns Values, computed with
  ``create_graph=True`` so that they are differentiable, exactly when the computation involves a
  Value from outside: an argument (cotangent, tangent) that is a Value, or a result of ``f`` that
  depends on a Value requiring grad other than the transform's own argument leaves (a closure over
  an outer transform's argument, over a model's parameters, or a ``Value(...)`` made inside ``f``).
  The derivative is then a function of those Values too and stays differentiable in them, as with
  ``torch.func``. Otherwise it returns ndarrays (a Python float for a Python-number argument) and
  skips building the graph of its gradients. The rule reads only the arguments and the graph of
  ``f``'s result (walked once per call), never where or how deeply the call is nested.
- ``grad(grad(f))`` and ``jacobian(grad(f))`` fall out of that: the outer transform passes Values.

``jvp`` is forward mode by the double-vjp construction: ``J v = d/du <J^T u, v>``, which works
for every primitive because every vjp rule is itself differentiable.
"""

import numpy as np

from .engine import gradients
from .errors import DTypeError, ShapeError
from .grad_mode import enable_grad
from .ops.registry import holds_value
from .ops.shape import as_value
from .value import Value

__all__ = ["grad", "hessian", "jacobian", "jvp", "value_and_grad", "vjp"]


def _norm_argnums(argnums, nargs, name):
    single = isinstance(argnums, (int, np.integer))
    nums = (int(argnums),) if single else tuple(int(a) for a in argnums)
    if not nums:
        raise ValueError(f"{name}: argnums must name at least one argument")
    for a in nums:
        if not -nargs <= a < nargs:
            raise ValueError(f"{name}: argnums {a} is out of range for a call with {nargs} positional arguments")
    return tuple(a % nargs for a in nums), single


def _leaf(x, name, i):
    """A Value to differentiate with respect to: Values requiring grad as they are, others fresh leaves."""
    if isinstance(x, Value):
        if x.requires_grad:
            return x
        data = x._data
    else:
        data = np.asarray(x, dtype=np.float64) if isinstance(x, (int, float)) else np.asarray(x)
    if data.dtype.kind != "f":
        raise DTypeError(
            f"{name}: argument {i} has dtype {data.dtype}; only floating-point arguments can be differentiated "
            "(cast it with .astype(np.float64) or leave it out of argnums)"
        )
    return Value(data)


def _prepare(args, argnums, name):
    """Args with the differentiated ones replaced by leaves; whether any argument was a Value (a list
    holding Values counts: it is stacked by a recorded op, so an outer gradient flows through it)."""
    args = [as_value(a) if isinstance(a, (list, tuple)) and holds_value(a) else a for a in args]
    given = any(isinstance(a, Value) for a in args)
    for a in argnums:
        args[a] = _leaf(args[a], name, a)
    return args, given


def _call(f, args, kwargs):
    with enable_grad():
        return f(*args, **kwargs)


def _depends_on_outside(outs, own):
    """True when the graph of ``outs`` reaches a leaf requiring grad that is not one of ``own``
    (the transform's argument leaves): then the derivative depends on it (see the module docstring)."""
    own_ids = {id(x) for x in own}
    seen = set()
    stack = [o for o in outs if o.requires_grad]
    while stack:
        v = stack.pop()
        if id(v) in seen or id(v) in own_ids:
            continue
        seen.add(id(v))
        if v._op is None:
            return True
        stack.extend(p for p in v._prev or () if isinstance(p, Value) and p.requires_grad)
    return False


def _as_value(out):
    """f's output as a Value; a list holding Values is stacked by a recorded op (never a constant)."""
    return out if isinstance(out, Value) else as_value(out)


def _split_aux(out, has_aux, name):
    if not has_aux:
        return out, None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(f"{name}(has_aux=True): f must return a pair (output, aux), got {type(out).__name__}")
    return out[0], out[1]


def _grads(outs, seeds, xs, keep):
    """Gradients of outs (seeded) w.r.t. xs; zeros where unreachable; Values if keep else arrays."""
    live = [(o, s) for o, s in zip(outs, seeds) if o.requires_grad]
    if live:
        gs = gradients(
            [o for o, _ in live], xs, [s for _, s in live], retain_graph=True, create_graph=keep, allow_unused=True
        )
    else:
        gs = [None] * len(xs)
    res = []
    for x, g in zip(xs, gs):
        if g is None:
            g = Value(np.zeros(x.shape, x.dtype), requires_grad=False)
        res.append(g if keep else _array(g))
    return res


def _array(v):
    """A Value's data as an ndarray (a scalar Value's number as a 0-d array): raw arrays out."""
    return v._data if type(v._data) is np.ndarray else np.asarray(v._data)


def _unwrap(v, keep):
    return v if keep or not isinstance(v, Value) else _array(v)


def _like_arg(g, arg, keep):
    """A raw gradient for a Python-number argument is a Python float (float in, float out)."""
    if keep or not isinstance(arg, (int, float)) or isinstance(arg, bool) or isinstance(g, Value):
        return g
    return float(g)


def value_and_grad(f, argnums=0, has_aux=False):
    """``f`` -> function returning ``(f(*args), df/d args[argnums])``; f must return one element.

    The gradient has its argument's shape and dtype: a Value when the module docstring's rule
    says so (a Value argument, or f depending on Values from outside), else an ndarray for an array
    argument and a Python ``float`` for a Python number (``grad(lambda x: x**3)(2.0)`` is ``12.0``).
    ``argnums``: an int or a tuple of ints (negative counts from the end). ``has_aux``: f returns
    ``(output, aux)`` and the result is ``((value, aux), grad)``.

    Raises ShapeError when f's output has more than one element, DTypeError for a non-float
    differentiated argument, ValueError for an argnums out of range, TypeError when has_aux is set
    and f does not return a pair. Same semantics as jax.value_and_grad.
    """

    def wrapped(*args, **kwargs):
        nums, single = _norm_argnums(argnums, len(args), "grad")
        raw = args
        args, keep = _prepare(args, nums, "grad")
        out, aux = _split_aux(_call(f, args, kwargs), has_aux, "grad")
        out = _as_value(out)
        if out.size != 1:
            raise ShapeError(
                f"grad: f must return a single element, but it returned shape {out.shape}; "
                "use jacobian() or vjp() for non-scalar outputs"
            )
        xs = [args[a] for a in nums]
        keep = keep or _depends_on_outside([out], xs)
        gs = _grads([out], [np.ones(out.shape, out.dtype)], xs, keep)
        gs = [_like_arg(g, raw[a], keep) for g, a in zip(gs, nums)]
        g = gs[0] if single else tuple(gs)
        value = _unwrap(out, keep)
        return ((value, aux), g) if has_aux else (value, g)

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    return wrapped


def grad(f, argnums=0, has_aux=False):
    """``f`` -> function returning the gradient of scalar ``f`` w.r.t. ``args[argnums]`` (a tuple if
    argnums is), of each argument's shape and dtype (jax.grad / torch.func.grad). With ``has_aux``
    it returns ``(grad, aux)``. Return types and errors as :func:`value_and_grad`."""
    vg = value_and_grad(f, argnums, has_aux)

    def wrapped(*args, **kwargs):
        value, g = vg(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    return wrapped


def _stack_rows(rows, shape, keep):
    """Per-output-element gradient rows -> one array of ``shape`` (differentiably when keep)."""
    if not keep:
        return np.stack(rows).reshape(shape) if rows else np.zeros(shape)
    from .ops.shape import stack

    return stack(rows, axis=0).reshape(shape) if rows else Value(np.zeros(shape), requires_grad=False)


def jacobian(f, argnums=0, has_aux=False):
    """``f`` -> function returning d f / d args[argnums], of shape ``out.shape + arg.shape``.

    One vjp per output element. A tuple output gives a tuple of Jacobians; a tuple argnums gives,
    per output, a tuple over the arguments (torch.autograd.functional.jacobian's layout).
    Errors as :func:`value_and_grad` (any output shape is allowed).
    """
    return _jacobian(f, argnums, has_aux, "jacobian")


def _jacobian(f, argnums, has_aux, name):
    """:func:`jacobian`, its errors naming ``name`` (the function the user called: jacobian, hessian)."""

    def wrapped(*args, **kwargs):
        nums, single = _norm_argnums(argnums, len(args), name)
        args, keep = _prepare(args, nums, name)
        out, aux = _split_aux(_call(f, args, kwargs), has_aux, name)
        multi = isinstance(out, (tuple, list))
        outs = [_as_value(o) for o in (out if multi else [out])]
        xs = [args[a] for a in nums]
        keep = keep or _depends_on_outside(outs, xs)
        result = []
        for o in outs:
            rows = [[] for _ in xs]
            for k in range(o.size):
                seed = np.zeros(o.shape, o.dtype)
                seed.reshape(-1)[k] = 1
                for r, g in zip(rows, _grads([o], [seed], xs, keep)):
                    r.append(g)
            jacs = [_stack_rows(r, o.shape + x.shape, keep) for r, x in zip(rows, xs)]
            result.append(jacs[0] if single else tuple(jacs))
        res = tuple(result) if multi else result[0]
        return (res, aux) if has_aux else res

    wrapped.__name__ = f"{name}({getattr(f, '__name__', 'f')})"
    return wrapped


def hessian(f, argnums=0):
    """Second derivatives of scalar ``f``: ``jacobian(grad(f))``, shape ``arg.shape + arg.shape``
    (for a tuple argnums, a nested tuple of blocks). Errors as :func:`value_and_grad`."""
    return _jacobian(grad(f, argnums), argnums, False, "hessian")


def vjp(f, *primals, has_aux=False):
    """``(f(*primals), vjp_fn)``; ``vjp_fn(cotangent)`` returns a tuple with one gradient per primal.

    ``vjp_fn`` may be called many times (the graph is retained). A Value cotangent makes the
    result differentiable with respect to it as well. The cotangent has f's output shape (a tuple
    of them for a tuple output); each gradient has its primal's shape (jax.vjp).

    Raises DTypeError for a non-float primal; vjp_fn raises ShapeError for a cotangent of the wrong
    shape and ValueError for the wrong number of cotangents.
    """
    nums = tuple(range(len(primals)))
    args, keep = _prepare(primals, nums, "vjp")
    out, aux = _split_aux(_call(f, args, {}), has_aux, "vjp")
    multi = isinstance(out, (tuple, list))
    outs = [_as_value(o) for o in (out if multi else [out])]
    keep = keep or _depends_on_outside(outs, args)

    def vjp_fn(cotangent):
        cts = list(cotangent) if multi else [cotangent]
        if len(cts) != len(outs):
            raise ValueError(f"vjp: f has {len(outs)} outputs but {len(cts)} cotangents were given")
        seeds = []
        for o, c in zip(outs, cts):
            shape = np.shape(c._data if isinstance(c, Value) else c)
            if shape != o.shape:
                raise ShapeError(f"vjp: cotangent has shape {shape}, but the output has shape {o.shape}")
            seeds.append(c if isinstance(c, Value) else np.asarray(c, dtype=o.dtype))
        k = keep or any(isinstance(c, Value) for c in cts)
        return tuple(_grads(outs, seeds, args, k))

    value = tuple(_unwrap(o, keep) for o in outs) if multi else _unwrap(outs[0], keep)
    return (value, vjp_fn, aux) if has_aux else (value, vjp_fn)


def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), J @ tangents)`` by the double-vjp construction.

    ``primals`` and ``tangents`` are tuples of the same length (a single non-tuple is accepted);
    each tangent has its primal's shape; the output tangent has f's output shape (jax.jvp).

    Raises ValueError when the lengths differ, ShapeError for a tangent of the wrong shape,
    DTypeError for a non-float primal.
    """
    if not isinstance(primals, (tuple, list)):
        primals, tangents = (primals,), (tangents,)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    nums = tuple(range(len(primals)))
    args, keep = _prepare(primals, nums, "jvp")
    keep = keep or any(isinstance(t, Value) for t in tangents)
    for i, (x, t) in enumerate(zip(args, tangents)):
        tshape = np.shape(t._data if isinstance(t, Value) else t)
        if tshape != x.shape:
            raise ShapeError(f"jvp: tangent {i} has shape {tshape}, but primal {i} has shape {x.shape}")
    out = _call(f, args, {})
    multi = isinstance(out, (tuple, list))
    outs = [_as_value(o) for o in (out if multi else [out])]
    keep = keep or _depends_on_outside(outs, args)
    # u: dummy cotangents; J^T u is linear in u, and differentiating <J^T u, v> in u gives J v.
    us = [Value(np.zeros(o.shape, o.dtype)) for o in outs]
    live = [(o, u) for o, u in zip(outs, us) if o.requires_grad]
    tangent_out = [Value(np.zeros(o.shape, o.dtype), requires_grad=False) for o in outs]
    if live:
        gs = gradients(
            [o for o, _ in live], args, [u for _, u in live], retain_graph=True, create_graph=True, allow_unused=True
        )
        pairs = [(g, t) for g, t in zip(gs, tangents) if g is not None and g.requires_grad]
        if pairs:
            tangent_out = _grads(
                [g for g, _ in pairs],
                [t if isinstance(t, Value) else np.asarray(t, dtype=g.dtype) for g, t in pairs],
                us,
                keep,
            )
    tangent_out = [_unwrap(t, keep) for t in tangent_out]
    value = tuple(_unwrap(o, keep) for o in outs) if multi else _unwrap(outs[0], keep)
    return value, (tuple(tangent_out) if multi else tangent_out[0])
