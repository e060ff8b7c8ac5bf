"""`qbank lint --fix` and `qbank fmt`: only what the fix means changes, byte for byte."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbank.check import select_rules
from qbank.config import Config
from qbank.fix import apply_fixes, format_text
from qbank.load.yamlparse import parse
from qbank.rules.deprecated_product_name import replace
from qbank.rules.unemphasized_negative import emphasise
from tests.conftest import PMLE_RULES, Runner

QUESTION = """\
# yaml-language-server: $schema=../../schema/question.schema.json
id: t-1-1-001
domain: "1.1"   # keep this comment
type: single
stem: |
  A team deploys models to AI Platform Prediction today.
  Which of these changes does not need a new endpoint?
options:
  - text: Deploy a second model version to the same endpoint@@@
    correct: true
    rationale: "Endpoints host several models."
  # a comment between options
  - text: Move to Cloud ML Engine
    rationale: It is retired.
  - text: 'Use a new project'
    rationale: Projects do not matter here.
explanation: |
  An endpoint can serve several deployed models and split traffic between them, so the
  change needs no new endpoint.
references:
  - https://cloud.google.com/vertex-ai/docs/general/deployment
tags: [bqml]
""".replace("@@@", "   ")  # trailing spaces that the fix removes


def _write(bank: Path, text: str) -> Path:
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    path.write_text(text)
    return path


def test_fix_changes_only_the_fixed_words(bank: Path, qbank: Runner) -> None:
    path = _write(bank, QUESTION)
    result = qbank("lint", "--fix", str(path))
    after = path.read_text()
    expected = (
        QUESTION.replace("AI Platform Prediction", "Vertex AI Prediction")
        .replace("does not need", "does **NOT** need")
        .replace("Cloud ML Engine", "Vertex AI")
        .replace("same endpoint   \n", "same endpoint\n")
    )
    assert after == expected
    assert "fixed questions/1-basics/t-1-1-001.yaml" in result.err
    assert "QB202" not in result.out and "QB304" not in result.out


STYLED_STEMS = [
    # folded block: the author's line breaks stay where they were
    ("stem: >\n  A team deploys models to AI Platform Prediction today. Which of these\n"
     "  changes does not need\n  a new endpoint?\n",
     "stem: >\n  A team deploys models to Vertex AI Prediction today. Which of these\n"
     "  changes does **NOT** need\n  a new endpoint?\n"),
    # plain scalar over several lines
    ("stem: A team deploys models to AI Platform\n  Prediction today. Which of these changes\n"
     "  does not need a new endpoint?\n",
     "stem: A team deploys models to Vertex AI\n  Prediction today. Which of these changes\n"
     "  does **NOT** need a new endpoint?\n"),
    # quoted scalars keep their quotes and escapes
    ("stem: 'A team''s models run on AI Platform Prediction.\n  Which change does not need a\n"
     "  new endpoint?'\n",
     "stem: 'A team''s models run on Vertex AI Prediction.\n  Which change does **NOT** need a\n"
     "  new endpoint?'\n"),
    ('stem: "A \\"team\\" runs AI Platform Prediction.\\\n  \\ Which change does not need\n'
     '  a new endpoint?"\n',
     'stem: "A \\"team\\" runs Vertex AI Prediction.\\\n  \\ Which change does **NOT** need\n'
     '  a new endpoint?"\n'),
]  # fmt: skip


def test_fix_keeps_the_scalar_style_and_line_breaks(bank: Path, qbank: Runner) -> None:
    stem_block = QUESTION[QUESTION.index("stem: |") : QUESTION.index("options:")]
    for before, after in STYLED_STEMS:
        path = _write(bank, QUESTION.replace(stem_block, before))
        assert qbank("lint", "--fix", "--select", "QB202,QB304", str(path)).code == 0
        assert path.read_text() == QUESTION.replace(stem_block, after).replace(
            "Cloud ML Engine", "Vertex AI"
        ).replace("same endpoint   \n", "same endpoint\n")


def test_fix_never_writes_a_name_that_is_already_there(bank: Path, qbank: Runner) -> None:
    """Replacing makes sense only where the sentence does not name the successor already
    and the name is not the start of a longer one."""
    stem_block = QUESTION[QUESTION.index("stem: |") : QUESTION.index("options:")]
    stem = (
        "stem: |\n  A team trains on Vertex AI and serves from AI Platform Prediction. It also\n"
        "  uses AutoML Vision Edge models and Container Registry. What should they change?\n"
    )
    path = _write(bank, QUESTION.replace(stem_block, stem))
    result = qbank("lint", "--fix", "--select", "QB304", str(path))
    fixed = path.read_text()
    assert "and Artifact Registry. What" in fixed  # a plain case is fixed
    assert "serves from AI Platform Prediction" in fixed  # would say Vertex AI twice
    assert "uses AutoML Vision Edge models" in fixed  # part of a longer name
    assert "Vertex AI Vertex AI" not in fixed
    assert result.out.count("QB304") == 2  # both still reported, for a person to rewrite


def test_fix_that_cannot_be_made_in_place_goes_through_the_round_trip() -> None:
    """A plain scalar that would start with '*' reads as an alias: ruamel.yaml quotes it."""

    def emphasise_all(data: dict[str, str]) -> bool:
        data["stem"] = data["stem"].replace("not", "**NOT**")
        return True

    text = "id: t-1-1-001  # kept\nstem: not all of them?\n"
    after = apply_fixes(text, [emphasise_all]).after
    assert parse(after.encode()).data["stem"] == "**NOT** all of them?"
    assert after.startswith("id: t-1-1-001  # kept\n")


def test_diff_shows_the_fix_and_writes_nothing(bank: Path, qbank: Runner) -> None:
    path = _write(bank, QUESTION)
    result = qbank("lint", "--diff", str(path))
    assert result.code == 1
    assert "-  Which of these changes does not need a new endpoint?" in result.out
    assert "+  Which of these changes does **NOT** need a new endpoint?" in result.out
    assert path.read_text() == QUESTION


def test_silenced_rule_is_not_fixed(bank: Path, qbank: Runner) -> None:
    path = _write(bank, QUESTION + "lint:\n  ignore: [QB202]\n")
    qbank("lint", "--fix", str(path))
    text = path.read_text()
    assert "does not need" in text and "Vertex AI Prediction" in text


def test_ignored_rule_is_not_fixed(bank: Path, qbank: Runner) -> None:
    path = _write(bank, QUESTION)
    qbank("lint", "--fix", "--ignore", "QB304", str(path))
    text = path.read_text()
    assert "AI Platform Prediction" in text and "**NOT**" in text


def test_unreadable_yaml_is_left_alone(bank: Path, qbank: Runner) -> None:
    path = _write(bank, "id: &a x\nstem: *a\n")
    result = qbank("lint", "--fix", str(path))
    assert path.read_text() == "id: &a x\nstem: *a\n"
    assert result.code == 1 and "QB002" in result.out


def test_fmt_orders_keys_keeps_comments_and_values(bank: Path, qbank: Runner) -> None:
    shuffled = (
        "tags: [bqml]\n# the id\nid: t-1-1-001\nstem: One line stem that asks a question here?\n"
        "type: single\ndomain: '1.1'\noptions:\n- correct: true\n  text: a\n- text: b\n"
    )
    path = _write(bank, shuffled)
    assert qbank("fmt", "--check", str(path)).code == 1
    assert path.read_text() == shuffled
    assert qbank("fmt", str(path)).code == 0
    formatted = path.read_text()
    assert formatted.index("id:") < formatted.index("domain:") < formatted.index("type:")
    assert formatted.index("stem:") < formatted.index("options:") < formatted.index("tags:")
    assert "# the id\nid: t-1-1-001" in formatted
    assert "stem: |-\n  One line stem" in formatted
    assert "  - text: a\n    correct: true\n" in formatted
    assert parse(formatted.encode()).data == parse(shuffled.encode()).data
    assert qbank("fmt", "--check", str(path)).code == 0


def test_fmt_reports_a_file_it_cannot_read_and_exits_1(bank: Path, qbank: Runner) -> None:
    broken = bank / "questions" / "2-more" / "broken.yaml"
    broken.write_text("id: x\nstem: 'never closed\n")
    unsafe = bank / "questions" / "2-more" / "alias.yaml"
    unsafe.write_text("id: &a x\nstem: *a\n")
    result = qbank("fmt")
    assert result.code == 1
    assert (
        "questions/2-more/broken.yaml:2:7: QB001 [error] quoted text opened here is never closed"
        in result.out
    )
    assert "questions/2-more/alias.yaml:1:5: QB002 [error] anchor &a is not allowed" in result.out
    assert "0 of 5 files reformatted" in result.out
    assert broken.read_text() == "id: x\nstem: 'never closed\n"
    assert qbank("fmt", "--check").code == 1


def test_bundled_bank_is_already_formatted(qbank: Runner) -> None:
    from tests.conftest import REPO

    result = qbank("fmt", "--check", str(REPO / "questions"))
    assert result.code == 0, result.out + result.err


_plain = (
    st.text(alphabet=st.sampled_from("abcdefghij klmnop,"), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
_piece = st.one_of(
    _plain,
    st.sampled_from(
        [
            "not",
            "NOT",
            "except",
            "least",
            "AI Platform",
            "Cloud ML Engine",
            "**not**",
            "Container Registry",
            "cannot",
            "at least",
        ]
    ),  # fmt: skip
)
_stem = st.lists(_piece, min_size=1, max_size=12).map(" ".join).map(lambda s: s + "?")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=_stem, option=st.lists(_piece, min_size=1, max_size=6).map(" ".join))
def test_fix_changes_exactly_what_the_fixers_mean(stem: str, option: str) -> None:
    text = QUESTION.replace(
        "A team deploys models to AI Platform Prediction today.\n"
        "  Which of these changes does not need a new endpoint?",
        stem,
    ).replace("Move to Cloud ML Engine", "Use " + option.replace(",", " ").strip())
    before = parse(text.encode()).data
    config = Config(root=Path("."), bank=Path("q"), exam_guide=Path("g"), rules=PMLE_RULES)
    selection = select_rules(config, ["QB202", "QB304"])
    from qbank.autofix import fixers

    rewrite = apply_fixes(text, fixers(selection)(before))
    after = parse(rewrite.after.encode()).data
    names = dict(PMLE_RULES["QB304"]["names"])
    expected = dict(before)
    expected["stem"] = replace(emphasise(before["stem"]), names)
    expected["options"] = [
        {
            **o,
            "text": replace(o["text"].rstrip(), names),
            "rationale": replace(o["rationale"], names),
        }
        for o in before["options"]
    ]
    expected["explanation"] = replace(before["explanation"], names)
    assert after == expected
    untouched = [line for line in text.splitlines() if "#" in line]
    assert all(line in rewrite.after.splitlines() for line in untouched)


@settings(max_examples=40)
@given(stem=_stem)
def test_fmt_keeps_values_and_is_idempotent(stem: str) -> None:
    text = QUESTION.replace("Which of these changes does not need a new endpoint?", stem)
    once = format_text(text).after
    assert parse(once.encode()).data == parse(strip(text).encode()).data
    assert format_text(once).after == once


def strip(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
