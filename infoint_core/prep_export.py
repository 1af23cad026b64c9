"""Prep plans out of the app: Markdown and a printable HTML page (the JSON is
``prep.plan_to_json``, which is also how a plan is stored).

Every value that came from the log is escaped for the format it lands in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from infoint_core import identity
from infoint_core.prep import (
    AIR_LABELS,
    PrepPlan,
    display_company,
    display_position,
    load_question_bank,
    long_date,
)


def plan_file_name(plan: PrepPlan, suffix: str) -> str:
    """A download name for the plan: "prep-freya-conway-2026-11-24.md"."""
    day = f"-{plan.meeting_on:%Y-%m-%d}" if plan.meeting_on else ""
    stem = "-".join(identity.name_key(plan.contact).split()) or "contact"
    return f"prep-{stem}{day}.{suffix}"


def _headline(plan: PrepPlan) -> list[str]:
    who = " at ".join(
        part for part in (display_position(plan.position), display_company(plan.company)) if part
    )
    when = long_date(plan.meeting_on) if plan.meeting_on else "meeting not arranged yet"
    parts = [who, when, f"{plan.minutes} minutes"]
    if plan.referrer:
        parts.append(f"referred by {plan.referrer}")
    return [p for p in parts if p]


_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>|#])")


def plan_to_markdown(plan: PrepPlan) -> str:
    """The plan as a Markdown document (user values escaped so they print as written)."""

    def md(text: str) -> str:
        return _MD_SPECIALS.sub(r"\\\1", text)

    bank = load_question_bank()
    lines = [f"# Meeting prep: {md(plan.contact)}", "", md(" · ".join(_headline(plan))), ""]
    lines += ["## Opening", "", f"> {md(plan.opening)}", "", "## Questions", ""]
    for number, q in enumerate(plan.questions, start=1):
        tags = f"{AIR_LABELS[q.air]} · {bank.themes.get(q.theme, q.theme)}"
        lines += [f"{number}. **{md(q.text)}**  ", f"   _{tags}_ — {md(q.why)}", ""]
    counts = ", ".join(f"{AIR_LABELS[k]} {v}" for k, v in plan.air_counts.items())
    lines += [f"AIR covered: {counts}.", ""]
    for title, items in (("Before the meeting", plan.before), ("After the meeting", plan.after)):
        lines += [f"## {title}", "", *(f"- [ ] {md(item)}" for item in items), ""]
    return "\n".join(lines)


_PRINT_CSS = """
@page { size: A4; margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.3 Georgia, 'Times New Roman', serif; color: #111; margin: 0 auto;
       max-width: 46rem; padding: 1.5rem; }
h1 { font-size: 15pt; margin: 0 0 .15rem; }
h2 { font-size: 10.5pt; margin: .6rem 0 .25rem; border-bottom: 1px solid #999; }
.meta { color: #444; margin: 0 0 .4rem; }
.opening { font-style: italic; margin: 0; }
ol { margin: 0; padding-left: 1.4rem; }
li { margin: 0 0 .25rem; break-inside: avoid; }
.why { display: block; color: #555; font-size: 8.5pt; }
.tag { font: 7pt/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em;
       border: 1px solid #888; border-radius: 3px; padding: 1px 3px; margin-right: .3rem; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
ul.check { list-style: none; padding: 0; margin: 0; font-size: 8.5pt; }
ul.check li::before { content: "\\2610\\00a0"; }
footer { margin-top: .6rem; color: #777; font-size: 7.5pt; }
@media print { body { padding: 0; max-width: none; } }
"""


def plan_to_html(plan: PrepPlan) -> str:
    """A printable one-page HTML document of the plan (print styles included; every value
    from the log or the student HTML-escaped)."""
    e = html.escape
    bank = load_question_bank()
    items = "\n".join(
        f'<li><span class="tag">{AIR_LABELS[q.air]}</span>{e(q.text)}'
        f'<span class="why">{e(bank.themes.get(q.theme, q.theme))}: {e(q.why)}</span></li>'
        for q in plan.questions
    )

    def checks(values: Iterable[str]) -> str:
        return "\n".join(f"<li>{e(v)}</li>" for v in values)

    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Meeting prep: {e(plan.contact)}</title>
<style>{_PRINT_CSS}</style>
</head>
<body>
<h1>Meeting prep: {e(plan.contact)}</h1>
<p class="meta">{e(" · ".join(_headline(plan)))}</p>
<h2>Opening</h2>
<p class="opening">{e(plan.opening)}</p>
<h2>Questions</h2>
<ol>
{items}
</ol>
<div class="columns">
<section><h2>Before the meeting</h2><ul class="check">
{checks(plan.before)}
</ul></section>
<section><h2>After the meeting</h2><ul class="check">
{checks(plan.after)}
</ul></section>
</div>
<footer>Prepared with infoint on {e(long_date(plan.as_of))}.</footer>
</body>
</html>
"""
