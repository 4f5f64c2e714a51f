"""Known wrong results, pinned as strict xfails: each names the bug, and each
turns into a failure (XPASS, strict) the moment it is fixed, so the pin is removed with the fix."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import gradgradcheck


@pytest.mark.xfail(strict=True, reason="prod/cumprod second derivatives are wrong at subnormal inputs (known bug)")
@pytest.mark.parametrize("fn", [lambda v: ag.prod(v), lambda v: ag.cumprod(v, 0)], ids=["prod", "cumprod"])
def test_prod_second_derivative_at_subnormal_inputs(fn):
    assert gradgradcheck(fn, [np.array([5e-324, 5e-324])])
