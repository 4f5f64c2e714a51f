"""The operand-forms sweep's calls for rearranging, triangles and diagonals and the vector products
(test_operand_forms.py imports :func:`calls`): each ag function with its numpy reference; where
ours follows PyTorch and refuses what numpy takes (tril of a 1-D input), the reference refuses too."""

import numpy as np
from hypothesis import strategies as st


def _diag_embed(x):
    x = np.asarray(x)
    n = x.shape[-1]
    out = np.zeros(x.shape + (n,), dtype=np.result_type(x, np.float64) if x.dtype.kind == "b" else x.dtype)
    out[..., np.arange(n), np.arange(n)] = x
    return out


def calls(operand, axis_of, refuse):
    """name -> (numpy reference, strategy of (operands, params))."""
    one = st.tuples(operand())
    two = st.tuples(operand(), operand())
    none = st.just({})

    def at_least(k, ref):
        return lambda x, *a, **p: ref(x, *a, **p) if np.ndim(x) >= k else refuse(f"needs {k}-d")

    def first_piece(n):
        return lambda x, **p: x[:n] if np.ndim(x) else refuse("0-d")

    def cross(a, b):
        if np.shape(a)[-1:] != (3,) or np.shape(b)[-1:] != (3,):
            return refuse("3-vectors")
        return np.cross(a, b)

    def vdot(a, b):
        return np.vdot(a, b) if np.size(a) == np.size(b) else refuse("sizes")

    def params(**kw):
        return st.fixed_dictionaries({k: st.just(v) for k, v in kw.items()})

    return {
        "flip": (np.flip, st.tuples(one, none)),
        "fliplr": (np.fliplr, st.tuples(one, none)),
        "flipud": (np.flipud, st.tuples(one, none)),
        "roll": (np.roll, st.tuples(one, params(shift=1))),
        "moveaxis": (np.moveaxis, st.tuples(one, params(source=0, destination=-1))),
        "movedim": (np.moveaxis, st.tuples(one, params(source=0, destination=-1))),
        "repeat": (np.repeat, st.tuples(one, params(repeats=2))),
        "repeat_interleave": (np.repeat, st.tuples(one, params(repeats=2))),
        "tile": (np.tile, st.tuples(one, params(reps=2))),
        "split": (
            lambda x, split_size_or_sections: first_piece(1)(x),
            st.tuples(one, params(split_size_or_sections=1)),
        ),
        "tensor_split": (
            lambda x, indices_or_sections: np.array_split(x, 2)[0] if np.ndim(x) else refuse("0-d"),
            st.tuples(one, params(indices_or_sections=2)),
        ),
        "array_split": (
            lambda x, indices_or_sections: np.array_split(x, 2)[0] if np.ndim(x) else refuse("0-d"),
            st.tuples(one, params(indices_or_sections=2)),
        ),
        "chunk": (
            lambda x, chunks: x[: -(-len(x) // 2)] if np.ndim(x) else refuse("0-d"),
            st.tuples(one, params(chunks=2)),
        ),
        "meshgrid": (lambda a, b: np.meshgrid(a, b, indexing="ij")[0], st.tuples(two, none)),
        "tril": (at_least(2, np.tril), st.tuples(one, none)),
        "triu": (at_least(2, np.triu), st.tuples(one, none)),
        "diagonal": (np.diagonal, st.tuples(one, none)),
        "diag": (lambda x: np.diag(x) if np.ndim(x) in (1, 2) else refuse("1-d or 2-d"), st.tuples(one, none)),
        "diag_embed": (at_least(1, _diag_embed), st.tuples(one, none)),
        "outer": (np.outer, st.tuples(two, none)),
        "inner": (np.inner, st.tuples(two, none)),
        "dot": (np.dot, st.tuples(two, none)),
        "vdot": (vdot, st.tuples(two, none)),
        "cross": (cross, st.tuples(two, none)),
        "slogdet": (lambda a: np.linalg.slogdet(a)[0], st.tuples(one, none)),
    }
