"""The full drawing: one record per node, one oval per op, built in named steps.

``draw_graph(root)`` walks the graph from ``root`` without recursion (breadth first, so a cap keeps
the nodes nearest the output) and returns a :class:`Graph` (a ``graphviz.Digraph``). Records
generalise micrograd's ``data | grad``: name, shape and dtype, plus the numbers themselves for small
tensors. After a plain ``backward()`` the drawing is the same, read from what backward left
(``autograd_core/skeleton.py``): big tensors show their shape only, small ones their data and the
gradient that flowed through them. Parameters are named from a dict or from anything with
``named_parameters()`` (a Module: duck-typed, the engine never imports ``nn``), with one cluster per
submodule; ``depth=`` collapses modules into boxes instead (``modules.py``).
"""

from ..grad_alias import resolve  # a parameter behind a create_graph alias keeps its name
from ..value import Value
from .canvas import STYLE, Options, new_graph, node_style, param_names
from .labels import const_label, escape_text, op_label, value_fields
from .modules import draw_modules
from .nodes import collect, count_nodes, is_node
from .rendering import render_source

FREED_NOTE = "inputs not kept: backward sent no gradient here and freed them"
_COMMUTATIVE = {"add", "mul", "maximum", "minimum"}


def draw_values(g, views, names, opts, overlay=None):
    """One record per node; parameters go into their submodule's cluster. Returns the clusters."""
    clustered = {}
    for k, view in enumerate(views):
        title, style = node_style(view, k == 0, names, overlay.name(view) if overlay else None)
        grad = overlay.grad(view) if overlay else None
        label = opts.record(value_fields(view, title, opts.show_values, opts.max_values, opts.show_grad, grad))
        attrs = dict(STYLE[style], **(overlay.style(view) if overlay else {}))
        name = names.get(id(resolve(view.obj)))
        if name is not None and "." in name:
            clustered.setdefault(name.rsplit(".", 1)[0], []).append((f"v{k}", label, attrs))
        else:
            g.node(f"v{k}", label=label, **attrs)
    return clustered


def draw_ops(g, views, index, opts, overlay=None):
    """One oval per op, an edge to its output and one from each input (constants drawn inline).

    Returns True when some input was left out by the cap (edges then come from the "more" note).
    """
    n_const = 0
    more = False
    for k, view in enumerate(views):
        if view.is_leaf:
            continue
        oid = f"op{k}"
        g.node(oid, label=op_label(view), **dict(STYLE["op"], **(overlay.op_style(view) if overlay else {})))
        g.edge(oid, f"v{k}")
        if view.freed_inputs:
            g.node(f"freed{k}", label=escape_text(FREED_NOTE), **STYLE["freed"])
            g.edge(f"freed{k}", oid, style="dashed", color="#cc0000")
            continue
        labelled = len(view.inputs) > 1 and view.op.name not in _COMMUTATIVE
        for i, p in enumerate(view.inputs):
            edge = {"label": str(i), "fontsize": "9", "fontcolor": "#777777"} if labelled else {}
            if overlay:
                edge.update(overlay.edge_style(view, i))
            if is_node(p):
                if id(p) in index:
                    g.edge(f"v{index[id(p)]}", oid, **edge)
                else:
                    more = True
                    g.edge("more", oid, style="dashed", **edge)
            else:
                cid = f"c{n_const}"
                n_const += 1
                label = const_label(p, opts.show_values, opts.max_values)
                g.node(cid, label="{" + label + "}" if opts.horizontal else label, **STYLE["const"])
                g.edge(cid, oid, style="dashed", **edge)
    return more


def add_clusters(g, clustered, kinds):
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
            for vid, label, attrs in clustered.get(key, ()):
                c.node(vid, label=label, **attrs)
            for k, sub in children.items():
                emit(c, k, sub)

    for key, children in tree.items():
        emit(g, key, children)


def note_truncation(g, root, shown, max_nodes):
    """Add a note to ``g`` saying how many of the graph's nodes (from ``root``) were left out beyond ``max_nodes``."""
    total = count_nodes(root, 10_000_000)
    g.node(
        "more",
        label=escape_text(
            f"graph truncated: showing {shown} of {total:,} values (max_nodes={max_nodes}); "
            "pass max_nodes=None (or a larger cap) to draw all"
        ),
        **STYLE["more"],
    )


def draw_full(root, names, kinds, opts, graph_attr=None, overlay=None):
    """The full graph in four steps: collect the nodes, draw records, draw ops and edges, clusters."""
    views, index, cut = collect(root, opts.max_nodes)
    g = new_graph(opts, graph_attr)
    clustered = draw_values(g, views, names, opts, overlay)
    draw_ops(g, views, index, opts, overlay)
    add_clusters(g, clustered, kinds)
    if cut:
        note_truncation(g, root, len(views), opts.max_nodes)
    g.truncated = cut
    return g


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
    *,
    depth=None,
):
    """Draw the graph that produced ``root`` as a :class:`Graph` (a ``graphviz.Digraph``).

    Works before and after ``backward()``: after a plain backward every node still shows, with the
    gradient that flowed through it (numbers for tensors of at most ``max_values`` elements).

    params: dict name -> Value, or a Module (anything with ``named_parameters()``), to name
        parameters and group them in one cluster per submodule.
    depth: with a Module as ``params``, collapse each submodule ``depth`` levels below it into one
        box named as the module prints, with input and output shapes and each parameter's
        gradient norm (0: the whole model; None, the default: the full graph). See ``modules.py``.
    rankdir: "LR", "RL", "TB" or "BT".
    max_nodes: the most nodes drawn (the nearest to root); the rest is cut with a note. None: no cap.
    show_values / max_values: print data (and grad, if show_grad) of tensors with at most max_values elements.

    Raises TypeError for a root that is not a Value (or, with depth, params that are not a Module),
    ValueError for a bad rankdir, max_nodes or depth.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph() needs a Value, got {type(root).__name__}")
    opts = Options(rankdir, max_nodes, show_values, max_values, show_grad, title)
    if depth is not None:
        return draw_modules(root, params, depth, opts, graph_attr)
    names, kinds = param_names(params)
    return draw_full(root, names, kinds, opts, graph_attr)


def draw_dot(root, format="svg", rankdir="LR", **kwargs):  # noqa: A002 (micrograd's name)
    """micrograd's ``draw_dot(root, format='svg', rankdir='LR')``: :func:`draw_graph` (its other keywords
    too) whose returned graph renders as ``format`` (graphviz's ``Digraph.format``: svg, png, pdf...)."""
    graph = draw_graph(root, rankdir=rankdir, **kwargs)
    graph.format = format
    return graph


def render(graph_or_value, path, format=None, **draw_kwargs):  # noqa: A002 (graphviz's name)
    """Write a drawing to ``path`` as svg, png, pdf or dot (from ``format`` or the suffix); return the path.

    ``graph_or_value``: a graph from :func:`draw_graph` or a Value (drawn with ``draw_kwargs``).
    Renders with the system's Graphviz ``dot`` or else ``graphviz-pure``; without either it writes
    the DOT source next to ``path`` and raises :class:`RendererNotFoundError` (one line).
    """
    if isinstance(graph_or_value, Value):
        graph = draw_graph(graph_or_value, **draw_kwargs)
    elif hasattr(graph_or_value, "source"):
        graph = graph_or_value
    else:
        raise TypeError(f"render() needs a Value or a graphviz graph, got {type(graph_or_value).__name__}")
    return render_source(graph, path, format)
