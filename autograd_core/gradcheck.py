"""Finite-difference gradient checks: analytic vjps against central differences in float64.

``gradcheck`` compares the whole Jacobian entry by entry (full mode) or random projections
``u^T J v`` (fast mode: two function evaluations per input instead of two per element).
``gradgradcheck`` checks second derivatives by gradchecking the map
``(inputs, grad_outputs) -> vjp`` computed with ``create_graph=True``.
On a mismatch a :class:`~autograd_core.errors.GradcheckError` names the input, the element and
both values; the error also carries them as attributes (``input_index``, ``element_index``,
``output_index``, ``output_element``, ``analytic``, ``numeric``).
"""

import warnings

import numpy as np

from .engine import gradients
from .errors import GradcheckError
from .value import Value


class GradcheckPrecisionWarning(UserWarning):
    """gradcheck was given inputs below float64; they are checked after upcasting to float64."""


_PASSTHROUGH = (bool, int, np.integer)


def _prepare(inputs, name):
    """Inputs as (float64-or-constant array, differentiable?) pairs; warns once for low precision."""
    if isinstance(inputs, (Value, np.ndarray)) or np.isscalar(inputs):
        inputs = (inputs,)
    arrays, diff, low = [], [], []
    for i, x in enumerate(inputs):
        if isinstance(x, _PASSTHROUGH):  # Python/numpy integers: constants passed to f as they are
            arrays.append(x)
            diff.append(False)
            continue
        wants = x.requires_grad if isinstance(x, Value) else None
        arr = np.asarray(x._data if isinstance(x, Value) else x)
        if isinstance(x, float):
            arr = arr.astype(np.float64)
        is_float = arr.dtype.kind == "f"
        if is_float and arr.dtype != np.float64:
            low.append(f"input {i} is {arr.dtype}")
            arr = arr.astype(np.float64)
        arrays.append(np.array(arr))
        diff.append(is_float and (wants is None or wants))
    if not any(diff):
        raise ValueError(f"{name}: no input to differentiate: {_described(inputs)}. {_NOTHING}")
    if low:
        warnings.warn(
            f"{name}: {', '.join(low)}; finite differences are only reliable in float64, "
            "so it is checked after upcasting to float64",
            GradcheckPrecisionWarning,
            stacklevel=3,
        )
    return arrays, diff


_NOTHING = (
    "Integer and bool arrays, Python ints and bools, and Values with requires_grad=False are constants "
    "(indices, exponents); pass the inputs to check as float64 arrays, e.g. np.asarray(x, dtype=np.float64)"
)


def _described(inputs):
    """Each input's kind, as a refusal names them: 'input 0 is int64 ndarray; input 1 is Python int 3'."""

    def one(x):
        if isinstance(x, Value):
            return f"a {x.dtype} Value with requires_grad={x.requires_grad}"
        if isinstance(x, (bool, int, float)):
            return f"Python {type(x).__name__} {x!r}"
        return f"{np.asarray(x).dtype} {type(x).__name__}"

    return "; ".join(f"input {i} is {one(x)}" for i, x in enumerate(inputs))


def _require_float_output(f, arrays, diff, name):
    """Refuse an f with no float output: finite differences of integer outputs check nothing."""
    outs = _outputs(f, _wrap(arrays, diff))
    if not any(o.dtype.kind == "f" for o in outs):
        kinds = ", ".join(f"output {n} is {o.dtype}" for n, o in enumerate(outs))
        raise ValueError(f"{name}: f has no float output ({kinds}), so there is no derivative to check")


def _wrap(arrays, diff):
    return [a if isinstance(a, _PASSTHROUGH) else Value(a, requires_grad=d) for a, d in zip(arrays, diff)]


def _outputs(f, values):
    """Call f and return its outputs as a list (Values, or raw arrays for constant outputs)."""
    out = f(*values)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    outs = [o if isinstance(o, Value) else Value(np.asarray(o), requires_grad=False) for o in outs]
    low = [f"output {n} is {o.dtype}" for n, o in enumerate(outs) if o.dtype.kind == "f" and o.dtype != np.float64]
    if low:
        warnings.warn(
            f"gradcheck: {', '.join(low)}; f computes below float64, so finite differences lose precision",
            GradcheckPrecisionWarning,
            stacklevel=4,
        )
    return outs


def _flat_outputs(f, arrays, diff):
    """f's float outputs concatenated into one float64 vector (for finite differences)."""
    outs = _outputs(f, _wrap(arrays, diff))
    return np.concatenate([np.asarray(o._data, dtype=np.float64).ravel() for o in outs if o.dtype.kind == "f"] or [[]])


