"""The operand-forms sweep's calls for the joining compositions (test_operand_forms.py imports
:func:`calls` and :data:`RAW`): each ag function with its numpy reference."""

import numpy as np
from hypothesis import strategies as st

RAW = {"cat", "concat", "hstack", "vstack", "row_stack", "dstack", "column_stack"}  # take a list of operands


def calls(operand, as_numpy, refuse):
    """name -> (numpy reference, strategy of (operands, params)); ``as_numpy`` converts one operand."""
    one = st.tuples(operand())
    two = st.tuples(operand(), operand())
    none = st.just({})
    listed = st.tuples(st.lists(operand(), min_size=1, max_size=3))

    def joined(fn):
        return lambda xs, **p: fn([as_numpy(x) for x in xs], **p)

    def permute(x, dims):
        return np.transpose(x, dims) if np.ndim(x) == len(dims) else refuse("dims")

    return {
        "cat": (
            lambda xs, dim: joined(np.concatenate)(xs, axis=dim),
            st.tuples(listed, st.fixed_dictionaries({"dim": st.sampled_from([0, -1])})),
        ),
        "concat": (joined(np.concatenate), st.tuples(listed, none)),
        "hstack": (joined(np.hstack), st.tuples(listed, none)),
        "vstack": (joined(np.vstack), st.tuples(listed, none)),
        "row_stack": (joined(np.vstack), st.tuples(listed, none)),
        "dstack": (joined(np.dstack), st.tuples(listed, none)),
        "column_stack": (joined(np.column_stack), st.tuples(listed, none)),
        "atleast_1d": (np.atleast_1d, st.tuples(one, none)),
        "atleast_2d": (np.atleast_2d, st.tuples(one, none)),
        "atleast_3d": (np.atleast_3d, st.tuples(one, none)),
        "ravel": (np.ravel, st.tuples(one, none)),
        "permute": (permute, st.tuples(one, st.fixed_dictionaries({"dims": st.sampled_from([(), (0,), (1, 0)])}))),
        "kron": (np.kron, st.tuples(two, none)),
    }
