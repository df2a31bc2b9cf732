"""boto3-style dicts -> form bodies, for the boto3-compatible client of query and ec2.

Checked exactly as the JSON protocols check (:class:`._json_dicts.JsonDicts`, botocore's
``ParamValidator``: its statements are reused through its hooks) and written as botocore
1.43.67's ``QuerySerializer`` / ``EC2Serializer`` write the body: a ``{name: value}``
dict in the caller's order, encoded by :func:`awsgen_runtime.boto3_compat._xml.form_body`.

* ``_ci_X(v, e) -> dict``: a whole input (boto3's keyword arguments) -> its form pairs;
* ``_cs_X(v, p, e, w, d)`` (``_csf_X`` for a list or map a member flattens): value ``v``
  at validation path ``p`` checked, its pairs written into ``d`` under form name ``w``.

Names, as botocore writes them: a member is its ``locationName`` (member or target), else
its member name; nested names join with ``.``; a list is ``Name.member.N`` (the list
member's ``locationName`` instead of ``member``), a flattened list ``Name.N`` (the last
piece of the name replaced by the list member's ``locationName`` when it has one), an
empty list ``Name=``; a map ``Name.entry.N.key`` / ``.value`` (``Name.N.key`` flattened;
key and value names from their ``locationName``). ec2: a member is its ``queryName``,
else its ``locationName`` capitalized, else its member name as it is; a list is always
``Name.N`` and an empty list sends nothing. Timestamps ISO 8601 unless the model says
otherwise, booleans ``true``/``false``, blobs base64, non-finite floats by name.
"""

from __future__ import annotations

from collections.abc import Callable

from ..codegen import Code
from ..literals import pylit
from ..model.ir import Member, Shape
from ._json_dicts import VALUE, JsonDicts, check_list


class FormDicts(JsonDicts):
    default_timestamp = "iso8601"

    def __init__(self, shapes: dict[str, Shape], ec2: bool) -> None:
        super().__init__(shapes, rest=False)
        self.ec2 = ec2
        self.key = "''"  # form name expression of the value being written
        self._code = Code([])
        self.dest = "d"  # the dict the value's pairs go to
        self.forms: set[tuple[str, bool]] = set()

    # ----- botocore's names -------------------------------------------------------------
    def serialized_name(self, m: Member, default: str) -> str:
        name = m.location_name or self.shapes[m.target].location_name
        if not self.ec2:
            return name or default
        if m.query_name:
            return m.query_name
        return name[0].upper() + name[1:] if name else default

    def flattened(self, m: Member) -> bool:
        return m.flattened or self.shapes[m.target].flattened

    # ----- JsonDicts' hooks -------------------------------------------------------------
    def value(self, m: Member, x: str, path: str, target: str | None, code: Code, indent: int) -> None:
        self._code = code
        super().value(m, x, path, target, code, indent)

    def wire_scalar(self, t: str, x: str) -> str:
        if t == "boolean":
            return f"('true' if {x} else 'false')"
        if t in ("float", "double"):
            return f"_xr.q_float({x})"
        return x

    def member_target(self, m: Member) -> str:
        self.key = f"b + {pylit(self.serialized_name(m, m.name))}"
        return f"d[{self.key}] = {VALUE}"

    def nested(self, m: Member, x: str, path: str, put: Callable[[str, int], None], indent: int) -> None:
        shape = self.shapes[m.target]
        flat = shape.type in ("list", "map") and self.flattened(m) and not (self.ec2 and shape.type == "list")
        self.forms.add((shape.name, flat))
        self._code.add(indent, f"_cs{'f' if flat else ''}_{shape.name}({x}, {path}, e, {self.key}, {self.dest})")

    # ----- functions --------------------------------------------------------------------
    def ser_helpers(self) -> list[str]:
        out: list[str] = []
        done: set[tuple[str, bool]] = set()
        while self.forms - done:
            name, flat = sorted(self.forms - done)[0]
            done.add((name, flat))
            out.append(self._form_function(self.shapes[name], flat))
        return out

    def _form_function(self, shape: Shape, flat: bool) -> str:
        code = Code([])
        t = shape.type
        self.dest = "d" if t in ("structure", "union") else "q"
        if t in ("structure", "union"):
            code.add(1, "if not isinstance(v, dict):")
            code.add(2, "e.append(_c.bad_type(p, v, _c.DICT))")
            code.add(2, "return")
            code.add(1, "b = w + '.'")
            self.struct_body(shape, code)
            code.add(1, "q.update(d)")
        elif t == "list":
            assert shape.member is not None
            check_list(shape, code, "return")
            item = shape.member.location_name or self.shapes[shape.member.target].location_name
            if self.ec2:
                code.add(1, "b = w + '.'")
            else:
                code.add(1, "if not v:")
                code.add(2, "q[w] = ''")
                if not flat:
                    code.add(1, f"b = w + {pylit('.' + (item or 'member') + '.')}")
                elif item:  # botocore: the last piece of the name becomes the member's name
                    code.add(1, "b = w.rpartition('.')[0]")
                    code.add(1, f"b = (b + '.' if b else '') + {pylit(item + '.')}")
                else:
                    code.add(1, "b = w + '.'")
            code.add(1, "for i, x in enumerate(v, 1):")
            self.key = "b + str(i)"
            self.value(shape.member, "x", "p + '[' + str(i - 1) + ']'", f"q[b + str(i)] = {VALUE}", code, 2)
        else:  # map
            assert shape.key is not None and shape.value is not None
            code.add(1, "if not isinstance(v, dict):")
            code.add(2, "e.append(_c.bad_type(p, v, _c.DICT))")
            code.add(2, "return")
            code.add(1, "b = w + '.'" if flat else "b = w + '.entry.'")
            code.add(1, "for i, (k, x) in enumerate(v.items(), 1):")
            key = f"b + str(i) + {pylit('.' + self.serialized_name(shape.key, 'key'))}"
            self.key = key
            self.value(shape.key, "k", "p + ' (key: ' + str(k) + ')'", f"q[{key}] = {VALUE}", code, 2)
            key = f"b + str(i) + {pylit('.' + self.serialized_name(shape.value, 'value'))}"
            self.key = key
            self.value(shape.value, "x", "p + '.' + str(k)", f"q[{key}] = {VALUE}", code, 2)
        text = "\n".join(code.lines)
        return (f"def _cs{'f' if flat else ''}_{shape.name}(v: _t.Any, p: str, e: list[str], w: str, "
                "q: dict[str, _t.Any]) -> None:\n    y: _t.Any\n" + text)

    def input_function(self, shape: Shape, skip: frozenset[str]) -> str:
        """``_ci_X(v, e)``: boto3's keyword arguments -> the form pairs of the members."""
        code = Code([])
        code.add(1, "p = ''")
        code.add(1, "b = ''")
        self.dest = "d"
        self.struct_body(shape, code, skip)
        code.add(1, "return d")
        return (f"def _ci_{shape.name}(v: dict[str, _t.Any], e: list[str]) -> dict[str, _t.Any]:\n"
                "    y: _t.Any\n" + "\n".join(code.lines))
