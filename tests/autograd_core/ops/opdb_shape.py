"""Op database entries: shape primitives, sliding windows and linear algebra."""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from opdb_base import case

import autograd_core as ag
from autograd_core.ops.shape import scatter_add
from autograd_core.ops.windows import fold, normalize_window_args
from autograd_core.testing import arrays, broadcastable_shapes, shapes


def one_of_shape(**kw):
    return shapes(max_dims=kw.get("max_dims", 3), max_side=kw.get("max_side", 3), min_dims=kw.get("min_dims", 0))


# -- reshape family --------------------------------------------------------------------------
@st.composite
def _reshape_inputs(draw):
    shape = draw(one_of_shape())
    size = int(np.prod(shape, dtype=np.int64))
    target = draw(st.sampled_from([(size,), (-1,), (1, size), (size, 1), shape[::-1], (*shape, 1)]))
    return [draw(arrays(shape))], {"shape": target}


case("reshape", _reshape_inputs(), lambda x, shape: x.reshape(shape), lambda x, shape: x.reshape(shape))


@st.composite
def _transpose_inputs(draw):
    shape = draw(one_of_shape())
    axes = draw(st.none() | st.permutations(range(len(shape))).map(tuple))
    return [draw(arrays(shape))], {"axes": axes}


case(
    "transpose",
    _transpose_inputs(),
    lambda x, axes: ag.transpose(x, axes),
    lambda x, axes: x.permute(tuple(axes if axes is not None else range(x.ndim - 1, -1, -1))),
)


@st.composite
def _swapaxes_inputs(draw):
    shape = draw(one_of_shape(min_dims=1))
    n = len(shape)
    a, b = draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))
    return [draw(arrays(shape))], {"a": a, "b": b}


case("swapaxes", _swapaxes_inputs(), lambda x, a, b: x.swapaxes(a, b), lambda x, a, b: x.swapaxes(a, b))


@st.composite
def _broadcast_to_inputs(draw):
    target = draw(one_of_shape())
    keep = draw(st.integers(0, len(target)))
    src = tuple(s if draw(st.booleans()) else 1 for s in target[len(target) - keep :])
    return [draw(arrays(src))], {"shape": target}


case("broadcast_to", _broadcast_to_inputs(), ag.broadcast_to, lambda x, shape: x.broadcast_to(shape))


@st.composite
def _squeeze_inputs(draw):
    shape = tuple(draw(st.lists(st.sampled_from([1, 1, 2, 3]), max_size=4)))
    ones = [i for i, s in enumerate(shape) if s == 1]
    axis = draw(st.none() | (st.sampled_from(ones) if ones else st.none()))
    return [draw(arrays(shape))], {"axis": axis}


def _torch_squeeze(x, axis):
    return x.squeeze() if axis is None else x.squeeze(axis)


case("squeeze", _squeeze_inputs(), ag.squeeze, _torch_squeeze)


@st.composite
def _unsqueeze_inputs(draw):
    shape = draw(one_of_shape())
    return [draw(arrays(shape))], {"axis": draw(st.integers(-len(shape) - 1, len(shape)))}


case("unsqueeze", _unsqueeze_inputs(), ag.unsqueeze, lambda x, axis: x.unsqueeze(axis))


@st.composite
def _flatten_inputs(draw):
    shape = draw(one_of_shape(min_dims=1, max_dims=4))
    n = len(shape)
    s = draw(st.integers(0, n - 1))
    e = draw(st.integers(s, n - 1))
    return [draw(arrays(shape))], {"start_dim": s - n * draw(st.booleans()), "end_dim": e - n * draw(st.booleans())}


case("flatten", _flatten_inputs(), ag.flatten, lambda x, start_dim, end_dim: x.flatten(start_dim, end_dim))


