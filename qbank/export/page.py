"""What the single-file HTML exports (practice exam, printable exam) share: images inlined as
data: URIs, styles and scripts read through the template loader, JSON safe inside a page."""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import re
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from qbank.errors import QbankError
from qbank.export.base import Image

# Stands in the page for its data while the template renders (private-use characters).
_DATA_MARK = "\ue000qbank-data\ue001"
_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)
# In a <script> block, these would let text end the block or open a comment: JSON may spell
# them as escapes instead, and JSON.parse reads the same values.
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def data_uri(image: Image) -> str:
    media_type = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
    return f"data:{media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def inline_images(html: str, images: Iterable[Image]) -> str:
    """Point each img at its picture as a data: URI, so the page needs no other file."""
    for image in images:
        if f'src="{image.name}"' in html:
            html = html.replace(f'src="{image.name}"', f'src="{data_uri(image)}"')
    return html


def static_text(env: Environment, name: str) -> Markup:
    """A stylesheet or script to inline, from the same folders as the templates (so users can
    override it too); it must not close the element it is put in."""
    assert env.loader is not None
    text = env.loader.get_source(env, name)[0]
    if _CLOSING_TAG.search(text):
        raise QbankError(f"{name} contains </script or </style and cannot be inlined")
    return Markup(text)


def script_json(data: Any) -> Markup:
    """`data` as JSON to put in a `<script type="application/json">` block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_UNSAFE:  # str.replace: many times faster than translate
        text = text.replace(char, escape)
    return Markup(text)


def script_json_with_list(data: dict[str, Any], items: list[bytes]) -> list[bytes]:
    """`script_json(data)` as UTF-8 pieces, where `data`'s last entry is an empty list, with
    the already written `items` (each a `script_json` as UTF-8) in that list: what
    script_json writes for the whole, since compact JSON writes a list as its items joined by
    commas. In pieces: joined once, where the page is written."""
    text = str(script_json(data))
    if not text.endswith("[]}"):
        raise AssertionError("the data's last entry is not an empty list")
    pieces = [text[:-2].encode("utf-8")]
    for index, item in enumerate(items):
        pieces += [b",", item] if index else [item]
    pieces.append(b"]}")
    return pieces


def render_with_data(template: Template, data: list[bytes], **context: Any) -> bytes:
    """`template.render(data=Markup(b"".join(data)), **context)` as UTF-8, the data (tens of
    megabytes: the questions) put in as bytes rather than copied through Jinja and encoded
    again."""
    pieces: list[bytes] = []
    for index, part in enumerate(
        template.render(data=Markup(_DATA_MARK), **context).split(_DATA_MARK)
    ):
        if index:
            pieces += data
        pieces.append(part.encode("utf-8"))
    return b"".join(pieces)


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"sha256-{base64.b64encode(digest).decode('ascii')}"
