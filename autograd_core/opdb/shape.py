"""Op database entries: shape primitives (reshape family, joining, padding)."""

import numpy as np

import autograd_core as ag

from .draw import arrays, shape_of, st
from .info import OpInfo, torch
from .samples import uniform


def _reshape_inputs(draw):
    shape = shape_of(draw)
    size = int(np.prod(shape, dtype=np.int64))
    target = draw(st.sampled_from([(size,), (-1,), (1, size), (size, 1), shape[::-1], (*shape, 1)]))
    return [draw(arrays(shape))], {"shape": target}


def _transpose_inputs(draw):
    shape = shape_of(draw)
    axes = draw(st.none() | st.permutations(range(len(shape))).map(tuple))
    return [draw(arrays(shape))], {"axes": axes}


def _torch_transpose(x, axes):
    return x.permute(tuple(axes if axes is not None else range(x.ndim - 1, -1, -1)))


def _swapaxes_inputs(draw):
    shape = shape_of(draw, min_dims=1)
    n = len(shape)
    a, b = draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))
    return [draw(arrays(shape))], {"a": a, "b": b}


def _broadcast_to_inputs(draw):
    target = shape_of(draw)
    keep = draw(st.integers(0, len(target)))
    src = tuple(s if draw(st.booleans()) else 1 for s in target[len(target) - keep :])
    return [draw(arrays(src))], {"shape": target}


def _squeeze_inputs(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 1, 2, 3]), max_size=4)))
    ones = [i for i, s in enumerate(shape) if s == 1]
    axis = draw(st.none() | (st.sampled_from(ones) if ones else st.none()))
    return [draw(arrays(shape))], {"axis": axis}


def _unsqueeze_inputs(draw):
    shape = shape_of(draw)
    return [draw(arrays(shape))], {"axis": draw(st.integers(-len(shape) - 1, len(shape)))}


def _flatten_inputs(draw):
    shape = shape_of(draw, min_dims=1, max_dims=4)
    n = len(shape)
    s = draw(st.integers(0, n - 1))
    e = draw(st.integers(s, n - 1))
    return [draw(arrays(shape))], {"start_dim": s - n * draw(st.booleans()), "end_dim": e - n * draw(st.booleans())}


def _concatenate_inputs(draw):
    base = shape_of(draw, min_dims=1)
    axis = draw(st.integers(-len(base), len(base) - 1))
    a = axis % len(base)
    shps = [base[:a] + (draw(st.integers(1, 3)),) + base[a + 1 :] for _ in range(draw(st.integers(1, 3)))]
    return [draw(arrays(s)) for s in shps], {"axis": axis}


def _stack_inputs(draw):
    shape = shape_of(draw)
    k = draw(st.integers(1, 3))
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return [draw(arrays(shape)) for _ in range(k)], {"axis": axis}


def _pad_inputs(draw):
    shape = shape_of(draw, min_dims=1)
    w = st.integers(0, 2)
    form = draw(st.sampled_from(["int", "pair", "per_axis"]))
    if form == "int":
        pw = draw(w)
    elif form == "pair":
        pw = (draw(w), draw(w))
    else:
        pw = tuple((draw(w), draw(w)) for _ in shape)
    return [draw(arrays(shape))], {"pad_width": pw, "value": draw(st.sampled_from([0.0, -1.5]))}


def _torch_pad(x, pad_width, value):
    pairs = np.broadcast_to(np.asarray(pad_width), (x.ndim, 2))
    return torch.nn.functional.pad(x, tuple(int(v) for pair in pairs[::-1] for v in pair), value=value)


ENTRIES = [
    OpInfo(
        "reshape",
        lambda x, shape: x.reshape(shape),
        sample=([uniform(2, 3)], {"shape": (3, 2)}),
        inputs=_reshape_inputs,
        torch=lambda x, shape: x.reshape(shape),
    ),
    OpInfo(
        "transpose",
        ag.transpose,
        sample=([uniform(2, 3, 4)], {"axes": (2, 0, 1)}),
        inputs=_transpose_inputs,
        torch=_torch_transpose,
    ),
    OpInfo(
        "swapaxes",
        lambda x, a, b: x.swapaxes(a, b),
        sample=([uniform(2, 3, 4)], {"a": 0, "b": 2}),
        inputs=_swapaxes_inputs,
        torch=lambda x, a, b: x.swapaxes(a, b),
    ),
    OpInfo(
        "broadcast_to",
        ag.broadcast_to,
        sample=([uniform(3, 1)], {"shape": (2, 3, 4)}),
        inputs=_broadcast_to_inputs,
        torch=lambda x, shape: x.broadcast_to(shape),
    ),
    OpInfo(
        "squeeze",
        ag.squeeze,
        sample=([uniform(3, 1, 2)], {"axis": 1}),
        inputs=_squeeze_inputs,
        torch=lambda x, axis: x.squeeze() if axis is None else x.squeeze(axis),
    ),
    OpInfo(
        "unsqueeze",
        ag.unsqueeze,
        sample=([uniform(3, 2)], {"axis": 1}),
        inputs=_unsqueeze_inputs,
        torch=lambda x, axis: x.unsqueeze(axis),
    ),
    OpInfo(
        "flatten",
        ag.flatten,
        sample=([uniform(2, 3, 2)], {"start_dim": 1, "end_dim": -1}),
        inputs=_flatten_inputs,
        torch=lambda x, start_dim, end_dim: x.flatten(start_dim, end_dim),
    ),
    OpInfo(
        "concatenate",
        lambda *xs, axis: ag.concatenate(xs, axis=axis),
        sample=([uniform(2, 3), uniform(2, 1)], {"axis": 1}),
        inputs=_concatenate_inputs,
        torch=lambda *xs, axis: torch.cat(xs, dim=axis),
    ),
    OpInfo(
        "stack",
        lambda *xs, axis: ag.stack(xs, axis=axis),
        sample=([uniform(2, 3), uniform(2, 3)], {"axis": 1}),
        inputs=_stack_inputs,
        torch=lambda *xs, axis: torch.stack(xs, dim=axis),
    ),
    OpInfo(
        "pad",
        ag.pad,
        sample=([uniform(2, 3)], {"pad_width": ((1, 0), (2, 1)), "value": 0.5}),
        inputs=_pad_inputs,
        torch=_torch_pad,
    ),
]
