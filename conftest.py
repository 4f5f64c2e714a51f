"""Runs the Python code blocks of README.md and examples/README.md as tests (Sybil).

A block whose first line starts with ``>>>`` is a doctest: its shown outputs are compared (with
ELLIPSIS and NORMALIZE_WHITESPACE). Any other ``python`` block runs as code and must not raise.
Blocks of one document share a namespace and run in order, each document in a fresh temporary
directory (so files they write stay out of the repository); every block of a document is given the
same ``xdist_group``, and ``pytest -n 2`` schedules by group (``--dist loadgroup``, set below), so a
document stays on one worker.
"""

import doctest

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser


@pytest.fixture(scope="module")
def _readme_tmpdir(tmp_path_factory):
    """Run one README in its own temporary working directory with a fixed random seed; ops it
    registers (its custom-op examples) leave the registry afterwards, so later tests never see them."""
    import os

    import autograd_core as ag
    import nn

    old, ops = os.getcwd(), dict(ag.REGISTRY)
    os.chdir(tmp_path_factory.mktemp("readme"))
    nn.init.manual_seed(0)
    yield
    os.chdir(old)
    ag.REGISTRY.clear()
    ag.REGISTRY.update(ops)


readme_sybil = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["README.md"],
    fixtures=["_readme_tmpdir"],
)
pytest_collect_file = readme_sybil.pytest()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if type(item).__module__.startswith("sybil"):
            item.add_marker(pytest.mark.xdist_group(str(item.path)))


def pytest_configure(config):
    """Under xdist's default ``load`` scheduling, schedule by ``xdist_group`` instead (others run as before).

    The controller switches to ``loadgroup``; each worker, which parses the command line afresh, is
    told through its workerinput to suffix grouped node ids (what ``--dist loadgroup`` does there).
    """
    config.addinivalue_line("markers", "xdist_group(name): run on one xdist worker with the rest of its group")
    if getattr(config.option, "dist", None) == "load":
        config.option.dist = "loadgroup"
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and workerinput.get("readme_loadgroup"):
        config.option.loadgroup = True


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["readme_loadgroup"] = node.config.option.dist == "loadgroup"
