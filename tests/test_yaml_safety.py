"""Bad input gives a located Problem with the right code, exit 1, and no traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import Runner

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)

CASES: list[tuple[str, bytes, str, int, int, str]] = [
    ("syntax", b"id: x\nstem: [a, b\n", "QB001", 2, 7, "'[' opened here is never closed"),
    ("flow-mapping", b"id: x\nstem: {a: b\nc: d\n", "QB001", 2, 7, "'{' opened here is never"),
    ("double-quote", b'id: x\nstem: "A\noptions:\n  - text: a\n', "QB001", 2, 7, "quoted text"),
    ("single-quote", b"id: x\nstem: 'A question\n\nfoo: 1\n", "QB001", 2, 7, "never closed"),
    ("unknown-escape", b'id: x\nstem: "a \\q b"\n', "QB001", 2, 10, "unknown escape"),
    ("tab", b"id: x\nstem:\n\tfoo: 1\n", "QB001", 3, 1, "tab character"),
    ("duplicate-key", b"id: x\nstem: a\nstem: b\n", "QB001", 3, 1, "duplicate key 'stem'"),
    ("not-utf8", b"id: x\nstem: caf\xe9\n", "QB001", 2, 10, "not valid UTF-8"),
    ("nul", b"id: x\nstem: a\x00b\n", "QB001", 2, 8, "NUL"),
    ("control", b"id: x\nstem: a\x1bb\n", "QB001", 2, 8, "U+001B"),
    ("empty", b"", "QB001", 1, 1, "empty"),
    ("blank", b"  \n\n", "QB001", 1, 1, "empty"),
    ("list", b"- a\n- b\n", "QB001", 1, 1, "top level must be a mapping"),
    ("scalar", b"just text\n", "QB001", 1, 1, "top level must be a mapping"),
    ("two-documents", b"id: a\n---\nid: b\n", "QB001", 2, 1, "more than one YAML document"),
    ("complex-key", b"? [a, b]\n: c\n", "QB001", 1, 3, "used as a key"),
    ("anchor", b"id: &x abc\n", "QB002", 1, 5, "anchor &x"),
    ("alias", b"id: abc\nstem: *x\n", "QB002", 2, 7, "alias *x"),
    ("python-tag", b"id: !!python/object/apply:os.system [ls]\n", "QB002", 1, 5, "!!python"),
    ("local-tag", b"id: !custom abc\n", "QB002", 1, 5, "explicit tag !custom"),
    ("str-tag", b"id: !!str abc\n", "QB002", 1, 5, "explicit tag !!str"),
    ("deep", b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "QB002", 1, 23, "nesting deeper than 20"),
    ("billion-laughs", BILLION_LAUGHS.encode(), "QB002", 1, 4, "anchor &a"),
]


def _write(bank: Path, name: str, raw: bytes) -> Path:
    path = bank / "questions" / "1-basics" / f"{name}.yaml"
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize(("name", "raw", "code", "line", "col", "text"), CASES)
def test_bad_yaml_is_a_located_problem(
    bank: Path, qbank: Runner, name: str, raw: bytes, code: str, line: int, col: int, text: str
) -> None:
    path = _write(bank, name, raw)
    result = qbank("lint", "--format", "json", str(path))
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    problems = [p for p in json.loads(result.out) if p["filename"].endswith(f"{name}.yaml")]
    assert problems, result.out
    first = problems[0]
    assert first["code"] == code
    assert (first["location"]["row"], first["location"]["column"]) == (line, col)
    assert text in first["message"]


def test_alias_without_anchor_is_refused_not_followed(bank: Path, qbank: Runner) -> None:
    path = _write(bank, "alias2", b"id: &x abc\nstem: *x\n")
    result = qbank("lint", "--format", "json", str(path))
    codes = {p["code"] for p in json.loads(result.out)}
    assert codes == {"QB002"}


def test_billion_laughs_returns_quickly(bank: Path, qbank: Runner) -> None:
    path = _write(bank, "lol", BILLION_LAUGHS.encode())
    started = time.perf_counter()
    result = qbank("lint", "--no-cache", str(path))
    assert time.perf_counter() - started < 1.0
    assert result.code == 1 and "QB002" in result.out


def test_large_file_is_refused_without_parsing(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qbank.load.yamlparse as yamlparse

    parsed_sizes: list[int] = []
    real_init = yamlparse._Builder.__init__

    def spy(self: yamlparse._Builder, text: str) -> None:
        parsed_sizes.append(len(text))
        real_init(self, text)

    monkeypatch.setattr(yamlparse._Builder, "__init__", spy)
    path = _write(bank, "huge", b"stem: " + b"a" * 5_000_000 + b"\n")
    started = time.perf_counter()
    result = qbank("lint", "--no-cache", "--format", "json", str(path))
    assert time.perf_counter() - started < 1.0
    (problem,) = [p for p in json.loads(result.out) if p["filename"].endswith("huge.yaml")]
    assert problem["code"] == "QB002" and "larger than 1024 KiB" in problem["message"]
    assert parsed_sizes and max(parsed_sizes) < 1_000_000


def test_bom_and_crlf_are_fine(bank: Path, qbank: Runner) -> None:
    source = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = source.read_text()
    source.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    result = qbank("lint", str(source))
    assert result.code == 0, result.out


def test_unreadable_path_inside_bank(bank: Path, qbank: Runner) -> None:
    folder = bank / "questions" / "1-basics" / "folder.yaml"
    folder.mkdir()
    result = qbank("lint", "--format", "json")
    assert "Traceback" not in result.out + result.err
    assert result.code == 0


@pytest.mark.parametrize(("name", "raw", "code", "line", "col", "text"), CASES)
def test_a_parse_without_positions_refuses_the_same_way(
    name: str, raw: bytes, code: str, line: int, col: int, text: str
) -> None:
    from qbank.load.yamlparse import YamlProblem, parse

    with pytest.raises(YamlProblem) as located:
        parse(raw)
    with pytest.raises(YamlProblem) as unlocated:
        parse(raw, located=False)
    assert (unlocated.value.code, unlocated.value.line, unlocated.value.col) == (code, line, col)
    assert unlocated.value.message == located.value.message


def test_a_parse_without_positions_gives_the_same_data_and_locates_on_demand() -> None:
    from qbank.load.yamlparse import parse

    repo = Path(__file__).resolve().parent.parent
    files = sorted([*repo.glob("questions/**/*.yaml"), *repo.glob("tests/data/**/*.yaml")])
    assert len(files) > 200
    for path in files:
        raw = path.read_bytes()
        try:
            located = parse(raw)
        except Exception:  # noqa: BLE001  (refusals are compared above)
            continue
        plain = parse(raw, located=False)
        assert plain.data == located.data, path
        assert not plain.located and plain.positions == {}
        again = plain.located_again()
        assert (again.positions, again.key_positions) == (located.positions, located.key_positions)
