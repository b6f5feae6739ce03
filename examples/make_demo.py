"""Build `demo-community.xlsx`, the demo community the README's first command runs on.

A made-up WhatsApp community of 300 members in three groups (Core, General,
Retention) with 45 days of chat activity from 1 September 2026. Cycles 1 and
2 are already done: their runs are in `Runs`, their moves (decided by the
rules of SCENARIOS.md) in `Moves`, and each member's `group` is where those
moves left them. The pinned `demo_today` (2026-10-16) makes cycle 3
(1-15 October) due, and its activity is cast so that one run shows every
rule: three promotions with a tie at the cut, two idle Core members moving
down, ten relegations while an idle designer, KOL, locked member and
newcomer stay, returns from Retention, two rewards, a KOL suggestion and a
flooder.

Everything comes from `random.Random(2026)` and the file's timestamps are
pinned, so running the script again writes the same bytes:

    python examples/make_demo.py
"""

from __future__ import annotations

import importlib.util
import math
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if importlib.util.find_spec("grouptier") is None:  # a checkout works without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grouptier.cells import CellValue
from grouptier.reasons import (
    demotion_reason,
    down_rule,
    figures_text,
    promotion_reason,
    reward_reason,
    up_rule,
)
from grouptier.settings import starter_settings
from grouptier.sheet import MOTIVATIONS

SEED = 2026
OUTPUT = Path(__file__).with_name("demo-community.xlsx")
ANCHOR = date(2026, 9, 1)
CYCLE_DAYS = 15
DEMO_CYCLE = 3
DEMO_TODAY = ANCHOR + timedelta(days=DEMO_CYCLE * CYCLE_DAYS)
FILE_TIMESTAMP = datetime(2026, 10, 16, 6, 0, 0)

CORE, GENERAL, RETENTION = "Core", "General", "Retention"
GROUP_ORDER = (CORE, GENERAL, RETENTION)
CORE_CAPACITY = 60
PROMOTE_TOP, DEMOTE_BOTTOM, REWARD_COUNT = 3, 10, 2
DAILY_CAP, GRACE_DAYS = 50, 15

# The Groups tab's rules (blank counts left out), and as the tool reads them (blank: None).
GROUP_ROWS: dict[str, dict[str, Any]] = {
    CORE: {"level": 1, "capacity": CORE_CAPACITY, "demote_max_score": 0, "min_size": 10},
    GENERAL: {
        "level": 2,
        "capacity": 1024,
        "promote_top": PROMOTE_TOP,
        "promote_min_score": 0,
        "demote_bottom": DEMOTE_BOTTOM,
        "demote_max_score": 0,
        "min_size": 20,
    },
    RETENTION: {"level": 3, "capacity": 1024, "promote_min_score": 0},
}
GROUP_RULES = {
    group: {
        "name": group,
        "promote_top": None,
        "promote_min_score": 0,
        "demote_bottom": None,
        "demote_max_score": 0,
        **rules,
    }
    for group, rules in GROUP_ROWS.items()
}

INVITE_LINKS = {
    CORE: "https://chat.whatsapp.com/DemoCoreK7f2Qp9XmB4wZ",
    GENERAL: "https://chat.whatsapp.com/DemoGeneralR3vN8tYc",
    RETENTION: "https://chat.whatsapp.com/DemoRetentionW5hJ2",
}

Row = dict[str, CellValue]
Rows = dict[str, list[Row]]

# --- people -----------------------------------------------------------------------------

