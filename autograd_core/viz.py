"""Graphviz drawings of a computation graph: one record per Value, one oval per op.

``draw_graph(root)`` walks the graph from ``root`` without recursion (breadth first, so a cap keeps
the nodes nearest the output) and returns a ``graphviz.Digraph``. Records generalise micrograd's
``data | grad``: name, shape and dtype, plus the numbers themselves for small tensors. Parameters
are named from a dict or from anything with ``named_parameters()`` (a Module: duck-typed, the
engine never imports ``nn``), with one cluster per dotted-name prefix (per submodule).
``render(graph_or_value, path)`` writes SVG/PNG/PDF with Graphviz's ``dot``; without ``dot`` it
writes the DOT source and raises :class:`DotNotFoundError` saying what to install.
"""

import os
import shutil
from collections import deque

import graphviz
import numpy as np

from .errors import AutogradError
from .value import Value

__all__ = ["DotNotFoundError", "draw_graph", "render"]

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH. Install Debian's `graphviz` package "
    "(sudo apt-get install graphviz; macOS: brew install graphviz; conda: conda install -c conda-forge graphviz)"
)
FREED_NOTE = "graph freed by backward; use retain_graph=True"
_COMMUTATIVE = {"add", "mul", "maximum", "minimum"}

STYLE = {
    "value": {"shape": "record", "style": "filled", "fillcolor": "white"},
    "leaf": {"shape": "record", "style": "filled", "fillcolor": "#d8ecff"},
    "param": {"shape": "record", "style": "filled", "fillcolor": "#cdeccd"},
    "const": {"shape": "record", "style": "filled,dashed", "fillcolor": "#f0f0f0", "fontcolor": "#555555"},
    "root": {"shape": "record", "style": "filled,bold", "fillcolor": "#ffe4b5", "penwidth": "2"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff7c2", "fontsize": "11"},
    "freed": {"shape": "note", "style": "filled", "fillcolor": "#ffd6d6", "fontsize": "10"},
    "more": {"shape": "note", "style": "filled", "fillcolor": "#ffd6d6", "fontsize": "11"},
}


class DotNotFoundError(AutogradError, RuntimeError):
    """Rendering needs Graphviz's ``dot`` executable and it is not installed."""


class Graph(graphviz.Digraph):
    """A Digraph whose Jupyter reprs degrade to None (plain text) when ``dot`` is missing."""

    def _repr_image_svg_xml(self):
        try:
            return super()._repr_image_svg_xml()
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError):
            return None

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            bundle = super()._repr_mimebundle_(include, exclude, **kwargs)
        except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, OSError):
            bundle = {}
        bundle = {k: v for k, v in bundle.items() if v is not None}
        return bundle or {"text/plain": self.source}


_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '\\{}|<>"'})


def escape_record(text):
    """Escape a string for a record label field (``\\ { } | < > "`` are special there); newlines too."""
    return str(text).translate(_RECORD_SPECIAL).replace("\n", "\\n")