def _numeric_jacobian(f, arrays, diff, i, eps):
    """d(flat outputs)/d(input i), one column per element of input i (central differences)."""
    x = arrays[i]
    cols = []
    for j in range(x.size):
        plus, minus = list(arrays), list(arrays)
        xp, xm = x.copy(), x.copy()
        xp.reshape(-1)[j] += eps
        xm.reshape(-1)[j] -= eps
        plus[i], minus[i] = xp, xm
        cols.append((_flat_outputs(f, plus, diff) - _flat_outputs(f, minus, diff)) / (2 * eps))
    if not cols:  # an empty input: no columns, but as many rows as the outputs have elements
        return np.zeros((_flat_outputs(f, arrays, diff).size, 0))
    return np.stack(cols, axis=1)


def _analytic_jacobians(f, arrays, diff):
    """For each differentiable input, its Jacobian of the flat outputs, one vjp per output element."""
    values = _wrap(arrays, diff)
    outs = [o for o in _outputs(f, values) if o.dtype.kind == "f"]
    targets = [v for v, d in zip(values, diff) if d]
    total = sum(o.size for o in outs)
    jac = {id(v): np.zeros((total, v.size)) for v in targets}
    row = 0
    for o in outs:
        for k in range(o.size):
            if o.requires_grad and targets:
                seed = np.zeros(o.shape, dtype=o.dtype)
                seed.reshape(-1)[k] = 1
                grads = gradients([o], targets, [seed], retain_graph=True, allow_unused=True)
                for v, g in zip(targets, grads):
                    if g is not None:
                        jac[id(v)][row] = np.asarray(g._data, dtype=np.float64).ravel()
            row += 1
    return [jac[id(v)] if d else None for v, d in zip(values, diff)], [o.shape for o in outs]


def _locate(row, out_shapes):
    """Flat output row -> (output index, element index within that output)."""
    for n, shape in enumerate(out_shapes):
        size = int(np.prod(shape, dtype=np.int64))
        if row < size:
            return n, np.unravel_index(row, shape) if shape else ()
        row -= size
    return None, ()


def _fail(msg, raise_exception, **attrs):
    if not raise_exception:
        return False
    err = GradcheckError(msg)
    for k, v in attrs.items():
        setattr(err, k, v)
    raise err


def _compare_full(f, arrays, diff, eps, atol, rtol, raise_exception, only=None):
    analytic, out_shapes = _analytic_jacobians(f, arrays, diff)
    for i, (x, d) in enumerate(zip(arrays, diff)):
        if not d or (only is not None and i != only):
            continue
        numeric = _numeric_jacobian(f, arrays, diff, i, eps)
        a = analytic[i]
        bad = np.abs(a - numeric) > atol + rtol * np.abs(numeric)
        bad |= np.isnan(a) != np.isnan(numeric)
        if bad.any():
            err = np.where(bad, np.abs(a - numeric), -1.0)
            row, col = np.unravel_index(int(np.argmax(err)), err.shape)
            elem = tuple(int(t) for t in np.unravel_index(col, x.shape)) if x.shape else ()
            out_n, out_elem = _locate(row, out_shapes)
            out_elem = tuple(int(t) for t in out_elem)
            av, nv = float(a[row, col]), float(numeric[row, col])
            return _fail(
                f"gradcheck: Jacobian mismatch for input {i} (shape {x.shape}) at element {elem}, "
                f"output {out_n} (shape {out_shapes[out_n]}) element {out_elem}: analytic {av!r}, numeric {nv!r} "
                f"(|diff| {abs(av - nv):.3g} > atol {atol:g} + rtol {rtol:g} * |numeric|; "
                f"{int(bad.sum())} of {bad.size} entries differ)",
                raise_exception,
                input_index=i,
                element_index=elem,
                output_index=out_n,
                output_element=out_elem,
                analytic=av,
                numeric=nv,
            )
    return True


