"""Every checking entry point refuses a call that would check nothing, and catches a wrong vjp.

Integer and bool inputs are constants (PyTorch's integer tensors cannot require grad either), so a
call whose inputs are all constants, or whose f has no float output, is refused with a ValueError
naming each input, as torch.autograd.gradcheck refuses when no input requires grad.
"""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Value
from autograd_core.errors import GradcheckError
from autograd_core.opdb import OpInfo, check_op
from autograd_core.testing import assert_gradients_match
from nn.training.checks import Case, run_checks

_OPS = {}


@pytest.fixture(autouse=True)
def _bad_ops():
    """Define the wrong ops for one test and take them out of the registry afterwards (the sweep reads it)."""
    before = dict(ag.REGISTRY)
    _OPS["bad"] = ag.defop("bad_sq_refusals", lambda x: x**2, lambda g, out, x: g * 3 * x)
    # right first derivative (2x), wrong second: the vjp goes through an identity whose vjp doubles
    bad_id = ag.defop("bad_id_refusals", lambda x: x, lambda g, out, x: g * 2)
    _OPS["bad2"] = ag.defop("bad_sq2_refusals", lambda x: x**2, lambda g, out, x: g * 2 * bad_id(x))
    yield
    ag.REGISTRY.clear()
    ag.REGISTRY.update(before)


def bad_sq(x):
    """The op with a wrong vjp (3x for 2x)."""
    return _OPS["bad"](x)


def bad_sq2(x):
    """The op with a right vjp whose own vjp is wrong."""
    return _OPS["bad2"](x)


def _entry(sample):
    return OpInfo(name="bad_sq_refusals", call=bad_sq, sample=([sample], {}), inputs=None)


ENTRY_POINTS = {
    "gradcheck": lambda x: ag.gradcheck(bad_sq, [x]),
    "gradgradcheck": lambda x: ag.gradgradcheck(bad_sq2, [x]),
    "assert_gradients_match": lambda x: assert_gradients_match(bad_sq, x, second_order=True),
    "check_op": lambda x: check_op(_entry(x)),
}
CONSTANTS = [np.array([1, 2]), 2, True, np.array([True, False]), np.int64(3), Value(np.ones(2), requires_grad=False)]


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("x", CONSTANTS, ids=lambda x: type(x).__name__)
def test_nothing_to_differentiate_is_refused(entry, x):
    with pytest.raises(ValueError, match=r"no input to differentiate: input 0 is .*float64"):
        ENTRY_POINTS[entry](x)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_the_wrong_vjp_is_caught_with_float_inputs(entry):
    with pytest.raises(GradcheckError, match="input 0"):
        ENTRY_POINTS[entry](np.array([1.0, 2.0]))


def test_gradcheck_passes_bad2_which_only_gradgradcheck_catches():
    assert ag.gradcheck(bad_sq2, [np.array([1.0, 2.0])])
    assert not ag.gradgradcheck(bad_sq2, [np.array([1.0, 2.0])], raise_exception=False)


def test_cli_checks_report_both():
    results = run_checks(
        cases=[Case("bad_int", "op", bad_sq, [np.array([1, 2])]), Case("bad", "op", bad_sq, [np.ones(2)])]
    )
    assert [r.ok for r in results] == [False, False]
    assert "no input to differentiate" in results[0].detail and "mismatch" in results[1].detail


def test_integer_outputs_are_refused_and_constant_outputs_still_checked():
    with pytest.raises(ValueError, match="no float output"):
        ag.gradcheck(lambda x: Value(np.asarray(x._data > 0), requires_grad=False), [np.ones(2)])
    # an output computed outside the graph: analytic 0, numeric 2 -> caught
    with pytest.raises(GradcheckError, match="mismatch"):
        ag.gradcheck(lambda x: Value(x._data * 2, requires_grad=False), [np.ones(2)])
    # an output that truly does not depend on the input passes (both Jacobians are zero)
    assert ag.gradcheck(lambda x, k: x * 0 + k, [np.ones(2), 3])
