"""The file is not valid YAML.

## What it does
Reports a file that cannot be read as one YAML mapping: a syntax error, a tab used for
indentation, a duplicate key, bytes that are not UTF-8, NUL or other control characters, an
empty file, several documents, or a top level that is not a mapping. A UTF-8 byte-order mark
and CRLF line endings are fine.

## Why it matters
Nothing else can be checked in a file that does not parse, and YAML quietly keeps the last of
two duplicate keys, so an edit can vanish without an error.

## Example
```yaml
id: pmle-1-1-001
stem: First wording
stem: Second wording   # QB001 duplicate key 'stem' (first defined at line 2)
```
"""

from qbank.problem import Severity
from qbank.rules.base import Scope

CODE = "QB001"
NAME = "yaml-syntax"
SEVERITY = Severity.ERROR
SCOPE = Scope.LOAD
