"""Special points: every registered op at the inputs where a gradient can silently go wrong.

Zero, +-inf, domain edges, ties and equal bounds are where a vjp multiplies a cotangent by a local
derivative that is infinite or NaN (0 * inf = NaN) although the function is finite and has a
(sub)gradient there. ``tests/autograd_core/ops/test_special_points.py`` runs each point with a
zero, a unit and a mixed cotangent and fails for any registered op (kind other than "custom")
that has no entry here: a new op declares its special points when it joins the registry.

A point gives the expected gradients in one of three ways:

- ``jacobians``: the maths, one Jacobian per float input, shape ``out.shape + input.shape``
  (``diag``/``pair`` build them for elementwise ops from the derivative at each element). The
  expected gradient for a cotangent ``c`` is ``c . J`` in IEEE arithmetic, so an infinite entry
  (a derivative that does not exist, such as sqrt'(0)) gives inf for a unit cotangent and NaN for a
  zero one, exactly as the chain rule does; a finite entry gives exactly 0 for a zero cotangent;
- ``"torch"``: value and gradients as PyTorch computes them (used where PyTorch is right);
- ``"linear"``: the op is linear in its float inputs, so its gradient may not depend on their
  values: at the special values it equals the gradient at zeros.

Values are checked against ``value`` (an array), PyTorch (``"torch"``) or not at all (None).
"""

from . import elementwise, structured
from .point import POINTS, Point

__all__ = ["POINTS", "Point"]