# Each culture: "+country code | mobile prefixes | digits after the prefix | weight", then
# a line of first names and one of last names ("^" first: family name first, no space),
# or one line of whole names separated by ";". UK and US numbers use the ranges
# reserved for fiction (Ofcom 07700 900xxx, 555-01xx).
_FICTION_RANGES = ("44", "1")
_CULTURE_TABLE = """
+44 | 7700900 | 3 | 5
Oliver Amelia Harry Isla Jack Poppy George Freya Callum Niamh
Smith Jones Taylor Evans Walsh Hughes Patel Khan Murphy Clarke
+1 | 20255501 31255501 41555501 61755501 71355501 | 2 | 3
Jordan Madison Tyler Brianna Marcus Kayla DeShawn Hannah Logan Jasmine
Johnson Williams Garcia Miller Davis Robinson Walker Young Allen Wright
+91 | 98 97 93 88 70 | 8 | 6
Priya Arjun Ananya Rohan Kavya Vikram Sneha Aditya Meera Rahul
Sharma Iyer Reddy Nair Gupta Mehta Rao Joshi Kapoor Menon
+91 | 98 99 94 | 8 | 2
प्रिया शर्मा; अर्जुन मेहता; अनन्या गुप्ता; रोहन वर्मा; कविता जोशी; विक्रम सिंह; स्नेहा पटेल
+234 | 803 806 813 703 905 816 | 7 | 6
Chinedu Ngozi Tunde Funmilayo Emeka Aisha Segun Chioma Ifeanyi Bukola Yusuf Temitope
Okafor Adeyemi Okonkwo Balogun Eze Abubakar Nwosu Adebayo Obi Ogunleye Okeke
+254 | 722 712 733 701 | 6 | 3
Wanjiru Kamau Achieng Otieno Njeri Akinyi Kiprop Wambui
Mwangi Otieno Kariuki Odhiambo Njoroge Wafula Chege Mutua
+233 | 24 20 54 55 | 7 | 2
Kwame Ama Kofi Akosua Yaw Efua Kojo Abena
Mensah Owusu Boateng Asante Appiah Osei Darko Frimpong
+27 | 82 83 72 79 | 7 | 2
Thabo Lerato Sipho Nomvula Pieter Zanele Bongani Palesa
Nkosi Dlamini Mokoena Botha Khumalo Naidoo Ndlovu Pillay
+20 | 10 11 12 | 8 | 2
محمد حسن; فاطمة السيد; عمر منصور; ليلى حداد; يوسف إبراهيم; نور الشريف; خالد سالم
+971 | 50 52 55 56 | 7 | 3
Omar Layla Yousef Noor Khalid Sara Hamza Mariam Tariq Huda
Haddad Khoury Nasser Saleh Farouk Aziz Rahman Hussain
+966 | 50 55 54 | 7 | 1
عبدالله العتيبي; نورة القحطاني; فيصل الغامدي; ريم الشمري; سلمان الدوسري; هند الحربي
+92 | 300 321 333 345 | 7 | 3
Ayesha Bilal Hina Usman Sana Zain Fatima Imran Mahnoor
Khan Malik Butt Chaudhry Qureshi Siddiqui Sheikh Raza Abbasi
+86 | 138 139 186 158 | 8 | 3
^伟 芳 娜 敏 静 磊 强 洋 艳 杰 婷 浩
王 李 张 刘 陈 杨 黄 赵 周 吴
+65 | 9 8 | 7 | 2
Jasmine Marcus Rachel Darren Cheryl Bryan Wei Jun Mei
Tan Lim Lee Ng Ong Wong Goh Chua Teo
+81 | 90 80 70 | 8 | 1
^花子 太郎 さくら 健太 美咲 翔 陽菜 蓮
佐藤 鈴木 高橋 田中 渡辺 伊藤
+82 | 10 | 8 | 1
^민준 서연 지훈 하은 도윤 지민 서준 수아
김 이 박 최 정 강
+7 | 916 925 903 977 | 7 | 1
Анна Смирнова; Дмитрий Иванов; Мария Кузнецова; Иван Попов; Екатерина Соколова; Сергей Новиков
+30 | 69 | 8 | 1
Νίκος Παπαδόπουλος; Μαρία Γεωργίου; Γιώργος Οικονόμου; Ελένη Δημητρίου; Σοφία Ιωάννου
+55 | 119 219 319 419 | 8 | 5
Lucas Mariana Gabriel Beatriz Rafael Larissa Matheus Camila Thiago Fernanda Bruno
Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Rodrigues Carvalho
+351 | 91 93 96 | 7 | 1
João Inês Tiago Mafalda Diogo Leonor Rui Catarina
Ferreira Martins Sousa Lopes Marques Pinto Fonseca Correia
+34 | 6 7 | 8 | 2
Lucía Javier Carmen Pablo Elena Sergio Marta Álvaro Paula Raúl
García Martínez López Sánchez Romero Navarro Torres Ruiz
+52 | 55 33 81 | 8 | 3
Sofía Diego Valentina Santiago Ximena Emiliano Regina Mateo
Hernández González Ramírez Flores Cruz Morales Reyes Vargas Mendoza
+49 | 151 160 171 176 | 8 | 2
Lena Jonas Leonie Felix Hannah Lukas Mia Niklas
Müller Schmidt Schneider Fischer Weber Becker Hoffmann Wagner
+33 | 6 7 | 8 | 2
Léa Hugo Chloé Louis Manon Théo Camille Jules
Martin Bernard Dubois Moreau Laurent Girard Lefèvre Fontaine
+90 | 532 533 542 555 | 7 | 2
Elif Mehmet Zeynep Emre Ayşe Burak Deniz Can
Kaya Demir Şahin Çelik Öztürk Arslan Koç Kurt
+62 | 812 813 857 878 | 8 | 3
Putri Budi Siti Agus Dewi Rizky Ayu Fajar Intan Hendra
Santoso Wijaya Pratama Saputra Hidayat Kusuma Nugroho Lestari
+63 | 917 918 927 995 | 7 | 3
Maria Jose Angelica Mark Kristine Paolo Joy Carlo Bea
Santos Reyes Cruz Bautista Mendoza Villanueva Ramos Aquino
+84 | 90 91 98 | 7 | 1
Nguyễn Thị Lan; Trần Văn Minh; Lê Thu Hà; Phạm Quốc Bảo; Hoàng Mai Anh; Vũ Đức Long
"""
# Display names people really choose; the first two start like a formula in a spreadsheet.
HANDLES = (
    ("+Ana (Lisbon)", "351"),
    ("@maya", "91"),
    ("Tolu 🌸", "234"),
    ("Coach Dre", "1"),
    ("Mama Nkechi", "234"),
    ("Kemi A.", "44"),
    ("Dr. Farah", "971"),
    ("Rafa ⚽", "55"),
)


@dataclass(frozen=True)
class Culture:
    """Where a member's phone number and display name come from."""

    country_code: str
    prefixes: tuple[str, ...]
    digits: int
    weight: int
    first_names: tuple[str, ...] = ()
    last_names: tuple[str, ...] = ()
    whole_names: tuple[str, ...] = ()
    family_first: bool = False

    def name(self, rng: random.Random) -> str:
        """A plausible display name; some people show only their first name."""
        if self.whole_names:
            return rng.choice(self.whole_names)
        first, last = rng.choice(self.first_names), rng.choice(self.last_names)
        if self.family_first:
            return f"{last}{first}"
        return first if rng.random() < 0.12 else f"{first} {last}"

    def phone(self, rng: random.Random) -> str:
        """A mobile number in international form that cannot reach anyone.

        Outside the UK and US fiction ranges, a 0 after the country code (a trunk
        prefix, never dialled internationally) keeps every number unassigned.
        """
        rest = "".join(rng.choice("0123456789") for _ in range(self.digits))
        trunk = "" if self.country_code in _FICTION_RANGES else "0"
        return f"+{self.country_code}{trunk}{rng.choice(self.prefixes)}{rest}"


