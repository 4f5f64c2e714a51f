"""Turning DOT source into SVG/PNG/PDF: the system's Graphviz ``dot`` first, then ``graphviz-pure``.

``graphviz-pure`` (PyPI, the ``demo`` and ``test`` extras) is a self-contained Rust port of
Graphviz 16.1 with wheels for Linux, macOS and Windows: ``pip install`` is all a fresh machine
needs. We checked that its SVG for our drawings is byte-for-byte what upstream Graphviz 16.1
writes (compiled to WebAssembly) and that its PNGs match the system ``dot``'s layout. The system
``dot`` stays the first choice where present. Without either, :func:`render` writes the DOT
source next to the target and raises :class:`RendererNotFoundError` with one line saying what to
install; Jupyter falls back to the DOT text.
"""

import os
import shutil
import subprocess
import sysconfig

import graphviz

from ..errors import AutogradError

INSTALL_HINT = "no Graphviz renderer found: pip install graphviz-pure (or install Graphviz: apt-get install graphviz)"
FORMATS = ("svg", "png", "pdf")


class RendererNotFoundError(AutogradError, RuntimeError):
    """Rendering needs Graphviz's ``dot`` or ``graphviz-pure`` and neither is installed."""


DotNotFoundError = RendererNotFoundError  # the name before graphviz-pure was an option


def find_renderer():
    """Path of the program that renders DOT: the system ``dot``, else ``graphviz-pure``, else None.

    ``graphviz-pure`` is looked up on PATH and next to the running Python's scripts (a virtual
    environment that was not activated).
    """
    dot = shutil.which("dot")
    if dot:
        return dot
    pure = shutil.which("graphviz-pure")
    if pure:
        return pure
    candidate = os.path.join(sysconfig.get_path("scripts"), "graphviz-pure" + (".exe" if os.name == "nt" else ""))
    return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None


def pipe_source(source, fmt):
    """Render DOT ``source`` (str) to ``fmt`` ('svg', 'png' or 'pdf') and return the bytes."""
    program = find_renderer()
    if program is None:
        raise RendererNotFoundError(INSTALL_HINT)
    done = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        raise AutogradError(f"{os.path.basename(program)} failed to render ({fmt}): {first}")
    return done.stdout


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders through :func:`find_renderer`'s program.

    In Jupyter it shows as SVG; without a renderer it shows its DOT text instead of raising.
    """

    def pipe(self, format=None, *args, encoding=None, **kwargs):  # noqa: A002 (graphviz's name)
        data = pipe_source(self.source, format or "svg")
        return data.decode(encoding) if encoding else data

    def _repr_image_svg_xml(self):
        try:
            return self.pipe(format="svg", encoding="utf-8")
        except (RendererNotFoundError, AutogradError, OSError):
            return None

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        svg = self._repr_image_svg_xml()
        return {"image/svg+xml": svg} if svg is not None else {"text/plain": self.source}


def render_source(graph, path, format=None):  # noqa: A002 (graphviz's name)
    """Write ``graph`` (a graphviz graph) to ``path`` as svg, png, pdf or dot; return the path."""
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    fmt = format or ext[1:].lower() or "svg"
    if not ext:
        path = f"{path}.{fmt}"
    if fmt not in (*FORMATS, "dot", "gv"):
        raise ValueError(f"render(): format must be 'svg', 'png', 'pdf' or 'dot', got {fmt!r}")
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    if fmt in ("dot", "gv"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(graph.source)
        return path
    try:
        data = pipe_source(graph.source, fmt)
    except RendererNotFoundError:
        dot_path = (stem if ext else path) + ".dot"
        with open(dot_path, "w", encoding="utf-8") as f:
            f.write(graph.source)
        raise RendererNotFoundError(f"{INSTALL_HINT}; wrote the DOT source to {dot_path} instead") from None
    with open(path, "wb") as f:
        f.write(data)
    return path
