"""Small-cell protection: the one place that decides which cohort figures may be shown.

A career centre sees figures about groups of students, never about one student. Two
rules keep it so (CONTRACT §7):

1. **Primary.** A figure that rests on fewer than ``min_cell`` students is withheld. A
   figure no student contributes to (a count of 0) describes nobody and is shown.
2. **Complementary.** Figures shown side by side add up: groups to the whole cohort,
   the bins of a distribution to the group's size. Wherever a withheld figure could be
   worked back out of a total and its shown siblings, more siblings are withheld, the
   smallest first. Concretely, for every total that is shown:
   - no withheld part stands alone (total minus the shown parts would give it);
   - the withheld parts together rest on at least ``min_cell`` students, because their
     sum *is* shown in effect (the total minus the shown parts), so it obeys rule 1;
   - where every part is known to be at least 1 (a group has students), the withheld
     parts must not be forced to be 1 each.
   Last, the totals and parts are solved together as a linear system, and any withheld
   figure it still pins down (one reached through two totals at once) gets another
   sibling withheld, until none is.

``suppress`` works on plain ``Cell``s and ``Relation``s, so every output path (the JSON,
the page, the charts, the reports) shows the figures one call decided on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from infoint_core.errors import InputError

MIN_CELL_DEFAULT = 10
MIN_CELL_FLOOR = 5  # asking for smaller groups than this is refused, whoever asks

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure: its ``value`` and how many ``students`` it rests on.

    A ``pinned`` figure is always shown: the size of the cohort, which whoever loaded
    the shares knows anyway.
    """

    key: Key
    value: float | None
    students: int
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Relation:
    """``total`` is the sum of ``parts``, and all of them are shown side by side.

    ``positive``: every part is known to be at least 1 (the size of a listed group).
    """

    total: Key
    parts: tuple[Key, ...]
    positive: bool = False

    @property
    def keys(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def check_min_cell(min_cell: int) -> int:
    """``min_cell`` when it is a whole number of students from ``MIN_CELL_FLOOR`` up.

    Raises InputError otherwise.
    """
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < MIN_CELL_FLOOR:
        raise InputError(
            f"the smallest group shown must be at least {MIN_CELL_FLOOR} students, not {min_cell!r}"
        )
    return min_cell


def suppress(
    cells: Iterable[Cell],
    relations: Sequence[Relation],
    min_cell: int,
    *,
    forced: Iterable[Key] = (),
) -> frozenset[Key]:
    """The keys of the figures to withhold (see the module's rules).

    ``forced`` names figures withheld whatever they rest on (every figure of a group too
    small to show). Every key a relation names must be among ``cells``. Deterministic:
    the same cells give the same answer. Raises InputError for a ``min_cell`` below the
    floor, KeyError for a relation naming an unknown cell.
    """
    check_min_cell(min_cell)
    table = {cell.key: cell for cell in cells}
    for relation in relations:
        for key in relation.keys:
            if key not in table:
                raise KeyError(f"a relation names an unknown figure: {key}")
    hidden = {key for key, cell in table.items() if 0 < cell.students < min_cell}
    hidden |= set(forced)
    hidden -= {key for key, cell in table.items() if cell.pinned}
    while True:
        changed = False
        for relation in relations:
            while (pick := _next_for(relation, table, hidden, min_cell)) is not None:
                hidden.add(pick)
                changed = True
        if changed:
            continue
        for key in sorted(derivable(relations, hidden)):
            if (pick := _complement(key, relations, table, hidden)) is not None:
                hidden.add(pick)
                changed = True
                break
        if not changed:
            return frozenset(hidden)


def derivable(relations: Iterable[Relation], hidden: Collection[Key]) -> set[Key]:
    """The withheld figures that the shown ones pin down exactly through ``relations``.

    Each relation is an equation ``total - sum(parts) = 0``; with the shown figures
    moved to the right-hand side it constrains the withheld ones. A withheld figure is
    pinned down exactly when its unit vector lies in the row space of that system,
    i.e. when the reduced row echelon form has a row with only that figure in it.
    Solved in exact fractions, one connected group of equations at a time.
    """
    equations = []
    for relation in relations:
        row: dict[Key, Fraction] = {}
        for key, coefficient in ((relation.total, -1), *((p, 1) for p in relation.parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + coefficient
        row = {k: c for k, c in row.items() if c}
        if row:
            equations.append(row)
    found: set[Key] = set()
    for component in _components(equations):
        found |= _pinned_by(component)
    return found


# Inside --------------------------------------------------------------------------------


def _next_for(
    relation: Relation, table: dict[Key, Cell], hidden: set[Key], min_cell: int
) -> Key | None:
    """The next figure to withhold so ``relation`` gives nothing away; None when it is
    safe (or nothing more can be withheld)."""
    withheld = [p for p in relation.parts if p in hidden]
    total_hidden = relation.total in hidden
    if not withheld and not total_hidden:
        return None
    if total_hidden:
        # a withheld total next to all its parts shown is their sum
        return None if withheld else _smallest(relation.parts, table, hidden)
    students = sum(table[p].students for p in withheld)
    values = sum(table[p].value or 0 for p in withheld)
    alone = len(withheld) == 1
    too_few = students < min_cell
    all_ones = relation.positive and values <= len(withheld)
    if not (alone or too_few or all_ones):
        return None
    pick = _smallest(relation.parts, table, hidden, with_students=too_few and not alone)
    if pick is None and alone and not table[relation.total].pinned:
        return relation.total  # no sibling left to hide beside it: hide the total itself
    # With no shown sibling resting on anyone, the withheld parts add up to the total, which
    # is shown anyway (and when it rests on nobody, so does every part).
    return pick


def _smallest(
    keys: Iterable[Key], table: dict[Key, Cell], hidden: set[Key], *, with_students: bool = False
) -> Key | None:
    """The shown, unpinned figure among ``keys`` resting on the fewest students (figures
    about nobody last: withholding a 0 protects little); ``with_students`` skips those."""
    candidates = [
        table[k]
        for k in keys
        if k not in hidden and not table[k].pinned and (table[k].students or not with_students)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (c.students == 0, c.students, c.value or 0, c.key))
    return best.key


def _complement(
    key: Key, relations: Sequence[Relation], table: dict[Key, Cell], hidden: set[Key]
) -> Key | None:
    """The smallest shown figure in any relation with ``key``, to withhold beside it."""
    keys = {k for relation in relations if key in relation.keys for k in relation.keys}
    return _smallest(keys, table, hidden)


def _components(equations: list[dict[Key, Fraction]]) -> list[list[dict[Key, Fraction]]]:
    """The equations grouped so that no two groups share a figure."""
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for equation in equations:
        first, *rest = equation
        for key in rest:
            parent[root(key)] = root(first)
    groups: dict[Key, list[dict[Key, Fraction]]] = {}
    for equation in equations:
        groups.setdefault(root(next(iter(equation))), []).append(equation)
    return list(groups.values())


def _pinned_by(equations: list[dict[Key, Fraction]]) -> set[Key]:
    """The figures these equations determine on their own (Gauss–Jordan elimination)."""
    rows = [dict(e) for e in equations]
    variables = sorted({k for e in rows for k in e})
    pivot_row = 0
    for variable in variables:
        source = next((i for i in range(pivot_row, len(rows)) if rows[i].get(variable)), None)
        if source is None:
            continue
        rows[pivot_row], rows[source] = rows[source], rows[pivot_row]
        pivot = rows[pivot_row]
        scale = pivot[variable]
        for k in pivot:
            pivot[k] /= scale
        for i, row in enumerate(rows):
            if i != pivot_row and row.get(variable):
                factor = row[variable]
                for k, c in pivot.items():
                    row[k] = row.get(k, Fraction(0)) - factor * c
                rows[i] = {k: c for k, c in row.items() if c}
        pivot_row += 1
    return {next(iter(row)) for row in rows if len(row) == 1}
