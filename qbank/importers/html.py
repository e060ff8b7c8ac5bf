"""HTML → Markdown for imported text, with embedded images turned into files.

markdownify does the conversion. Where Markdown has no syntax and the meaning would be lost
(subscript, superscript) the HTML tag is kept; qbank's Markdown renderer passes those through.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from qbank.importers.base import Asset, clean_text, safe_file_name

PLUGINFILE = "@@PLUGINFILE@@/"
MAX_ASSET_BYTES = 16 * 1024 * 1024
_DATA_URI = re.compile(r"^data:(image/[a-z0-9.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
               "image/svg+xml": ".svg", "image/webp": ".webp"}  # fmt: skip
# An underscore between letters or digits never starts emphasis: markdownify's escape is noise.
_INTRAWORD_UNDERSCORE = re.compile(r"(?<=[A-Za-z0-9])\\_(?=[A-Za-z0-9])")
_TAG = re.compile(r"<[A-Za-z/!][^>]*>|&[A-Za-z#][A-Za-z0-9]*;")


@dataclass
class Assets:
    """The images one question's HTML shows: embedded files and data: URIs become Assets."""

    files: dict[str, bytes] = field(default_factory=dict)  # files the source carries, by name
    collected: list[Asset] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def resolve(self, src: str) -> str | None:
        """The token that replaces `src`, or None to leave `src` as it is."""
        if (match := _DATA_URI.match(src.strip())) is not None:
            media_type = match.group(1).lower()
            try:
                data = base64.b64decode(match.group(2), validate=False)
            except (binascii.Error, ValueError):
                self.notes.append("an embedded data: image is not valid base64; left out")
                return None
            return self.add(f"image{_EXTENSIONS.get(media_type, '.bin')}", data)
        if src.startswith(PLUGINFILE):
            name = unquote(src[len(PLUGINFILE) :])
            if name not in self.files:
                self.notes.append(f"image {name} is referenced but not embedded in the file")
                return None
            return self.add(name, self.files[name])
        return None

    def add(self, name: str, data: bytes) -> str | None:
        if len(data) > MAX_ASSET_BYTES:
            self.notes.append(f"image {name} is larger than {MAX_ASSET_BYTES >> 20} MiB; left out")
            return None
        safe = safe_file_name(name)
        if safe != name:
            self.notes.append(f"image name {name!r} written as {safe!r}")
        for asset in self.collected:
            if asset.name == safe and asset.data == data:
                return asset.token
        taken = {asset.name for asset in self.collected}
        stem, dot, suffix = safe.rpartition(".")
        unique, n = safe, 1
        while unique in taken:
            n += 1
            unique = f"{stem}-{n}.{suffix}" if dot else f"{safe}-{n}"
        token = f"qbank-asset-{len(self.collected)}"
        self.collected.append(Asset(unique, data, token))
        return token


def looks_like_html(text: str) -> bool:
    return _TAG.search(text) is not None


def html_to_markdown(html: str, assets: Assets | None = None) -> str:
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = BeautifulSoup(html, "html.parser")
    for image in soup.find_all("img"):
        src = image.get("src")
        if assets is not None and isinstance(src, str):
            token = assets.resolve(src)
            if token is not None:
                image["src"] = token
    converter = MarkdownConverter(
        heading_style="ATX",
        bullets="-",
        newline_style="backslash",
        sub_symbol="<sub>",
        sup_symbol="<sup>",
    )
    return clean_text(_INTRAWORD_UNDERSCORE.sub("_", converter.convert_soup(soup)))


def to_markdown(text: str, text_format: str, assets: Assets | None = None) -> str:
    """Moodle's text formats (XML and GIFT names) as Markdown; unknown formats count as HTML."""
    if text_format in ("markdown", "plain", "plain_text"):
        return clean_text(text)
    if text_format in ("moodle", "moodle_auto_format") and not looks_like_html(text):
        return clean_text(text)
    return html_to_markdown(text, assets)


def split_references(html: str) -> tuple[str, list[str]]:
    """HTML without its `<div class="references">` list, and the list's link targets.

    qbank's LMS exports append the references to the general feedback this way; taking them
    back out restores the `references` field instead of leaving links in the explanation.
    """
    if "references" not in html:
        return html, []
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    urls: list[str] = []
    for block in soup.find_all("div", class_="references"):
        for item in block.find_all("li"):
            link = item.find("a") if isinstance(item, Tag) else None
            href = link.get("href") if isinstance(link, Tag) else None
            urls.append(href if isinstance(href, str) else item.get_text().strip())
        block.decompose()
    return (str(soup) if urls else html), urls