def escape_text(text):
    """Escape a string for an ordinary (non-record) label: backslashes and quotes."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _fmt_array(a, max_values):
    a = np.asarray(a)
    if a.size > max_values:
        return None
    if a.ndim == 0:
        x = a.item()
        return f"{x:.4g}" if isinstance(x, float) else str(x)
    return np.array2string(a, precision=4, separator=", ", suppress_small=True).replace("\n", "")


def _shape_text(a):
    a = np.asarray(a)
    shape = "scalar" if a.ndim == 0 else "(" + ", ".join(map(str, a.shape)) + ")"
    return f"{shape} {a.dtype}"


def _param_names(params):
    """id(Value) -> dotted name, from a dict, an iterable of pairs, or an object with named_parameters()."""
    if params is None:
        return {}, {}
    kinds = {}
    if hasattr(params, "named_parameters"):
        if hasattr(params, "named_modules"):
            for name, mod in params.named_modules():
                kinds[name] = type(mod).__name__
        pairs = params.named_parameters()
    elif isinstance(params, dict):
        pairs = params.items()
    else:
        pairs = params
    names = {}
    for name, p in pairs:
        if isinstance(p, Value):
            names.setdefault(id(p), str(name))
    return names, kinds


def _count(root, limit):
    """Values reachable from root, counting at most ``limit`` (iterative)."""
    seen = {id(root)}
    stack = [root]
    while stack and len(seen) < limit:
        v = stack.pop()
        for p in v._prev or ():
            if isinstance(p, Value) and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def _ctx_text(ctx):
    if not ctx:
        return ""
    parts = []
    for k, v in ctx.items():
        if v is None or v is False:  # defaults (axis=None, keepdims=False) only add noise
            continue
        if isinstance(v, np.ndarray):
            v = f"array{v.shape}" if v.size > 4 else v.tolist()
        text = repr(v)
        parts.append(f"{k}={text if len(text) <= 24 else text[:21] + '...'}")
    return "\n" + ", ".join(parts) if parts else ""


def draw_graph(
    root,
    params=None,
    rankdir="LR",
    max_nodes=500,
    show_values=True,
    max_values=6,
    show_grad=True,
    title=None,
    graph_attr=None,
):
    """Draw the graph that produced ``root`` as a ``graphviz.Digraph`` (records for Values, ovals for ops).

    params: dict name -> Value, or a Module (anything with ``named_parameters()``), to name parameters
        and group them in one cluster per submodule.
    rankdir: "LR", "RL", "TB" or "BT".
    max_nodes: the most Values drawn (the nearest to root); the rest is cut with a note. None: no cap.
    show_values / max_values: print data (and grad, if show_grad) of tensors with at most max_values elements.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph() needs a Value, got {type(root).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph(): rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"draw_graph(): max_nodes must be a positive integer or None, got {max_nodes!r}")
    names, kinds = _param_names(params)
    attrs = {"rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.35"}
    if title:
        attrs.update(label=escape_text(title), labelloc="t", fontsize="16")
    attrs.update(graph_attr or {})
    g = Graph(name="autograd", graph_attr=attrs, node_attr={"fontname": "Helvetica", "fontsize": "11"})
    g.attr("edge", color="#555555", arrowsize="0.7")
    horizontal = rankdir in ("LR", "RL")  # record fields: braces flip them to lie side by side

    # Breadth-first from the root: the first max_nodes Values found are drawn.
    ids = {id(root): "v0"}
    order = [root]
    queue = deque([root])
    cut = False
    while queue:
        v = queue.popleft()
        for p in v._prev or ():
            if isinstance(p, Value) and id(p) not in ids:
                if max_nodes is not None and len(order) >= max_nodes:
                    cut = True
                    continue
                ids[id(p)] = f"v{len(order)}"
                order.append(p)
                queue.append(p)

    clustered = {}  # module prefix -> list of (node id, label, style)
    more_id = None
    n_const = 0
    for v in order:
        vid = ids[id(v)]
        label, style = _value_label(v, v is root, names, show_values, max_values, show_grad)
        label = "{" + label + "}" if horizontal else label
        name = names.get(id(v))
        if name is not None and "." in name:
            clustered.setdefault(name.rsplit(".", 1)[0], []).append((vid, label, style))
        else:
            g.node(vid, label=label, **STYLE[style])
        if v._op is None:
            continue
        oid = "op" + vid[1:]
        g.node(oid, label=escape_text(v._op.name + _ctx_text(v._ctx)), **STYLE["op"])
        g.edge(oid, vid)
        if v._prev is None:
            fid = "freed" + vid[1:]
            g.node(fid, label=escape_text(FREED_NOTE), **STYLE["freed"])
            g.edge(fid, oid, style="dashed", color="#cc0000")
            continue
        labelled = len(v._prev) > 1 and v._op.name not in _COMMUTATIVE
        for i, p in enumerate(v._prev):
            elabel = {"label": str(i), "fontsize": "9", "fontcolor": "#777777"} if labelled else {}
            if isinstance(p, Value):
                if id(p) in ids:
                    g.edge(ids[id(p)], oid, **elabel)
                else:
                    if more_id is None:
                        more_id = "more"
                    g.edge(more_id, oid, style="dashed", **elabel)
            else:
                cid = f"c{n_const}"
                n_const += 1
                clabel = _const_label(p, show_values, max_values)
                g.node(cid, label="{" + clabel + "}" if horizontal else clabel, **STYLE["const"])
                g.edge(cid, oid, style="dashed", **elabel)
    _add_clusters(g, clustered, kinds)
    if cut:
        total = _count(root, 10_000_000)
        g.node(
            more_id or "more",
            label=escape_text(
                f"graph truncated: showing {len(order)} of {total:,} values (max_nodes={max_nodes}); "
                "pass max_nodes=None (or a larger cap) to draw all"
            ),
            **STYLE["more"],
        )
    g.truncated = cut
    return g


