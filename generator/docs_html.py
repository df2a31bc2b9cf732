"""Model text as HTML for the API reference: documentation sanitized, type annotations linked.

The models' documentation is HTML written for AWS's own sites, often unbalanced
(``<p>`` never closed, a stray ``</p>``) and holding text such as ``arn:aws:iam::<account>``.
It is treated as untrusted: a small allow-list of tags is kept, with no attributes but
an ``a``'s ``href`` when it is ``http(s)://`` or ``mailto:`` (AWS's site-relative links,
``/general/latest/...``, are made absolute on docs.aws.amazon.com; others lose the link,
keep the text); the DocBook-like tags models use (``note``, ``important``,
``replaceable``...) become their HTML equivalents; any other tag, ``<script>`` among
them, is shown as the text it is, escaped. Comments and declarations are dropped. The
output is balanced: every element opened is closed, end tags with nothing to close are
dropped, and a paragraph is closed before a block starts inside it, as a browser would.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable

# model tag -> (HTML tag, class)
_TAGS: dict[str, tuple[str, str]] = {
    **{t: (t, "") for t in ("p", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "b", "strong", "i",
                            "em", "u", "sup", "sub", "var", "table", "thead", "tbody", "tr", "th", "td",
                            "a", "br", "blockquote")},
    **{f"h{n}": ("h4", "") for n in range(1, 7)},
    "note": ("div", "note"),
    "important": ("div", "important"),
    "fullname": ("p", "fullname"),
    "para": ("p", ""),
    "emphasis": ("em", ""),
    "replaceable": ("var", ""),
    "filename": ("code", ""),
    "ulink": ("a", ""),
}
# Wrappers some models put around their text: the tag goes, the content stays.
_UNWRAP = frozenset({"zonbook", "xhtml", "link"})
_VOID = frozenset({"br"})
_BLOCK = frozenset({"p", "ul", "ol", "dl", "div", "pre", "table", "blockquote", "h4"})
_INLINE = frozenset({"code", "b", "strong", "i", "em", "u", "sup", "sub", "var", "a"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AWS_DOCS = "https://docs.aws.amazon.com"


def safe_href(url: str | None) -> str | None:
    """The link a documentation ``href`` may keep, or None (its text is kept alone)."""
    url = (url or "").strip()
    if url.lower().startswith(("https://", "http://", "mailto:")):
        return url
    if url.startswith("/") and not url.startswith("//"):
        return AWS_DOCS + url
    return None


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[tuple[str, str]] = []  # (model tag, HTML tag written; "" for none)

    def _close_from(self, index: int) -> None:
        while len(self.open) > index:
            _, written = self.open.pop()
            if written:
                self.out.append(f"</{written}>")

    def _close_paragraph(self) -> None:
        """A block inside an open paragraph closes it (and the inline elements in it)."""
        for i in range(len(self.open) - 1, -1, -1):
            written = self.open[i][1]
            if written == "p":
                self._close_from(i)
                return
            if written and written not in _INLINE:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNWRAP:
            return
        spec = _TAGS.get(tag)
        if spec is None:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))
            return
        written, cls = spec
        if written in _BLOCK:
            self._close_paragraph()
        extra = f' class="{cls}"' if cls else ""
        if written == "a":
            for i, (_, w) in enumerate(self.open):
                if w == "a":  # links do not nest
                    self._close_from(i)
                    break
            href = safe_href(dict(attrs).get("url" if tag == "ulink" else "href"))
            if href is None:
                self.open.append((tag, ""))
                return
            extra = f' href="{html.escape(href, quote=True)}"'
        self.out.append(f"<{written}{extra}>")
        if written not in _VOID:
            self.open.append((tag, written))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _TAGS and _TAGS[tag][0] not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNWRAP:
            return
        if tag not in _TAGS:
            self.out.append(html.escape(f"</{tag}>"))
            return
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                self._close_from(i)
                return
        # nothing of that name is open: a stray end tag, dropped

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def sanitize(doc: str) -> str:
    """Safe, balanced HTML for a model's documentation string."""
    if not doc:
        return ""
    parser = _Sanitizer()
    parser.feed(_CONTROL.sub(" ", doc))
    parser.close()
    parser._close_from(0)
    return "".join(parser.out).strip()


_TYPE_TOKEN = re.compile(r"_shapes\.([A-Za-z_][A-Za-z0-9_]*)|\b_(?:t|dt|rt|b|abc)\.")


def type_html(annotation: str, link: Callable[[str], str | None]) -> str:
    """A generated annotation (``_t.Mapping[str, _shapes.AttributeValue] | None``) as HTML:
    module prefixes dropped, each shape class linked to ``link(class_name)`` when it has a page."""
    out: list[str] = []
    pos = 0
    for m in _TYPE_TOKEN.finditer(annotation):
        out.append(html.escape(annotation[pos:m.start()]))
        name = m.group(1)
        if name:
            href = link(name)
            out.append(f'<a href="{html.escape(href, quote=True)}">{name}</a>' if href else html.escape(name))
        pos = m.end()
    out.append(html.escape(annotation[pos:]))
    return "".join(out)


def plain_type(annotation: str) -> str:
    """The annotation as a reader writes it (``Mapping[str, AttributeValue] | None``)."""
    return html.unescape(re.sub(r"<[^>]+>", "", type_html(annotation, lambda _: None)))
