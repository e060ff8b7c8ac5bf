"""JUnit XML: a test suite per checked file, a failing test case per problem."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from qbank.problem import Problem
from qbank.report import Run


def render(problems: list[Problem], run: Run) -> str:
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.path].append(problem)
    paths = sorted(set(run.files) | set(by_file))
    root = ET.Element("testsuites", name="qbank", tests="0", failures=str(len(problems)))
    total = 0
    for path in paths:
        found = by_file.get(path, [])
        suite = ET.SubElement(
            root, "testsuite", name=path, tests=str(max(1, len(found))), failures=str(len(found))
        )
        if not found:
            ET.SubElement(suite, "testcase", name="qbank lint", classname=path)
        for p in found:
            case = ET.SubElement(
                suite, "testcase", name=f"{p.code} {p.name}", classname=path, file=path,
                line=str(p.line),
            )  # fmt: skip
            failure = ET.SubElement(case, "failure", message=p.message, type=p.severity.value)
            failure.text = f"{p.path}:{p.line}:{p.col}: {p.code} {p.message}"
        total += max(1, len(found))
    root.set("tests", str(total))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