def parse_cultures(table: str) -> tuple[Culture, ...]:
    """The cultures of `_CULTURE_TABLE`."""
    cultures = []
    for block in table.strip().lstrip("+").split("\n+"):
        header, *names = block.splitlines()
        code, prefixes, digits, weight = (part.strip() for part in header.split("|"))
        numbers = (code, tuple(prefixes.split()), int(digits), int(weight))
        if len(names) == 1:
            whole = tuple(name.strip() for name in names[0].split(";"))
            cultures.append(Culture(*numbers, whole_names=whole))
        else:
            first, last = names
            cultures.append(
                Culture(
                    *numbers,
                    first_names=tuple(first.lstrip("^").split()),
                    last_names=tuple(last.split()),
                    family_first=first.startswith("^"),
                )
            )
    return tuple(cultures)


CULTURES = parse_cultures(_CULTURE_TABLE)


@dataclass(frozen=True)
class Person:
    """One made-up member: who they are, where they started and how chatty they tend to be."""

    member_id: str
    name: str
    group: str
    joined_on: date
    motivation: str = ""
    role: str = ""
    kol: bool = False
    locked: bool = False
    left_on: date | None = None
    notes: str = ""
    part: str = ""  # a fixed part in the story of cycle 3, e.g. "idle designer"
    zeal: float = 0.05  # chance of posting on a given day
    chatter: float = 3.0  # typical messages on a day they post
    content_rate: float = 0.02  # chance that a day they post includes a content post
    invite_rate: float = 0.01


