"""matrix_power and multi_dot (ops/matrix_chains.py), sinc and logit (ops/special_functions.py):
first and second derivatives against finite differences over drawn shapes, values and gradients
against PyTorch float64 (composition_sweep.py); numpy's values, order and dispatch; the points
where the formulas need care (sinc at 0, logit's eps, the identity power); errors."""

import numpy as np
import pytest
import scipy.special
import torch
from composition_sweep import make_tests
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import ArgumentError, LinAlgError, ShapeError, Value
from autograd_core.gradcheck import gradcheck, gradgradcheck
from autograd_core.testing import arrays, shapes


def _power(draw):
    n, batch = draw(st.integers(1, 3)), draw(shapes(0, 2, max_side=2))
    x = draw(arrays((*batch, n, n), min_value=-0.5, max_value=0.5)) + np.eye(n)  # invertible, powers tame
    return [x], {"n": draw(st.integers(-4, 5))}


def _chain(draw):
    k = draw(st.integers(2, 5))
    dims = [draw(st.integers(1, 4)) for _ in range(k + 1)]
    mats = [draw(arrays((dims[i], dims[i + 1]))) for i in range(k)]
    if draw(st.booleans()):
        mats[0] = mats[0][0]
    if draw(st.booleans()):
        mats[-1] = mats[-1][:, 0]
    return mats, {}


def _sinc(draw):
    near = st.sampled_from([0.0, 1e-9, -0.03, 0.0499, 0.05, 1.0, -2.0])  # 0, the series, its edge, the zeros
    return [draw(arrays(draw(shapes(0, 2, max_side=3)), elements=near | st.floats(-3, 3)))], {}


def _logit(draw):
    x = draw(arrays(draw(shapes(0, 2, max_side=3)), min_value=0.05, max_value=0.95))
    eps = draw(st.sampled_from([None, 0.0, 0.25]))
    if eps:  # no entry on a kink of the clamp
        x = np.where(np.abs(np.abs(x - 0.5) - 0.25) < 0.02, 0.5, x)
    return [x], {"eps": eps}


CASES = {
    "matrix_power": (_power, lambda a, n: a.matrix_power(n), torch.linalg.matrix_power),
    "multi_dot": (_chain, lambda *ms: ag.linalg.multi_dot(ms), lambda *ms: torch.linalg.multi_dot(ms)),
    "sinc": (_sinc, lambda x: x.sinc(), torch.sinc),
    "logit": (_logit, lambda x, eps: ag.logit(x, eps), lambda x, eps: torch.logit(x, eps)),
}

(
    test_first_and_second_derivatives_against_finite_differences,
    test_values_and_gradients_against_pytorch,
) = make_tests(
    CASES, tol={"sinc": ({}, (1e-9, 1e-6))}
)  # PyTorch's sinc gradient cancels near 0 (0 at 1e-9, not -3.3e-9; -2.1e-8 at 1e-8, not -3.3e-8):
# its error peaks near 1e-8 at a few 1e-8 times the cotangent; ours is checked against the maths at 0
# and against finite differences everywhere


def test_sinc_at_zero_has_value_one_slope_zero_and_curvature_minus_pi_squared_over_three():
    x = Value(np.array([0.0, 0.0]))
    y = ag.sinc(x)
    np.testing.assert_array_equal(y.data, [1.0, 1.0])
    (g,) = ag.gradients(y.sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [0.0, 0.0])
    np.testing.assert_allclose(ag.hessian(lambda v: ag.sinc(v).sum())(np.zeros(1)), [[-(np.pi**2) / 3]], rtol=1e-14)
    xs = np.array([-0.07, -0.05, -0.049, -1e-3, 1e-300, 0.0499, 0.05, 0.3, 2.0, 1e8])
    np.testing.assert_allclose(ag.sinc(xs).data, np.sinc(xs), rtol=1e-15, atol=1e-17)
    np.testing.assert_allclose(np.sinc(Value(xs)).data, np.sinc(xs), rtol=1e-15, atol=1e-17)


def test_logit_eps_clamps_as_pytorch_and_scipy_logit_dispatches():
    x = np.array([0.1, 0.2, 0.5, 0.8, 0.9])
    v, t = Value(x), torch.tensor(x, requires_grad=True)
    ag.logit(v, eps=0.2).sum().backward()
    torch.logit(t, eps=0.2).sum().backward()
    np.testing.assert_allclose(v.grad, t.grad.numpy(), rtol=1e-14)  # ends of [eps, 1 - eps] pass the gradient
    np.testing.assert_allclose(scipy.special.logit(Value(x)).data, scipy.special.logit(x), rtol=1e-14)
    with pytest.warns(RuntimeWarning, match="log: divide by zero"):  # ops/domain.py names the op
        assert ag.logit(np.array([0.0, 1.0])).data.tolist() == [-np.inf, np.inf]


def test_matrix_power_zero_is_the_identity_with_zero_gradient_and_numpy_dispatches():
    a = np.array([[[2.0, np.inf], [1.0, 3.0]]] * 2)
    v = Value(a)
    out = v.matrix_power(0)
    np.testing.assert_array_equal(out.data, np.broadcast_to(np.eye(2), a.shape))
    out.backward(np.ones(out.shape))
    np.testing.assert_array_equal(v.grad, np.zeros(a.shape))
    b = np.array([[2.0, 1.0], [1.0, 3.0]])
    for n in (-3, -1, 1, 2, 5, 8):
        np.testing.assert_array_equal(np.linalg.matrix_power(Value(b), n).data, np.linalg.matrix_power(b, n))
    gradgradcheck(lambda m: ag.linalg.matrix_power(m, -2), [b])
    assert ag.matrix_power(np.array([[1, 1], [0, 1]]), 4).dtype.kind == "i"


def test_multi_dot_chooses_numpys_order_and_dispatches():
    rng = np.random.default_rng(0)
    mats = [rng.standard_normal(s) for s in [(10, 2), (2, 30), (30, 3), (3, 40), (40,)]]
    np.testing.assert_array_equal(ag.linalg.multi_dot(mats).data, np.linalg.multi_dot(mats))  # same order, same bits
    got = np.linalg.multi_dot([Value(m) for m in mats])
    assert isinstance(got, Value) and got.shape == (10,)
    gradcheck(lambda *ms: ag.linalg.multi_dot(ms), [m[:3, :3] if m.ndim == 2 else m[:3] for m in mats])


def test_bad_arguments_are_refused_naming_the_function():
    with pytest.raises(ShapeError, match="matrix_power: needs square"):
        ag.matrix_power(np.ones((2, 3)), 2)
    with pytest.raises(TypeError, match="matrix_power: the exponent must be an int"):
        ag.matrix_power(np.eye(2), 0.5)
    with pytest.raises(LinAlgError, match="inv: Singular"):
        ag.matrix_power(np.zeros((2, 2)), -1)
    with pytest.raises(ShapeError, match=r"multi_dot: shapes .* do not chain"):
        ag.linalg.multi_dot([np.ones((2, 3)), np.ones((2, 3))])
    with pytest.raises(ShapeError, match="multi_dot: needs at least two"):
        ag.linalg.multi_dot([np.ones((2, 3))])
    with pytest.raises(ShapeError, match="multi_dot: needs 2-D"):
        ag.linalg.multi_dot([np.ones((2, 3)), np.ones((3, 3, 1)), np.ones(1)])
    with pytest.raises(ArgumentError, match="logit: eps must be"):
        ag.logit(0.5, eps=0.7)
