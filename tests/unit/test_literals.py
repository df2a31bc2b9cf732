"""Model text reaches code only as safe literals and docstrings."""

from __future__ import annotations

import ast

import pytest

from generator.literals import comment, docstring, plain_text, pylit

HOSTILE = ['a"""b', "x\\", "{{ 7*7 }}", "{% raw %}", "'''", '"', "\\N{BULLET}", "\x00nul", "\u2028sep",
           "__import__('os').system('true')", '"""; import os; """', "end with quote\""]


@pytest.mark.parametrize("text", HOSTILE)
def test_pylit_round_trips_as_a_plain_constant(text: str) -> None:
    node = ast.parse(pylit(text), mode="eval").body
    assert isinstance(node, ast.Constant) and node.value == text


def test_pylit_containers_and_special_floats() -> None:
    value = {"k": [1, 2.5, None, True, "s"], "n": ("t",)}
    assert ast.literal_eval(pylit(value)) == value
    assert pylit(float("nan")) == "float('nan')"


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_never_ends_its_literal(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n    return 1\n'
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 2
    assert isinstance(func.body[0].value, ast.Constant)


def test_html_documentation_becomes_readable_text() -> None:
    html = ('<p>Creates a <code>thing</code> &amp; more.</p> <ul> <li> <p>First</p> </li> '
            '<li> <p><a href="https://x">Second</a></p> </li> </ul>')
    assert plain_text(html) == "Creates a thing & more.\n\n- First\n\n- Second"


def test_comment_text_cannot_break_the_line() -> None:
    assert "\n" not in comment("a\nb\r\nc\u2028d")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list('"\\\'{}%#\n ab<>&;')), max_size=40))
def test_any_text_stays_inside_its_docstring(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n    return 1\n'
    func = ast.parse(source).body[0]
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 2


def test_fold_strings_merges_adjacent_literals_only() -> None:
    from generator.codegen import fold_strings, fold_validation_line

    assert fold_strings("p + '.a' + ': x ' + str(n)") == "p + '.a: x ' + str(n)"
    assert fold_strings("p + '[' + str(i) + ']' + ': bad'") == "p + '[' + str(i) + ']: bad'"
    assert fold_strings("'\"' + '\\\\'") == repr('"\\')
    assert fold_validation_line("    _val_X(x, p + '.a' + '[' + str(i) + ']', e)") == "    _val_X(x, p + '.a[' + str(i) + ']', e)"
