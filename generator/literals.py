"""The one path by which model text becomes code.

Every string that comes from a model and lands in generated source goes through
:func:`pylit` (a Python literal) or :func:`docstring` (the body of a docstring).
Neither can produce text that closes its literal early, so no model text can
inject code.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any


def pylit(value: Any) -> str:
    """A Python literal for a JSON-like value: ``repr`` for scalars, recursing into containers.

    ``repr`` of str, int, float, bool and None is always a valid literal with no
    side effects; containers are rebuilt from those.
    """
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(pylit(v) for v in value)
        return f"({inner},)" if isinstance(value, tuple) and len(value) == 1 else (
            f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pylit(k)}: {pylit(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {type(value).__name__}")


class _TextExtractor(HTMLParser):
    """HTML documentation -> plain text paragraphs, list items as '- ' lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def _at_item_start(self) -> bool:
        """True right after a list-item marker, where a paragraph must not break the line."""
        text = "".join(self.parts[-4:])
        return re.search(r"\n- [ \t]*$", text) is not None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self._at_item_start():
            return
        if tag in ("p", "ul", "ol", "br", "note", "important", "dl"):
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("dt", "dd"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol", "note", "important"):
            self.parts.append("\n\n")
        elif tag == "p":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(doc: str) -> str:
    """Readable plain text of the model's HTML documentation."""
    if not doc:
        return ""
    parser = _TextExtractor()
    try:
        parser.feed(doc)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # malformed HTML still yields its text
        text = html.unescape(re.sub(r"<[^>]*>", " ", doc))
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in block.split("\n")]
        block_text = "\n".join(ln for ln in lines if ln)
        if block_text:
            paragraphs.append(block_text)
    return "\n\n".join(paragraphs)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def docstring(doc: str, indent: str = "    ", width: int = 84) -> str:
    """A safe docstring body: plain text, wrapped, with quotes and backslashes neutralised.

    Returned without the surrounding triple quotes. Backslashes are doubled and any
    double quote becomes an escaped quote, so the text can never end the literal.
    """
    import textwrap

    doc = _CONTROL.sub(" ", doc)
    text = plain_text(doc) if "<" in doc or "&" in doc else doc.strip()
    out: list[str] = []
    for para in text.split("\n\n"):
        for line in para.split("\n"):
            prefix = "- " if line.startswith("- ") else ""
            body = line[len(prefix):]
            wrapped = textwrap.wrap(body, width=width - len(indent), break_long_words=False,
                                    break_on_hyphens=False) or [""]
            out.append(prefix + wrapped[0])
            out.extend(("  " if prefix else "") + w for w in wrapped[1:])
        out.append("")
    while out and not out[-1]:
        out.pop()
    safe = "\n".join(out).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if safe.endswith('"') and _unescaped_at_end(safe):
        safe = safe[:-1] + '\\"'
    if safe.startswith('"'):
        safe = '\\"' + safe[1:]
    return safe.replace("\n", "\n" + indent).replace(indent + "\n", "\n")


def _unescaped_at_end(text: str) -> bool:
    """Whether the last character is not escaped (preceded by an even run of backslashes)."""
    run = len(text) - 1 - len(text[:-1].rstrip("\\"))
    return run % 2 == 0


def comment(text: str) -> str:
    """Text for a single ``#`` comment line: no newlines can escape it."""
    return "".join(c if c.isprintable() else " " for c in text)
