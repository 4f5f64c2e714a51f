"""A step-by-step backward: ``ag.explain_backward(L)`` walks the reverse pass node by node.

Each step is one node, from the root down: its op, the local derivative rule of each input (from
``autograd_core/ops/rules.py``), the upstream gradient dL/d(node), and what the step adds to each
input's gradient. The walk uses the op registry's vjps and the engine's order and conforming, so
its totals are the gradients ``backward()`` gives; it changes no ``.grad`` and frees nothing, so
call it before (or instead of) ``backward()``. Shown as a table (terminal: ``print(trace)``;
Jupyter: ``_repr_html_``) and as a sequence of drawings where the gradient flows back one step per
frame: ``trace.frames()`` (graphs), ``trace.save("steps.html")`` (a page that plays them) or
``trace.save("steps.gif")`` (needs Pillow, which matplotlib brings).
"""

import html
import io

import numpy as np

from ..engine import _initial_grad, _toposort, conform_to
from ..errors import GraphError
from ..ops.rules import rule_for
from ..value import Value
from .canvas import Options, param_names
from .graph import draw_full
from .labels import HIDDEN, fmt_array, norm_text, shape_text
from .nodes import NodeView
from .rendering import pipe_source


def _num(a):
    """A gradient or value as text: its numbers when small, else shape and norm."""
    if a is None:
        return "-"
    text = fmt_array(a, 6)
    return text if text is not None else f"{shape_text(np.shape(a), np.asarray(a).dtype)} ‖·‖ {norm_text(a)}"


class Step:
    """One node of the backward pass: ``node`` (a Value), ``label``, ``op`` name, ``upstream``
    gradient, and ``inputs``: ``(label, rule, added)`` per input (``added`` None for a constant)."""

    def __init__(self, node, label, upstream, inputs):
        self.node, self.label, self.upstream, self.inputs = node, label, upstream, inputs
        self.op = node._op.name


class BackwardTrace:
    """The steps of one backward pass and the gradients it reached (see the module docstring).

    ``steps``: list of :class:`Step`, root first. ``grad(v)``: the total gradient of Value ``v``
    (what ``backward()`` would put in a leaf's ``.grad``), or None if none reached it.
    """

    def __init__(self, root, steps, totals, labels, snapshots):
        self.root, self.steps, self._totals, self._labels, self._snapshots = root, steps, totals, labels, snapshots

    def grad(self, v):
        """The total gradient that reached Value ``v`` in the traced backward (an ndarray), or None."""
        return self._totals.get(id(v))

    def label(self, v):
        """The short name the trace gives Value ``v`` (as in its table), or "?"."""
        return self._labels.get(id(v), "?")

    def rows(self):
        """The table as rows of strings: step, node, upstream, input, local rule, adds."""
        rows = []
        for k, s in enumerate(self.steps, 1):
            for j, (name, rule, added) in enumerate(s.inputs):
                first = j == 0
                rows.append(
                    [
                        str(k) if first else "",
                        s.label if first else "",
                        _num(s.upstream) if first else "",
                        name,
                        rule,
                        _num(added) if added is not None else "(constant: none)",
                    ]
                )
        return rows

    HEADER = ("step", "node", "upstream dL/dnode", "input", "local derivative", "adds to the input's gradient")

    def __str__(self):
        rows = [list(self.HEADER), *self.rows()]
        widths = [max(len(r[c]) for r in rows) for c in range(len(self.HEADER))]
        lines = [f"backward of {self.label(self.root)}: {len(self.steps)} steps, from the root to the leaves"]
        for i, r in enumerate(rows):
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        leaves = [(lab, g) for key, (lab, g) in self._leaf_totals().items()]
        if leaves:
            lines.append("totals: " + ", ".join(f"dL/d{lab} = {_num(g)}" for lab, g in leaves))
        return "\n".join(lines)

    def _leaf_totals(self):
        return {k: (self._labels[k], g) for k, g in self._totals.items() if k in self._leaves}

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.HEADER)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in self.rows())
        title = html.escape(f"backward of {self.label(self.root)}: {len(self.steps)} steps")
        return f"<p><b>{title}</b></p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self):
        return f"<BackwardTrace of {self.label(self.root)}: {len(self.steps)} steps>"

    # -- drawings ----------------------------------------------------------------------------------
    def frames(self, params=None, rankdir="LR", max_values=6):
        """One graph per moment: before any step (only the root's seed), then after each step.

        The node being worked on and the edges to its inputs are red; a node shows the gradient
        it has received so far, none before the gradient reaches it.
        """
        names, kinds = param_names(params)
        out = []
        for k in range(len(self.steps) + 1):
            known = self._snapshots[k]
            focus = self.steps[k - 1].node if k else None
            title = "start: dL/dL = 1" if k == 0 else f"step {k}: {self.steps[k - 1].label}"
            opts = Options(rankdir, None, True, max_values, True, title)
            out.append(draw_full(self.root, names, kinds, opts, overlay=_Overlay(known, focus, self._labels)))
        return out

    def save(self, path, params=None, rankdir="LR"):
        """Write the frames as an HTML page that plays them (``.html``) or an animated GIF (``.gif``)."""
        path = str(path)
        frames = self.frames(params, rankdir)
        if path.endswith(".html"):
            svgs = [pipe_source(f.source, "svg").decode("utf-8") for f in frames]
            with open(path, "w", encoding="utf-8") as f:
                f.write(_page(svgs, str(self)))
        elif path.endswith(".gif"):
            from PIL import Image  # Pillow comes with matplotlib (the demo extra)

            images = [Image.open(io.BytesIO(pipe_source(f.source, "png"))).convert("RGB") for f in frames]
            width = max(i.width for i in images)
            height = max(i.height for i in images)
            padded = []
            for im in images:
                canvas = Image.new("RGB", (width, height), "white")
                canvas.paste(im, (0, 0))
                padded.append(canvas)
            padded[0].save(path, save_all=True, append_images=padded[1:], duration=1200, loop=0)
        else:
            raise ValueError(f"BackwardTrace.save(): the path must end in .html or .gif, got {path!r}")
        return path