def _compare_fast(f, arrays, diff, eps, atol, rtol, raise_exception, seed):
    """u^T J_i v_i per input i: one vjp for all inputs, two evaluations per input."""
    rng = np.random.default_rng(seed)
    values = _wrap(arrays, diff)
    outs = [o for o in _outputs(f, values) if o.dtype.kind == "f"]
    us = [rng.standard_normal(o.shape) for o in outs]
    unorm = np.sqrt(sum(float((u * u).sum()) for u in us)) or 1.0
    us = [u / unorm for u in us]
    u_flat = np.concatenate([u.ravel() for u in us] or [[]])
    targets = [v for v, d in zip(values, diff) if d]
    live = [(o, u) for o, u in zip(outs, us) if o.requires_grad]
    if live and targets:
        grads = gradients([o for o, _ in live], targets, [u.astype(o.dtype) for o, u in live], allow_unused=True)
    else:
        grads = [None] * len(targets)
    vjp = dict(zip(map(id, targets), grads))
    for i, (x, v, d) in enumerate(zip(arrays, values, diff)):
        if not d:
            continue
        direction = rng.standard_normal(x.shape)
        direction /= np.sqrt(float((direction * direction).sum())) or 1.0
        g = vjp[id(v)]
        analytic = float((np.asarray(g._data, dtype=np.float64) * direction).sum()) if g is not None else 0.0
        plus, minus = list(arrays), list(arrays)
        plus[i], minus[i] = np.asarray(x + eps * direction), np.asarray(x - eps * direction)
        jv = (_flat_outputs(f, plus, diff) - _flat_outputs(f, minus, diff)) / (2 * eps)
        numeric = float((u_flat * jv).sum())
        if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
            # Name the element: the full check on this input alone.
            if not _compare_full(f, arrays, diff, eps, atol, rtol, raise_exception, only=i):
                return False
            return _fail(
                f"gradcheck (fast): projection u^T J v for input {i} (shape {x.shape}) differs: "
                f"analytic {analytic!r}, numeric {numeric!r}, but the full Jacobian check passed "
                "(try a smaller eps or larger tolerances)",
                raise_exception,
                input_index=i,
                element_index=None,
                analytic=analytic,
                numeric=numeric,
            )
    return True


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, fast=False, raise_exception=True, seed=0):
    """Check f's analytic gradients against central finite differences, in float64.

    ``inputs`` is a sequence of arrays, numbers or Values; float ones are differentiated (a Value
    with ``requires_grad=False``, integer and bool arrays, Python ints and bools stay constant:
    indices, exponents). At least one input must be differentiated and f must have a float output,
    else ValueError naming each input (PyTorch also refuses when no input requires grad): an
    integer-only call would otherwise check nothing. ``f`` takes Values and returns
    a Value of any shape or a tuple of them. Returns True, or raises GradcheckError naming the
    input index, element index and both values (returns False with ``raise_exception=False``).
    ``fast=True`` compares random projections ``u^T J v`` instead of every Jacobian entry.

    Numeric derivative: (f(x + eps) - f(x - eps)) / (2 eps) per element (central differences, as
    torch.autograd.gradcheck); an entry passes when |analytic - numeric| <= atol + rtol * |numeric|.
    Inputs below float64 are upcast with a GradcheckPrecisionWarning. ``seed`` fixes fast mode's
    random projections.
    """
    arrays, diff = _prepare(inputs, "gradcheck")
    _require_float_output(f, arrays, diff, "gradcheck")
    if fast:
        return _compare_fast(f, arrays, diff, eps, atol, rtol, raise_exception, seed)
    return _compare_full(f, arrays, diff, eps, atol, rtol, raise_exception)


def gradgradcheck(
    f, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, fast=False, raise_exception=True, seed=0
):
    """Check second derivatives: gradcheck of ``(inputs, grad_outputs) -> vjp(f)`` built with create_graph.

    ``grad_outputs`` (one per float output of f, of its shape) default to random normal arrays
    (seeded by ``seed``); they are differentiated too, which also checks the vjp's linearity in
    them (torch.autograd.gradgradcheck). Other arguments and errors as :func:`gradcheck`; also
    ValueError when the number of grad_outputs differs from f's float outputs.
    """
    arrays, diff = _prepare(inputs, "gradgradcheck")
    _require_float_output(f, arrays, diff, "gradgradcheck")
    n = len(arrays)
    if grad_outputs is None:
        rng = np.random.default_rng(seed + 1)
        outs = [o for o in _outputs(f, _wrap(arrays, diff)) if o.dtype.kind == "f"]
        grad_outputs = [rng.standard_normal(o.shape) for o in outs]
    elif isinstance(grad_outputs, (Value, np.ndarray)) or np.isscalar(grad_outputs):
        grad_outputs = [grad_outputs]
    gos = [np.asarray(g._data if isinstance(g, Value) else g, dtype=np.float64) for g in grad_outputs]

    def first_derivative(*args):
        xs, gs = args[:n], args[n:]
        outs = [o for o in _outputs(f, xs) if o.dtype.kind == "f"]
        if len(outs) != len(gs):
            raise ValueError(f"gradgradcheck: f has {len(outs)} float outputs but {len(gs)} grad_outputs were given")
        live = [(o, g) for o, g in zip(outs, gs) if o.requires_grad]
        targets = [x for x in xs if isinstance(x, Value) and x.requires_grad]
        if not live or not targets:
            return tuple(Value(np.zeros(x.shape), requires_grad=False) for x in targets)
        grads = gradients([o for o, _ in live], targets, [g for _, g in live], create_graph=True, allow_unused=True)
        return tuple(
            g if g is not None else Value(np.zeros(x.shape), requires_grad=False) for x, g in zip(targets, grads)
        )

    return gradcheck(
        first_derivative,
        _wrap(arrays, diff) + gos,
        eps=eps,
        atol=atol,
        rtol=rtol,
        fast=fast,
        raise_exception=raise_exception,
        seed=seed,
    )
