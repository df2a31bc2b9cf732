"""The API reference (``python -m generator docs``): built for the manifest's packages into a
temporary folder, then checked as a reader's browser would meet it: every internal link
and anchor resolves (a link checker over html.parser), tags are balanced, ids unique, the
search index finds every operation and points at real anchors, model documentation cannot
inject markup or script, output is byte-for-byte the same on a second build (another
hash seed), and every operation's example compiles, names its required arguments and
passes the generated client's own validation."""

from __future__ import annotations

import ast
import html
import inspect
import json
import os
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.cli import main
from generator.docs import MARKER
from generator.docs_html import sanitize
from generator.manifest import load_manifest

REPO = Path(__file__).resolve().parent.parent
MANIFEST = load_manifest(REPO / "models" / "manifest.yaml")
BUILD_SECONDS_LIMIT = 30.0
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_EXTERNAL = ("http", "https", "mailto")


class _Page(HTMLParser):
    """One page's links, ids and tag-balance problems."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int]] = []  # (href or src, line)
        self.ids: list[str] = []
        self.stack: list[tuple[str, int]] = []
        self.problems: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.code: list[str] = []  # text of <pre class="example"><code>
        self._in_example = False

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.elements.append((tag, found))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        for key in ("href", "src"):
            if key in found:
                self.links.append((found[key] or "", self.getpos()[0]))
        if tag == "pre" and "example" in (found.get("class") or "").split():
            self._in_example = True
            self.code.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag not in _VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_example = False
        if not self.stack or self.stack[-1][0] != tag:
            top = self.stack[-1] if self.stack else ("nothing", 0)
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes <{top[0]}> of line {top[1]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_example:
            self.code[-1] += data


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    page.problems += [f"<{tag}> of line {line} never closed" for tag, line in page.stack]
    return page


def build(out: Path, *args: str) -> int:
    return main(["docs", "--out", str(out), *args])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("docs") / "site"
    started = time.perf_counter()
    assert build(out) == 0
    return out, time.perf_counter() - started


@pytest.fixture(scope="module")
def pages(site: tuple[Path, float]) -> dict[Path, _Page]:
    root = site[0]
    return {p: parse(p) for p in sorted(root.rglob("*.html"))}


def _resolve(root: Path, page: Path, href: str, pages: dict[Path, _Page]) -> str | None:
    """What is wrong with an internal link, or None."""
    parts = urlsplit(href)
    if parts.scheme in _EXTERNAL:
        return None
    if parts.scheme or parts.netloc:
        return "not a relative link"
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if root.resolve() not in target.parents and target != root.resolve():
        return "leaves the site"
    if not target.is_file():
        return "no such file"
    if parts.fragment:
        ids = pages[target].ids if target in pages else parse(target).ids
        if unquote(parts.fragment) not in ids:
            return f"no id {parts.fragment!r} in {target.name}"
    return None


def test_build_of_the_manifest_is_fast(site: tuple[Path, float]) -> None:
    root, seconds = site
    print(f"docs for {len(MANIFEST.services)} services: {seconds:.2f} s")
    assert seconds < BUILD_SECONDS_LIMIT
    for entry in MANIFEST.services:
        assert (root / entry.distribution / "index.html").is_file()
    assert (root / MARKER).is_file() and (root / "assets" / "search.js").is_file()


def test_every_internal_link_resolves(site: tuple[Path, float], pages: dict[Path, _Page]) -> None:
    root = site[0].resolve()
    by_path = {p.resolve(): v for p, v in pages.items()}
    broken = []
    checked = 0
    for path, page in pages.items():
        for href, line in page.links:
            checked += 1
            problem = _resolve(root, path.resolve(), href, by_path)
            if problem:
                broken.append(f"{path.relative_to(root)}:{line}: {href}: {problem}")
    assert not broken, "\n".join(broken[:40])
    assert checked > 10_000  # every page links to its service, shapes, errors...


def test_pages_are_well_formed_with_unique_ids(pages: dict[Path, _Page]) -> None:
    problems = []
    for path, page in pages.items():
        problems += [f"{path.name}: {p}" for p in page.problems]
        duplicated = {i for i in page.ids if page.ids.count(i) > 1}
        if duplicated:
            problems.append(f"{path.name}: ids used twice: {sorted(duplicated)}")
    assert not problems, "\n".join(problems[:40])


def test_no_script_but_ours_and_no_event_handlers(pages: dict[Path, _Page]) -> None:
    for path, page in pages.items():
        scripts = [a.get("src") or "" for tag, a in page.elements if tag == "script"]
        assert all(src.endswith("assets/search.js") for src in scripts) and len(scripts) == 1, path
        for tag, attrs in page.elements:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert not (attrs.get("href") or "").strip().lower().startswith("javascript:"), (path, tag)


def test_search_index_lists_every_operation_and_its_anchors_resolve(
        site: tuple[Path, float], pages: dict[Path, _Page]) -> None:
    root = site[0].resolve()
    index = json.loads((root / "search-index.json").read_text(encoding="utf-8"))
    script = (root / "search-index.js").read_text(encoding="utf-8")
    assert script == f"window.AWSGEN_SEARCH_INDEX = {json.dumps(index, separators=(',', ':'))};\n"
    at = {name: i for i, name in enumerate(index["fields"])}
    listed = {(e[at["service"]], e[at["context"]]) for e in index["entries"] if e[at["kind"]] == "operation"}
    for entry in MANIFEST.services:
        model = json.loads(entry.model.read_text(encoding="utf-8"))
        service_id = model["metadata"]["serviceId"]
        missing = {name for name in model["operations"] if (service_id, name) not in listed}
        assert not missing, (entry.name, missing)
    kinds = {e[at["kind"]] for e in index["entries"]}
    assert kinds == {"operation", "parameter", "shape", "field", "enum", "error", "paginator", "waiter"}
    by_path = {p.resolve(): v for p, v in pages.items()}
    for e in index["entries"]:
        problem = _resolve(root, root / "index.html", e[at["href"]], by_path)
        assert problem is None, (e, problem)


def _example_calls(pages: dict[Path, _Page]) -> list[tuple[Path, str]]:
    return [(p, html.unescape(page.code[-1])) for p, page in pages.items()
            if p.parent.name == "operations" and page.code]


def test_every_example_compiles_and_names_exactly_the_required_arguments(pages: dict[Path, _Page]) -> None:
    examples = _example_calls(pages)
    assert len(examples) == sum(
        len(json.loads(e.model.read_text(encoding="utf-8"))["operations"]) for e in MANIFEST.services)
    with_required = 0
    for path, code in examples:
        tree = ast.parse(code)
        compile(code, str(path), "exec")
        package = next(n.module for n in tree.body if isinstance(n, ast.ImportFrom))
        client = __import__(package).Client
        method = path.stem
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr == method]
        assert len(calls) == 1, (path, code)
        required = {name for name, p in inspect.signature(getattr(client, method)).parameters.items()
                    if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        assert {k.arg for k in calls[0].keywords} == required, path
        with_required += bool(required)
    assert with_required > 50


class _Sent(Exception):
    pass


class _Refuse:
    """A transport that sends nothing: reaching it means the arguments passed validation."""

    def send(self, request: object, *, stream: bool = False) -> object:
        raise _Sent()


def test_every_example_passes_the_generated_validation(pages: dict[Path, _Page]) -> None:
    from awsgen_runtime.sigv4 import Credentials

    for path, code in _example_calls(pages):
        runnable = code.replace('Client(region="us-east-1")',
                                'Client(region="us-east-1", transport=_Refuse(), credentials=_CREDENTIALS)')
        assert runnable != code
        with pytest.raises(_Sent):
            exec(compile(runnable, str(path), "exec"),
                 {"_Refuse": _Refuse, "_CREDENTIALS": Credentials("AKIDEXAMPLE", "secret")})


def test_constructor_arguments_are_the_generated_clients(pages: dict[Path, _Page]) -> None:
    for entry in MANIFEST.services:
        page = next(v for p, v in pages.items() if p.parent.name == entry.distribution and p.name == "index.html")
        documented = [i.removeprefix("client-") for i in page.ids if i.startswith("client-")]
        init = inspect.signature(__import__(entry.package).Client.__init__).parameters
        assert documented == [n for n in init if n != "self"], entry.name


def test_model_documentation_cannot_inject_markup() -> None:
    evil = ('<p onclick="steal()">Hi <b onmouseover="x()">there</b></p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">link</a><img src=x onerror="alert(3)"><style>body{}</style>')
    out = sanitize(evil)
    assert "<script" not in out and "onclick" not in out and "onmouseover" not in out
    assert "javascript:" not in out and "<img" not in out and "<style" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out  # shown as the text it is
    assert out.startswith("<p>Hi <b>there</b></p>")
    assert sanitize("<p>open <code>x") == "<p>open <code>x</code></p>"  # balanced
    assert sanitize("a</p>b") == "ab"
    assert sanitize('<a href="/general/latest/gr/rande.html">r</a>') == \
        '<a href="https://docs.aws.amazon.com/general/latest/gr/rande.html">r</a>'
    assert sanitize("arn:aws:iam::<account>:role") == "arn:aws:iam::&lt;account&gt;:role"


def test_model_documentation_with_script_is_escaped_in_the_built_page(tmp_path: Path) -> None:
    folder = tmp_path / "sso"
    shutil.copytree(REPO / "models" / "sso", folder)
    model = json.loads((folder / "service-2.json").read_text(encoding="utf-8"))
    model["operations"]["ListAccounts"]["documentation"] = (
        '<p onclick="steal()">Lists.</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>')
    (folder / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    assert build(tmp_path / "out", "--model", str(folder / "service-2.json")) == 0
    page_path = tmp_path / "out" / "aws-sso" / "operations" / "list_accounts.html"
    text = page_path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<p>Lists.</p>" in text
    page = parse(page_path)
    assert not page.problems
    assert [a.get("src") for tag, a in page.elements if tag == "script"] == ["../../assets/search.js"]
    assert not any(name.startswith("on") for _, attrs in page.elements for name in attrs)


def test_two_builds_are_byte_identical(site: tuple[Path, float], tmp_path: Path) -> None:
    """The second build runs in another interpreter with another hash seed."""
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-m", "generator", "docs", "--out", str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    first, second = site[0], out

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_a_bad_model_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert build(out, "--model", str(REPO / "tests" / "broken_models" / "invalid_json.json")) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert not out.exists()
    # an earlier build stays as it was
    assert build(out, "--only", "sso") == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert build(out, "--model", str(REPO / "tests" / "broken_models" / "missing_metadata.json")) == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_only_selects_services_and_a_foreign_folder_is_not_replaced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert build(out, "--only", "sts", "sso") == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["assets", "aws-sso", "aws-sts"]
    assert build(out, "--only", "nope") == 2
    assert "nope" in capsys.readouterr().err
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert build(mine, "--only", "sso") == 2
    assert "refusing" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_search_script_finds_names_in_both_spellings(site: tuple[Path, float]) -> None:
    root = site[0]
    program = """
const s = require(process.argv[1]);
const index = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const out = {};
for (const q of ["get_item", "GetItem", "get item", "attributevalue", "table_name", "zzzz nothing"]) {
  out[q] = s.search(index, q, 5).map(h => [h.name, h.kind, h.href]);
}
console.log(JSON.stringify(out));
"""
    done = subprocess.run(["node", "-e", program, str(root / "assets" / "search.js"),
                           str(root / "search-index.json")], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    for query in ("get_item", "GetItem", "get item"):
        assert found[query][0] == ["get_item", "operation", "aws-dynamodb/operations/get_item.html"], query
    assert found["attributevalue"][0][:2] == ["AttributeValue", "shape"]
    assert found["table_name"][0][:2] == ["table_name", "parameter"]
    assert found["zzzz nothing"] == []
