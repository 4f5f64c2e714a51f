"""einsum and tensordot variants against numpy, their derivatives, and linear-algebra errors."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck

rng = np.random.default_rng(0)

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output: indices seen once, alphabetical
    ("ba", [(2, 3)]),  # implicit transpose
    ("Ab,bA", [(2, 3), (3, 2)]),  # upper-case labels
    ("ii->i", [(3, 3)]),  # diagonal
    ("ii", [(3, 3)]),  # trace
    ("iij->j", [(2, 2, 3)]),
    ("ij->", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),  # outer product
    ("ij,k->ijk", [(2, 3), (2,)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]),  # a size-1 label broadcasts
    ("ij,ij->", [(1, 3), (2, 3)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),  # ellipses of different lengths broadcast
    ("...ij,jk", [(2, 1, 2, 3), (3, 2)]),
    ("i...->...", [(2, 3, 4)]),
    ("...", [(2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),  # three operands (a contraction path)
    ("i, i ->", [(3,), (3,)]),  # spaces
    ("->", [()]),
]


@pytest.mark.parametrize("subscripts, shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_matches_numpy_with_first_and_second_derivatives(subscripts, shapes):
    xs = [rng.standard_normal(s) for s in shapes]
    out = ag.einsum(subscripts, *[Value(x) for x in xs])
    np.testing.assert_allclose(out.data, np.einsum(subscripts, *xs), atol=1e-12)
    f = lambda *vs: ag.einsum(subscripts, *vs)
    gradcheck(f, xs)
    gradgradcheck(f, xs)


def test_einsum_with_constants_and_the_same_value_twice():
    a = rng.standard_normal((3, 3))
    x = Value(a)
    ag.einsum("ij,ij->", x, x).backward()  # sum of squares
    np.testing.assert_allclose(x.grad, 2 * a)
    y = Value(a)
    ag.einsum("ij,jk->ik", y, np.eye(3)).sum().backward()
    np.testing.assert_allclose(y.grad, np.ones((3, 3)))


def test_einsum_float32():
    x, y = Value(np.ones((2, 3), np.float32)), Value(np.ones((3,), np.float32))
    z = ag.einsum("ij,j->i", x, y)
    assert z.dtype == np.float32
    z.sum().backward()
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float32


@pytest.mark.parametrize(
    "subscripts, shapes, msg",
    [
        ("ij,jk->ik", [(2, 3), (4, 2)], "einsum"),
        ("ij->ik", [(2, 3)], "output subscripts"),
        ("ij->ii", [(2, 3)], "output subscripts"),
        ("ij,jk->ik", [(2, 3)], "names 2 operands but 1"),
        ("ijk->i", [(2, 3)], "do not match an operand of 2"),
        ("i1->i", [(2, 3)], "invalid subscripts"),
    ],
)
def test_einsum_errors(subscripts, shapes, msg):
    with pytest.raises(ShapeError, match=msg):
        ag.einsum(subscripts, *[Value(np.ones(s)) for s in shapes])


TENSORDOT_CASES = [
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3), (3, 2), ((0, 1), (1, 0))),
    ((2, 3), (4,), 0),
    ((3, 4), (4, 3), 1),
    ((2, 3, 4), (4, 2), ([0, 2], [1, 0])),
    ((2, 3), (3, 5), ([-1], [0])),
    ((3,), (3,), ([0], [0])),
]


@pytest.mark.parametrize("sa, sb, axes", TENSORDOT_CASES, ids=[str(c[2]) for c in TENSORDOT_CASES])
def test_tensordot_matches_numpy_with_derivatives(sa, sb, axes):
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    np.testing.assert_allclose(ag.tensordot(Value(a), Value(b), axes).data, np.tensordot(a, b, axes), atol=1e-12)
    gradcheck(lambda x, y: ag.tensordot(x, y, axes), [a, b])
    gradgradcheck(lambda x, y: ag.tensordot(x, y, axes), [a, b])


def test_tensordot_errors_name_shapes():
    with pytest.raises(ShapeError, match=r"tensordot.*\(2, 3\).*\(4, 2\)"):
        ag.tensordot(Value(np.ones((2, 3))), Value(np.ones((4, 2))), 1)
    with pytest.raises(ShapeError, match="tensordot"):
        ag.tensordot(Value(np.ones((2, 3))), Value(np.ones((3, 2))), 3)
    with pytest.raises(ShapeError, match="tensordot"):
        ag.tensordot(Value(np.ones((2, 3))), Value(np.ones((3, 2))), ([0, 1], [0]))


@pytest.mark.parametrize(
    "sa, sb", [((3, 4), (5, 6)), ((4,), (5,)), ((2, 3, 4), (2, 5, 6)), ((3,), (4, 5)), ((2, 3), (4,))]
)
def test_matmul_mismatch_names_the_op_and_both_shapes(sa, sb):
    with pytest.raises(ShapeError, match=rf"matmul.*{sa}.*{sb}".replace("(", r"\(").replace(")", r"\)")):
        Value(np.ones(sa)) @ Value(np.ones(sb))


def test_matmul_of_a_scalar_is_refused():
    with pytest.raises(ShapeError, match="matmul"):
        Value(2.0) @ Value(np.ones(3))


def test_broadcast_mismatch_names_the_op_and_both_shapes():
    with pytest.raises(ShapeError, match=r"add.*\(2,3\).*\(4,\)"):
        Value(np.ones((2, 3))) + Value(np.ones(4))
    with pytest.raises(ShapeError, match=r"mul.*\(2,3\).*\(3,2\)"):
        Value(np.ones((2, 3))) * np.ones((3, 2))
