"""Static graphs: ``trace(step)`` records a step once and replays it as a flat list of numpy calls.

Textbooks contrast *dynamic* computation graphs (built afresh by running Python on every step,
as autograd_core and PyTorch do) with *static* ones (built once, then executed many times, as
TensorFlow 1 and Theano did). ``trace`` gives this engine the static kind as a speed tool::

    @ag.trace
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

The first call runs ``step`` eagerly while recording every numpy-level call: each op's forward,
each vjp and gradient sum of the backward pass, each gradient stored into a leaf's ``.grad``,
and each call marked :func:`effect` (the optimisers' ``step``/``zero_grad``, Value's in-place
methods). The record becomes one straight-line Python function (``step.source`` shows it) that
later calls run instead: no Value is made per op, no graph is walked, nothing is dispatched, and
each large intermediate array is freed right after its last use. The replay makes the same numpy
calls on the same arrays in the same order, so its results are bit-identical to eager mode.

**Signatures.** Each distinct signature (argument structure, array shapes and dtypes, the values
of non-array arguments) gets its own trace; ``on_new_signature="raise"`` refuses a second one.
Array arguments reach the function as Values that do not require grad, so that what is computed
from them is recorded; Values are passed as they are.

**What a trace cannot see.** It records what ran, not the Python around it: an ``if``/``while``
on a data value, a number read with ``.item()``/``float()``, an array computed from the data with
plain numpy, or a random draw outside ops (dropout's mask) is frozen into the trace as it was on
the first call. Reading a Value's number while tracing warns (:class:`TraceWarning`). A
*checked* call runs the function eagerly, recording afresh, and raises
:class:`TraceMismatchError` if it differs in any op, wiring or constant from the trace: the call
after each new trace is checked (one eager step), and ``check_every=N`` checks every N-th call
too; ``check_every=0`` turns checks off. Input validation written in Python outside ops runs
only when tracing. A traced function whose returned Value still has a live graph (backward is
called outside it) cannot be replayed and runs eagerly every time (with a warning), so
``gradcheck`` of a traced function checks exactly the eager function.
"""

from ..effects import effect
from .traced import Program, Traced


def trace(fn=None, *, on_new_signature="retrace", check_every=None):
    """Trace ``fn`` on its first call (per signature) and replay the record on later calls.

    **Arguments:**
        fn: the function; usable as ``@trace`` or ``@trace(check_every=100)``.
        on_new_signature: ``"retrace"`` (default) records one more trace for a call whose argument
            shapes, dtypes or constants are new; ``"raise"`` raises :class:`TraceError` instead.
        check_every: None (default) checks the first call after each trace against eager mode;
            N also checks every N-th call; 0 never checks.

    **Returns:** a :class:`Traced` callable; ``.source`` is the latest replay program.

    **Raises:** :class:`TraceMismatchError` when a checked call differs from its trace;
    :class:`TraceError` for arguments that cannot be part of a signature, ``retain_grad()`` or
    ``create_graph=True`` inside the traced function.
    """
    if fn is None:
        return lambda f: Traced(f, on_new_signature=on_new_signature, check_every=check_every)
    return Traced(fn, on_new_signature=on_new_signature, check_every=check_every)


__all__ = ["Program", "Traced", "effect", "trace"]
