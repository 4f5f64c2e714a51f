"""Fuzzing: random expression graphs built from the op registry, every leaf gradient against finite
differences.

Hypothesis draws a few leaves with mutually broadcastable shapes, then a recipe of steps; each step
applies a primitive (with drawn axes, keepdims, permutations, indices...) to nodes picked from the
pool of everything built so far, so intermediates are reused, leaves feed many branches and the same
node can be both operands. The recipe is replayed on perturbed leaf data for central differences.

Inputs are kept where finite differences are meaningful: domains are made safe (log of x*x + 0.5),
values that grow are squashed with tanh, and steps that would sit within 1e-3 of a kink (relu, abs,
max ties, maximum/minimum ties) are skipped. CI runs 8x the profile's examples (``ci``: 200);
``HYPOTHESIS_PROFILE=deep`` runs 4,000.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Value
from autograd_core.ops import special

EXAMPLES = 8 * settings.default.max_examples
MARGIN = 1e-3
EPS = 1e-6


def _pos(x):
    return x * x + 0.5


def _axes(draw, ndim):
    if ndim == 0 or draw(st.booleans()):
        return None
    k = draw(st.integers(1, ndim))
    axes = draw(st.permutations(range(ndim)))[:k]
    return axes[0] - ndim if k == 1 and draw(st.booleans()) else tuple(axes)  # negative ints too


def _no_ties(x, axes):
    """Top two values along ``axes`` at least MARGIN apart (max/min pick one element, stably)."""
    d = np.asarray(x.data)
    if d.size == 0:
        return False  # the max of nothing is an error (tested in test_shapes_dtypes)
    if d.ndim == 0:
        return True
    axes = tuple(range(d.ndim)) if axes is None else (axes,) if isinstance(axes, int) else axes
    axes = tuple(a % d.ndim for a in axes)
    moved = np.moveaxis(d, axes, tuple(range(d.ndim - len(axes), d.ndim)))
    flat = moved.reshape(moved.shape[: d.ndim - len(axes)] + (-1,))
    if flat.shape[-1] < 2:
        return True
    s = np.sort(flat, axis=-1)
    return bool(np.all(s[..., -1] - s[..., -2] > MARGIN) and np.all(s[..., 1] - s[..., 0] > MARGIN))


def _away_from_zero(x):
    return bool(np.all(np.abs(np.asarray(x.data)) > MARGIN))


def _power(p):
    return (lambda a: _pos(a) ** p), None


# Each builder gets (draw, *operands) and returns (fn, ok) where fn(*values) replays the step and
# ok(*values) says whether the base point is safe for finite differences; None = not applicable.
UNARY = {
    "neg": lambda d, x: (lambda a: -a, None),
    "exp": lambda d, x: (ag.exp, None),
    "log": lambda d, x: (lambda a: ag.log(_pos(a)), None),
    "sqrt": lambda d, x: (lambda a: ag.sqrt(_pos(a)), None),
    "pow": lambda d, x: _power(d(st.sampled_from([2, 3, -1, 0.5, 1.5]))),
    "sigmoid": lambda d, x: (ag.sigmoid, None),
    "tanh": lambda d, x: (ag.tanh, None),
    "abs": lambda d, x: (abs, _away_from_zero),
    "relu": lambda d, x: (ag.relu, _away_from_zero),
    "softplus": lambda d, x: (special.softplus, None),
    "log_sigmoid": lambda d, x: (special.log_sigmoid, None),
    "erf": lambda d, x: (special.erf, None),
    "expm1": lambda d, x: (special.expm1, None),
    "log1p": lambda d, x: (lambda a: special.log1p(a * a), None),
}


def _reduction(name):
    def build(draw, x):
        axis, keep = _axes(draw, x.ndim), draw(st.booleans())
        fn = {
            "sum": lambda a: a.sum(axis=axis, keepdims=keep),
            "mean": lambda a: a.mean(axis=axis, keepdims=keep),
            "max": lambda a: a.max(axis=axis, keepdims=keep),
            "min": lambda a: a.min(axis=axis, keepdims=keep),
            "logsumexp": lambda a: a.logsumexp(axis=axis, keepdims=keep),
        }[name]
        ok = (lambda a: _no_ties(a, axis)) if name in ("max", "min") else None
        return fn, ok

    return build


REDUCE = {n: _reduction(n) for n in ("sum", "mean", "max", "min", "logsumexp")}


def _softmax(op):
    def build(draw, x):
        if x.ndim == 0:
            return None
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        return (lambda a: op(a, axis=axis)), None

    return build


def _reshape(draw, x):
    choices = [(-1,), (1, -1), tuple(reversed(x.shape))]
    if x.ndim >= 2:
        choices.append((x.shape[0] * x.shape[1],) + x.shape[2:])
    shape = draw(st.sampled_from(choices))
    return (lambda a: a.reshape(shape)), None


def _transpose(draw, x):
    perm = tuple(draw(st.permutations(range(x.ndim))))
    return (lambda a: a.transpose(perm) if perm else a.T), None


def _getitem(draw, x):
    if x.ndim == 0:
        return None
    n = x.shape[0]
    if n == 0:
        return (lambda a: a[::-1]), None
    kind = draw(st.sampled_from(["slice", "int array", "mask", "int", "ellipsis"]))
    if kind == "slice":
        idx = slice(draw(st.integers(0, n - 1)), None, draw(st.sampled_from([1, 2, -1])))
    elif kind == "int array":
        idx = np.array(draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=4)))  # repeats add up
    elif kind == "mask":
        idx = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    elif kind == "int":
        idx = draw(st.integers(-n, n - 1))
    else:
        idx = (Ellipsis, None, slice(None, None, -1)) if x.ndim else (None,)
    return (lambda a: a[idx]), None


def _unsqueeze(draw, x):
    axis = draw(st.integers(-x.ndim - 1, x.ndim))
    return (lambda a: a.unsqueeze(axis)), None


def _squeeze(draw, x):
    ones = [i for i, s in enumerate(x.shape) if s == 1]
    if not ones:
        return None
    axis = draw(st.sampled_from([None, *ones]))
    return (lambda a: a.squeeze(axis)), None


def _broadcast(draw, x):
    shape = (draw(st.integers(1, 3)),) + tuple(s if s != 1 else draw(st.integers(1, 3)) for s in x.shape)
    return (lambda a: a.broadcast_to(shape)), None


def _swapaxes(draw, x):
    if x.ndim < 2:
        return None
    i, j = draw(st.integers(0, x.ndim - 1)), draw(st.integers(-x.ndim, x.ndim - 1))
    return (lambda a: a.swapaxes(i, j)), None


def _pad(draw, x):
    if x.ndim == 0:
        return None
    widths = [(draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(x.ndim)]
    value = draw(st.sampled_from([0.0, 1.5]))
    return (lambda a: ag.pad(a, widths, value=value)), None


SHAPE = {
    "reshape": _reshape,
    "transpose": _transpose,
    "getitem": _getitem,
    "unsqueeze": _unsqueeze,
    "squeeze": _squeeze,
    "broadcast_to": _broadcast,
    "swapaxes": _swapaxes,
    "flatten": lambda d, x: ((lambda a: a.flatten()), None),
    "pad": _pad,
    "softmax": _softmax(special.softmax),
    "log_softmax": _softmax(special.log_softmax),
}


def _broadcasts(x, y):
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        return False
    return True


def _binary(name):
    fns = {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / _pos(b),
        "pow_value": lambda a, b: _pos(a) ** b,
        "maximum": ag.maximum,
        "minimum": ag.minimum,
    }

    def build(draw, x, y):
        if not _broadcasts(x, y):
            return None
        ok = None
        if name in ("maximum", "minimum"):
            ok = lambda a, b: bool(np.all(np.abs(a.data - b.data) > MARGIN))
        return fns[name], ok

    return build


def _where(draw, x, y):
    if not _broadcasts(x, y):
        return None
    shape = np.broadcast_shapes(x.shape, y.shape)
    cond = np.random.default_rng(draw(st.integers(0, 2**16))).random(shape) < 0.5
    return (lambda a, b: ag.where(cond, a, b)), None


def _matmul(draw, x, y):
    if x.ndim == 0:
        return None
    inner = x.shape[-1]
    if y.ndim >= 1 and y.shape[-2 if y.ndim > 1 else 0] == inner and y.ndim <= 3:
        try:
            np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
        except ValueError:
            return None
        return (lambda a, b: a @ b), None
    return (lambda a, b: a @ a.swapaxes(-1, -2) if a.ndim > 1 else a @ a), None  # the node with itself


def _join(name):
    def build(draw, x, y):
        if x.shape != y.shape:
            return None
        if name == "stack":
            axis = draw(st.integers(-x.ndim - 1, x.ndim))
            return (lambda a, b: ag.stack([a, b, a], axis=axis)), None
        if x.ndim == 0:
            return None
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        return (lambda a, b: ag.concatenate([a, b, b], axis=axis)), None

    return build


def _einsum(draw, x, y):
    if x.ndim == 0 or y.ndim == 0 or x.shape[-1] != y.shape[-1] or x.ndim + y.ndim > 9:
        return None
    lx = "abcdefgh"[: x.ndim - 1]
    ly = "ijklmnop"[: y.ndim - 1]
    return (lambda a, b: ag.einsum(f"{lx}z,{ly}z->{lx}{ly}", a, b)), None


BINARY = {n: _binary(n) for n in ("add", "sub", "mul", "div", "pow_value", "maximum", "minimum")}
BINARY.update(where=_where, matmul=_matmul, stack=_join("stack"), concatenate=_join("concatenate"), einsum=_einsum)
CATALOG = {**{k: (1, v) for k, v in {**UNARY, **REDUCE, **SHAPE}.items()}, **{k: (2, v) for k, v in BINARY.items()}}


@st.composite
def graphs(draw, max_steps=10):
    """(leaf arrays, recipe): recipe steps are (fn, operand indices) over the growing pool.

    Sizes and structure come from a drawn seed (hypothesis alone would favour tiny graphs); the
    builders' own parameters (axes, indices, permutations) are drawn by hypothesis.
    """
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ndim = int(rng.choice([0, 1, 2, 2, 3, 3]))
    base = tuple(int(s) for s in rng.integers(1, 4, size=ndim))
    leaves = []
    for _ in range(int(rng.integers(1, 4))):
        cut = int(rng.integers(0, ndim + 1))
        shape = tuple(s if rng.random() < 0.75 else 1 for s in base[cut:])
        leaves.append(rng.uniform(-2, 2, shape))
    pool = [Value(a) for a in leaves]
    recipe = []
    names = sorted(CATALOG)
    for _ in range(int(rng.integers(3, max_steps + 1))):
        # op and operands from the drawn seed: uniform over the catalog (hypothesis would favour the
        # first names); half the time the newest node, so chains grow deep as well as wide
        name = names[rng.integers(len(names))]
        arity, build = CATALOG[name]
        idx = [len(pool) - 1 if rng.random() < 0.5 else int(rng.integers(len(pool))) for _ in range(arity)]
        ops = [pool[i] for i in idx]
        built = build(draw, *ops)
        if built is None:
            continue
        fn, ok = built
        if ok is not None and not ok(*ops):
            continue
        out = fn(*ops)
        if out.size and not (np.all(np.isfinite(out.data)) and np.abs(out.data).max() <= 4):
            if not np.all(np.isfinite(out.data)):
                continue
            fn = (lambda f: lambda *a: f(*a).tanh() * 3)(fn)  # squash values that grow
            out = fn(*ops)
        pool.append(out)
        recipe.append((name, fn, idx))
    weights = [rng.uniform(0.5, 1.5, v.shape) for v in pool]
    return leaves, recipe, weights


def _replay(leaves, recipe, weights, requires_grad):
    pool = [Value(a, requires_grad=requires_grad) for a in leaves]
    for _, fn, idx in recipe:
        pool.append(fn(*[pool[i] for i in idx]))
    loss = sum(((v * w).sum() for v, w in zip(pool[len(leaves) :], weights[len(leaves) :])), Value(0.0))
    return pool[: len(leaves)], loss


def _numeric(leaves, recipe, weights):
    grads = []
    for k, a in enumerate(leaves):
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            vals = []
            for sign in (1, -1):
                arrs = [x.copy() for x in leaves]
                arrs[k][i] += sign * EPS
                with ag.no_grad():
                    vals.append(_replay(arrs, recipe, weights, False)[1].item())
            g[i] = (vals[0] - vals[1]) / (2 * EPS)
        grads.append(g)
    return grads


@settings(max_examples=EXAMPLES)
@given(graphs())
def test_random_graphs_match_finite_differences(case):
    leaves, recipe, weights = case
    xs, loss = _replay(leaves, recipe, weights, True)
    if not loss.requires_grad:
        return  # every step was skipped: nothing to differentiate
    names = [n for n, _, _ in recipe]
    gs = ag.gradients(loss, xs, allow_unused=True, retain_graph=True)
    loss.backward()
    for k, (x, num) in enumerate(zip(xs, _numeric(leaves, recipe, weights))):
        got = x.grad if x.grad is not None else np.zeros(x.shape)
        assert got.shape == x.shape and got.dtype == x.dtype
        np.testing.assert_allclose(got, num, rtol=1e-4, atol=1e-5, err_msg=f"leaf {k}, recipe {names}")
        other = gs[k].data if gs[k] is not None else np.zeros(x.shape)
        np.testing.assert_allclose(other, got, rtol=1e-12, atol=1e-12, err_msg="gradients() vs backward()")


@settings(max_examples=max(10, EXAMPLES // 4))
@given(graphs(max_steps=5))
def test_random_graphs_create_graph_agrees_with_plain_backward(case):
    leaves, recipe, weights = case
    xs, loss = _replay(leaves, recipe, weights, True)
    if not loss.requires_grad:
        return
    plain = ag.gradients(loss, xs, allow_unused=True, retain_graph=True)
    higher = ag.gradients(loss, xs, allow_unused=True, create_graph=True)
    for p, h in zip(plain, higher):
        if p is None:
            assert h is None
            continue
        np.testing.assert_allclose(h.data, p.data, rtol=1e-12, atol=1e-12)


def test_fuzz_catalog_names_registered_ops():
    """Every catalog entry that names a primitive is still in the registry (renames are caught)."""
    missing = [n for n in CATALOG if n not in ag.REGISTRY]
    assert missing == []


@settings(max_examples=max(10, EXAMPLES // 4))
@given(graphs())
def test_random_graphs_structural_zeros_change_no_finite_gradient(case):
    """Gradient supports (autograd_core/support.py) only ever replace a 0 * inf by 0: on finite graphs
    the gradients with them equal, to the last bit, the gradients with them switched off."""
    from autograd_core import support

    leaves, recipe, weights = case
    xs, loss = _replay(leaves, recipe, weights, True)
    if not loss.requires_grad:
        return
    with_supports = ag.gradients(loss, xs, allow_unused=True)
    consumes = support.consumes
    support.consumes = lambda p: False  # no Value ever gets a support: the plain chain rule
    try:
        xs, loss = _replay(leaves, recipe, weights, True)
        without = ag.gradients(loss, xs, allow_unused=True)
    finally:
        support.consumes = consumes
    for a, b in zip(with_supports, without):
        if a is None:
            assert b is None
            continue
        np.testing.assert_array_equal(a.data, b.data)
