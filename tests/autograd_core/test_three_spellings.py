"""One computation, three spellings, one gradient: random expression graphs over scalar Values
written with Value's operators and methods, with ag.* functions given lists (stacked by recorded
ops, never turned into constants), and with numpy functions (dispatched to the same ops)."""

import numpy as np
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Value

# name -> arity, (methods, ag on lists, numpy); every input and result is a 0-d Value
OPS = {
    "mean": (2, (lambda a, b: (a + b) * 0.5, lambda a, b: ag.mean([a, b]), lambda a, b: np.mean(np.stack([a, b])))),
    "sum": (
        3,
        (
            lambda a, b, c: a + b + c,
            lambda a, b, c: ag.sum([[a, b], (c, 0.0)]),
            lambda a, b, c: np.sum(np.hstack([a, b, c])),
        ),
    ),
    "dot": (
        4,
        (
            lambda a, b, c, d: a * c + b * d,
            lambda a, b, c, d: ag.matmul([a, b], [c, d]),
            lambda a, b, c, d: np.dot(np.stack([a, b]), np.stack([c, d])),
        ),
    ),
    "outer": (
        2,
        (
            lambda a, b: b * b - a * a,
            lambda a, b: ag.einsum("i,j->", [a, b], [b, -a]),
            lambda a, b: np.sum(np.outer(np.stack([a, b]), np.stack([b, -a]))),
        ),
    ),
    "mul": (2, (lambda a, b: a * b, lambda a, b: ag.mul([a], [b])[0], lambda a, b: np.multiply(a, b))),
    "sub": (2, (lambda a, b: a - b, lambda a, b: ag.sub([a, b], [b, b])[0], lambda a, b: np.subtract(a, b))),
    "tanh": (1, (lambda a: a.tanh(), lambda a: ag.tanh([[a]])[0, 0], lambda a: np.tanh(a))),
    "sigmoid": (1, (lambda a: a.sigmoid(), lambda a: ag.sigmoid((a,))[0], lambda a: scipy.special.expit(a))),
    "square": (1, (lambda a: a * a, lambda a: ag.square([a]).sum(), lambda a: np.square(a))),
    "softplus": (1, (lambda a: (a.exp() + 1).log(), lambda a: ag.softplus([a])[0], lambda a: np.logaddexp(a, 0.0))),
    "logsumexp": (
        2,
        (
            lambda a, b: (a.exp() + b.exp()).log(),
            lambda a, b: ag.logsumexp([a, b]),
            lambda a, b: np.logaddexp(a, b),
        ),
    ),
    "clip": (1, (lambda a: a.clip(-0.7, 0.7), lambda a: ag.clip([a], -0.7, 0.7)[0], lambda a: np.clip(a, -0.7, 0.7))),
    "max": (
        2,
        (
            lambda a, b: (a + b + abs(a - b)) * 0.5,  # abs'(0) = 0: a tie splits evenly, as max's rule
            lambda a, b: ag.max([a, b]),
            lambda a, b: np.max(np.stack([a, b])),
        ),
    ),
    "reshape": (
        2,
        (
            lambda a, b: a * 2 + b,
            lambda a, b: ag.reshape([[a, a], [b, 0.0]], shape=(4,))[:3].sum(),
            lambda a, b: np.sum(np.reshape(np.stack([a, a, b]), (3, 1))),
        ),
    ),
    "clip_by_value": (
        2,
        (
            lambda a, b: a + (b * 0.5 - a).relu(),  # relu'(0) = 0: on the bound the gradient goes to a, as clip's
            lambda a, b: ag.clip([a], min=[b * 0.5])[0],
            lambda a, b: np.clip(a, b * 0.5, None),
        ),
    ),
}


@st.composite
def programs(draw):
    """A random straight-line program: steps (op, indices of earlier nodes), over 2-4 inputs."""
    n_inputs = draw(st.integers(2, 4))
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(sorted(OPS)))
        arity = OPS[name][0]
        nodes = n_inputs + len(steps)
        args = draw(st.lists(st.integers(0, nodes - 1), min_size=arity, max_size=arity))
        steps.append((name, args))
    # sixteenths: the reference spellings (clip as a + relu(b / 2 - a), max via abs) round differently
    # from the primitives at tiny values (1e-38 / 2 - (-1) is 1), which would move a tie; on this grid
    # the arithmetic is exact and ties are still drawn often
    grid = st.integers(-16, 16).map(lambda k: k / 16)
    values = draw(st.lists(grid, min_size=n_inputs, max_size=n_inputs))
    return values, steps


def _run(values, steps, spelling):
    xs = [Value(v) for v in values]
    nodes = list(xs)
    for name, args in steps:
        out = OPS[name][1][spelling](*(nodes[i] for i in args))
        assert isinstance(out, Value) and out.shape == (), (name, spelling, out)
        nodes.append(out)
    loss = sum(nodes[len(xs) :], Value(0.0, requires_grad=False))
    grads = ag.gradients(loss, xs, allow_unused=True) if loss.requires_grad else [None] * len(xs)
    return loss.item(), [0.0 if g is None else g.item() for g in grads]


@given(programs())
def test_methods_lists_and_numpy_functions_give_the_same_gradient(program):
    values, steps = program
    loss, grads = _run(values, steps, 0)
    for spelling in (1, 2):
        other_loss, other_grads = _run(values, steps, spelling)
        np.testing.assert_allclose(other_loss, loss, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(other_grads, grads, rtol=1e-9, atol=1e-10, err_msg=f"spelling {spelling}: {steps}")
