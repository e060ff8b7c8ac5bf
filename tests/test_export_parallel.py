"""The shared machinery that makes exports fast: work on every core, XML built in parts, zips
written in pieces. Each must give exactly what the plain, serial way gives."""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path

import pytest
from jinja2 import Environment
from lxml import etree
from markupsafe import Markup

from qbank.errors import QbankError
from qbank.export import lms, parallel
from qbank.export.base import ExportBank
from qbank.export.output import zip_bytes, zip_in_order
from qbank.export.page import render_with_data, script_json, script_json_with_list
from qbank.export.qti_html import _content, _fragment, flow
from qbank.export.xml_parts import Mould, PartedDocument, stamped, xml_bytes
from tests.conftest import Runner
from tests.export_support import (
    HOSTILE_ID,
    HOSTILE_YAML,
    UNUSUAL_ID,
    UNUSUAL_YAML,
    add_question,
)
from tests.lms_support import add_questions

FORMATS = ["anki", "json", "jsonl", "moodle", "qti", "qti12", "html", "print", "gift", "aiken"]
FORMATS.append("csv")


def _export_all(qbank: Runner, folder: str) -> dict[str, bytes]:
    written = {}
    for format_name in FORMATS:
        out = Path(folder) / f"bank.{format_name}"
        result = qbank("export", "--format", format_name, "--out", str(out), "--force")
        assert result.code == 0, result.err
        written[format_name] = out.read_bytes()
    return written


def test_every_format_writes_the_same_bytes_on_every_core_as_on_one(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_questions(bank)  # images, several answers, `]]>`, non-ASCII
    add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 10**9)
    serial = _export_all(qbank, "serial")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "MAX_WORKERS", 3)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)  # more workers than one core has
    assert parallel.worker_count(9) == 3
    assert _export_all(qbank, "parallel") == serial


def _square(number: int) -> int:
    if number == 13:
        raise QbankError("13 is refused")
    return number * number


def test_ordered_map_keeps_order_and_raises_the_first_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    numbers = list(range(12))
    assert parallel.ordered_map(_square, numbers) == [n * n for n in numbers]
    with pytest.raises(QbankError, match="13 is refused"):
        parallel.ordered_map(_square, list(range(40)))
    # Lazily: the first results are handed out, the error comes when its turn comes.
    results = parallel.ordered_results(_square, list(range(20)))
    assert [next(results) for _ in range(3)] == [0, 1, 4]
    with pytest.raises(QbankError):
        list(results)


def test_ranges_cover_every_item_once_in_order() -> None:
    for count in (1, 7, 8, 9, 1000):
        bounds = parallel._ranges(count, 8)
        assert [i for start, stop in bounds for i in range(start, stop)] == list(range(count))
        sizes = {stop - start for start, stop in bounds}
        assert max(sizes) - min(sizes) <= 1


NS = "urn:example:outer"


def _shell() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}root", nsmap={None: NS, "x": "urn:example:x"}, version="1")
    etree.SubElement(root, f"{{{NS}}}before").text = "fixed"
    holder = etree.SubElement(etree.SubElement(root, f"{{{NS}}}middle"), f"{{{NS}}}holder")
    etree.SubElement(root, f"{{{NS}}}after")
    return root, holder


def _parts(number: int) -> list[etree._Element]:
    item = etree.Element(f"{{{NS}}}item", ident=f"i{number}")
    etree.SubElement(item, f"{{{NS}}}text").text = etree.CDATA(f"<p>{number} ]]&gt; &</p>")
    etree.SubElement(item, "{urn:example:x}note").text = "a\nb < c"
    mixed = etree.SubElement(item, f"{{{NS}}}mixed")
    mixed.text = "words "
    etree.SubElement(mixed, f"{{{NS}}}b").tail = " more"
    extra = [etree.Element(f"{{{NS}}}category")] if number % 3 == 0 else []
    return [*extra, item]


def _add_parts(holder: etree._Element, number: int) -> None:
    holder.extend(_parts(number))


def test_parted_document_is_the_whole_tree_serialized() -> None:
    whole_root, whole_holder = _shell()
    for number in range(7):
        whole_holder.extend(_parts(number))
    root, holder = _shell()
    document = PartedDocument(root, holder)
    parts = [document.part(functools.partial(_add_parts, number=n)) for n in range(7)]
    assert document.document(parts) == xml_bytes(whole_root)
    assert b"".join(document.chunks(iter(parts))) == xml_bytes(whole_root)
    empty_root, _ = _shell()
    assert PartedDocument(*_shell()).document([]) == xml_bytes(empty_root)


