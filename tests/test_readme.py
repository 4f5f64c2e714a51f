"""The READMEs are tests: every Python block is collected (by Sybil, from the root conftest.py), and
every file they point to exists. The blocks themselves run as ``README.md::line:N`` items."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "examples/README.md"]


@pytest.mark.parametrize("doc", DOCS)
def test_every_python_block_is_collected(doc):
    spec = importlib.util.spec_from_file_location("_root_conftest", ROOT / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    text = (ROOT / doc).read_text()
    openings = re.findall(r"^```(\w*)\n(?:.*?\n)?```$", text, flags=re.M | re.S)
    assert not {"py", "python3", "pycon"} & set(openings), "spell Python fences ```python so that they run"
    starts = [ex.region.start for ex in root_conftest.readme_sybil.parse(ROOT / doc)]
    for block in re.finditer(r"^```python\n.*?^```$", text, flags=re.M | re.S):
        line = text.count("\n", 0, block.start()) + 1
        assert any(block.start() <= s < block.end() for s in starts), f"{doc}: the block at line {line} is not run"


def test_pytest_collects_the_readmes():
    config = (ROOT / "pyproject.toml").read_text()
    testpaths = re.search(r"^testpaths = \[(.*)\]$", config, flags=re.M).group(1)
    assert all(f'"{doc}"' in testpaths for doc in DOCS)

    assert "loadgroup" in (ROOT / "conftest.py").read_text()  # one document's blocks stay on one xdist worker


@pytest.mark.parametrize("doc", DOCS)
def test_files_named_in_the_readme_exist(doc):
    text = (ROOT / doc).read_text()
    links = re.findall(r"\]\(([^)#\s]+)\)", text)
    paths = re.findall(r"`([\w./-]+\.(?:md|py|toml))`", text)
    names = {p.name for p in ROOT.rglob("*") if ".git" not in p.parts}

    def exists(p):  # from the root, from the document's folder, or a bare file name found in the tree
        return (ROOT / p).exists() or (ROOT / Path(doc).parent / p).exists() or ("/" not in p and p in names)

    missing = [p for p in links + paths if "://" not in p and not exists(p)]
    assert not missing, f"{doc} names files that are not in the repository: {missing}"
