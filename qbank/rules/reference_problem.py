"""A question has no reference, or one that is not an allowed https source.

## What it does
Reports a question without `references` (when `required`, the default) and a reference that
is not `https://`. When `allowed_hosts` lists hosts, it also reports a reference to any other
host (subdomains count, and an entry with a path also requires that path prefix); the
default list is empty, so any https reference is accepted. Nothing is fetched: lint never
uses the network.

## Why it matters
An answer key is only as good as its source. Official documentation lets reviewers check
the key and learners read further; blogs and dumps spread outdated or wrong answers.

## Example
A bank that cites only official documentation says so in its settings:
```toml
[tool.qbank.rules.QB303]
allowed_hosts = ["cloud.google.com", "github.com/GoogleCloudPlatform"]
```
```yaml
references:
  - http://cloud.google.com/vertex-ai/docs   # QB303: not https
  - https://someblog.example/vertex-tips     # QB303: someblog.example is not an allowed host
```
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB303"
NAME = "reference-problem"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT: dict[str, object] = {"required": True, "allowed_hosts": []}


def allowed(url: str, entries: list[str]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for entry in entries:
        entry_host, _, entry_path = entry.lower().partition("/")
        if host != entry_host and not host.endswith("." + entry_host):
            continue
        if not entry_path or parts.path.lower().strip("/").startswith(entry_path.strip("/")):
            return True
    return False


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if not question.references:
        if options["required"]:
            yield file.problem("no reference; cite the documentation that supports the key", ())
        return
    hosts = list(options["allowed_hosts"])
    for index, url in enumerate(question.references):
        if not url.lower().startswith("https://"):
            yield file.problem(f"reference {url} is not https", ("references", index))
        elif hosts and not allowed(url, hosts):
            host = urlsplit(url).hostname
            yield file.problem(
                f"reference host {host} is not an allowed source (allowed_hosts)",
                ("references", index),
            )
