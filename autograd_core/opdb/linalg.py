"""Op database entries: linear algebra (matmul, tensordot, einsum) and the fused linear layer primitive."""

import autograd_core as ag

from .draw import arrays, broadcastable_shapes, shapes, st
from .info import OpInfo, torch
from .samples import uniform


def _matmul_inputs(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    kind = draw(st.sampled_from(["1x1", "1xN", "Nx1", "2x2", "batched"]))
    ba, bb = draw(broadcastable_shapes(2, max_dims=2, max_side=3)) if kind == "batched" else ((), ())
    sa = {"1x1": (k,), "1xN": (k,), "Nx1": (*ba, n, k)}.get(kind, (*ba, n, k))
    sb = {"1x1": (k,), "Nx1": (k,)}.get(kind, (*bb, k, m))
    if kind == "1xN":
        sb = (*draw(shapes(0, 2, max_side=2)), k, m)
    return [draw(arrays(sa)), draw(arrays(sb))], {}


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


EINSUM_SPECS = [
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


def _einsum_inputs(draw):
    spec = draw(st.sampled_from(EINSUM_SPECS))
    sizes = {c: draw(st.integers(1, 3)) for c in "abcdefghijklmnopqrstuvwxyz"}
    ell = draw(shapes(0, 2, max_side=2))
    shps = []
    for part in spec.split("->")[0].split(","):
        head, _, tail = part.partition("...")
        s = tuple(sizes[c] for c in head) + (ell if "..." in part else ()) + tuple(sizes[c] for c in tail)
        if spec == "ij,ij->ij" and not shps:  # broadcasting of a size-1 labelled dim
            s = (1, s[1]) if draw(st.booleans()) else s
        shps.append(s)
    return [draw(arrays(s)) for s in shps], {"subscripts": spec}


def _linear_inputs(bias):
    """Draw function: x (*batch, in), weight (out, in) and, with ``bias``, bias (out,)."""

    def inputs(draw):
        batch = draw(shapes(0, 2, max_side=3))
        n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        xs = [draw(arrays((*batch, n_in))), draw(arrays((n_out, n_in)))]
        if bias:
            xs.append(draw(arrays((n_out,))))
        return xs, {}

    return inputs


ENTRIES = [
    OpInfo(
        "matmul",
        lambda a, b: a @ b,
        sample=([uniform(2, 3, 4), uniform(4, 2)], {}),
        inputs=_matmul_inputs,
        torch="matmul",
    ),
    OpInfo(
        "tensordot",
        ag.tensordot,
        sample=([uniform(2, 3, 4), uniform(3, 4, 2)], {"axes": ([1, 2], [0, 1])}),
        inputs=_tensordot_inputs,
        torch=lambda a, b, axes: torch.tensordot(a, b, dims=axes),
    ),
    OpInfo(
        "einsum",
        lambda *xs, subscripts: ag.einsum(subscripts, *xs),
        sample=([uniform(2, 3, 4), uniform(4, 2)], {"subscripts": "bij,jk->bik"}),
        inputs=_einsum_inputs,
        torch=lambda *xs, subscripts: torch.einsum(subscripts, *xs),
    ),
    OpInfo(
        "linear",
        ag.linear,
        sample=([uniform(3, 4), uniform(2, 4), uniform(2)], {}),
        inputs=_linear_inputs(bias=True),
        torch="nn.functional.linear",
    ),
    OpInfo(
        "linear_nobias",
        ag.linear,
        sample=([uniform(3, 4), uniform(2, 4)], {}),
        inputs=_linear_inputs(bias=False),
        torch="nn.functional.linear",
    ),
]
