"""Predict, then see: a question, the learner's guess, and what the model shows beside it.

Workshops remember what they guessed wrong. A :class:`Prediction` asks before a result is
shown: the learner picks an answer (or types a number), then presses *Reveal* to see their
guess beside the model's answer and the conclusion behind it. What the learner typed is shown
as text, never as markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import ipywidgets as widgets

from .controls import button
from .static import display_with_static

#: What the reveal says when the guess matches, or not (choices only).
RIGHT, WRONG = "You saw it coming.", "Not what you expected?"


class Prediction:
    """A prediction prompt: ``choices`` to pick from, or a number to type when there are none.

    ``answer`` is the model's answer as shown on reveal (a sentence built from the results,
    not typed numbers; several sentences when the question asks about several numbers);
    ``correct`` the choice it matches, if any; ``conclusion`` what it means. ``unit`` labels
    a typed number.
    """

    def __init__(
        self,
        question: str,
        choices: Sequence[str] = (),
        *,
        answer: str | Sequence[str],
        conclusion: str = "",
        correct: str | None = None,
        unit: str = "",
    ) -> None:
        if not question.strip():
            raise ValueError("question must not be empty")
        answers = (answer,) if isinstance(answer, str) else tuple(answer)
        if not answers or not all(isinstance(a, str) and a.strip() for a in answers):
            raise ValueError("answer must not be empty: say what the model shows")
        if correct is not None and correct not in choices:
            raise ValueError(f"correct={correct!r} is not one of the choices {list(choices)}")
        if len(set(choices)) != len(choices):
            raise ValueError(f"choices must differ from each other, got {list(choices)}")
        self.question, self.choices = question, tuple(choices)
        self.answers, self.conclusion, self.correct, self.unit = answers, conclusion, correct, unit
        self.revealed = False
        self._build()

    # --- what a learner does ----------------------------------------------------------

    @property
    def guess(self) -> str | float | None:
        """The learner's guess so far (None before one is made)."""
        if self.choices:
            return self.picker.value
        value = self.number.value
        return None if value is None or math.isnan(value) else float(value)

    def make_guess(self, value: str | float) -> None:
        """Pick a choice or type a number, as a learner would."""
        if self.choices:
            if value not in self.choices:
                raise ValueError(f"{value!r} is not one of the choices {list(self.choices)}")
            self.picker.value = value
        else:
            self.number.value = float(value)

    def reveal(self) -> None:
        """Show the guess beside what the model shows, and the conclusion."""
        guess = self.guess
        if guess is None:
            raise ValueError("make a guess first")
        shown = guess if isinstance(guess, str) else f"{guess:g} {self.unit}".strip()
        verdict = ""
        if self.correct is not None:
            verdict = f"<b>{RIGHT if guess == self.correct else WRONG}</b> "
        conclusion = f"<p>{html.escape(self.conclusion)}</p>" if self.conclusion else ""
        self.result.value = (
            '<div style="border-left:4px solid #2f6db5;padding:4px 10px;margin-top:6px">'
            f"<div>Your guess: <b>{html.escape(shown)}</b></div>"
            f"<div>{verdict}The model: {'; '.join(html.escape(a) for a in self.answers)}</div>"
            f"{conclusion}</div>"
        )
        self.revealed = True
        self.reveal_button.disabled = True
        (self.picker if self.choices else self.number).disabled = True  # the guess stands

    # --- the panel ----------------------------------------------------------------------

    def _build(self) -> None:
        w = widgets
        self.prompt = w.HTML(f"<b>Predict first.</b> {html.escape(self.question)}")
        if self.choices:
            self.picker = w.ToggleButtons(
                options=list(self.choices), value=None, style={"button_width": "auto"}
            )
            entry: widgets.Widget = self.picker
            self.picker.observe(self._guessed, names="value")
        else:
            self.number = w.FloatText(value=math.nan, description="Your guess", step=None)
            entry = w.HBox([self.number, w.Label(self.unit)])
            self.number.observe(self._guessed, names="value")
        self.reveal_button = button("Reveal", icon="eye", disabled=True)
        self.reveal_button.on_click(lambda _: self.reveal())
        self.result = w.HTML()
        self.widget = w.VBox([self.prompt, entry, self.reveal_button, self.result])

    def _guessed(self, change: dict) -> None:
        self.reveal_button.disabled = self.revealed or self.guess is None

    def _ipython_display_(self) -> None:
        choices = "".join(f"<li>{html.escape(c)}</li>" for c in self.choices)
        answer = "; ".join(html.escape(a) for a in self.answers)
        conclusion = f"<p>{html.escape(self.conclusion)}</p>" if self.conclusion else ""
        static = (
            f"<p><b>Predict first.</b> {html.escape(self.question)}</p><ul>{choices}</ul>"
            f"<details><summary>Reveal the model's answer</summary><p>{answer}</p>"
            f"{conclusion}</details>"
        )
        display_with_static(self.widget, static)
