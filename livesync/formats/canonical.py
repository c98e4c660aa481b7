"""livesync's own timeline JSON as a registry entry, so that it is detected, read and written
through the same lookups as every other format. The form itself (versioned, lossless) belongs
to the timeline model: `lipsync.timeline.to_json`, `from_json` and `dumps`."""

from __future__ import annotations

from livesync.formats.spec import Format
from livesync.lipsync.timeline import FORMAT_KEY, dumps, from_json

FORMAT = Format(
    "livesync",
    detect=lambda content: content.data_with(FORMAT_KEY),
    read=lambda content, _options: from_json(content.data, content.source),
    write=lambda timeline, _options: dumps(timeline),
)
