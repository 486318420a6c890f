"""Reading the files users give the package: scenario and sweep files, uploads, a sweep's output.

A file is read only if it is a regular file (a folder, a device or a named pipe is refused
from ``os.stat`` before anything is opened, so nothing blocks or fills the memory) of at most
:data:`MAX_FILE_BYTES`, in UTF-8. TOML is checked before :mod:`tomllib` sees it: brackets
nested at most :data:`MAX_NESTING` deep (tomllib recurses on them) and keys of at most
:data:`MAX_KEY_PARTS` dotted parts (tomllib slows down with the square of a key's length).
Every refusal is a ValueError of one line that starts with ``where``, the caller's name for
the file ("scenario file 'my-team.toml'"), and never quotes more than a short, escaped
excerpt of what is in it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

#: Largest scenario file, sweep file or upload read (1 MB; a scenario is a few KB).
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of arrays and inline tables (``[`` and ``{``) in a TOML file.
MAX_NESTING = 20
#: Most dotted parts in one TOML key (``staffing.agents`` has 2).
MAX_KEY_PARTS = 20
#: Most characters of a file quoted in an error message.
EXCERPT_CHARS = 20

_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder"),
    (stat.S_ISFIFO, "is a named pipe (FIFO)"),
    (stat.S_ISCHR, "is a device"),
    (stat.S_ISBLK, "is a device"),
    (stat.S_ISSOCK, "is a socket"),
)


def size_rule() -> str:
    """The size limit as the error messages and the docs state it."""
    return f"at most {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES / 1e6:g} MB)"


def read_bytes(path: str | Path, where: str, *, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (None: no limit)."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ValueError(f"{where}: does not exist") from None
    except OSError as err:
        raise ValueError(f"{where}: cannot be read ({err.strerror})") from None
    except ValueError:  # a NUL character, which no file name holds
        raise ValueError(f"{where}: not a file name (it holds a NUL character)") from None
    _check_regular(info, where, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as err:
        raise ValueError(f"{where}: cannot be read ({err.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_regular(os.fstat(descriptor), where, limit)  # the same file as the one stat saw
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise ValueError(f"{where}: larger than {limit:,} bytes; a file may be {size_rule()}")
    return data


def _check_regular(info: os.stat_result, where: str, limit: int | None) -> None:
    for test, kind in _NOT_REGULAR:
        if test(info.st_mode):
            raise ValueError(f"{where}: {kind}, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError(f"{where}: not a regular file")
    if limit is not None and info.st_size > limit:
        raise ValueError(
            f"{where}: {info.st_size:,} bytes is too large; a file may be {size_rule()}"
        )


def decode_text(data: bytes, where: str) -> str:
    """``data`` as UTF-8 text; else a ValueError naming the first bad byte and its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{where}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None


def read_text(path: str | Path, where: str, *, limit: int | None = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of the regular file ``path`` (see :func:`read_bytes`)."""
    return decode_text(read_bytes(path, where, limit=limit), where)


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """TOML text as a dict; bad TOML, deep nesting or very long keys are a ValueError."""
    _check_toml_shape(text, where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{where}: not valid TOML ({_toml_problem(err, text)})") from None
    except RecursionError:  # the shape check should have caught it; never a traceback
        raise ValueError(f"{where}: {_nesting_rule()}") from None
    except ValueError as err:  # tomllib lets Python's own refusals through, e.g. a huge number
        raise ValueError(f"{where}: not valid TOML ({str(err).split(':')[0][:80]})") from None


def read_toml(path: str | Path, where: str) -> dict[str, Any]:
    """The TOML file ``path`` as a dict, with every check of this module."""
    return parse_toml(read_text(path, where), where)


def toml_from_upload(content: bytes | str, where: str) -> dict[str, Any]:
    """Uploaded TOML (bytes as received, or text) as a dict, with the same limits as a file."""
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"{where}: {len(data):,} bytes is too large; a file may be {size_rule()}")
    return parse_toml(decode_text(data, where), where)


def read_json(path: str | Path, where: str) -> Any:
    """The JSON file ``path`` (one the package wrote, so of any size); a damaged file is a
    ValueError naming the line and column where the JSON breaks."""
    text = read_text(path, where, limit=None)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{where}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise ValueError(f"{where}: not valid JSON (nested too deep)") from None
    except ValueError as err:  # e.g. a number of more digits than Python converts
        raise ValueError(f"{where}: not valid JSON ({str(err).split(':')[0][:80]})") from None


def excerpt(text: str) -> str:
    """At most :data:`EXCERPT_CHARS` characters of ``text``, quoted, with control characters
    escaped, so an error message never carries much of a file or anything a terminal runs."""
    cut = text[:EXCERPT_CHARS]
    return repr(cut + "…" if len(text) > EXCERPT_CHARS else cut)


# TOML's strings and comments, whose brackets and dots do not count, and the characters
# that do: brackets, dots, and what ends a key (=, a comma, a new line).
_TOML_TOKENS = re.compile(
    r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"{3,5}'
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+"
    r"|[\[{]|[\]}]|\.|[=,\n]"
)


def _check_toml_shape(text: str, where: str) -> None:
    """Refuse nesting deeper than MAX_NESTING and keys of more than MAX_KEY_PARTS parts,
    in one pass that skips strings and comments."""
    depth = dots = 0
    for token in _TOML_TOKENS.finditer(text):
        char = token.group()
        if len(char) > 1 or char == "#":  # a string or a comment
            continue
        if char in "[{":
            depth += 1
            dots = 0
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                raise ValueError(f"{where}: {_nesting_rule(line)}")
        elif char in "]}":
            depth = max(0, depth - 1)
        elif char == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                line = text.count("\n", 0, token.start()) + 1
                raise ValueError(
                    f"{where}: line {line} has a key of more than {MAX_KEY_PARTS} dotted "
                    "parts (or as many dots outside quotes)"
                )
        else:  # "=", "," or a new line ends a key
            dots = 0


def _nesting_rule(line: int | None = None) -> str:
    at = f" at line {line}" if line else ""
    return f"nesting deeper than {MAX_NESTING} levels{at} (arrays and tables inside one another)"


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _toml_problem(err: tomllib.TOMLDecodeError, text: str) -> str:
    """tomllib's message (shortened), its line and column, and a short excerpt from there."""
    message = str(err)
    if message.endswith(" (at end of document)"):
        return message.removesuffix(" (at end of document)")[:80] + " at the end of the file"
    found = _POSITION.search(message)
    what = message[: found.start()] if found else message
    if len(what) > 80:
        what = what[:80] + "…"
    if not found:
        return what
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.split("\n")  # as tomllib counts lines
    rest = lines[line - 1][column - 1 :] if line <= len(lines) else ""
    near = f", near {excerpt(rest)}" if rest.strip() else ""
    return f"{what} at line {line}, column {column}{near}"
