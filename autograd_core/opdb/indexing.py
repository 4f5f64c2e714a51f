"""Op database entries: indexing (getitem), its transpose (scatter_add) and indexed writes (index_put)."""

import numpy as np

import autograd_core as ag
from autograd_core.ops.shape import scatter_add

from .draw import arrays, hnp, shape_of, shapes, st
from .info import OpInfo, torch
from .samples import uniform


def index_for(draw, shape):
    """Draw an index for ``shape``: ints, slices with steps, None, Ellipsis, int arrays, bool masks."""
    kind = draw(st.sampled_from(["basic", "basic", "int_array", "mask", "mask_axis0", "two_arrays"]))
    n = len(shape)
    if kind == "mask" and n:
        return draw(hnp.arrays(np.bool_, shape))
    if kind == "mask_axis0" and n:
        return (draw(hnp.arrays(np.bool_, shape[:1])), Ellipsis)
    if kind == "int_array" and n:
        axis = draw(st.integers(0, n - 1))
        bounds = st.integers(-shape[axis], shape[axis] - 1)
        idx = draw(hnp.arrays(np.int64, draw(shapes(1, 2, max_side=3)), elements=bounds))
        return (slice(None),) * axis + (idx,)
    if kind == "two_arrays" and n >= 2:
        a = draw(hnp.arrays(np.int64, 3, elements=st.integers(0, shape[0] - 1)))
        b = draw(hnp.arrays(np.int64, 1, elements=st.integers(0, shape[1] - 1)))
        return (a, b)
    items = []
    for s in shape:
        if draw(st.booleans()):
            items.append(draw(st.integers(-s, s - 1)))
        else:
            step = draw(st.sampled_from([None, 1, 2, -1, -2]))
            start = draw(st.none() | st.integers(-s, s))
            stop = draw(st.none() | st.integers(-s, s))
            items.append(slice(start, stop, step))
        if draw(st.integers(0, 4)) == 0:
            items.append(None)
    if items and draw(st.booleans()):  # replace a run of trailing full slices by Ellipsis
        cut = draw(st.integers(0, len(items)))
        items = items[:cut] + [Ellipsis]
    return tuple(items)


def _getitem_inputs(draw):
    shape = shape_of(draw, min_dims=1, max_side=4)
    return [draw(arrays(shape))], {"index": index_for(draw, shape)}


def _torch_getitem(x, index):
    """The same index on a tensor, or None where torch has no equivalent (negative steps)."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for i in items:
        if isinstance(i, slice) and i.step is not None and i.step < 0:
            return None
        out.append(torch.from_numpy(i) if isinstance(i, np.ndarray) else i)
    return x[tuple(out) if isinstance(index, tuple) else out[0]]


def _scatter_add_inputs(draw):
    shape = shape_of(draw, min_dims=1, max_side=4)
    index = index_for(draw, shape)
    return [draw(arrays(np.zeros(shape)[index].shape))], {"shape": shape, "index": index}


def _written_once(shape, index):
    """True when no element of ``np.zeros(shape)[index]`` is written twice (repeated integer indices)."""
    hits = np.zeros(shape, dtype=np.int64)
    np.add.at(hits, index, 1)
    return hits.max(initial=0) <= 1


def _index_put_inputs(draw):
    """x, values shaped as (or broadcasting to) x[index]; repeated indices included (the last write
    wins, and only it gets a gradient: finite differences agree)."""
    shape = shape_of(draw, min_dims=1, max_side=4)
    index = index_for(draw, shape)
    target = np.zeros(shape)[index].shape
    vshape = target[draw(st.integers(0, len(target))) :]  # a trailing part: values broadcast
    return [draw(arrays(shape)), draw(arrays(vshape))], {"index": index}


def _torch_index_put(x, values, index):
    """torch's setitem on a clone; None for repeated writes (torch then leaves the winner undefined and
    gives every duplicate a gradient) and negative steps."""
    if not _written_once(tuple(x.shape), index):
        return None
    t_index = _torch_getitem(torch.zeros(x.shape), index)  # checks the index translates
    if t_index is None:
        return None
    items = index if isinstance(index, tuple) else (index,)
    t_items = tuple(torch.from_numpy(i) if isinstance(i, np.ndarray) else i for i in items)
    out = x.clone()
    out[t_items if isinstance(index, tuple) else t_items[0]] = values
    return out


ENTRIES = [
    OpInfo(
        "getitem",
        lambda x, index: x[index],
        sample=([uniform(4, 3)], {"index": (np.array([0, 2, 2]), slice(1, None))}),
        inputs=_getitem_inputs,
        torch=_torch_getitem,
    ),
    OpInfo(
        "scatter_add",
        scatter_add,
        sample=([uniform(3, 2)], {"shape": (4, 2), "index": (np.array([0, 2, 2]),)}),
        inputs=_scatter_add_inputs,
    ),
    OpInfo(
        "index_put",
        lambda x, values, index: ag.index_put(x, index, values),
        sample=([uniform(4, 3), uniform(3, 2)], {"index": (np.array([0, 2, 2]), slice(1, None))}),
        inputs=_index_put_inputs,
        torch=_torch_index_put,
    ),
]