class _Overlay:
    """Frame styling for draw_full: gradients known so far, the focused node and its input edges."""

    def __init__(self, known, focus, labels):
        self.known, self.focus, self.labels = known, focus, labels

    def name(self, view):
        return self.labels.get(id(view.obj))

    def grad(self, view):
        g = self.known.get(id(view.obj))
        return HIDDEN if g is None else g

    def style(self, view):
        return {"color": "#d62728", "penwidth": "3"} if view.obj is self.focus else {}

    def op_style(self, view):
        return {"color": "#d62728", "penwidth": "3", "fillcolor": "#ffd0c8"} if view.obj is self.focus else {}

    def edge_style(self, view, i):
        return {"color": "#d62728", "penwidth": "2.5"} if view.obj is self.focus else {}


def _page(svgs, table):
    frames = "".join(
        f'<div class="frame" style="display:{"block" if i == 0 else "none"}">{s}</div>' for i, s in enumerate(svgs)
    )
    return f"""<!doctype html><meta charset="utf-8"><title>backward, step by step</title>
<style>body{{font-family:sans-serif}} pre{{font-size:12px}}</style>
<p><button onclick="go(-1)">&larr; back</button> <button onclick="go(1)">next &rarr;</button>
<button onclick="play()">play</button> <span id="pos"></span></p>
{frames}
<pre>{html.escape(table)}</pre>
<script>
var k = 0, f = document.querySelectorAll('.frame'), timer = null;
function show() {{ f.forEach(function (e, i) {{ e.style.display = i == k ? 'block' : 'none'; }});
  document.getElementById('pos').textContent = 'frame ' + (k + 1) + ' of ' + f.length; }}
function go(d) {{ k = Math.max(0, Math.min(f.length - 1, k + d)); show(); }}
function play() {{ clearInterval(timer); k = 0; show();
  timer = setInterval(function () {{ if (k >= f.length - 1) clearInterval(timer); else go(1); }}, 1200); }}
show();
</script>
"""


def _labels(order, root):
    """A readable name per node: its own name, else v1, v2, ... in forward order."""
    labels = {}
    n = 0
    for v in order:
        if v.name:
            labels[id(v)] = v.name
        else:
            n += 1
            labels[id(v)] = f"v{n}"
    labels.setdefault(id(root), root.name or "L")
    return labels


def _const_label(c):
    if isinstance(c, Value):
        return c.name or f"const {_num(c._data)}"
    return f"const {_num(c)}"


def explain_backward(root, grad=None):
    """Walk the backward pass of ``root`` step by step and return a :class:`BackwardTrace`.

    root: a Value that requires grad; grad: the seed (as for ``backward``; omitted for a scalar).
    Leaves ``.grad`` and the graph untouched (call ``backward()`` afterwards if you want both).

    Raises GraphError for a root that does not require grad or whose graph a plain ``backward()``
    already freed (explain first, or use ``backward(retain_graph=True)``), and whatever the
    engine raises for an op without a derivative or an input changed in place.
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain_backward() needs a Value, got {type(root).__name__}")
    if not root.requires_grad:
        raise GraphError("explain_backward() on a Value that does not require grad (no graph was recorded)")
    try:
        order = _toposort([root])
    except GraphError as err:
        raise GraphError(
            "explain_backward() needs the graph's saved arrays, which backward() freed: call it before "
            f"backward(), or run backward(retain_graph=True) first ({err})"
        ) from None
    labels = _labels(order, root)
    seed = _initial_grad(root, grad)
    pending = {id(root): seed}
    snapshots = [dict(pending)]
    steps = []
    for v in reversed(order):
        g = pending.get(id(v))
        if v._op is None or g is None:
            continue
        op = v._op
        inputs = []
        for i, p in enumerate(v._prev):
            rule = rule_for(op, i)
            if not (isinstance(p, Value) and p.requires_grad):
                inputs.append((_const_label(p), rule, None))
                continue
            gi = op.vjps[i](g, v._data, *v._saved, **v._params)
            gi = conform_to(np.asarray(gi._data if isinstance(gi, Value) else gi), p.shape, p.dtype, op.name, i)
            pending[id(p)] = pending[id(p)] + gi if id(p) in pending else gi
            inputs.append((labels.get(id(p), "?"), rule, gi))
        args = ", ".join(
            labels.get(id(p), _const_label(p)) if isinstance(p, Value) else _const_label(p) for p in v._prev
        )
        label = f"{labels[id(v)]} = {op.name}({args})"
        steps.append(Step(v, label, g, inputs))
        snapshots.append(dict(pending))
    trace = BackwardTrace(root, steps, pending, labels, snapshots)
    trace._leaves = {id(v) for v in order if v._op is None}
    return trace


__all__ = ["BackwardTrace", "Step", "explain_backward", "NodeView"]
