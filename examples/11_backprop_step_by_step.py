"""Lesson 11: backpropagation, one step at a time (the chain rule, node by node).

Claim: walking the graph backward from the loss, each node multiplies the gradient it received
(upstream, dL/dnode) by its local derivative (d(a*b)/da = b, dtanh(x)/dx = 1 - tanh²x, ...) and
adds the result into its inputs' gradients; the totals at the leaves are exactly what backward()
puts in .grad.

Measured: ag.explain_backward on micrograd's lecture expression (a=2, b=-3, c=10, e=a*b, d=e+c,
f=-2, L=d*f) and on one tanh neuron (micrograd's x1=2, x2=0, w1=-3, w2=1, b=6.88...): the table of
steps, each leaf's total against .grad after a plain backward(), and the lecture's known values
(dL/da = 6, dL/db = -4, dL/dc = -2, dL/df = 4).

Writes, per expression, an HTML page where the gradient flows back one step per frame (and an
animated GIF when Pillow is installed, as it is with matplotlib), plus the drawing after backward.
"""

import numpy as np
from _common import check_claim, make_parser

import autograd_core as ag
from autograd_core import Value


def lecture():
    """micrograd's lecture expression, each Value named as in the lecture."""
    a, b, c, f = Value(2.0, name="a"), Value(-3.0, name="b"), Value(10.0, name="c"), Value(-2.0, name="f")
    e = a * b
    e.name = "e"
    d = e + c
    d.name = "d"
    L = d * f
    L.name = "L"
    return L, {"a": a, "b": b, "c": c, "f": f}


def neuron():
    """micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, name="x1"), Value(0.0, name="x2")
    w1, w2 = Value(-3.0, name="w1"), Value(1.0, name="w2")
    b = Value(6.8813735870195432, name="b")
    n = x1 * w1 + x2 * w2 + b
    n.name = "n"
    o = n.tanh()
    o.name = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def _explain(build, name, out, files):
    root, leaves = build()
    trace = ag.explain_backward(root)  # walks the pass; .grad stays untouched
    print(trace)
    untouched = all(v.grad is None for v in leaves.values())
    explained = {k: float(trace.grad(v)) for k, v in leaves.items()}
    root.backward()  # the real thing
    actual = {k: float(v.grad) for k, v in leaves.items()}
    if out is not None:
        try:
            files.append(trace.save(f"{out}/11_{name}_steps.html"))
            files.append(ag.render(root, f"{out}/11_{name}_after_backward.svg"))
            files.append(trace.save(f"{out}/11_{name}_steps.gif"))
        except (ag.viz.RendererNotFoundError, ImportError) as err:  # no renderer, or no Pillow for the GIF
            print(f"  (skipped a drawing: {err})")
    return trace, explained, actual, untouched


def run(out="out"):
    files = []
    if out is not None:
        import os

        os.makedirs(out, exist_ok=True)
    t1, lec, lec_grad, untouched1 = _explain(lecture, "lecture", out, files)
    t2, neu, neu_grad, untouched2 = _explain(neuron, "neuron", out, files)
    known = {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0}
    o = np.tanh(2.0 * -3.0 + 6.8813735870195432)
    neuron_known = {"x1": (1 - o**2) * -3.0, "w1": (1 - o**2) * 2.0, "x2": (1 - o**2) * 1.0, "w2": 0.0, "b": 1 - o**2}
    holds = (
        untouched1
        and untouched2
        and all(np.isclose(lec[k], lec_grad[k]) and np.isclose(lec[k], known[k]) for k in known)
        and all(np.isclose(neu[k], neu_grad[k]) and np.isclose(neu[k], neuron_known[k]) for k in neuron_known)
        and [s.op for s in t1.steps] == ["mul", "add", "mul"]
    )
    return {
        "claim_holds": bool(holds),
        "lecture: explained dL/d(a, b, c, f)": [lec[k] for k in "abcf"],
        "lecture: .grad after backward()": [lec_grad[k] for k in "abcf"],
        "neuron: explained do/d(x1, w1, x2, w2, b)": [round(neu[k], 6) for k in ("x1", "w1", "x2", "w2", "b")],
        "neuron: .grad after backward()": [round(neu_grad[k], 6) for k in ("x1", "w1", "x2", "w2", "b")],
        "steps (lecture, neuron)": (len(t1.steps), len(t2.steps)),
        "_traces": (t1, t2),
        "files": files,
    }


def main(argv=None):
    a = make_parser(__doc__).parse_args(argv)
    res = run(out=a.out)
    return check_claim(res, "each step is upstream x local derivative; the leaves' totals are .grad")


if __name__ == "__main__":
    main()
