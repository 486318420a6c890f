"""Workshop agendas whose minutes come from the workbooks' own timings.

Every section of a workbook says how long it takes, under its heading: ``*⏱ About 4
minutes.*`` for a core section, ``*⏩ Extension, about 8 minutes: skip it if you are
behind.*`` for an extension, and the workbook's header says the total and the core
("about 30 minutes (15 for the core sections; ...)"). An agenda block that names a workbook
takes its minutes from there (``path = "core"`` or ``"all"``), so an agenda cannot promise a
workbook less time than it says it needs.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..modelcard import with_generated_block

CORE = re.compile(r"^\*⏱ About (\d+) minutes?\.\*$", re.M)
EXTENSION = re.compile(
    r"^\*⏩ Extension, about (\d+) minutes?: skip it if you are behind\.\*$", re.M
)
HEADER = re.compile(r"about (\d+) minutes \((\d+) for the core sections")
#: Sections without a timing of their own.
UNTIMED = ("Summary", "What's next")


@dataclass(frozen=True)
class WorkbookTime:
    """One workbook's timing: its title, and minutes per section (core or extension)."""

    key: str  # "02"
    title: str
    sections: tuple[tuple[str, int, bool], ...]  # (heading, minutes, is_extension)
    stated_total: int
    stated_core: int

    @property
    def total(self) -> int:
        return sum(minutes for _, minutes, _ in self.sections)

    @property
    def core(self) -> int:
        return sum(minutes for _, minutes, extension in self.sections if not extension)


def workbook_times(folder: str | Path = "workbooks") -> dict[str, WorkbookTime]:
    """Every workbook's timing, read from the notebooks in ``folder``, by number ("02")."""
    folder = Path(folder)
    paths = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise ValueError(f"no workbooks in {folder}: run this from a clone of the repository")
    return {path.name[:2]: _timing(path) for path in paths}


def _timing(path: Path) -> WorkbookTime:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    title = next(line[2:] for line in text.splitlines() if line.startswith("# "))
    title = re.sub(r"^\d+\.\s*", "", title)  # "2. Productivity..." -> "Productivity..."
    header = HEADER.search(text)
    if header is None:
        raise ValueError(f"{path.name}: its header does not say 'about N minutes (M for the core")
    sections = []
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = part.splitlines()[0].strip()
        if heading in UNTIMED:
            continue
        core, extension = CORE.findall(part), EXTENSION.findall(part)
        if len(core) + len(extension) != 1:
            raise ValueError(f"{path.name}, section {heading!r}: no single timing line under it")
        sections.append((heading, int((core or extension)[0]), bool(extension)))
    return WorkbookTime(
        path.name[:2], title, tuple(sections), int(header.group(1)), int(header.group(2))
    )


@dataclass(frozen=True)
class Block:
    """One block of an agenda, with its minutes and its script."""

    what: str
    minutes: int
    say: str
    ask: str
    move_on: str
    workbook: str = ""  # "02" when the block is a workbook
    path: str = ""  # "core" or "all" for a workbook


@dataclass(frozen=True)
class Agenda:
    key: str
    name: str
    minutes: int
    prework: tuple[str, ...]
    blocks: tuple[Block, ...]

    def starts(self) -> list[int]:
        """Each block's start, in minutes from the beginning."""
        out, clock = [], 0
        for block in self.blocks:
            out.append(clock)
            clock += block.minutes
        return out


def agendas(folder: str | Path = "workbooks") -> dict[str, Agenda]:
    """The shipped agendas (``agendas.toml``), their workbook blocks timed from ``folder``."""
    times = workbook_times(folder)
    text = resources.files(__package__).joinpath("agendas.toml").read_text(encoding="utf-8")
    out = {}
    for entry in tomllib.loads(text)["agenda"]:
        blocks = []
        for raw in entry["blocks"]:
            if "workbook" in raw:
                timing = times[raw["workbook"]]
                minutes = timing.core if raw["path"] == "core" else timing.total
                part = "core sections" if raw["path"] == "core" else "every section"
                what = f"Workbook {raw['workbook']}: {timing.title} ({part})"
                blocks.append(
                    Block(
                        what,
                        minutes,
                        raw["say"],
                        raw["ask"],
                        raw["move_on"],
                        raw["workbook"],
                        raw["path"],
                    )
                )
            else:
                blocks.append(
                    Block(raw["what"], raw["minutes"], raw["say"], raw["ask"], raw["move_on"])
                )
        out[entry["key"]] = Agenda(
            entry["key"], entry["name"], entry["minutes"], tuple(entry["prework"]), tuple(blocks)
        )
    return out


def clock(minutes: int) -> str:
    """Minutes from the start as the agenda prints them: 0:05, 1:30."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda_markdown(agenda: Agenda, times: dict[str, WorkbookTime]) -> str:
    """An agenda as a markdown table with its script, for the guide and the kit."""
    lines = [f"### {agenda.name}", ""]
    if agenda.prework:
        names = ", ".join(f"{k} ({times[k].title}, {times[k].total} min)" for k in agenda.prework)
        lines += [f"Pre-work, before the session: workbooks {names}.", ""]
    lines += ["| time | what | say | ask | move on |", "|---|---|---|---|---|"]
    for start, block in zip(agenda.starts(), agenda.blocks, strict=True):
        span = f"{clock(start)}–{clock(start + block.minutes)}"
        cells = [span, f"{block.what} ({block.minutes} min)", block.say, block.ask, block.move_on]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines) + "\n"


BEGIN = "<!-- agendas:begin (generated by python -m servicesim.kit.agendas) -->"
END = "<!-- agendas:end -->"


def render_guide(text: str, folder: str | Path = "workbooks") -> str:
    """The facilitator guide's text with its agendas, between their markers, brought up to
    date from ``agendas.toml`` and the workbooks' timings."""
    times = workbook_times(folder)
    body = "\n".join(agenda_markdown(a, times) for a in agendas(folder).values())
    return with_generated_block(text, BEGIN, END, body, "the guide")


def main(argv: list[str] | None = None) -> int:
    import sys

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "docs/facilitator.md")
    path.write_text(render_guide(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated the agendas in {path}")
    return 0


__all__ = [
    "Agenda",
    "Block",
    "WorkbookTime",
    "agenda_markdown",
    "agendas",
    "clock",
    "render_guide",
    "workbook_times",
]

if __name__ == "__main__":
    raise SystemExit(main())
