"""What every drawing shares: node styles, options, parameter names, a new graph, a node's title."""

from ..grad_alias import resolve  # a parameter behind a create_graph alias keeps its name
from ..value import Value
from .labels import escape_text
from .rendering import Graph

STYLE = {
    "value": {"shape": "record", "style": "filled", "fillcolor": "white"},
    "leaf": {"shape": "record", "style": "filled", "fillcolor": "#d8ecff"},
    "param": {"shape": "record", "style": "filled", "fillcolor": "#cdeccd"},
    "const": {"shape": "record", "style": "filled,dashed", "fillcolor": "#f0f0f0", "fontcolor": "#555555"},
    "root": {"shape": "record", "style": "filled,bold", "fillcolor": "#ffe4b5", "penwidth": "2"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#fff7c2", "fontsize": "11"},
    "freed": {"shape": "note", "style": "filled", "fillcolor": "#ffd6d6", "fontsize": "10"},
    "more": {"shape": "note", "style": "filled", "fillcolor": "#ffd6d6", "fontsize": "11"},
    "focus": {"color": "#d62728", "penwidth": "3"},
}


class Options:
    """The drawing options shared by the steps (and by the step-by-step backward's frames)."""

    def __init__(self, rankdir="LR", max_nodes=500, show_values=True, max_values=6, show_grad=True, title=None):
        if rankdir not in ("LR", "RL", "TB", "BT"):
            raise ValueError(f"draw_graph(): rankdir must be 'LR', 'RL', 'TB' or 'BT', got {rankdir!r}")
        if max_nodes is not None and max_nodes < 1:
            raise ValueError(f"draw_graph(): max_nodes must be a positive integer or None, got {max_nodes!r}")
        self.rankdir, self.max_nodes, self.title = rankdir, max_nodes, title
        self.show_values, self.max_values, self.show_grad = show_values, max_values, show_grad
        self.horizontal = rankdir in ("LR", "RL")  # record fields: braces flip them to lie side by side

    def record(self, fields):
        """A Graphviz record label from ``fields`` (strings), laid out across when ``horizontal``."""
        label = " | ".join(fields)
        return "{" + label + "}" if self.horizontal else label


def param_names(params):
    """(id(Value) -> dotted name, module name -> class name) from a dict, pairs or a Module."""
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


def new_graph(opts, graph_attr=None):
    """An empty :class:`Graph` with the drawing's direction, font, spacing and title from ``opts``."""
    attrs = {"rankdir": opts.rankdir, "fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.35"}
    if opts.title:
        attrs.update(label=escape_text(opts.title), labelloc="t", fontsize="16")
    attrs.update(graph_attr or {})
    g = Graph(name="autograd", graph_attr=attrs, node_attr={"fontname": "Helvetica", "fontsize": "11"})
    g.attr("edge", color="#555555", arrowsize="0.7")
    return g


def node_style(view, is_root, names, fallback=None):
    """(title, style) of a node's record: parameter, leaf, constant, interior value or root.

    ``fallback`` names a node that has no name of its own (the step-by-step backward's v1, v2, ...).
    """
    name = names.get(id(resolve(view.obj)))
    if name is not None:
        style, title = "param", name
    elif view.is_leaf:
        style = "leaf" if view.requires_grad else "const"
        title = view.name or fallback or ("leaf" if view.requires_grad else "constant")
    else:
        style, title = "value", view.name or fallback or ""
    if is_root:
        style = "root"
        title = (title + " (root)").strip() if title else "root"
    return title, style