# -- indexing --------------------------------------------------------------------------------
@st.composite
def index_for(draw, shape):
    """An index for ``shape``: ints, slices with steps, None, Ellipsis, int arrays, bool masks."""
    kind = draw(st.sampled_from(["basic", "basic", "int_array", "mask", "mask_axis0", "two_arrays"]))
    n = len(shape)
    if kind == "mask" and n:
        return draw(hnp.arrays(np.bool_, shape))
    if kind == "mask_axis0" and n:
        return (draw(hnp.arrays(np.bool_, shape[:1])), Ellipsis)
    if kind == "int_array" and n:
        axis = draw(st.integers(0, n - 1))
        idx = draw(
            hnp.arrays(np.int64, draw(shapes(1, 2, max_side=3)), elements=st.integers(-shape[axis], shape[axis] - 1))
        )
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


def _torch_index(index):
    """The same index for a torch tensor, or None where torch has no equivalent (negative steps)."""
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for i in items:
        if isinstance(i, slice) and i.step is not None and i.step < 0:
            return None
        out.append(torch.from_numpy(i) if isinstance(i, np.ndarray) else i)
    return tuple(out) if isinstance(index, tuple) else out[0]


def _torch_getitem(x, index):
    t = _torch_index(index)
    return None if t is None else x[t]


@st.composite
def _getitem_inputs(draw):
    shape = draw(one_of_shape(min_dims=1, max_side=4))
    return [draw(arrays(shape))], {"index": draw(index_for(shape))}


case("getitem", _getitem_inputs(), lambda x, index: x[index], _torch_getitem)


@st.composite
def _scatter_add_inputs(draw):
    shape = draw(one_of_shape(min_dims=1, max_side=4))
    index = draw(index_for(shape))
    return [draw(arrays(np.zeros(shape)[index].shape))], {"shape": shape, "index": index}


case("scatter_add", _scatter_add_inputs(), lambda g, shape, index: scatter_add(g, shape=shape, index=index))


# -- joining and padding ---------------------------------------------------------------------
@st.composite
def _concatenate_inputs(draw):
    base = draw(one_of_shape(min_dims=1))
    axis = draw(st.integers(-len(base), len(base) - 1))
    k = draw(st.integers(1, 3))
    shps = [base[: axis % len(base)] + (draw(st.integers(1, 3)),) + base[axis % len(base) + 1 :] for _ in range(k)]
    return [draw(arrays(s)) for s in shps], {"axis": axis}


case(
    "concatenate",
    _concatenate_inputs(),
    lambda *xs, axis: ag.concatenate(xs, axis=axis),
    lambda *xs, axis: torch.cat(xs, dim=axis),
)


@st.composite
def _stack_inputs(draw):
    shape = draw(one_of_shape())
    k = draw(st.integers(1, 3))
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return [draw(arrays(shape)) for _ in range(k)], {"axis": axis}


case("stack", _stack_inputs(), lambda *xs, axis: ag.stack(xs, axis=axis), lambda *xs, axis: torch.stack(xs, dim=axis))


@st.composite
def _pad_inputs(draw):
    shape = draw(one_of_shape(min_dims=1))
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
    return F.pad(x, tuple(int(v) for pair in pairs[::-1] for v in pair), value=value)


case("pad", _pad_inputs(), ag.pad, _torch_pad)


