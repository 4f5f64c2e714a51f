"""The exception hierarchy: every user-facing error the engine raises derives from AutogradError.

Each class also derives from the built-in exception a Python user would expect
(ShapeError is a ValueError, DTypeError a TypeError), so ``except ValueError`` keeps working.
"""

import difflib


class AutogradError(Exception):
    """Base class of every error raised by autograd_core and nn."""


class ShapeError(AutogradError, ValueError):
    """Operands whose shapes do not fit the operation (names the op and both shapes)."""


class DTypeError(AutogradError, TypeError):
    """A dtype the operation cannot take, e.g. asking an integer array to require a gradient."""


class ArgumentError(AutogradError, ValueError):
    """A parameter outside what the op supports (a norm's order, a negative ddof, k out of range);
    the message names the op, the value and what it accepts."""


class LinAlgError(AutogradError, ValueError):
    """A matrix the operation cannot take: singular for inv and solve, not positive definite for
    cholesky (numpy's LinAlgError, naming the op)."""


class DuplicateOpError(AutogradError, ValueError):
    """defop/primitive/defop_variadic given a name already in REGISTRY without replace=True."""


class GraphError(AutogradError, RuntimeError):
    """Misuse of the graph: backward twice through freed buffers, a non-scalar root without grad."""


class InplaceModificationError(GraphError):
    """A Value saved for backward was modified in place before backward ran."""


class ReadOnlyDataError(AutogradError, ValueError):
    """An in-place write into ``Value.data`` (``v.data -= x`` on an array): rebind or use ``sub_`` instead."""


class AnomalyError(AutogradError, FloatingPointError):
    """detect_anomaly() saw a NaN or inf produced in forward or backward."""


class GradcheckError(AutogradError, AssertionError):
    """Analytic and numeric gradients disagree (names input, element, both values)."""


class CheckpointError(AutogradError, ValueError):
    """A checkpoint file or state dict that cannot be loaded safely."""


class IndexingError(AutogradError, IndexError):
    """An index that does not fit the Value's shape."""


class NotDifferentiableError(AutogradError, TypeError):
    """A Value would silently become a constant: a numpy function we do not implement, a list holding
    Values where no op stacks it, or a Value passed as an op's non-differentiable parameter."""


class TraceError(AutogradError, RuntimeError):
    """A traced function that cannot be traced or replayed as asked (see autograd_core.tracing)."""


class TraceMismatchError(TraceError):
    """A checked call of a traced function did something else than the trace recorded."""


class TraceWarning(UserWarning):
    """Something a trace cannot replay faithfully was done while tracing (e.g. reading a Value with .item())."""


def unexpected_keyword(owner, key, names):
    """The TypeError for ``owner(key=...)`` when ``owner`` takes only ``names``: it names ``owner`` (the
    public name the user called, where Python would name a private base or a helper) and the closest
    accepted keyword (difflib). Returned, for the caller to raise."""
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return TypeError(
        f"{owner}() got an unexpected keyword argument {key!r}{hint} ({owner} takes: {', '.join(names) or 'no keyword arguments'})"
    )
