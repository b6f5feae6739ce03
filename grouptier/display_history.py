"""Looking back in the terminal: processed cycles as recorded, a member's card, an undo."""

from __future__ import annotations

from rich.console import Console

from grouptier.display import shown
from grouptier.member_card import MemberCard
from grouptier.past_cycles import CycleRecord, CycleView
from grouptier.progress import Standing
from grouptier.reasons import ordinal, plural, points
from grouptier.undo import UndoPlan

__all__ = ["show_cycle", "show_cycles", "show_member", "show_undo"]


def show_cycles(console: Console, records: list[CycleRecord], location: str) -> None:
    """One line per processed cycle: its days, when and how it was processed, its moves by kind."""
    if not records:
        console.print(f"No cycle has been processed yet · {shown(location)}")
        return
    console.print(f"[bold]Cycles of {shown(location)}[/]", highlight=False)
    for record in records:
        moves = ", ".join(f"{count} {kind}" for kind, count in record.moves.items())
        if record.status == "done":
            moves = moves or "no moves"
        console.print(
            f"  cycle {record.cycle:<3} {record.window} · {record.status} "
            f"{shown(record.finished_at[:16])} ({shown(record.trigger) or 'unknown'})"
            + (f": {moves}" if moves else ""),
            soft_wrap=True,
            highlight=False,
        )


def show_cycle(console: Console, view: CycleView) -> None:
    """A cycle as the sheet recorded it: its summary, each move and its reason, its Leaderboard."""
    record = view.record
    console.print(
        f"[bold]Cycle {record.cycle}[/] ({record.window}), {record.status} "
        f"{shown(record.finished_at)} · {shown(record.summary)}",
        soft_wrap=True,
        highlight=False,
    )
    console.print(f"\n[bold]Moves[/] ({len(view.moves)})", highlight=False)
    for move in view.moves:
        route = f"{move['from_group']} → {move['to_group']}".strip(" →")
        ticked = " · done" if move["done"] else ""
        console.print(
            f"  {move['kind']:<12} {shown(move['name'] or move['member_id'])} · {shown(route)}"
            f" · score {move['score']}, rank {move['rank']}{ticked}",
            soft_wrap=True,
            highlight=False,
        )
        console.print(f"      {shown(move['reason'])}", soft_wrap=True, highlight=False)
    if not view.leaderboard:
        console.print(f"\nThe Leaderboard no longer holds cycle {record.cycle}.")
        return
    console.print(f"\n[bold]Leaderboard[/] ({len(view.leaderboard)})", highlight=False)
    for row in view.leaderboard:
        note = f" · {shown(row['note'])}" if row["note"] else ""
        console.print(
            f"  {shown(row['group'])} #{row['rank']} {shown(row['name'] or row['member_id'])}"
            f" · {row['score']} · {row['outcome']}{note}",
            soft_wrap=True,
            highlight=False,
        )


def show_undo(console: Console, plan: UndoPlan, location: str, dry_run: bool) -> None:
    """What undoing a cycle did (or would do), and the cells and moves it left to people."""
    verb = "Would undo" if dry_run else "Undid"
    console.print(
        f"{verb} cycle {plan.cycle}: {shown(plan.summary)} · {shown(location)}", soft_wrap=True
    )
    if plan.left_alone:
        console.print("Changed since the cycle, so left as they are:", style="yellow")
        for line in plan.left_alone:
            console.print(f"  {shown(line)}", soft_wrap=True, highlight=False)
    if plan.ticked:
        console.print("Already made in WhatsApp: move these members back there:", style="yellow")
        for line in plan.ticked:
            console.print(f"  {shown(line)}", soft_wrap=True, highlight=False)
    if not dry_run:
        console.print(f"The next run processes cycle {plan.cycle} again.")


def show_member(console: Console, card: MemberCard) -> None:
    """A member's standing now, what protects them, and their recorded cycles."""
    console.print(
        f"[bold]{shown(card.name)}[/] ({shown(card.member_id)}) · {shown(card.group)}"
        + (f" · {shown(', '.join(card.facts))}" if card.facts else ""),
        soft_wrap=True,
        highlight=False,
    )
    window = card.window
    console.print(
        f"\n[bold]Cycle {window.cycle}[/] ({window.start:%Y-%m-%d} to {window.end:%Y-%m-%d}), "
        f"so far, on {card.today:%Y-%m-%d}:",
        highlight=False,
    )
    standing = card.standing
    if standing is None:
        console.print("  not ranked: the member is in no group the cycle ranks")
    else:
        console.print(
            f"  {ordinal(standing.rank)} of {standing.of} in {shown(standing.group)} with "
            f"{points(standing.score)}; {plural(standing.days_left, 'day')} left",
            highlight=False,
        )
        for line in _lines(standing):
            console.print(f"  {line}", soft_wrap=True, highlight=False)
    console.print(f"\n[bold]Past cycles[/] ({len(card.history)})", highlight=False)
    if not card.history:
        console.print("  none recorded yet")
    for past in card.history:
        console.print(
            f"  cycle {past['cycle']}: {shown(past['group'])} #{past['rank']}, "
            f"{past['score']} points · {past['outcome']}",
            highlight=False,
        )
        if past["note"]:
            console.print(f"      {shown(past['note'])}", soft_wrap=True, highlight=False)


def _lines(standing: Standing) -> list[str]:
    lines = []
    if standing.outcome != "stays":
        lines.append(f"if the cycle ended today: {standing.outcome}")
    if standing.to_promotion is not None:
        lines.append(
            "at the promotion line"
            if standing.to_promotion == 0
            else f"{points(standing.to_promotion)} from the promotion line"
        )
    if standing.above_relegation is not None:
        lines.append(
            "at the relegation line"
            if standing.above_relegation == 0
            else f"{points(standing.above_relegation)} above the relegation line"
        )
    lines.append(shown(standing.note))
    return lines
