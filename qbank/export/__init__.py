"""Export: load → filter → render Markdown once → sanitise → a format's writer.

Each format is one module with one Exporter class, listed here; modules load only when used.
"""

from __future__ import annotations

from importlib import import_module

from qbank.errors import QbankError
from qbank.export.base import Exporter

# format name -> "module:class"
EXPORTERS: dict[str, str] = {
    "aiken": "qbank.export.aiken:AikenExporter",
    "anki": "qbank.export.anki:AnkiExporter",
    "csv": "qbank.export.csv_rows:CsvExporter",
    "gift": "qbank.export.gift:GiftExporter",
    "html": "qbank.export.practice:HtmlExporter",
    "json": "qbank.export.json_export:JsonExporter",
    "jsonl": "qbank.export.json_export:JsonLinesExporter",
    "moodle": "qbank.export.moodle:MoodleExporter",
    "print": "qbank.export.printable:PrintExporter",
    "qti": "qbank.export.qti:QtiExporter",
    "qti12": "qbank.export.qti12:Qti12Exporter",
}


def get_exporter(name: str) -> Exporter:
    if name not in EXPORTERS:
        known = ", ".join(sorted(EXPORTERS)) or "none"
        raise QbankError(f"unknown export format '{name}' (known: {known})")
    module_name, class_name = EXPORTERS[name].split(":")
    exporter: Exporter = getattr(import_module(module_name), class_name)()
    return exporter
