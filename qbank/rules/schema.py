"""A field is missing, has the wrong type, or is not part of the format.

## What it does
Validates each question against `schema/question.schema.json` (and the exam guide against
`schema/exam-guide.schema.json`): required keys, types, allowed values, patterns and list
sizes. One problem per violation, at the offending node; an unknown key suggests the closest
known one.

## Why it matters
Exporters and other tools rely on the format. A misspelt key (`corect: true`) would otherwise
be ignored silently and turn a right answer into a wrong one.

## Example
```yaml
options:
  - text: Use Dataflow
    corect: true   # QB003 unknown key 'corect' in options[0] (did you mean "correct"?)
```
"""

from qbank.problem import Severity
from qbank.rules.base import Scope

CODE = "QB003"
NAME = "schema"
SEVERITY = Severity.ERROR
SCOPE = Scope.LOAD
