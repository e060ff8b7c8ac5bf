"""The bytes of an .apkg: genanki's collection database, zipped reproducibly with the media.

genanki's own `write_to_file` is not reproducible: its zip entries carry the current time
and the temporary database file's mtime. The database it writes is stable once every time
and id it holds is fixed, so qbank lets genanki fill an in-memory database, stamps each note
with its own modification time, and zips the result with fixed entry times.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import TYPE_CHECKING

from qbank.export.output import zip_bytes

if TYPE_CHECKING:
    import genanki


def package_bytes(
    package: genanki.Package, media: dict[str, bytes], note_times: dict[str, int], timestamp: int
) -> bytes:
    """The .apkg for `package`. `note_times` maps a note's GUID to its modification time;
    `timestamp` dates the note type and cards, and numbers the new notes and cards."""
    database = sqlite3.connect(":memory:")
    try:
        cursor = database.cursor()
        # Anki ids are creation times in milliseconds: count up from the newest input's.
        first_id = max([timestamp, *note_times.values()]) * 1000
        package.write_to_db(cursor, timestamp, itertools.count(first_id))
        # notes.guid has no index: join through a keyed temporary table (kept out of the
        # saved database) instead of one full-table UPDATE per note.
        cursor.execute("CREATE TEMP TABLE note_times (guid TEXT PRIMARY KEY, mod INTEGER)")
        cursor.executemany("INSERT INTO note_times VALUES (?, ?)", sorted(note_times.items()))
        cursor.execute(
            "UPDATE notes SET mod = (SELECT mod FROM note_times WHERE guid = notes.guid)"
        )
        database.commit()
        collection = database.serialize()
    finally:
        database.close()
    names = sorted(media)
    entries = {
        "collection.anki2": collection,
        # Anki's legacy media map: zip entry "0" holds the file named names[0], and so on.
        "media": json.dumps({str(i): name for i, name in enumerate(names)}).encode(),
    }
    entries.update({str(i): media[name] for i, name in enumerate(names)})
    return zip_bytes(entries)
