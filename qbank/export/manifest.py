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
    root, listing = manifest_frame(package, identifier, metadata)
    for resource in resources:
        add_resource(listing, resource)
    return root


def manifest_frame(
    package: Package, identifier: str, metadata: Sequence[etree._Element] = ()
) -> tuple[etree._Element, etree._Element]:
    """The manifest without its resources, and the element that holds them."""
    ns = package.namespace
    locations = " ".join(f"{uri} {location}" for uri, location in package.schema_locations)
    root = document_root(ns, "manifest", locations, dict(package.prefixes), identifier=identifier)
    head = etree.SubElement(root, f"{{{ns}}}metadata")
    etree.SubElement(head, f"{{{ns}}}schema").text = package.schema
    etree.SubElement(head, f"{{{ns}}}schemaversion").text = package.schema_version
    head.extend(metadata)
    etree.SubElement(root, f"{{{ns}}}organizations")
    return root, etree.SubElement(root, f"{{{ns}}}resources")


def add_resource(listing: etree._Element, resource: Resource) -> None:
    """Add `resource` to the manifest's `resources` element."""
    ns = etree.QName(listing).namespace

    def element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", **attributes)

    entry = element(
        listing, "resource", identifier=resource.identifier, type=resource.type,
        href=resource.href,
    )  # fmt: skip
    if resource.metadata:
        element(entry, "metadata").extend(resource.metadata)
    element(entry, "file", href=resource.href)
    for dependency in resource.dependencies:
        element(entry, "dependency", identifierref=dependency)
