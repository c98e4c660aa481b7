"""Where the bundled shaders, show files and demo live, installed or in a source checkout.

The wheel carries shaders/ and configs/ inside the package; a source checkout keeps them at
the repository's top level. Both layouts resolve here, so nothing else cares which it is.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`shaders` or `configs`, from the package (wheel) or the repository (checkout)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled '{name}' folder is missing from this installation")


def shader_path(relative: str) -> Path:
    return data_dir("shaders") / relative


def demo_show() -> Path:
    return data_dir("configs") / "demo" / "demo.toml"


def is_bundled(path: Path) -> bool:
    """True for files that ship with livesync (the demo, the shader library)."""
    resolved = path.resolve()
    for name in ("configs", "shaders"):
        try:
            resolved.relative_to(data_dir(name).resolve())
            return True
        except (ValueError, FileNotFoundError):
            continue
    return False
