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
    return _State.enabled


class _GradMode(contextlib.ContextDecorator):
    mode = True

    def __enter__(self):
        self._prev = _State.enabled
        _State.enabled = self.mode

    def __exit__(self, *exc):
        _State.enabled = self._prev
        return False


class no_grad(_GradMode):  # noqa: N801 (PyTorch's name)
    """Ops inside record no graph; results do not require grad."""

    mode = False


class enable_grad(_GradMode):  # noqa: N801
    """Turn recording back on inside a no_grad block."""

    mode = True


class set_grad_enabled(_GradMode):  # noqa: N801
    def __init__(self, mode):
        self.mode = bool(mode)
