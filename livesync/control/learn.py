"""MIDI learn, pure: turn "the next control touched" into mapping entries and TOML text.

The command line (`livesync learn`) asks for one scene or parameter at a time, feeds the
first suitable message it receives to `LearnSession.offer`, and writes `to_toml()` to a file
the show includes with `[midi] mapping = "FILE"`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    kind: str  # "scene" or "param"
    name: str


@dataclass
class LearnSession:
    targets: list[Target]
    learned: list[tuple[Target, str, int, int]] = field(default_factory=list)  # kind, ch, n
    index: int = 0

    @property
    def current(self) -> Target | None:
        return self.targets[self.index] if self.index < len(self.targets) else None

    def offer(self, kind: str, channel: int, number: int, value: int) -> bool:
        """A message arrived; True if it was taken for the current target. Scenes take a
        pressed pad or button (note on, or CC above 0); parameters take a moving CC."""
        target = self.current
        if target is None:
            return False
        if target.kind == "scene" and kind == "note_on" and value > 0:
            self.learned.append((target, "note", channel, number))
        elif target.kind == "scene" and kind == "control_change" and value > 0:
            self.learned.append((target, "cc", channel, number))
        elif target.kind == "param" and kind == "control_change":
            self.learned.append((target, "cc", channel, number))
        else:
            return False
        self.index += 1
        return True

    def skip(self) -> None:
        self.index += 1

    def to_toml(self) -> str:
        lines = [
            "# MIDI mapping written by `livesync learn`; include it in a show with",
            '# [midi] mapping = "this file".',
            "",
        ]
        for target, what, channel, number in self.learned:
            table = "midi.scenes" if target.kind == "scene" else "midi.params"
            key = "scene" if target.kind == "scene" else "param"
            lines += [
                f"[[{table}]]",
                f"{what} = {number}",
                f"channel = {channel + 1}",
                f"{key} = {_toml_string(target.name)}",
                "",
            ]
        return "\n".join(lines)


def _toml_string(text: str) -> str:
    """`text` as a TOML basic string: a scene named `say "hi"` must not end the string
    early and leave a file the show cannot read. JSON's escapes are TOML's, but for DEL,
    which JSON leaves as it is and TOML refuses (non-ASCII stays as it is: TOML takes no
    surrogate pairs)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
