"""The operand-forms sweep's calls for sorting, selection, gathering and scattering (test_operand_forms.py
imports :func:`calls`): each ag function with its numpy reference, written out where numpy spells the
operation differently (PyTorch's gather and scatter, 0-d inputs sorted as one entry)."""

import numpy as np
from hypothesis import strategies as st


def _arr(a):
    """A params operand as numpy sees it (Values give their data, numbers float64, lists arrays)."""
    a = getattr(a, "data", a)
    return np.asarray(a, dtype=np.float64) if type(a) in (float, int) else np.asarray(a)


def _zero_d(ours_on_scalar):
    """A reference that treats a 0-d input as one entry, as ours does (numpy refuses axis -1 there)."""

    def wrap(ref):
        return lambda x, *a, **k: ours_on_scalar(x) if np.ndim(x) == 0 else ref(x, *a, **k)

    return wrap


_scalar_value = _zero_d(lambda x: x)
_scalar_index = _zero_d(lambda x: np.array(0))


def _gather_ref(refuse):
    def ref(x, dim, index):
        if np.ndim(x) != index.ndim or any(m > n for n, m in zip(np.shape(x)[:-1], index.shape[:-1])):
            return refuse("index shape")
        corner = tuple(slice(m) for m in index.shape[:-1]) + (slice(None),)
        return np.take_along_axis(np.asarray(x)[corner], index, dim)

    return ref


def _scatter_ref(refuse, add):
    def ref(x, dim, index, src):
        src = _arr(src)
        x = np.array(x, dtype=np.result_type(x, src, np.float64))
        if x.ndim != index.ndim or any(m > n for n, m in zip(x.shape[:-1], index.shape[:-1])):
            return refuse("index shape")
        if np.ndim(src) and any(m > n for n, m in zip(np.shape(src), index.shape)):
            return refuse("src smaller than index")
        part = src if np.ndim(src) == 0 else np.asarray(src)[tuple(slice(m) for m in index.shape)]
        grids = np.ogrid[tuple(slice(n) for n in index.shape)]
        at = tuple(grids[:-1]) + (index,)
        if add:
            np.add.at(x, at, np.broadcast_to(part, index.shape))
        else:
            x[at] = part
        return x

    return ref


def _index_put_ref(x, index, values):
    values = _arr(values)
    out = np.array(x, dtype=np.result_type(x, values, np.float64))
    out[index] = values
    return out


def _put_along_ref(x, indices, values, axis):
    values = _arr(values)
    out = np.array(x, dtype=np.result_type(x, values, np.float64))
    np.put_along_axis(out, indices, values, axis)
    return out


def _masked_fill_ref(refuse):
    def ref(x, mask, value):
        value = _arr(value)
        if np.broadcast_shapes(np.shape(mask), np.shape(x)) != np.shape(x) or np.ndim(value):
            return refuse("mask or value shape")
        return np.where(mask, value, x)

    return ref


def _masked_select_ref(x, mask):
    shape = np.broadcast_shapes(np.shape(mask), np.shape(x))
    return np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


def calls(operand, axis_of, refuse):
    """name -> (numpy reference, strategy of (operands, params)); ``axis_of(x, axis)`` maps axis 0/-1 of
    a 0-d input to None (numpy's ndarray.sum convention, which ours follows)."""
    one = st.tuples(operand())
    axes = st.sampled_from([None, 0, -1])
    ends = st.sampled_from([0, -1])
    kd = st.booleans()
    idx = st.sampled_from([np.array([0]), np.array([[0]]), np.array([[0, 0]])])

    def fixed(**params):
        return st.fixed_dictionaries(params)

    return {
        "sort": (_scalar_value(lambda x, dim: np.sort(x, axis=dim)), st.tuples(one, fixed(dim=ends))),
        "argsort": (_scalar_index(lambda x, dim: np.argsort(x, axis=dim)), st.tuples(one, fixed(dim=ends))),
        "topk": (
            _scalar_value(lambda x, k: np.sort(x, axis=-1)[..., ::-1][..., :k]),
            st.tuples(one, fixed(k=st.just(1))),
        ),
        "kthvalue": (_scalar_value(lambda x, k: np.sort(x, axis=-1)[..., k - 1]), st.tuples(one, fixed(k=st.just(1)))),
        "max_with_indices": (_scalar_value(lambda x, dim: np.max(x, axis=dim)), st.tuples(one, fixed(dim=ends))),
        "min_with_indices": (_scalar_value(lambda x, dim: np.min(x, axis=dim)), st.tuples(one, fixed(dim=ends))),
        "partition": (lambda x, kth: np.sort(x, axis=-1), st.tuples(one, fixed(kth=st.just(0)))),
        "argpartition": (lambda x, kth: np.argpartition(x, kth), st.tuples(one, fixed(kth=st.just(0)))),
        "argmax": (lambda x, axis: np.argmax(x, axis=axis_of(x, axis)), st.tuples(one, fixed(axis=axes))),
        "argmin": (lambda x, axis: np.argmin(x, axis=axis_of(x, axis)), st.tuples(one, fixed(axis=axes))),
        "all": (
            lambda x, axis, keepdims: np.all(x, axis_of(x, axis), keepdims=keepdims),
            st.tuples(one, fixed(axis=axes, keepdims=kd)),
        ),
        "any": (
            lambda x, axis, keepdims: np.any(x, axis_of(x, axis), keepdims=keepdims),
            st.tuples(one, fixed(axis=axes, keepdims=kd)),
        ),
        "gather": (_gather_ref(refuse), st.tuples(one, fixed(dim=st.just(-1), index=idx))),
        "take_along_axis": (
            lambda x, indices, axis: np.take_along_axis(x, indices, axis),
            st.tuples(one, fixed(indices=idx, axis=st.just(-1))),
        ),
        "put_along_axis": (_put_along_ref, st.tuples(one, fixed(indices=idx, values=operand(), axis=st.just(-1)))),
        "scatter": (_scatter_ref(refuse, add=False), st.tuples(one, fixed(dim=st.just(-1), index=idx, src=operand()))),
        "scatter_add": (
            _scatter_ref(refuse, add=True),
            st.tuples(one, fixed(dim=st.just(-1), index=idx, src=operand())),
        ),
        "index_put": (
            _index_put_ref,
            st.tuples(
                one, fixed(index=st.sampled_from([0, (0,), (np.array([0, 0]),), (slice(None), 0)]), values=operand())
            ),
        ),
        "index_select": (
            lambda x, dim, index: np.take(x, index, axis=axis_of(x, dim)),
            st.tuples(one, fixed(dim=st.just(0), index=st.just(np.array([0, 0])))),
        ),
        "take": (lambda x, indices: np.take(x, indices), st.tuples(one, fixed(indices=st.sampled_from([0, [0, 0]])))),
        "masked_fill": (
            _masked_fill_ref(refuse),
            st.tuples(one, fixed(mask=st.sampled_from([True, np.array([True, False, True])]), value=operand())),
        ),
        "masked_select": (
            _masked_select_ref,
            st.tuples(one, fixed(mask=st.sampled_from([True, np.array([False, True, True])]))),
        ),
    }
