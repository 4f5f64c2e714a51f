"""Test-wide settings: hypothesis profiles.

- ``dev`` (the default): 25 examples, a fresh random seed each run, so local runs keep exploring;
- ``ci`` (set by ``.ci/run``): the same 25 examples, derandomized, so a landing is reproducible;
  a failure any run finds is fixed and its falsifying example kept as a test;
- ``deep``: 500 random examples, for a long search (``HYPOTHESIS_PROFILE=deep``).
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=_QUIET, derandomize=True)
settings.register_profile("deep", max_examples=500, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _svg_nodes(svg):
    """The nodes of an SVG that Graphviz rendered, top to bottom: (node name, text shown) pairs."""
    import html
    import re

    nodes = []
    for name, body in re.findall(r'<g id="node\d+" class="node">\s*<title>(.*?)</title>(.*?)</g>', svg, flags=re.S):
        texts = re.findall(r'<text[^>]* y="([-\d.]+)"[^>]*>(.*?)</text>', body, flags=re.S)
        top = min(float(y) for y, _ in texts) if texts else 0.0
        nodes.append((top, html.unescape(name), " ".join(html.unescape(t) for _, t in texts)))
    return [(name, text) for _, name, text in sorted(nodes, key=lambda n: n[0])]


@pytest.fixture
def svg_nodes():
    """Parse a rendered SVG into its nodes in reading order (see _svg_nodes)."""
    return _svg_nodes


@pytest.fixture
def no_renderer(monkeypatch):
    """A machine without Graphviz: neither `dot` nor graphviz-pure is found."""
    from autograd_core.viz import rendering

    monkeypatch.setattr(rendering, "find_renderer", lambda: None)