def test_mould_fills_what_building_would_build() -> None:
    def build(values: Mapping[str, str]) -> etree._Element:
        root = etree.Element(f"{{{NS}}}item", ident=values["id"], label=f"{values['id']}-A")
        etree.SubElement(root, f"{{{NS}}}stem").text = values["stem"]
        etree.SubElement(root, f"{{{NS}}}fixed", kind="same").text = "always"
        etree.SubElement(root, f"{{{NS}}}ref").text = f"{values['id']}_fb {values['id']}"
        return root

    mould = Mould(build, ["id", "stem"])
    cases = [{"id": "q1", "stem": "a < b & c"}, {"id": "x-2", "stem": ""}]
    cases.append({"id": "q1", "stem": "z"})
    for values in cases:  # each use sets every value again: nothing of the last one is left
        with mould.filled(values) as tree:
            assert etree.tostring(tree) == etree.tostring(build(values))
    with mould.filled(cases[0]), pytest.raises(RuntimeError), mould.filled(cases[1]):
        pass  # lent once at a time


def test_stamped_returns_a_new_copy_each_time() -> None:
    built = []

    @stamped
    def frame(kind: str) -> etree._Element:
        built.append(kind)
        return etree.Element("frame", kind=kind)

    first, second = frame("a"), frame("a")
    first.set("changed", "yes")
    assert second.get("changed") is None and built == ["a"]


def test_zip_entry_in_pieces_is_the_entry_whole() -> None:
    big = b"<x>some text</x>\n" * 50_000
    whole = zip_bytes({"a.txt": b"1", "b/big.xml": big, "c.bin": bytes(range(256))})
    pieces = iter([big[:777], big[777:100_000], big[100_000:]])
    assert zip_bytes({"a.txt": b"1", "b/big.xml": pieces, "c.bin": bytes(range(256))}) == whole
    with zipfile.ZipFile(BytesIO(whole)) as archive:
        assert archive.read("b/big.xml") == big
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}
    later = (name for name in ["z.txt", "b/big.xml"])  # written as they come
    in_order = zip_in_order((name, big if name == "b/big.xml" else b"z") for name in later)
    assert zipfile.ZipFile(BytesIO(in_order)).namelist() == ["z.txt", "b/big.xml"]


def test_script_json_with_list_is_script_json_of_the_whole() -> None:
    items = [{"html": "<p>a & b</p>", "n": 1}, {"text": "</script> ü…"}]
    data = {"exam": "E <1>", "questions": []}
    parts = [str(script_json(item)).encode("utf-8") for item in items]
    whole = str(script_json({**data, "questions": items})).encode("utf-8")
    assert b"".join(script_json_with_list(data, parts)) == whole
    assert b"".join(script_json_with_list(data, [])) == str(script_json(data)).encode("utf-8")


def test_render_with_data_is_rendering_with_it() -> None:
    template = Environment(autoescape=True).from_string(
        "<p>{{ title }}</p><script>{{ data }}</script>{{ data }}ü"
    )
    data = '{"a":"\\u003cb\\u003e ü"}'
    expected = template.render(title="<T>", data=Markup(data)).encode("utf-8")
    pieces = [data[:5].encode("utf-8"), data[5:].encode("utf-8")]
    assert render_with_data(template, pieces, title="<T>") == expected


@pytest.mark.parametrize(
    "html",
    [
        "<p>plain words, quotes \" ' and ünïcode</p>",
        "<p>a &amp; b</p>",
        "<p>two</p>\n<p>paragraphs</p>",
        "<p>with <code>code</code></p>",
        "<p>\nleading line break</p>",
        "<p>  spaced  </p>",
    ],
)
def test_plain_paragraph_shortcut_gives_what_parsing_gives(html: str) -> None:
    def serialized(nodes: list[object]) -> list[object]:
        return [n if isinstance(n, str) else etree.tostring(n) for n in nodes]

    assert serialized(flow(html)) == serialized(_content(_fragment(html)))


def test_qti_feedback_parts_converted_apart_equal_the_whole(bank: Path, qbank: Runner) -> None:
    from qbank.config import load_config
    from qbank.export.qti_item import _general_feedback
    from qbank.export.render import render_bank
    from qbank.lint import lint

    add_questions(bank)
    result = lint([], load_config(cwd=bank), need_bank=True, cwd=bank)
    assert result.bank is not None
    rendered: ExportBank = render_bank(result.bank)
    checked = 0
    for question in rendered.questions:
        whole = flow(lms.general_feedback_html(question))
        apart = _general_feedback(question, lambda html: html)
        assert [n if isinstance(n, str) else etree.tostring(n) for n in apart] == [
            n if isinstance(n, str) else etree.tostring(n) for n in whole
        ]
        checked += bool(question.question.references and question.explanation_html)
    assert checked >= 3


def test_mould_puts_a_lone_value_as_cdata() -> None:
    def build(values: Mapping[str, str]) -> etree._Element:
        root = etree.Element("question")
        etree.SubElement(root, "text").text = etree.CDATA(values["html"])
        etree.SubElement(root, "name").text = f"{values['name']}!"
        return root

    mould = Mould(build, ["html", "name"])
    with mould.filled({"html": etree.CDATA("<p>a & b</p>"), "name": "n"}) as filled:
        assert (
            etree.tostring(filled)
            == b"<question><text><![CDATA[<p>a & b</p>]]></text><name>n!</name></question>"
        )
    with pytest.raises(TypeError), mould.filled({"html": "x", "name": etree.CDATA("n")}):
        pass