def _value_label(v, is_root, names, show_values, max_values, show_grad):
    name = names.get(id(v))
    if name is not None:
        style, title = "param", name
    elif v._op is None:
        style = "leaf" if v.requires_grad else "const"
        title = v.name or ("leaf" if v.requires_grad else "constant")
    else:
        style, title = "value", v.name or ""
    if is_root:
        style = "root"
        title = (title + " (root)").strip() if title else "root"
    fields = [escape_record(title)] if title else []
    fields.append(escape_record(_shape_text(v._data)))
    if show_values:
        data = _fmt_array(v._data, max_values)
        if data is not None:
            fields.append(escape_record("data " + data))
            if show_grad and v.grad is not None:
                fields.append(escape_record("grad " + _fmt_array(v.grad, max_values)))
    return " | ".join(fields), style


def _const_label(c, show_values, max_values):
    data = _fmt_array(c, max_values) if show_values else None
    if data is not None and np.ndim(c) == 0:
        return escape_record(f"const {data}")
    fields = ["const", escape_record(_shape_text(c))]
    if data is not None:
        fields.append(escape_record("data " + data))
    return " | ".join(fields)


def _add_clusters(g, clustered, kinds):
    """Nest one ``cluster_<prefix>`` subgraph per dotted-name prefix (per submodule)."""
    tree = {}
    for prefix in clustered:
        node = tree
        parts = prefix.split(".")
        for k in range(1, len(parts) + 1):
            node = node.setdefault(".".join(parts[:k]), {})

    def emit(parent, key, children):
        # An explicit stack would be overkill: depth is the module nesting depth, not the graph size.
        with parent.subgraph(name="cluster_" + key.replace(".", "_")) as c:
            kind = kinds.get(key)
            c.attr(label=escape_text(f"{key} ({kind})" if kind else key), style="rounded,dashed", color="#6a9a6a")
            c.attr(fontsize="10", fontcolor="#3a6a3a")
            for vid, label, style in clustered.get(key, ()):
                c.node(vid, label=label, **STYLE[style])
            for k, sub in children.items():
                emit(c, k, sub)

    for key, children in tree.items():
        emit(g, key, children)


def _source(graph_or_value, **kwargs):
    if isinstance(graph_or_value, Value):
        return draw_graph(graph_or_value, **kwargs)
    if isinstance(graph_or_value, graphviz.Digraph | graphviz.Graph):
        return graph_or_value
    raise TypeError(f"render() needs a Value or a graphviz graph, got {type(graph_or_value).__name__}")


def render(graph_or_value, path, format=None, **draw_kwargs):  # noqa: A002 (graphviz's name)
    """Write the drawing to ``path`` as svg, png or pdf (from ``format`` or the file suffix); return the path.

    Without ``dot`` the DOT source is written next to it (``path`` with suffix ``.dot``) and
    :class:`DotNotFoundError` says how to install Graphviz.
    """
    graph = _source(graph_or_value, **draw_kwargs)
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    fmt = format or ext[1:].lower() or "svg"
    if not ext:
        path = f"{path}.{fmt}"
    if fmt not in ("svg", "png", "pdf", "dot", "gv"):
        raise ValueError(f"render(): format must be 'svg', 'png', 'pdf' or 'dot', got {fmt!r}")
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    if fmt in ("dot", "gv"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(graph.source)
        return path
    if shutil.which("dot") is None:
        dot_path = (stem if ext else path) + ".dot"
        with open(dot_path, "w", encoding="utf-8") as f:
            f.write(graph.source)
        raise DotNotFoundError(
            f"{INSTALL_HINT}. The DOT source was written to {dot_path}; "
            f"render it later with: dot -T{fmt} {dot_path} -o {path}"
        )
    try:
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as err:  # raced with PATH changes
        raise DotNotFoundError(INSTALL_HINT) from err
    with open(path, "wb") as f:
        f.write(data)
    return path
