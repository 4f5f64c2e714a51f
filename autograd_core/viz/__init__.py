"""Drawings of computation graphs: the full graph (``graph.py``), modules as boxes
(``modules.py``), and rendering with the system's Graphviz or ``graphviz-pure`` (``rendering.py``)."""

from .canvas import STYLE
from .explain import BackwardTrace, explain_backward
from .graph import FREED_NOTE, draw_dot, draw_graph, render
from .labels import escape_record, escape_text
from .rendering import DotNotFoundError, Graph, RendererNotFoundError, find_renderer

__all__ = [
    "BackwardTrace",
    "explain_backward",
    "FREED_NOTE",
    "STYLE",
    "DotNotFoundError",
    "Graph",
    "RendererNotFoundError",
    "draw_dot",
    "draw_graph",
    "escape_record",
    "escape_text",
    "find_renderer",
    "render",
]
