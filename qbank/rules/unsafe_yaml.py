"""The file uses YAML features that a question bank has no need for.

## What it does
Refuses anchors (`&a`), aliases (`*a`), explicit tags (`!!python/object`, `!custom`), nesting
deeper than 20 levels, and files larger than 1 MiB. The check happens while the file is read,
before any value is built: nothing is ever constructed from a tag and no alias is expanded.

## Why it matters
Aliases let a few lines expand into gigabytes ("billion laughs"); tags can ask a loader to
build arbitrary objects. Question files are plain data, and refusing these features keeps
every tool that reads the bank safe and fast.

## Example
```yaml
common: &why Vertex AI scales the replicas.   # QB002 anchor &why is not allowed
explanation: *why
```
Write the text out in each question instead.
"""

from qbank.problem import Severity
from qbank.rules.base import Scope

CODE = "QB002"
NAME = "unsafe-yaml"
SEVERITY = Severity.ERROR
SCOPE = Scope.LOAD
