"""`imsmanifest.xml`: the IMS Content Packaging manifest both QTI packages carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from qbank.export.lms import document_root


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
    ns = package.namespace

    def element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", **attributes)

    locations = " ".join(f"{uri} {location}" for uri, location in package.schema_locations)
    root = document_root(ns, "manifest", locations, dict(package.prefixes), identifier=identifier)
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
