"""Outside an op's domain: numpy's values (NaN/inf) with ONE RuntimeWarning that names our op and
points at the caller's line (never numpy's warning pointing into the registry); errstate still rules."""

import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value
from autograd_core.ops.domain import DOMAIN_OPS

A = np.array


def _v(*xs):
    return Value(A(xs, dtype=np.float64))


# op name -> (a call outside the domain, numpy's own result for it)
_quiet = np.errstate(all="ignore")
_quiet.__enter__()
CASES = {
    "log": (lambda: ag.log(_v(-1.0, 0.0, 1.0)), np.log(A([-1.0, 0.0, 1.0]))),
    "log2": (lambda: ag.log2(_v(-1.0, 0.0)), np.log2(A([-1.0, 0.0]))),
    "log10": (lambda: ag.log10(_v(-1.0, 0.0)), np.log10(A([-1.0, 0.0]))),
    "log1p": (lambda: ag.log1p(_v(-2.0, -1.0)), np.log1p(A([-2.0, -1.0]))),
    "sqrt": (lambda: ag.sqrt(_v(-1.0, 4.0)), np.sqrt(A([-1.0, 4.0]))),
    "div": (lambda: _v(1.0, 0.0) / _v(0.0, 0.0), A([1.0, 0.0]) / A([0.0, 0.0])),
    "pow": (lambda: _v(-1.0, 4.0) ** 0.5, A([-1.0, 4.0]) ** 0.5),
    "pow_value": (lambda: _v(-8.0, 4.0) ** _v(0.5, 0.5), A([-8.0, 4.0]) ** A([0.5, 0.5])),
    "reciprocal": (lambda: ag.reciprocal(_v(0.0, 2.0)), np.reciprocal(A([0.0, 2.0]))),
    "arcsin": (lambda: ag.arcsin(_v(2.0, 0.5)), np.arcsin(A([2.0, 0.5]))),
    "arccos": (lambda: ag.arccos(_v(2.0, 0.5)), np.arccos(A([2.0, 0.5]))),
    "arccosh": (lambda: ag.arccosh(_v(0.5, 2.0)), np.arccosh(A([0.5, 2.0]))),
    "arctanh": (lambda: ag.arctanh(_v(2.0, 1.0)), np.arctanh(A([2.0, 1.0]))),
    "remainder": (lambda: _v(1.0, 2.0) % _v(0.0, 1.5), np.remainder(A([1.0, 2.0]), A([0.0, 1.5]))),
    "fmod": (lambda: ag.fmod(_v(1.0, 2.0), _v(0.0, 1.5)), np.fmod(A([1.0, 2.0]), A([0.0, 1.5]))),
    "floor_divide": (lambda: _v(1.0, 3.0) // _v(0.0, 2.0), A([1.0, 3.0]) // A([0.0, 2.0])),
    "exp": (lambda: ag.exp(_v(1000.0, 0.0)), np.exp(A([1000.0, 0.0]))),
    "exp2": (lambda: ag.exp2(_v(2000.0, 0.0)), np.exp2(A([2000.0, 0.0]))),
    "expm1": (lambda: ag.expm1(_v(1000.0, 0.0)), np.expm1(A([1000.0, 0.0]))),
    "sinh": (lambda: ag.sinh(_v(1000.0, 0.0)), np.sinh(A([1000.0, 0.0]))),
    "cosh": (lambda: ag.cosh(_v(1000.0, 0.0)), np.cosh(A([1000.0, 0.0]))),
}
_quiet.__exit__(None, None, None)


def test_every_domain_op_has_a_case():
    assert set(CASES) == set(DOMAIN_OPS)


@pytest.mark.parametrize("name", DOMAIN_OPS)
def test_one_warning_naming_the_op_at_the_callers_line(name):
    call, want = CASES[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    assert out._op.name == name
    np.testing.assert_array_equal(out.data, want)  # numpy's NaN/inf, position for position
    assert len(caught) == 1, [str(w.message) for w in caught]
    w = caught[0]
    assert issubclass(w.category, RuntimeWarning) and str(w.message).startswith(f"{name}: ")
    assert w.filename == __file__  # points at the caller, not into autograd_core


def test_backward_outside_the_domain_warns_once_naming_the_op():
    x = _v(0.0, 1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = ag.log(x)
        y.sum().backward()
    assert [str(w.message).split(":")[0] for w in caught] == ["log", "log (backward)"]
    assert all(w.filename == __file__ for w in caught)
    np.testing.assert_array_equal(x.grad, [np.inf, 1.0])


def test_errstate_raise_and_ignore_keep_their_meaning():
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        ag.sqrt(_v(-1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            assert np.isnan(ag.log(_v(-1.0)).data).all()
        assert ag.log(_v(2.0)).data == pytest.approx(np.log(2.0))  # inside the domain: no warning at all
