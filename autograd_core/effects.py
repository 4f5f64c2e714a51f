"""``effect``: mark a function with side effects on Values so that a trace repeats the call.

A traced function is replayed from what the recorder saw: ops, the backward pass, and calls
marked here. Code that changes Values outside ops (an optimiser's ``step`` and ``zero_grad``,
the in-place methods ``add_``/``sub_``/``copy_``/``data = ...``, a running-statistics update) must
be marked, or its change would happen once, while tracing, and never on replay. This module
imports nothing but the recording switch, so the lowest layers (and nn) can use it.
"""

import functools

from .grad_mode import _State


def effect(fn):
    """Decorator: ``fn`` runs as usual; inside a traced function the trace also records the call
    (its array arguments followed to the values they will have on replay; Values passed as
    themselves) and makes it again at the same point of every replay.

    The call runs with recording paused, so the ops and numpy calls inside it are not recorded
    one by one: the whole call is one step of the replay. ``fn`` must read the state it changes
    from its arguments (a Value's ``.data``, ``.grad``, an optimiser's state), never from arrays
    it captured while tracing.
    """

    @functools.wraps(fn)
    def recorded(*args, **kwargs):
        tracer = _State.tracer
        if tracer is None:
            return fn(*args, **kwargs)
        _State.tracer = None
        try:
            result = fn(*args, **kwargs)
        finally:
            _State.tracer = tracer
        tracer.effect(fn, args, kwargs, result)
        return result

    recorded.__effect__ = fn
    return recorded
