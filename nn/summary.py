"""Module.summary(): one traced forward pass, a table of output shapes and parameter counts."""

import numpy as np

from autograd_core import Value

from .modes import eval_mode


class Summary:
    """The result of ``model.summary(shape)``: ``rows`` of (name, type, output shape, own params)."""

    def __init__(self, model_name, input_shape, rows, total, trainable):
        self.model_name = model_name
        self.input_shape = input_shape
        self.rows = rows
        self.total_params = total
        self.trainable_params = trainable

    def output_shape(self, name):
        """Output shape of the submodule called ``name`` (its first call)."""
        for r in self.rows:
            if r[0] == name:
                return r[2]
        raise KeyError(name)

    def __str__(self):
        head = ("Layer (type)", "Output shape", "Param #")
        body = [
            (f"{'  ' * name.count('.')}{name} ({typ})", _fmt_shape(shape), f"{n:,}")
            for name, typ, shape, n in self.rows
        ]
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(3)]
        line = "-" * (sum(widths) + 6)
        fmt = lambda r: f"{r[0]:<{widths[0]}}   {r[1]:<{widths[1]}}   {r[2]:>{widths[2]}}"
        out = [f"{self.model_name} summary, input {tuple(self.input_shape)}", line, fmt(head), "=" * len(line)]
        out += [fmt(r) for r in body]
        out += [
            "=" * len(line),
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.total_params - self.trainable_params:,}",
        ]
        return "\n".join(out)

    __repr__ = __str__


def _fmt_shape(shape):
    if isinstance(shape, list):
        return ", ".join(_fmt_shape(s) for s in shape)
    return str(tuple(shape))


def _shape_of(out):
    if isinstance(out, (Value, np.ndarray)):
        return tuple(out.shape)
    if isinstance(out, (tuple, list)):
        return [_shape_of(o) for o in out]
    return ()


def summarize(model, input_shape, dtype=None, print_fn=None):
    """Trace ``model`` on zeros of ``input_shape`` (eval mode, no_grad; modes restored after)."""
    if dtype is None:
        first = next(iter(model.parameters()), None)
        dtype = first.dtype if first is not None else np.float32
    names = {id(m): n for n, m in model.named_modules()}
    rows, handles = [], []

    def hook(m, inputs, out):
        own = sum(p.size for p in m._parameters.values() if p is not None)
        rows.append((names[id(m)], type(m).__name__, _shape_of(out), own))

    for name, m in model.named_modules():
        if name:
            handles.append(m.register_forward_hook(hook))
    try:
        with eval_mode(model):
            model(Value(np.zeros(tuple(input_shape), dtype=dtype), requires_grad=False))
    finally:
        for h in handles:
            h.remove()
    # hooks fire after a module's children, so order rows by first appearance in the module tree
    order = {n: i for i, n in enumerate(names.values())}
    rows.sort(key=lambda r: order[r[0]])
    total = model.num_parameters()
    trainable = model.num_parameters(trainable_only=True)
    s = Summary(type(model).__name__, tuple(input_shape), rows, total, trainable)
    if print_fn is not None:
        print_fn(str(s))
    return s
