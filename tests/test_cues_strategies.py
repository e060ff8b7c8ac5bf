"""The strategies' readings of single questions: formatting, grammar, stem words, positions."""

from __future__ import annotations

from typing import Any

import pytest

from qbank.cues.grammar import Reading, read
from qbank.cues.strategies import BY_NAME, formatting_pick, measure, well_keyed
from qbank.models import Question


def question(
    options: list[str], keys: list[int], stem: str = "Which option fits?", **fields: Any
) -> Question:
    data = {
        "id": fields.pop("id", "q-001"), "domain": "1.1", "type": "single", "stem": stem,
        "options": [{"text": text, "correct": i in keys} for i, text in enumerate(options)],
        **fields,
    }  # fmt: skip
    if len(keys) > 1:
        data.update(type="multiple", select=len(keys))
    return Question.model_validate(data)


def test_formatting_singles_out_the_only_option_with_code() -> None:
    found = formatting_pick(question(["Use `ML.PREDICT`", "Use Dataflow", "Use a VM"], [0]))
    assert found == ({0}, ["code"])


def test_every_kind_that_singles_out_the_same_option_is_named() -> None:
    found = formatting_pick(question(["**Use** `x`", "Use y", "Use z"], [1]))
    assert found == ({0}, ["bold", "code"])


def test_kinds_that_point_at_different_options_single_out_nothing() -> None:
    assert formatting_pick(question(["Use `x`", "**Use** y", "Use z"], [0])) is None
    assert formatting_pick(question(["Use x", "Use y", "Use z"], [0])) is None
    # Two options with code where one answer is asked for: not an odd one out.
    assert formatting_pick(question(["Use `x`", "Use `y`", "Use z"], [0])) is None


def test_a_choose_two_is_singled_out_by_two_formatted_options() -> None:
    found = formatting_pick(question(["`a`", "`b`", "c", "d", "e"], [0, 1]))
    assert found == ({0, 1}, ["code"])


def test_markup_characters_in_plain_words_are_no_formatting() -> None:
    assert formatting_pick(question(["snake_case_name", "a * b", "plain"], [0])) is None


@pytest.mark.parametrize(
    ("article", "option", "fits"),
    [
        ("an", "hourly schedule", True),
        ("an", "API gateway", True),
        ("an", "unsupervised model", True),
        ("an", "update to the model", True),
        ("an", "iOS app", True),
        ("a", "GPU", True),
        ("a", "URL map", True),
        ("a", "user-managed notebook", True),
        ("a", "one-hot encoding", True),
        ("a", "European region", True),
        ("a", "hybrid approach", True),
        ("an", "model", False),
        ("an", "GPU", False),
        ("a", "autoencoder", False),
        ("a", "API", False),
        ("an", "SQL table", None),  # "a SQL table" is said too
        ("an", "unique key", None),
        ("a", "`bq` table", None),
        ("a", "8-bit model", None),
        ("a", "the model", None),
    ],
)
def test_the_article_against_the_sound_an_option_starts_with(
    article: str, option: str, fits: bool | None
) -> None:
    reading = read(f"The team should deploy {article}", [option])
    assert reading.wanted == f'"{article}"'
    assert (0 in reading.fits, 0 in reading.misfits) == (fits is True, fits is False)


@pytest.mark.parametrize(
    ("stem", "option", "fits"),
    [
        ("The parts that change are", "containers with tools", True),
        ("The parts that change are", "the table and the view", True),
        ("The parts that change are", "a single table", False),
        ("The parts that change are", "analysis results", None),
        ("The part that changes is", "the feature store", True),
        ("The part that changes is", "a single table", True),
        ("The part that changes is", "several Dataflow jobs", False),
        ("The part that changes is", "the containers", None),
    ],
)
def test_number_agreement_with_the_verb_the_stem_ends_with(
    stem: str, option: str, fits: bool | None
) -> None:
    reading = read(stem, [option])
    assert (0 in reading.fits, 0 in reading.misfits) == (fits is True, fits is False)


def test_stems_that_end_a_sentence_are_not_judged() -> None:
    assert read("Which is a", ["model"]).wanted == '"a"'
    for stem in ("What should they train, a or an?", "They train a.", "It is plan A"):
        assert read(stem, ["model", "autoencoder"]) == Reading()


def test_a_guesser_follows_the_options_that_fit_the_grammar() -> None:
    q = question(["autoencoder", "classifier", "regression"], [0], stem="They should train an")
    (tally,) = measure([q], [BY_NAME["grammar"]]).values()
    assert (tally.score, tally.chance) == (1.0, pytest.approx(1 / 3))


def test_the_option_with_most_stem_words_is_picked_first() -> None:
    q = question(
        ["Retrain weekly after the Monday sales load", "Retrain hourly", "Retrain yearly"], [0],
        stem="Sales land every Monday; the model decays weekly. What should they do?",
    )  # fmt: skip
    (tally,) = measure([q], [BY_NAME["stem-words"]]).values()
    assert tally.score == 1.0 and tally.guesses[0].margin == 3


def test_lengths_are_the_characters_a_reader_sees() -> None:
    q = question(["**[Use](https://example.com/a/very/long/link)** `x`", "Use y and z"], [0])
    (tally,) = measure([q], [BY_NAME["longest"]]).values()
    assert tally.score == 0.0  # "Use x" is shorter than "Use y and z"


def test_the_position_of_each_question_is_judged_from_the_others() -> None:
    at_b = [question(["a", "b", "c", "d"], [1], id=f"b-{i}", shuffle=False) for i in range(3)]
    at_a = question(["a", "b", "c", "d"], [0], id="a-0", shuffle=False)
    shuffled = question(["a", "b", "c", "d"], [1], id="s-0")
    (tally,) = measure([*at_b, at_a, shuffled], [BY_NAME["position"]]).values()
    scores = {g.question_id: g.score for g in tally.guesses}
    assert scores == {"b-0": 1.0, "b-1": 1.0, "b-2": 1.0, "a-0": 0.0}


def test_questions_with_the_wrong_number_of_keys_are_left_to_other_rules() -> None:
    two_keys_in_single = Question.model_validate({
        "id": "q-002", "domain": "1.1", "type": "single", "stem": "s",
        "options": [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}],
    })  # fmt: skip
    select_mismatch = question(["a", "b", "c", "d"], [0], type="multiple", select=2)
    assert not well_keyed(two_keys_in_single) and not well_keyed(select_mismatch)
    assert well_keyed(question(["a", "bb"], [1]))
    (tally,) = measure([two_keys_in_single, select_mismatch], [BY_NAME["longest"]]).values()
    assert tally.applies == 0
