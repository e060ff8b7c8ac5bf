"""`qbank dedup` reports: the pairs, most similar first, and the clusters they form."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qbank.dedup.clusters import Cluster
from qbank.dedup.search import Pair


@dataclass(frozen=True)
class Member:
    id: str
    path: str


@dataclass(frozen=True)
class DedupReport:
    members: Sequence[Member]  # indexed by the rows of pairs and clusters
    pairs: Sequence[Pair]  # every pair found
    clusters: Sequence[Cluster]
    threshold: float
    model: str
    top: int | None = None

    @property
    def shown(self) -> Sequence[Pair]:
        return self.pairs[: self.top] if self.top is not None else self.pairs

    def summary(self) -> str:
        if not self.pairs:
            return (f"No near-duplicates among {len(self.members)} questions "
                    f"(threshold {self.threshold:.2f}, model {self.model}).")  # fmt: skip
        shown = "" if len(self.shown) == len(self.pairs) else f", {len(self.shown)} shown"
        return (
            f"Found {_count(len(self.pairs), 'near-duplicate pair')}{shown} in "
            f"{_count(len(self.clusters), 'cluster')} among {len(self.members)} questions "
            f"(threshold {self.threshold:.2f}, model {self.model})."
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def text_report(report: DedupReport) -> str:
    m = report.members
    lines = [
        f"{p.similarity:.3f}  {m[p.first].id} ({m[p.first].path})  ~  "
        f"{m[p.second].id} ({m[p.second].path})"
        for p in report.shown
    ]
    if report.clusters:
        lines.append("")
        lines.append("Clusters:")
        lines.extend(
            f"  {number}. {', '.join(m[row].id for row in cluster.members)} "
            f"(max {cluster.max_similarity:.3f})"
            for number, cluster in enumerate(report.clusters, start=1)
        )
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def markdown_report(report: DedupReport) -> str:
    m = report.members
    lines = [f"# Near-duplicates\n\n{report.summary()}\n"]
    if report.shown:
        lines.append("| Similarity | Question | File | Question | File |")
        lines.append("| ---: | --- | --- | --- | --- |")
        lines.extend(
            f"| {p.similarity:.3f} | `{m[p.first].id}` | {_cell(m[p.first].path)} | "
            f"`{m[p.second].id}` | {_cell(m[p.second].path)} |"
            for p in report.shown
        )
    if report.clusters:
        lines.append("\n## Clusters\n")
        lines.extend(
            f"{number}. {', '.join(f'`{m[row].id}`' for row in c.members)} "
            f"(max {c.max_similarity:.3f})"
            for number, c in enumerate(report.clusters, start=1)
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def json_report(report: DedupReport) -> str:
    m = report.members

    def member(row: int) -> dict[str, str]:
        return {"id": m[row].id, "path": m[row].path}

    document = {
        "model": report.model,
        "threshold": report.threshold,
        "questions": len(m),
        "total_pairs": len(report.pairs),
        "pairs": [
            {
                "similarity": round(p.similarity, 4),
                "first": member(p.first),
                "second": member(p.second),
            }
            for p in report.shown
        ],  # fmt: skip
        "clusters": [
            {
                "members": [member(row) for row in c.members],
                "max_similarity": round(c.max_similarity, 4),
            }
            for c in report.clusters
        ],  # fmt: skip
    }
    return json.dumps(document, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[DedupReport], str]] = {
    "text": text_report,
    "json": json_report,
    "markdown": markdown_report,
}
