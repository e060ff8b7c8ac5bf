"""SARIF 2.1.0, for code-scanning dashboards."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from qbank import __version__
from qbank.problem import Problem
from qbank.report import Run
from qbank.rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/qbank-dev/qbank"


def _rule(code: str) -> dict[str, Any]:
    rule = RULES[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {"fixable": rule.fixable},
    }


def _invocation(problems: list[Problem], run: Run) -> dict[str, Any]:
    """The run itself: it completed (problems are results, not a failure of the tool), its
    exit code, and its notes as notifications."""
    return {
        "executionSuccessful": True,
        "exitCode": run.exit_code(problems),
        "toolExecutionNotifications": [
            {"level": "note", "message": {"text": note}} for note in run.notes
        ],
    }


def render(problems: list[Problem], run: Run) -> str:
    codes = sorted({p.code for p in problems})
    index = {code: i for i, code in enumerate(codes)}
    results = [
        {
            "ruleId": p.code,
            "ruleIndex": index[p.code],
            "level": p.severity.value,
            "message": {"text": p.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": PurePath(p.path).as_posix()},
                        "region": {"startLine": p.line, "startColumn": p.col},
                    }
                }
            ],
        }
        for p in problems
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "qbank",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "invocations": [_invocation(problems, run)],
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