def make_identities(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless unique (member id, display name) pairs: the handles first, then by culture."""
    by_code = {culture.country_code: culture for culture in CULTURES}
    pending = [(name, by_code[code]) for name, code in HANDLES]
    weights = [culture.weight for culture in CULTURES]
    ids: set[str] = set()
    names: set[str] = set()
    while True:
        if pending:
            name, culture = pending.pop(0)
        else:
            culture = rng.choices(CULTURES, weights)[0]
            name = culture.name(rng)
        member_id = culture.phone(rng)
        if name not in names and member_id not in ids:
            names.add(name)
            ids.add(member_id)
            yield member_id, name


def random_day(rng: random.Random, first: date, last: date) -> date:
    """A day between `first` and `last`, both included."""
    return first + timedelta(days=rng.randint(0, (last - first).days))


def long_tail(rng: random.Random, median: float, spread: float, top: float) -> float:
    """A lognormal propensity: most members near or below `median`, a few far above."""
    return min(top, median * rng.lognormvariate(0, spread))


def new_person(
    rng: random.Random,
    identities: Iterator[tuple[str, str]],
    group: str,
    joined: tuple[date, date],
) -> Person:
    """A member of `group` who joined between the two dates, with a motivation most of the time."""
    member_id, name = next(identities)
    motivation = "" if rng.random() < 0.12 else rng.choices(MOTIVATIONS, (3, 4, 5, 2))[0]
    return Person(member_id, name, group, random_day(rng, *joined), motivation)


def make_people(rng: random.Random) -> list[Person]:
    """All 300 members in the order they joined (the Members tab's order)."""
    identities = make_identities(rng)
    people = (
        core_people(rng, identities)
        + general_people(rng, identities)
        + retention_people(rng, identities)
        + newcomers(rng, identities)
    )
    return sorted(people, key=lambda person: (person.joined_on, person.member_id))


STAFF = (
    ("assistant", "Posts the weekly digest"),
    ("assistant", ""),
    ("activity officer", "Runs the Friday hot seat"),
    ("record officer", "Keeps the resource library"),
    ("designer", "Makes the topic posters"),
    ("diplomat", "Brings in guest speakers"),
    ("executive", "Group rules and welcomes"),
    ("executive", ""),
)


def core_people(rng: random.Random, identities: Iterator[tuple[str, str]]) -> list[Person]:
    """37 Core members: eight staff, two KOLs, a locked sponsor and 26 regulars."""
    staff = [
        replace(
            new_person(rng, identities, CORE, (date(2024, 3, 1), date(2025, 6, 30))),
            role=role,
            notes=note,
            zeal=rng.uniform(0.55, 0.9),
            chatter=rng.uniform(6, 18),
            content_rate=0.3 if role in ("record officer", "designer") else 0.08,
            invite_rate=0.15 if role == "diplomat" else 0.03,
        )
        for role, note in STAFF
    ]
    kols = [
        replace(
            new_person(rng, identities, CORE, (date(2024, 6, 1), date(2025, 12, 31))),
            kol=True,
            notes=note,
            zeal=rng.uniform(0.5, 0.8),
            chatter=9.0,
            content_rate=0.3,
            invite_rate=0.2,
        )
        for note in ("Runs the referral-loop workshop", "Writes the Sunday growth teardown")
    ]
    sponsor = replace(
        new_person(rng, identities, CORE, (date(2024, 3, 1), date(2024, 9, 30))),
        locked=True,
        notes="Sponsor - keep in Core",
        zeal=0.08,
    )
    regulars = [
        replace(
            new_person(rng, identities, CORE, (date(2024, 9, 1), date(2026, 6, 30))),
            zeal=max(0.1, long_tail(rng, 0.3, 0.5, 0.8)),
            chatter=rng.lognormvariate(math.log(5), 0.5),
        )
        for _ in range(26)
    ]
    return [*staff, *kols, sponsor, *regulars]


def general_people(rng: random.Random, identities: Iterator[tuple[str, str]]) -> list[Person]:
    """205 General members: seven with a fixed part in the story, then mostly quiet regulars."""
    joined = (date(2025, 1, 1), date(2026, 8, 20))
    fixed: tuple[tuple[dict[str, Any], str, str], ...] = (
        ({"role": "designer", "zeal": 0.01}, "idle designer", "On leave until November"),
        ({"role": "assistant", "zeal": 0.3}, "", ""),
        ({"kol": True, "zeal": 0.01}, "idle kol", "Podcast host"),
        ({"kol": True, "zeal": 0.25}, "", ""),
        ({"locked": True, "zeal": 0.005}, "idle locked", "Partner agency - do not move"),
        ({"locked": True, "zeal": 0.2}, "", ""),
        ({"left_on": date(2026, 9, 22), "zeal": 0.2}, "gone", "Left on 2026-09-22 (new job)"),
    )
    specials = [
        replace(new_person(rng, identities, GENERAL, joined), part=part, notes=note, **changes)
        for changes, part, note in fixed
    ]
    regulars = [
        replace(
            new_person(rng, identities, GENERAL, joined),
            zeal=long_tail(rng, 0.08, 1.2, 0.6),
            chatter=rng.lognormvariate(math.log(3), 0.6),
        )
        for _ in range(198)
    ]
    return specials + regulars


def retention_people(rng: random.Random, identities: Iterator[tuple[str, str]]) -> list[Person]:
    """48 Retention members, who rarely post; one has left."""
    people = [
        replace(
            new_person(rng, identities, RETENTION, (date(2024, 6, 1), date(2026, 7, 31))),
            zeal=long_tail(rng, 0.004, 0.8, 0.05),
            chatter=2.0,
        )
        for _ in range(48)
    ]
    people[0] = replace(
        people[0], left_on=date(2026, 9, 5), part="gone", notes="Asked to be removed"
    )
    return people


NEWCOMER_NOTES = (
    "Came via the referral poster",
    "Invited by a Core member",
    "Found us on LinkedIn",
    "",
)


def newcomers(rng: random.Random, identities: Iterator[tuple[str, str]]) -> list[Person]:
    """Ten members who joined General during the demo, four in September and six in October.

    The one who joined on 6 October (9 days before cycle 3 ends) has not posted yet.
    """
    people = []
    for offset in (4, 9, 17, 23, 32, 35, 37, 39, 41, 43):
        joined = ANCHOR + timedelta(days=offset)
        person = new_person(rng, identities, GENERAL, (joined, joined))
        zeal = long_tail(rng, 0.15, 0.6, 0.6)
        people.append(replace(person, zeal=zeal, notes=rng.choice(NEWCOMER_NOTES)))
    idle = next(i for i, person in enumerate(people) if person.joined_on == date(2026, 10, 6))
    people[idle] = replace(people[idle], part="idle newcomer", zeal=0.0)
    return people


def is_protected(person: Person, window_end: date) -> bool:
    """Never moved down: staff, KOLs, locked, left, and newcomers inside their grace period."""
    newcomer = (window_end - person.joined_on).days < GRACE_DAYS
    special = bool(person.role) or person.kol or person.locked
    return special or has_left(person, window_end) or newcomer


def has_left(person: Person, day: date) -> bool:
    """True once `person` has left the community, on or before `day`."""
    return person.left_on is not None and person.left_on <= day


# --- activity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One member's activity on one day: one row of the Activity tab."""

    day: date
    member_id: str
    group: str
    messages: int
    content: int = 0
    invites: int = 0


@dataclass(frozen=True)
class Figures:
    """A member's totals over one cycle, with the per-day cap applied to messages."""

    messages: int = 0
    messages_counted: int = 0
    active_days: int = 0
    content: int = 0
    invites: int = 0

    @property
    def score(self) -> int:
        """Messages counted 1, active days 2, content posts 5, invites 3 (SCENARIOS.md)."""
        return self.messages_counted + 2 * self.active_days + 5 * self.content + 3 * self.invites

    def text(self) -> str:
        """The figures in the words of the tool's own reasons."""
        return figures_text(vars(self))


def window(cycle: int) -> tuple[date, date]:
    """First and last day of `cycle`."""
    start = ANCHOR + timedelta(days=(cycle - 1) * CYCLE_DAYS)
    return start, start + timedelta(days=CYCLE_DAYS - 1)


def present_days(person: Person, cycle: int) -> list[date]:
    """The days of `cycle` on which `person` belonged to the community."""
    start, _ = window(cycle)
    days = (start + timedelta(days=offset) for offset in range(CYCLE_DAYS))
    gone = person.left_on or DEMO_TODAY
    return [day for day in days if person.joined_on <= day < gone]


def tally(days: list[Day]) -> dict[str, Figures]:
    """Each member's figures over `days` (at most one Day per member and date)."""
    totals: dict[str, Figures] = defaultdict(Figures)
    for row in days:
        old = totals[row.member_id]
        totals[row.member_id] = Figures(
            old.messages + row.messages,
            old.messages_counted + min(row.messages, DAILY_CAP),
            old.active_days + 1,
            old.content + row.content,
            old.invites + row.invites,
        )
    return totals


def chatter_days(rng: random.Random, person: Person, group: str, cycle: int) -> list[Day]:
    """Ordinary activity in one cycle, drawn from the member's habits and the cycle's mood.

    Outside staff and KOLs in Core, a day holds at most 20 messages, and a cycle
    at most 3 content posts (6 in Core) and 2 invites (unlimited for KOLs), so
    the cast parts of cycle 3 stand out.
    """
    mood = rng.uniform(0.5, 1.5)
    most = 70 if group == CORE and (person.role or person.kol) else 20
    content_left = 99 if person.kol else (6 if group == CORE else 3)
    invites_left = 99 if person.kol else 2
    days = []
    for day in present_days(person, cycle):
        if rng.random() >= min(person.zeal * mood, 0.95):
            continue
        messages = min(most, max(1, round(rng.lognormvariate(math.log(person.chatter), 0.6))))
        content = int(content_left > 0 and rng.random() < person.content_rate)
        invites = int(invites_left > 0 and rng.random() < person.invite_rate)
        content_left, invites_left = content_left - content, invites_left - invites
        days.append(Day(day, person.member_id, group, messages, content, invites))
    return days


# --- cycles 1 and 2: history, decided by the rules --------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The start-of-cycle state that every decision of one cycle reads."""

    cycle: int
    ranked: dict[str, list[Person]]  # group -> its members, best first
    figures: dict[str, Figures]
    groups: dict[str, str]
    last_seen: dict[str, date]  # each member's last day with activity, up to the cycle's end

    def of(self, person: Person) -> Figures:
        """The member's figures this cycle (zero when they did nothing)."""
        return self.figures.get(person.member_id, Figures())

    def rank(self, person: Person) -> int:
        """1 for the best member of their group."""
        return self.ranked[self.groups[person.member_id]].index(person) + 1

    def row(self, person: Person) -> dict[str, Any]:
        """The member as the tool's reasons read them."""
        seen = self.last_seen.get(person.member_id)
        return {
            **vars(self.of(person)),
            "score": self.of(person).score,
            "member_id": person.member_id,
            "name": person.name,
            "group": self.groups[person.member_id],
            "rank": self.rank(person),
            "joined_on": person.joined_on,
            "last_active": seen.toordinal() if seen else 0,
        }


@dataclass(frozen=True)
class Decision:
    """One move of a run: a row of the Moves tab."""

    cycle: int
    person: Person
    from_group: str
    to_group: str
    kind: str
    figures: Figures
    rank: int
    reason: str


def rank_key(person: Person, figures: Figures) -> tuple[int, int, int, int, str]:
    """Best first: score, then active days, content, earlier join date, member id."""
    return (
        -figures.score,
        -figures.active_days,
        -figures.content,
        person.joined_on.toordinal(),
        person.member_id,
    )


def take_snapshot(
    cycle: int, people: list[Person], groups: dict[str, str], days: list[Day], before: list[Day]
) -> Snapshot:
    """Rank the members present and not left at the end of `cycle`, group by group.

    `days` are the cycle's activity, `before` that of the cycles before it.
    """
    _, end = window(cycle)
    figures = tally(days)
    members = [p for p in people if p.joined_on <= end and not has_left(p, end)]
    members.sort(key=lambda p: rank_key(p, figures.get(p.member_id, Figures())))
    ranked = {group: [p for p in members if groups[p.member_id] == group] for group in GROUP_ORDER}
    last_seen: dict[str, date] = {}
    for row in (*before, *days):
        last_seen[row.member_id] = max(row.day, last_seen.get(row.member_id, row.day))
    return Snapshot(cycle, ranked, figures, groups, last_seen)


def decide(snap: Snapshot, person: Person, to_group: str, kind: str, reason: str) -> Decision:
    """A decision about `person` in the snapshot's cycle."""
    source = snap.groups[person.member_id]
    return Decision(
        snap.cycle, person, source, to_group, kind, snap.of(person), snap.rank(person), reason
    )


def decide_cycle(snap: Snapshot) -> list[Decision]:
    """The moves of one cycle in SCENARIOS.md's order: down from Core, down, back, up, rewards."""
    _, end = window(snap.cycle)
    decisions = idle_members(snap, CORE, end, len(snap.ranked[CORE]))
    room = CORE_CAPACITY - len(snap.ranked[CORE]) + len(decisions)
    decisions += idle_members(snap, GENERAL, end, DEMOTE_BOTTOM)
    back = up_rule(GROUP_RULES[RETENTION], GENERAL, "return")
    decisions += [
        decide(snap, p, GENERAL, "return", promotion_reason(snap.row(p), "return", back, None))
        for p in snap.ranked[RETENTION]
        if snap.of(p).score > 0
    ]
    decisions += promotions(snap, min(PROMOTE_TOP, room))
    return decisions + rewards(snap, {d.person.member_id for d in decisions})


def idle_members(snap: Snapshot, group: str, end: date, count: int) -> list[Decision]:
    """Up to `count` unprotected members of `group` with score 0 move a level down.

    The longest silent first: the last day with activity, or the join date of
    someone never active; then member id.
    """
    idle = [p for p in snap.ranked[group] if snap.of(p).score == 0]
    movable = sorted(
        (p for p in idle if not is_protected(p, end)),
        key=lambda p: (snap.last_seen.get(p.member_id, p.joined_on), p.member_id),
    )
    below = GROUP_ORDER[GROUP_ORDER.index(group) + 1]
    rule = down_rule({"name": group, **GROUP_RULES[group]}, below)
    ordered = len(movable) > count
    return [
        decide(
            snap,
            person,
            below,
            "demote",
            demotion_reason(
                snap.row(person),
                rule,
                window(snap.cycle),
                (number, len(movable)) if ordered else None,
                "",
            ),
        )
        for number, person in enumerate(movable[:count], start=1)
    ]


def promotions(snap: Snapshot, count: int) -> list[Decision]:
    """The top `count` of General with a score above 0 move up to Core."""
    general = snap.ranked[GENERAL]
    rule = up_rule({"name": GENERAL, **GROUP_RULES[GENERAL]}, CORE, "promote")
    partner = snap.row(general[count]) if len(general) > count else None
    return [
        decide(
            snap,
            person,
            CORE,
            "promote",
            promotion_reason(snap.row(person), "promote", rule, partner),
        )
        for person in general[:count]
        if snap.of(person).score > 0
    ]


def rewards(snap: Snapshot, moved: set[str]) -> list[Decision]:
    """The top content producers below Core who did not move gain the next group up."""
    producers = [
        person
        for group in (GENERAL, RETENTION)
        for person in snap.ranked[group]
        if snap.of(person).content and person.member_id not in moved
    ]
    producers.sort(key=lambda p: (-snap.of(p).content, rank_key(p, snap.of(p))))
    decisions = []
    for place, person in enumerate(producers[:REWARD_COUNT], start=1):
        group = snap.groups[person.member_id]
        up = GROUP_ORDER[GROUP_ORDER.index(group) - 1]
        reason = reward_reason(snap.row(person), place, up, REWARD_COUNT, INVITE_LINKS[up])
        decisions.append(decide(snap, person, up, "reward", reason))
    return decisions


@dataclass(frozen=True)
class History:
    """Cycles 1 and 2 as they happened: activity, moves, and where everyone ended up."""

    days: list[Day]
    decisions: list[Decision]
    groups: dict[str, str]
    extra_groups: dict[str, list[str]]


def play_history(rng: random.Random, people: list[Person]) -> History:
    """Chat through the cycles before the demo's and apply each cycle's decisions."""
    groups = {person.member_id: person.group for person in people}
    extras: dict[str, list[str]] = defaultdict(list)
    days: list[Day] = []
    decisions: list[Decision] = []
    for cycle in range(1, DEMO_CYCLE):
        cycle_days = [
            day
            for person in people
            for day in chatter_days(rng, person, groups[person.member_id], cycle)
        ]
        made = decide_cycle(take_snapshot(cycle, people, groups, cycle_days, days))
        for decision in made:
            member_id = decision.person.member_id
            if decision.kind == "reward":
                extras[member_id].append(decision.to_group)
                continue
            groups[member_id] = decision.to_group
            if decision.to_group in extras[member_id]:
                extras[member_id].remove(decision.to_group)
        days += cycle_days
        decisions += made
    return History(days, decisions, groups, {key: value for key, value in extras.items() if value})


# --- cycle 3: the demo's own cycle, cast to show every rule -----------------------------

# part -> (active days, fewest and most messages on a day, content posts, invites)
DESIGNS: dict[str, tuple[int, int, int, int, int]] = {
    "top 1": (15, 16, 30, 4, 2),
    "top 2": (14, 14, 26, 3, 1),
    "reward 1": (6, 1, 4, 9, 1),
    "reward 2": (5, 1, 3, 8, 0),
    "kol prospect": (7, 2, 6, 6, 5),
}
# The tie at the promotion cut: equal scores (200+24+10+3 = 204+20+10+3 = 237),
# "top 3" wins on active days (12 vs 10). (days, total messages, content, invites)
TIE = {"top 3": (12, 200, 2, 1), "next in line": (10, 204, 2, 1)}
TOPS = ("top 1", "top 2", "top 3", "next in line")
QUIET_PARTS = ("idle designer", "idle kol", "idle locked", "idle newcomer", "gone", "idle core")


def cast_cycle_three(rng: random.Random, people: list[Person], history: History) -> dict[str, str]:
    """Who plays which part in cycle 3, chosen among ordinary members where history left them.

    The most zealous in General top the ranking; the reward, KOL and flooder parts go
    to members from the middle who hold no extra group yet (a reward would add nothing).
    """
    _, end = window(DEMO_CYCLE)

    def ordinary(group: str) -> list[Person]:
        found = [
            p
            for p in people
            if history.groups[p.member_id] == group
            and not p.part
            and not is_protected(p, end)
            and p.joined_on < ANCHOR
        ]
        return sorted(found, key=lambda p: (-p.zeal, p.member_id))

    general = ordinary(GENERAL)
    middle = [p for p in general[10:80] if p.member_id not in history.extra_groups]
    cast = [
        *zip(general, TOPS, strict=False),
        *zip(
            rng.sample(middle, 4), ("reward 1", "reward 2", "kol prospect", "flooder"), strict=True
        ),
        *((p, "returner") for p in ordinary(RETENTION)[:4]),
        *((p, "idle core") for p in ordinary(CORE)[-2:]),
    ]
    return {person.member_id: part for person, part in cast}


def cycle_three_days(
    rng: random.Random, people: list[Person], groups: dict[str, str], parts: dict[str, str]
) -> list[Day]:
    """Activity of the demo's cycle: cast parts exactly, everyone else by habit."""
    _, end = window(DEMO_CYCLE)
    days: list[Day] = []
    for person in people:
        group = groups[person.member_id]
        part = parts.get(person.member_id, person.part)
        found = part_days(rng, person, group, part)
        if not found and group == CORE and part != "idle core" and not is_protected(person, end):
            found = designed_days(rng, person, group, [2])  # only the cast idle ones leave Core
        days += found
    return days


def part_days(rng: random.Random, person: Person, group: str, part: str) -> list[Day]:
    """The cycle-3 activity of one member playing `part` ("" for no part)."""
    if part in DESIGNS:
        active, low, high, content, invites = DESIGNS[part]
        messages = [rng.randint(low, high) for _ in range(active)]
        return designed_days(rng, person, group, messages, content=content, invites=invites)
    if part in TIE:
        active, total, content, invites = TIE[part]
        messages = messages_summing_to(rng, total, active)
        return designed_days(rng, person, group, messages, content=content, invites=invites)
    if part == "flooder":
        return designed_days(rng, person, group, [400])
    if part == "returner":
        return designed_days(
            rng, person, group, [rng.randint(1, 5) for _ in range(rng.randint(2, 4))]
        )
    if part in QUIET_PARTS or group == RETENTION:
        return []
    return chatter_days(rng, person, group, DEMO_CYCLE)


def designed_days(
    rng: random.Random,
    person: Person,
    group: str,
    messages: list[int],
    *,
    content: int = 0,
    invites: int = 0,
) -> list[Day]:
    """Activity with exact totals: one day per entry of `messages`, posts spread over them."""
    dates = sorted(rng.sample(present_days(person, DEMO_CYCLE), len(messages)))
    posts, sent = spread(rng, content, len(dates)), spread(rng, invites, len(dates))
    return [
        Day(day, person.member_id, group, count, posts[i], sent[i])
        for i, (day, count) in enumerate(zip(dates, messages, strict=True))
    ]


def spread(rng: random.Random, total: int, slots: int) -> list[int]:
    """`total` things dropped at random into `slots` slots."""
    counts = [0] * slots
    for _ in range(total):
        counts[rng.randrange(slots)] += 1
    return counts


def messages_summing_to(rng: random.Random, total: int, days: int) -> list[int]:
    """`days` daily message counts under the daily cap that add up to `total`."""
    mean = total // days
    while True:
        counts = [rng.randint(mean - 8, mean + 8) for _ in range(days - 1)]
        last = total - sum(counts)
        if 1 <= last < DAILY_CAP:
            return [*counts, last]


# --- tabs -------------------------------------------------------------------------------


def settings_rows() -> list[Row]:
    """The starter settings with the demo's anchor, time zone and pinned today."""
    pinned: dict[str, CellValue] = {"time_zone": "Europe/London", "demo_today": DEMO_TODAY}
    return [
        {**row, "value": pinned.get(str(row["setting"]), row["value"])}
        for row in starter_settings(ANCHOR)
    ]


def groups_rows() -> list[Row]:
    """Core, General and Retention with the playbook's rules (blank counts: no limit)."""
    return [
        {"name": group, **GROUP_ROWS[group], "invite_link": INVITE_LINKS[group]}
        for group in GROUP_ORDER
    ]


def members_rows(people: list[Person], history: History) -> list[Row]:
    """One row per member, in the group where cycles 1 and 2 left them."""
    return [
        {
            "member_id": p.member_id,
            "name": p.name,
            "group": history.groups[p.member_id],
            "role": p.role or None,
            "joined_on": p.joined_on,
            "motivation": p.motivation or None,
            "kol": "yes" if p.kol else None,
            "locked": "yes" if p.locked else None,
            "extra_groups": ", ".join(history.extra_groups.get(p.member_id, [])) or None,
            "status": "left" if p.left_on else "active",
            "notes": p.notes or None,
        }
        for p in people
    ]


def activity_rows(days: list[Day]) -> list[Row]:
    """One row per member per active day, as imported from each group's chat export."""
    ordered = sorted(days, key=lambda d: (d.day, GROUP_ORDER.index(d.group), d.member_id))
    return [
        {
            "date": d.day,
            "member_id": d.member_id,
            "group": d.group,
            "messages": d.messages,
            "active_days": 1,
            "content": d.content,
            "invites": d.invites,
            "source": f"demo export {d.group} {window(_cycle_of(d.day))[1]:%Y-%m-%d}",
        }
        for d in ordered
    ]


def imports_rows(days: list[Day]) -> list[Row]:
    """One Imports row per group and cycle: the export each activity row came from.

    Each export runs from the first to the last day with a message in its group
    that cycle, as `grouptier import-chat` records it.
    """
    spans: dict[tuple[int, str], list[date]] = defaultdict(list)
    for d in days:
        spans[_cycle_of(d.day), d.group].append(d.day)
    rows: list[Row] = []
    for (cycle, group), seen in sorted(
        spans.items(), key=lambda item: (item[0][0], GROUP_ORDER.index(item[0][1]))
    ):
        senders = {d.member_id for d in days if d.group == group and _cycle_of(d.day) == cycle}
        rows.append(
            {
                "imported_at": run_time(cycle, seconds=-3600),
                "group": group,
                "first_day": min(seen),
                "last_day": max(seen),
                "source": f"demo export {group} {window(cycle)[1]:%Y-%m-%d}",
                "messages": sum(
                    d.messages for d in days if d.group == group and _cycle_of(d.day) == cycle
                ),
                "senders": len(senders),
                "unmatched": 0,
            }
        )
    return rows


def _cycle_of(day: date) -> int:
    return (day - ANCHOR).days // CYCLE_DAYS + 1


# One topic a line: week of | group | role of the host | title | prompt.
_TOPIC_TABLE = """
2026-10-12 | General | executive | Introduce yourself | Who you are and what you are growing.
2026-10-12 | Core | activity officer | Funnel teardown | One funnel number that surprised you.
2026-10-19 | General | activity officer | Your first 100 users | Where did they come from, and when?
2026-10-19 | Core | diplomat | Guest AMA: past 10k members | Send Thursday's guest your questions.
2026-10-26 | General | designer | Poster clinic | Post a draft poster; get one fix back.
2026-10-26 | Core | record officer | Posts that get forwarded | Which post travelled furthest? Why?
2026-11-02 | General | record officer | One tool, one hour saved | Name it and say how you use it.
2026-11-02 | Core | activity officer | Pricing a paid group | What you charge and what changed.
2026-11-09 | General | assistant | Ask the Core | Core members answer every question this week.
2026-11-09 | Core | executive | Experiments that failed | One retention idea that did not work.
2026-11-16 | General | assistant | Share a win | A win from this month, however small.
2026-11-16 | Core | activity officer | Planning January | Bring one goal; we pair you with a buddy.
"""


def topics_rows(people: list[Person], groups: dict[str, str]) -> list[Row]:
    """Weekly topics from 12 October to 16 November, each hosted by a Core staff member."""
    hosts: dict[str, str] = {}
    for person in people:
        if person.role and groups[person.member_id] == CORE:
            hosts.setdefault(person.role, person.name)
    topics = [line.split(" | ") for line in _TOPIC_TABLE.strip().splitlines()]
    return [
        {
            "week_of": date.fromisoformat(week),
            "group": group,
            "title": title,
            "prompt": prompt,
            "host": hosts[role],
        }
        for week, group, role, title, prompt in topics
    ]


def run_time(cycle: int, seconds: int = 0) -> str:
    """A time of the scheduled run of `cycle`, written as the tool writes it.

    The run starts at 06:00 on the day after the cycle closed.
    """
    _, end = window(cycle)
    started = datetime.combine(end + timedelta(days=1), datetime.min.time()).replace(hour=6)
    return f"{started + timedelta(seconds=seconds):%Y-%m-%d %H:%M:%S}"


def moves_rows(decisions: list[Decision]) -> list[Row]:
    """The Moves tab as the runs of cycles 1 and 2 wrote it, every move carried out."""
    return [
        {
            "cycle": d.cycle,
            "run_at": run_time(d.cycle),
            "member_id": d.person.member_id,
            "name": d.person.name,
            "from_group": d.from_group,
            "to_group": d.to_group,
            "kind": d.kind,
            "score": d.figures.score,
            "rank": d.rank,
            "reason": d.reason,
            "done": "yes",
        }
        for d in decisions
    ]


def runs_rows(decisions: list[Decision]) -> list[Row]:
    """One finished scheduled run per cycle before the demo's."""
    rows: list[Row] = []
    for cycle in range(1, DEMO_CYCLE):
        kinds = Counter(d.kind for d in decisions if d.cycle == cycle)
        rows.append(
            {
                "run_id": f"demo-{cycle:04d}",
                "cycle": cycle,
                "started_at": run_time(cycle),
                "finished_at": run_time(cycle, seconds=4 + cycle),
                "trigger": "schedule",
                "status": "done",
                "summary": ", ".join(f"{count} {kind}" for kind, count in kinds.items()),
                "error": None,
            }
        )
    return rows


def build_starter_rows(seed: int = SEED) -> Rows:
    """Every tab of the demo workbook, keyed by tab name, rows keyed by contract column."""
    rng = random.Random(seed)
    people = make_people(rng)
    history = play_history(rng, people)
    parts = cast_cycle_three(rng, people, history)
    days = history.days + cycle_three_days(rng, people, history.groups, parts)
    return {
        "Settings": settings_rows(),
        "Groups": groups_rows(),
        "Members": members_rows(people, history),
        "Activity": activity_rows(days),
        "Imports": imports_rows(days),
        "Topics": topics_rows(people, history.groups),
        "Moves": moves_rows(history.decisions),
        "Runs": runs_rows(history.decisions),
    }


# --- the file ---------------------------------------------------------------------------

_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def pin_timestamps(path: Path, when: datetime) -> None:
    """Give every zip entry and the document's created/modified dates the time `when`.

    openpyxl stamps the save time into docProps/core.xml and each zip entry,
    so without this two runs would differ in those bytes only.
    """
    stamp = f"{when:%Y-%m-%dT%H:%M:%SZ}"
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    pinned = path.with_suffix(".pinned")
    with zipfile.ZipFile(pinned, "w") as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            target.writestr(info, _pinned(name, data, stamp), compress_type=zipfile.ZIP_DEFLATED)
    pinned.replace(path)


def _pinned(name: str, data: bytes, stamp: str) -> bytes:
    if name != "docProps/core.xml":
        return data
    return _CORE_DATES.sub(rf"\g<1>{stamp}\g<3>", data.decode()).encode()


def write_demo(path: Path = OUTPUT, seed: int = SEED) -> None:
    """Write the demo workbook to `path` (replacing it) with the xlsx backend's tab layout."""
    from grouptier.backends.xlsx import create_workbook

    fresh = path.with_name(f".{path.name}.new")
    fresh.unlink(missing_ok=True)
    create_workbook(fresh, build_starter_rows(seed))
    pin_timestamps(fresh, FILE_TIMESTAMP)
    fresh.replace(path)


def main() -> None:
    """Write examples/demo-community.xlsx."""
    write_demo()
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
