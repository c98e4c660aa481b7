"""livesync's own timeline JSON as a registry entry, so that it is detected, read and written
through the same lookups as every other format. The form itself (versioned, lossless) belongs
to the timeline model: `lipsync.timeline.to_json`, `from_json` and `dumps`; a file read here
is held to the same span as every other format's (`_common.check_span`)."""

from __future__ import annotations

from livesync.formats._common import check_span
from livesync.formats.spec import Format
from livesync.lipsync.timeline import FORMAT_KEY, dumps, from_json

FORMAT = Format(
    "livesync",
    detect=lambda content: content.data_with(FORMAT_KEY),
    read=lambda content, _options: check_span(
        from_json(content.data, content.source), content.source
    ),
    write=lambda timeline, _options: dumps(timeline),
)
