"""Global switches for recording: no_grad / enable_grad, usable as context managers and decorators."""

import contextlib


class _State:
    """Module-level flags read on every op; a class attribute lookup is the cheapest global."""

    enabled = True
    anomaly = False
    # under anomaly mode, the engine's explicit hook for anomaly.py: (op, node, input index) of the
    # vjp being computed, so an op recorded inside a create_graph backward can be named; else None
    backward_step = None
    # the recorder of autograd_core.tracing while a traced function runs for the first time, else None
    tracer = None
    scope = None  # the innermost named_scope (scope.py): every recorded node remembers it


def is_grad_enabled():
    """True when ops record graphs (the default); False inside ``no_grad()`` (torch.is_grad_enabled)."""
    return _State.enabled


class _GradMode(contextlib.ContextDecorator):
    """Sets recording on or off for a ``with`` block (or a decorated function), restoring it after."""

    mode = True

    def __enter__(self):
        self._prev = _State.enabled
        _State.enabled = self.mode

    def __exit__(self, *exc):
        _State.enabled = self._prev
        return False


class no_grad(_GradMode):  # noqa: N801 (PyTorch's name)
    """``with no_grad():`` (or ``@no_grad()``): ops record no graph and their results do not require
    grad, so nothing is kept for backward (torch.no_grad). The previous mode is restored on exit."""

    mode = False


class enable_grad(_GradMode):  # noqa: N801
    """``with enable_grad():`` turns recording back on, e.g. inside a no_grad block (torch.enable_grad)."""

    mode = True


class set_grad_enabled(_GradMode):  # noqa: N801
    """``with set_grad_enabled(mode):`` records graphs when ``mode`` is true, not otherwise
    (torch.set_grad_enabled); the previous mode is restored on exit."""

    def __init__(self, mode):
        self.mode = bool(mode)
