"""Module-level drawings: ``draw_graph(loss, params=model, depth=1)`` draws each module as one box.

Every op recorded inside a module call remembers the call (``nn.Module.__call__`` opens a
:class:`~autograd_core.scope.named_scope`), so the drawing can group the nodes of one call into a
box named as the module prints (``0: Conv2d(1, 8, kernel_size=3, padding=1)``), with the input and
output shapes and, once backward ran, each parameter's gradient norm. ``depth`` counts module
levels below ``params``: 1 boxes its children, 2 their children (a leaf module stays one box),
0 the whole model. Ops outside any box (a loss computed by a function) are drawn as in the full
graph, and an array that entered a boxed call from outside (the input batch) becomes its own node,
even where convolution unfolded it before anything was recorded.
"""

from ..grad_alias import resolve  # a parameter behind a create_graph alias keeps its name
from .canvas import STYLE, new_graph, node_style, param_names
from .labels import const_label, escape_record, escape_text, norm_text, op_label, shape_text, value_fields
from .nodes import collect, is_node

BOX_STYLE = {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fe", "color": "#4a6fa5", "fontsize": "12"}
INPUT_STYLE = {"shape": "record", "style": "filled,bold", "fillcolor": "#d8ecff"}


def _module_table(params):
    if not (hasattr(params, "named_modules") and hasattr(params, "named_parameters")):
        raise TypeError(
            f"draw_graph(depth=...) needs a Module as params (anything with named_modules()), got {type(params).__name__}"
        )
    modules = {}
    for name, m in params.named_modules():
        modules.setdefault(id(m), (name, m))
    return modules


def _level(name):
    return 0 if name == "" else name.count(".") + 1


def _is_leaf_module(m):
    children = getattr(m, "children", None)
    return children is None or not any(True for _ in children())


def _box_scope(scope, modules, depth):
    """The module call (a Scope) whose box holds a node recorded in ``scope``, or None."""
    if scope is None:
        return None
    path = [s for s in scope.path() if id(s.label) in modules]
    if not path:
        return None
    for s in path:
        if _level(modules[id(s.label)][0]) == depth:
            return s
    deepest = path[-1]
    name, m = modules[id(deepest.label)]
    return deepest if _level(name) < depth and _is_leaf_module(m) else None


def _module_title(name, m):
    text = repr(m)
    if "\n" in text:
        text = f"{type(m).__name__}(...)"
    return f"{name}: {text}" if name else text


def _box_label(box, modules, outputs):
    name, m = modules[id(box.label)]
    lines = [_module_title(name, m)]
    ins = ", ".join(shape_text(s[0], s[1]).replace(" float", " f") for s in box.inputs) or "-"
    outs = ", ".join(shape_text(v.shape, v.dtype).replace(" float", " f") for v in outputs) or "-"
    lines.append(f"in {ins}  →  out {outs}")
    for pname, p in m.named_parameters() if hasattr(m, "named_parameters") else ():
        grad = p.grad
        shape = str(tuple(p.shape))
        lines.append(f"{pname} {shape}" + (f"  ‖grad‖ {norm_text(grad)}" if grad is not None else ""))
    return escape_text("\n".join(lines))


def _input_label(desc, horizontal):
    shape, dtype, _, name = desc
    fields = [escape_record(name or "input"), escape_record(shape_text(shape, dtype))]
    label = " | ".join(fields)
    return "{" + label + "}" if horizontal else label


def _param_hidden(pname, box, modules):
    """A parameter is drawn inside its module's box, not as a node of its own."""
    if box is None or pname is None:
        return False
    owner = pname.rsplit(".", 1)[0] if "." in pname else ""
    bname = modules[id(box.label)][0]
    return bname == "" or owner == bname or owner.startswith(bname + ".")


def draw_modules(root, params, depth, opts, graph_attr=None):
    """The module-level picture (see the module docstring); ``opts`` as for the full graph."""
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"draw_graph(): depth must be a non-negative integer or None, got {depth!r}")
    modules = _module_table(params)
    names, _ = param_names(params)
    views, index, _ = collect(root, None)
    boxes = [_box_scope(v.scope, modules, depth) for v in views]
    box_ids = {}
    for b in boxes:
        if b is not None and id(b) not in box_ids:
            box_ids[id(b)] = (f"box{len(box_ids)}", b)
    consumers = _consumers(views, index)
    hidden = _hidden_leaves(views, consumers, boxes, names, modules)

    g = new_graph(opts, graph_attr)
    for bid, box in box_ids.values():
        members = [k for k, b in enumerate(boxes) if b is box]
        outputs = [views[k] for k in members if k == 0 or any(boxes[c] is not box for c in consumers.get(k, ()))]
        g.node(bid, label=_box_label(box, modules, outputs), **BOX_STYLE)
        for j, desc in enumerate(box.inputs):
            if not desc[2]:  # an array from outside (the input batch), unseen by the recorded ops
                g.node(f"{bid}in{j}", label=_input_label(desc, opts.horizontal), **INPUT_STYLE)
                g.edge(f"{bid}in{j}", bid)
    for k, view in enumerate(views):
        if (boxes[k] is not None and k != 0) or k in hidden:
            continue
        title, style = node_style(view, k == 0, names)
        fields = value_fields(view, title, opts.show_values, opts.max_values, opts.show_grad)
        g.node(f"v{k}", label=opts.record(fields), **STYLE[style])
        if boxes[k] is not None:  # the root, made inside a module: its box points at it
            g.edge(box_ids[id(boxes[k])][0], f"v{k}")
        elif view.op is not None:
            g.node(f"op{k}", label=op_label(view), **STYLE["op"])
            g.edge(f"op{k}", f"v{k}")
    _draw_edges(g, views, index, boxes, box_ids, hidden, opts)
    g.truncated = False
    return g


def _consumers(views, index):
    out = {}
    for k, view in enumerate(views):
        for p in view.inputs or ():
            if is_node(p) and id(p) in index:
                out.setdefault(index[id(p)], []).append(k)
    return out


def _hidden_leaves(views, consumers, boxes, names, modules):
    """Leaves drawn inside boxes: parameters of the boxed module, and constants used only in boxes."""
    hidden = set()
    for k, view in enumerate(views):
        if view.op is not None or k == 0:
            continue
        users = consumers.get(k, [])
        if not users or any(boxes[c] is None for c in users):
            continue
        pname = names.get(id(resolve(view.obj)))
        if pname is None and not view.requires_grad:
            hidden.add(k)  # a constant inside modules (an unfolded image, a mask)
        elif all(_param_hidden(pname, boxes[c], modules) for c in users):
            hidden.add(k)
    return hidden


def _draw_edges(g, views, index, boxes, box_ids, hidden, opts):
    drawn = set()
    n_const = 0
    for k, view in enumerate(views):
        if view.op is None or view.inputs is None:
            continue
        target = box_ids[id(boxes[k])][0] if boxes[k] is not None else f"op{k}"
        for p in view.inputs:
            if is_node(p):
                j = index[id(p)]
                if j in hidden:
                    continue
                source = box_ids[id(boxes[j])][0] if boxes[j] is not None else f"v{j}"
            elif boxes[k] is not None:
                continue  # constants inside a box belong to it
            else:
                source = f"c{n_const}"
                n_const += 1
                label = const_label(p, opts.show_values, opts.max_values)
                g.node(source, label="{" + label + "}" if opts.horizontal else label, **STYLE["const"])
            if source == target or (source, target) in drawn:
                continue
            drawn.add((source, target))
            g.edge(source, target)
