"""gradcheck / gradgradcheck: pass on correct ops, name input, element and values on wrong ones."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import GradcheckError, Value
from autograd_core.gradcheck import GradcheckPrecisionWarning, gradcheck, gradgradcheck
from autograd_core.ops.registry import Op

RNG = np.random.default_rng(1)


def _data(x):
    return getattr(x, "_data", x)


# Ops built with Op(...) directly are not registered, so the registry-driven sweep never sees them.
wrong_sin = Op("wrong_sin", np.sin, [lambda g, out, x: g * np.cos(_data(x)) * 1.1])
# Second derivative wrong: the vjp treats x as a constant, so d(vjp)/dx is lost.
flat_cube = Op("flat_cube", lambda x: x**3, [lambda g, out, x: g * 3 * _data(x) ** 2])
# Wrong only at one element.
spotty = Op(
    "spotty",
    lambda x: 2 * x,
    [lambda g, out, x: g * np.where(np.arange(_data(x).size).reshape(_data(x).shape) == 4, 3.0, 2.0)],
)


@pytest.mark.parametrize(
    "f,shapes",
    [
        (lambda a, b: (a @ b).tanh(), [(3, 4), (4, 2)]),
        (lambda a, b: a * b + a / (b * b + 1), [(2, 3), (3,)]),
        (lambda a: a.logsumexp(axis=1), [(3, 4)]),
        (lambda a: (a.exp(), a.sum(axis=0, keepdims=True)), [(2, 3)]),
        (lambda a: a.sigmoid().max(), [(5,)]),
        (lambda a: a[1:, ::2].reshape(-1) ** 3, [(3, 4)]),
    ],
)
@pytest.mark.parametrize("fast", [False, True])
def test_passes_on_correct_ops(f, shapes, fast):
    inputs = [RNG.standard_normal(s) for s in shapes]
    assert gradcheck(f, inputs, fast=fast)
    assert gradgradcheck(f, inputs, fast=fast)


def test_failure_names_input_element_and_values():
    x, y = RNG.standard_normal(3), RNG.standard_normal((2, 2))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: a.sum() + wrong_sin(b).sum(), [x, y])
    err = info.value
    assert err.input_index == 1 and len(err.element_index) == 2
    b = y[err.element_index]
    assert err.analytic == pytest.approx(1.1 * np.cos(b))
    assert err.numeric == pytest.approx(np.cos(b), rel=1e-6)
    msg = str(err)
    assert "input 1" in msg and str(err.element_index) in msg and "analytic" in msg and "numeric" in msg
    assert isinstance(err, AssertionError)


def test_failure_at_a_single_element():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: spotty(a), [RNG.standard_normal((2, 3))])
    assert info.value.element_index == (1, 1)  # flat index 4
    assert info.value.analytic == pytest.approx(3.0) and info.value.numeric == pytest.approx(2.0)
    assert "1 of 36 entries differ" in str(info.value)


def test_fast_mode_reruns_full_to_name_the_element():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: spotty(a), [RNG.standard_normal((2, 3))], fast=True)
    assert info.value.input_index == 0 and info.value.element_index == (1, 1)


def test_raise_exception_false_returns_false():
    assert gradcheck(lambda a: wrong_sin(a), [np.ones(2)], raise_exception=False) is False
    assert gradcheck(lambda a: wrong_sin(a), [np.ones(2)], fast=True, raise_exception=False) is False


def test_gradgradcheck_catches_a_wrong_second_derivative():
    x = RNG.standard_normal(3)
    assert gradcheck(lambda a: flat_cube(a), [x])
    with pytest.raises(GradcheckError, match="input 0"):
        gradgradcheck(lambda a: flat_cube(a), [x])


def test_warns_below_float64_and_checks_in_float64():
    x = RNG.standard_normal(3).astype(np.float32)
    with pytest.warns(GradcheckPrecisionWarning, match="float32"):
        assert gradcheck(lambda a: (a * a).exp(), [x])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradcheck(lambda a: a * 2, [x.astype(np.float64)])
    assert issubclass(GradcheckPrecisionWarning, UserWarning)


def test_warns_when_f_computes_below_float64():
    with pytest.warns(GradcheckPrecisionWarning, match="output 0 is float32"):
        gradcheck(lambda a: a.astype(np.float32) * 2, [np.ones(2)], atol=1e-3, raise_exception=False)


def test_constant_inputs_are_not_checked():
    x = RNG.standard_normal(4)
    idx = np.array([0, 2, 2])
    mask = Value(RNG.standard_normal(4), requires_grad=False)
    assert gradcheck(lambda a, i, m: a[i].sum() * m.sum(), [x, idx, mask])


@pytest.mark.parametrize("fast", [False, True])
def test_zero_dim_inputs(fast):
    assert gradcheck(lambda a, b: (a * b).log(), [np.array(1.5), 2.0], fast=fast)
    assert gradgradcheck(lambda a, b: (a * b).log(), [np.array(1.5), 2.0], fast=fast)


def test_python_ints_pass_through_as_constants():
    seen = []

    def f(a, k):
        seen.append(k)
        return a**k

    assert gradcheck(f, [RNG.standard_normal(3), 3])
    assert gradgradcheck(f, [RNG.standard_normal(3), 3])
    assert all(type(k) is int for k in seen)


def test_outputs_that_do_not_depend_on_inputs():
    assert gradcheck(lambda a: (a * 2, Value(np.ones(2), requires_grad=False)), [np.ones(2)])


def test_accepts_values_and_numbers_and_leaves_grad_alone():
    x = Value(np.array([0.3, -0.7]))
    assert gradcheck(lambda a, s: (a * s).tanh(), [x, 1.5])
    assert x.grad is None


def test_gradgradcheck_with_given_grad_outputs():
    x = RNG.standard_normal((2, 2))
    assert gradgradcheck(lambda a: a.tanh() @ a, [x], grad_outputs=[np.ones((2, 2))])


def test_exported_at_top_level():
    assert ag.gradcheck is gradcheck and ag.gradgradcheck is gradgradcheck


def test_gradcheck_handles_inputs_with_no_elements():
    assert gradcheck(lambda x, y: x.sum() + y * 2, [np.zeros((0, 3)), np.ones(2)])
    assert gradcheck(lambda x: x * 2, [np.zeros((0, 3))])