# -- sliding windows -------------------------------------------------------------------------
@st.composite
def window_params(draw, shape):
    n = len(shape)
    axes = tuple(draw(st.permutations(range(n)))[: draw(st.integers(1, n))])
    dilation = tuple(draw(st.integers(1, 2)) if shape[a] >= 3 else 1 for a in axes)
    window = tuple(draw(st.integers(1, (shape[a] - 1) // d + 1)) for a, d in zip(axes, dilation))
    stride = tuple(draw(st.integers(1, 3)) for _ in axes)
    if draw(st.booleans()):
        axes = tuple(a - n for a in axes)
    return {"window_shape": window, "axes": axes, "stride": stride, "dilation": dilation}


@st.composite
def _windows_inputs(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    return [draw(arrays(shape))], draw(window_params(shape))


def _torch_windows(x, window_shape, axes, stride, dilation):
    nd = x.ndim  # each unfold appends its window dim at the end, as numpy's convention does
    for a, w, s, d in zip(axes, window_shape, stride, dilation):
        x = x.unfold(a % nd, (w - 1) * d + 1, s)[..., ::d]
    return x


case("sliding_windows", _windows_inputs(), ag.sliding_windows, _torch_windows)


@st.composite
def _fold_inputs(draw):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    p = draw(window_params(shape))
    window, axes, stride, dilation = normalize_window_args(shape, **p)
    params = {"shape": shape, "window_shape": window, "axes": axes, "stride": stride, "dilation": dilation}
    out_shape = ag.sliding_windows(np.zeros(shape), **p).shape
    return [draw(arrays(out_shape))], params


case("fold", _fold_inputs(), lambda g, **p: fold(g, **p))


# -- linear algebra --------------------------------------------------------------------------
@st.composite
def _matmul_inputs(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    kind = draw(st.sampled_from(["1x1", "1xN", "Nx1", "2x2", "batched"]))
    ba, bb = draw(broadcastable_shapes(2, max_dims=2, max_side=3)) if kind == "batched" else ((), ())
    sa = {"1x1": (k,), "1xN": (k,), "Nx1": (*ba, n, k)}.get(kind, (*ba, n, k))
    sb = {"1x1": (k,), "Nx1": (k,)}.get(kind, (*bb, k, m))
    if kind == "1xN":
        sb = (*draw(shapes(0, 2, max_side=2)), k, m)
    return [draw(arrays(sa)), draw(arrays(sb))], {}


case("matmul", _matmul_inputs(), lambda a, b: a @ b, torch.matmul)


@st.composite
def _tensordot_inputs(draw):
    free_a = draw(shapes(0, 2, max_side=3))
    free_b = draw(shapes(0, 2, max_side=3))
    shared = draw(shapes(0, 2, max_side=3))
    if draw(st.booleans()):  # axes=N: the last N of a against the first N of b
        return [draw(arrays(free_a + shared)), draw(arrays(shared + free_b))], {"axes": len(shared)}
    na, nb, c = len(free_a) + len(shared), len(free_b) + len(shared), len(shared)
    pa = draw(st.permutations(range(na)))
    pb = draw(st.permutations(range(nb)))
    sa, sb = [0] * na, [0] * nb
    for i, s in enumerate(shared + free_a):
        sa[pa[i]] = s
    for i, s in enumerate(shared + free_b):
        sb[pb[i]] = s
    axes = (list(pa[:c]), list(pb[:c]))
    return [draw(arrays(tuple(sa))), draw(arrays(tuple(sb)))], {"axes": axes}


case("tensordot", _tensordot_inputs(), ag.tensordot, lambda a, b, axes: torch.tensordot(a, b, dims=axes))

_EINSUM_SPECS = [
    "ij,jk->ik",
    "ij,jk",
    "i,i->",
    "i,j->ij",
    "ii->i",
    "ii",
    "ij->",
    "ij->ji",
    "ba",
    "bij,bjk->bik",
    "...ij,jk->...ik",
    "i...->...",
    "ijk,k->ij",
    "ij,jk,kl->il",
    "iij->j",
    "ij,k->ijk",
    "ij,ij->ij",
]


@st.composite
def _einsum_inputs(draw):
    spec = draw(st.sampled_from(_EINSUM_SPECS))
    sizes = {c: draw(st.integers(1, 3)) for c in "abcdefghijklmnopqrstuvwxyz"}
    ell = draw(shapes(0, 2, max_side=2))
    ins = spec.split("->")[0].split(",")
    shps = []
    for part in ins:
        head, _, tail = part.partition("...")
        s = tuple(sizes[c] for c in head) + (ell if "..." in part else ()) + tuple(sizes[c] for c in tail)
        if spec == "ij,ij->ij" and not shps:  # broadcasting of a size-1 labelled dim
            s = (1, s[1]) if draw(st.booleans()) else s
        shps.append(s)
    return [draw(arrays(s)) for s in shps], {"subscripts": spec}


case(
    "einsum",
    _einsum_inputs(),
    lambda *xs, subscripts: ag.einsum(subscripts, *xs),
    lambda *xs, subscripts: torch.einsum(subscripts, *xs),
)
