"""`imsmanifest.xml`: the IMS Content Packaging manifest both QTI packages carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Resource:
    identifier: str
    type: str
    href: str
    dependencies: tuple[str, ...] = ()
    metadata: tuple[etree._Element, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Package:
    """Which flavour of IMS CP to write: namespace, schema locations and package metadata."""

    namespace: str
    schema_locations: tuple[tuple[str, str], ...]
    schema: str
    schema_version: str
    prefixes: tuple[tuple[str, str], ...] = ()


def manifest(
    package: Package,
    identifier: str,
    resources: Sequence[Resource],
    metadata: Sequence[etree._Element] = (),
) -> etree._Element:
    nsmap: dict[str | None, str] = {None: package.namespace, "xsi": XSI}
    nsmap.update(dict(package.prefixes))
    ns = package.namespace

    def element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", **attributes)

    root = etree.Element(f"{{{ns}}}manifest", nsmap=nsmap, identifier=identifier)
    locations = " ".join(f"{uri} {location}" for uri, location in package.schema_locations)
    root.set(f"{{{XSI}}}schemaLocation", locations)
    head = element(root, "metadata")
    element(head, "schema").text = package.schema
    element(head, "schemaversion").text = package.schema_version
    head.extend(metadata)
    element(root, "organizations")
    listing = element(root, "resources")
    for resource in resources:
        entry = element(
            listing, "resource", identifier=resource.identifier, type=resource.type,
            href=resource.href,
        )  # fmt: skip
        if resource.metadata:
            element(entry, "metadata").extend(resource.metadata)
        element(entry, "file", href=resource.href)
        for dependency in resource.dependencies:
            element(entry, "dependency", identifierref=dependency)
    return root
