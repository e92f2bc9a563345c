"""Synthetic counties that look like the real ones and provably admit a valid plan.

How feasibility is guaranteed: the generator first draws a *witness* — the teams as a valid plan would leave
them — and derives today's state from it (some witness holders are today's incumbents, some come from other
teams or the reserve pool; the posts they take are vacant today or held by a cadre marked leaving). The
witness plan is then audited by the independent checker under the scenario's policy; a draw that fails is
redrawn from the next sub-seed. Deterministic per seed.

Distributions, from the sources where they give one:
- women ≈ 28% of members (黔南 structure analyses; national township average), at least one per team mostly;
- bachelor or above ≈ 84% (十项措施: 本科及以上学历干部占比提升至83.8%);
- `excellent` ≤ 20% per year (优秀等次比例一般不超过20%), a few `basically_competent`;
- ages 26–57, principals mostly 36–52, ≥ 15% of principals ≤ 35 (aged 32 or more), a member ≤ 30 in every team;
- consistent careers: a rank is reached at a plausible age (staff from 22, 副科 from 27 — 25 for a few —, 正科
  from 31 — 29 for a few, so section chiefs in their twenties are rare) and held for years before the next;
  `post_since` is never before `rank_since` (a post is taken at its rank); township work starts at 21 or later
  and leadership years ≤ township work years, ≥ the years in a team post held today;
- reserve tiers that fit (三个一批): `ready_now` for cadres two years or more in rank with a clean last year,
  `step_up` for others ready for the next rung, `key_post_training` for the young; about a third of the
  deputies in the teams are on the lists too (the source of principals the sources prefer), and nobody whose
  last assessment blocks a promotion;
- ethnic townships with 苗族/布依族/水族 (Qiannan) in the `ethnic` flavour; relatives; a few sanctions.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from planner.domain.vocab import KEY_ROLES, PARTY_ROLES, PRINCIPAL_ROLES

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉红建国志文斌波宇浩凯健俊帆帅旭宁琳欣雪梅晨阳鑫婷颖倩佳睿博昊然子涵思远嘉怡"
TOWN_HEADS = "周王青石龙凤桃李清河白云金山东坡西岭南江北泉新华长安永和太平红岩梅林双桥马场高峰黄土坪上沙湾平坝水口大塘三合兴隆瓦窑"
NEEDS = ["agriculture", "tourism", "industry", "ecology", "governance", "ethnic_culture", "logistics", "mining"]
MINORITIES = ["苗族", "布依族", "水族", "侗族", "瑶族"]

BASE_ROLES = [
    "party_secretary",
    "township_head",
    "congress_chair",
    "deputy_secretary",
    "discipline_secretary",
    "organization_member",
    "armed_forces_head",
    "deputy_head",
]
EXTRA_ROLES = [
    "deputy_head",
    "publicity_member",
    "political_legal_member",
    "deputy_head",
    "united_front_member",
    "deputy_secretary",
]
SUFFIX = {
    "party_secretary": "SEC",
    "township_head": "HEAD",
    "congress_chair": "CHAIR",
    "deputy_secretary": "DSEC",
    "discipline_secretary": "DISC",
    "organization_member": "ORG",
    "publicity_member": "PUB",
    "political_legal_member": "POL",
    "united_front_member": "UF",
    "armed_forces_head": "ARM",
    "deputy_head": "DEPH",
}


@dataclass
class SynthOptions:
    townships: int = 20
    seed: int = 1
    pool_ratio: float = 0.5  # reserve-pool cadres per team post (the benchmark's "pool 2×" is 2.0)
    change_share: float = 0.25  # share of posts whose holder changes in the witness plan
    ethnic: bool = False
    as_of: dt.date = dt.date(2026, 12, 1)
    county_id: str = "synth"
    county_name: str = "样例县"


#: the youngest plausible age at which a rank is reached: (usual, rare) — 正科 in one's twenties is rare
MIN_AGE_AT_RANK = {"staff": (22, 22), "deputy_section": (27, 25), "section_chief": (31, 29)}
PROMOTABLE_TIERS = ("ready_now", "step_up")


class _Gen:
    def __init__(self, opt: SynthOptions, rng: random.Random):
        self.o, self.r = opt, rng
        self.cadres: list[dict[str, Any]] = []
        self.names: set[str] = set()

    # ------------------------------------------------------------------ attributes
    def date_years_ago(self, years: float) -> dt.date:
        return self.o.as_of - dt.timedelta(days=int(years * 365.25) + self.r.randint(1, 40))

    def birth(self, age: int) -> dt.date:
        # whole-year age `age` on as_of: born between (age+1) years and `age` years before as_of
        d = self.o.as_of
        start = dt.date(d.year - age - 1, d.month, min(d.day, 28)) + dt.timedelta(days=2)
        return start + dt.timedelta(days=self.r.randint(0, 360))

    def name(self) -> str:
        for _ in range(50):
            n = self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.choice((1, 2, 2))))
            if n not in self.names:
                self.names.add(n)
                return n
        n = self.r.choice(SURNAMES) + self.r.choice(GIVEN) + str(len(self.cadres))
        self.names.add(n)
        return n

    def grades(self, excellent_bias: float = 0.0) -> dict[str, str]:
        out = {}
        for k in (3, 2, 1):
            x = self.r.random()
            p_exc = 0.15 + excellent_bias
            g = "excellent" if x < p_exc else ("basically_competent" if x > 0.975 else "competent")
            out[str(self.o.as_of.year - k)] = g
        return out

    def education(self) -> str:
        x = self.r.random()
        return "postgraduate" if x < 0.10 else "bachelor" if x < 0.84 else "college" if x < 0.98 else "secondary"

    def rank_room(self, rank: str, age: int, need: float = 0.0) -> float:
        """How many years a cadre aged `age` can have held `rank`: reached at the usual youngest age, or (rarely,
        or when `need` years are required) at the rare one."""
        usual, rare = MIN_AGE_AT_RANK[rank]
        young = rare if self.r.random() < 0.05 else usual
        room = age - young
        if room < need:
            room = age - rare
        return max(0.3, room - 0.15)

    def cadre(
        self,
        *,
        rank: str,
        age: int,
        work: float,
        lead: float,
        cpc: bool = True,
        gender: str | None = None,
        ethnicity: str = "汉族",
        tier: str | None = None,
        post: str | None = None,
        post_years: float = 0.0,
        rank_years: float | None = None,
        origin: str | None = None,
        promotable: bool = False,
        needs: list[str] | None = None,
    ) -> dict[str, Any]:
        r = self.r
        edu = self.education()
        if promotable:
            tier = tier or r.choice(["ready_now", "ready_now", "step_up"])
        # a consistent career: rank reached at a plausible age, the post taken at or after it, work from 21 on
        need = max(post_years if post else 0.0, 2.2 if promotable else 0.0)
        room = self.rank_room(rank, age, need)
        if rank_years is None:
            rank_years = r.uniform(2.2, 6) if promotable else r.uniform(0.5, 8)
        rank_years = min(max(rank_years, need), room)
        if post:
            post_years = min(post_years, rank_years)
        if tier == "fit":  # a tier that fits the career drawn
            tier = self.tier_for(rank, age, rank_years)
        work = min(max(work, post_years + 0.2) if post else work, age - 21.2)  # a team post is township work
        lead = min(max(lead, post_years if post else 0.0), work)
        c: dict[str, Any] = {
            "id": f"C{len(self.cadres) + 1:04d}",
            "name": self.name(),
            "gender": gender or ("F" if r.random() < 0.28 else "M"),
            "birth_date": self.birth(age).isoformat(),
            "ethnicity": ethnicity,
            "cpc_member": cpc,
            "education": edu,
            "fulltime_master": edu == "postgraduate" and r.random() < 0.5,
            "double_first_class": edu in ("postgraduate", "bachelor") and r.random() < 0.12,
            "rank": rank,
            "rank_since": self.date_years_ago(rank_years).isoformat(),
            "township_work_years": round(work, 1),
            "township_leadership_years": round(lead, 1),
            "current_post": post,
            "post_since": None,
            "current_unit": None
            if post
            else r.choice(["县委办", "县政府办", "县农业农村局", "县发改局", "乡镇站所", None]),
            "origin_township": origin,
            "reserve_tier": tier,
            "assessments": self.grades(0.1 if promotable or tier in PROMOTABLE_TIERS else 0.0),
            "specialties": r.sample(needs or NEEDS, k=r.choice((0, 1, 1, 2))),
            "sanction_until": None,
            "leaving": False,
            "relatives": [],
        }
        if post:  # taken on or after the rank (both dates drawn back from as_of: post_since ≥ rank_since)
            since = dt.date.fromisoformat(c["rank_since"])
            c["post_since"] = max(self.date_years_ago(post_years), since).isoformat()
        last = str(self.o.as_of.year - 1)
        if promotable:  # 提拔: good standing
            c["assessments"][last] = r.choice(["excellent", "competent", "competent"])
        elif tier is not None and c["assessments"][last] in ("basically_competent", "incompetent"):
            c["reserve_tier"] = None  # a blocking grade takes a cadre off the lists
        self.cadres.append(c)
        return c

    def tier_for(self, rank: str, age: int, rank_years: float) -> str | None:
        """A reserve tier that fits the profile (None: not on the lists)."""
        if rank == "section_chief":
            return None if self.r.random() < 0.7 else "ready_now"
        if age <= 32 and self.r.random() < 0.5:
            return "key_post_training"
        return "ready_now" if rank_years >= 2 and self.r.random() < 0.7 else "step_up"


def _age_for(role: str, young: bool, rng: random.Random) -> int:
    if young:
        return rng.randint(32, 35) if role in KEY_ROLES else rng.randint(28, 35)
    if role in PRINCIPAL_ROLES:
        return rng.randint(37, 52)
    if role == "congress_chair":
        return rng.randint(45, 56)
    return rng.randint(29, 50)


def generate(opt: SynthOptions) -> tuple[dict[str, Any], dict[str, Any]]:
    """(scenario, witness plan) for `opt`. The witness passes the checker under the scenario's policy."""
    from planner.audit.check import check_plan
    from planner.domain.load import load_plan, load_scenario

    for attempt in range(50):
        rng = random.Random(opt.seed * 1009 + attempt)
        scenario, witness = _draw(opt, rng)
        inst = load_scenario(scenario)
        report = check_plan(inst, load_plan(witness, inst))
        if report.ok:
            return scenario, witness
    raise RuntimeError(f"no valid synthetic county for seed {opt.seed} after 50 draws")  # pragma: no cover


def _draw(opt: SynthOptions, r: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    g = _Gen(opt, r)
    townships: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []
    heads = list(TOWN_HEADS)
    r.shuffle(heads)
    for i in range(opt.townships):
        tid = f"T{i + 1:02d}"
        ethnic = opt.ethnic and r.random() < 0.4
        kind = "ethnic_township" if ethnic else r.choice(["town", "town", "township", "subdistrict"] if i else ["town"])
        stem = heads[(2 * i) % len(heads)] + heads[(2 * i + 1) % len(heads)]
        name = stem + {"town": "镇", "township": "乡", "subdistrict": "街道", "ethnic_township": "乡"}[kind]
        if ethnic:
            groups = r.sample(MINORITIES[:3], k=r.choice((1, 2)))
            name = stem + "".join(x[0] for x in groups) + "族乡"
        else:
            groups = []
        townships.append(
            {
                "id": tid,
                "name": name if len(name) < 12 else name[:11],
                "kind": kind,
                "size": r.choice(["large", "medium", "medium", "small"]),
                "lagging": r.random() < 0.08,
                "ethnic_groups": groups,
                "needs": r.sample(NEEDS, k=2),
            }
        )
        roles = BASE_ROLES + EXTRA_ROLES[: r.randint(0, 4)]
        counter: dict[str, int] = {}
        for role in roles:
            counter[role] = counter.get(role, 0) + 1
            suffix = SUFFIX[role] + (str(counter[role]) if role in ("deputy_head", "deputy_secretary") else "")
            posts.append({"id": f"{tid}-{suffix}", "township": tid, "role": role})
    by_t: dict[str, list[dict]] = {}
    for p in posts:
        by_t.setdefault(p["township"], []).append(p)

    n_principals = 2 * opt.townships
    young_principals = set(r.sample(range(n_principals), k=max(1, -(-15 * n_principals // 100) + 1)))
    witness: dict[str, str | None] = {}
    pidx = 0
    minority_pool = (lambda t: t["ethnic_groups"]) if opt.ethnic else (lambda t: [])

    for t in townships:
        tid, tposts = t["id"], by_t[t["id"]]
        n = len(tposts)
        young_slots = set(r.sample(range(n), k=max(1, -(-3 * n // 10))))  # ≥ 30% aged ≤ 35
        under30 = (
            r.choice(sorted(i for i in young_slots if tposts[i]["role"] not in KEY_ROLES))
            if any(tposts[i]["role"] not in KEY_ROLES for i in young_slots)
            else None
        )
        woman_slot = r.randrange(n)
        # which principal (if any) changes in the witness: never both (principal-change)
        principal_change = (
            r.choice([None, "party_secretary", "township_head"]) if r.random() < 2 * opt.change_share else None
        )
        for i, p in enumerate(tposts):
            role = p["role"]
            is_principal = role in PRINCIPAL_ROLES
            young = i in young_slots
            if is_principal:
                young = pidx in young_principals
                pidx += 1
            age = _age_for(role, young, r)
            if i == under30:
                age = r.randint(26, 30)
            rank = "section_chief" if role in KEY_ROLES else "deputy_section"
            work = max(2.0 if (r.random() < 0.85 or is_principal) else 0.5, min(age - 22, r.uniform(2, 20)))
            if is_principal:
                work = max(work, 5.5 if t["lagging"] else 3.2)
            lead = (
                min(work, r.uniform(2.1, 10))
                if (is_principal or role == "congress_chair")
                else min(work, r.uniform(0, 6))
            )
            cpc = True if role in PARTY_ROLES else r.random() < 0.8
            ethnicity = "汉族"
            groups = minority_pool(t)
            if role == "township_head" and t["kind"] == "ethnic_township":
                ethnicity = r.choice(t["ethnic_groups"])
            elif groups and r.random() < 0.5:
                ethnicity = r.choice(groups)
            elif opt.ethnic and r.random() < 0.15:
                ethnicity = r.choice(MINORITIES)
            gender = "F" if i == woman_slot else None
            origin_choices = [x["id"] for x in townships if x["id"] != tid]
            origin = r.choice(origin_choices) if (origin_choices and r.random() < 0.6) else None
            changes = (
                (role == principal_change)
                if is_principal
                else (r.random() < opt.change_share and role != "congress_chair")
            )
            if not changes:
                tier = None
                if role not in KEY_ROLES and r.random() < 0.35:  # deputies on the 三个一批 lists
                    tier = "fit"
                c = g.cadre(
                    rank=rank,
                    age=age,
                    work=work,
                    lead=lead,
                    cpc=cpc,
                    gender=gender,
                    ethnicity=ethnicity,
                    post=p["id"],
                    post_years=r.uniform(3.1, 9) if is_principal else r.uniform(0.5, 9),
                    origin=origin,
                    needs=t["needs"],
                    tier=tier,
                )
                witness[p["id"]] = c["id"]
                continue
            # the witness holder comes from the pool (or a lower rank) and today's holder is leaving or absent
            step_up = r.random() < 0.6
            from_rank = ("deputy_section" if rank == "section_chief" else "staff") if step_up else rank
            if is_principal:
                lead = max(lead, 2.2)
            c = g.cadre(
                rank=from_rank,
                age=age,
                work=work,
                lead=lead,
                cpc=cpc,
                gender=gender,
                ethnicity=ethnicity,
                origin=origin,
                promotable=True,
                needs=t["needs"],
            )
            witness[p["id"]] = c["id"]
            if r.random() < 0.8:  # today's holder leaves (retirement, promotion out of the county)
                old = g.cadre(
                    rank=rank,
                    age=r.randint(50, 59),
                    work=r.uniform(8, 25),
                    lead=r.uniform(3, 12),
                    cpc=True,
                    post=p["id"],
                    post_years=r.uniform(3.5, 10),
                    origin=None,
                )
                old["leaving"] = True
    # the rest of the reserve pool: a spread of tiers, ranks, ages; some blocked by sanctions or grades
    n_pool = int(opt.pool_ratio * len(posts))
    for _ in range(n_pool):
        rank = r.choice(["staff", "deputy_section", "deputy_section", "section_chief"])
        age = {
            "staff": r.randint(24, 40),
            "deputy_section": r.randint(28, 50),
            "section_chief": r.randint(32, 52) if r.random() > 0.03 else r.randint(29, 31),
        }[rank]
        work = r.uniform(0, min(20, age - 22))
        c = g.cadre(
            rank=rank,
            age=age,
            work=work,
            lead=r.uniform(0, min(4, work)),
            cpc=r.random() < 0.85,
            tier="fit" if r.random() < 0.75 else None,
            origin=r.choice(townships)["id"] if r.random() < 0.5 else None,
            ethnicity=r.choice(MINORITIES) if opt.ethnic and r.random() < 0.35 else "汉族",
        )
        if r.random() < 0.04:
            c["sanction_until"] = (opt.as_of + dt.timedelta(days=r.randint(30, 700))).isoformat()
    # relatives: pairs that never share a witness team
    team_of = {c: pid.split("-")[0] for pid, c in witness.items() if c}
    ids = [c["id"] for c in g.cadres]
    index = {c["id"]: c for c in g.cadres}
    for _ in range(max(1, len(ids) // 60)):
        a, b = r.sample(ids, 2)
        if team_of.get(a) is not None and team_of.get(a) == team_of.get(b):
            continue
        if b not in index[a]["relatives"]:
            index[a]["relatives"].append(b)
    scenario = {
        "format": "reshuffle-scenario/1",
        "county": {"id": opt.county_id, "name": opt.county_name},
        "as_of": opt.as_of.isoformat(),
        "townships": townships,
        "posts": posts,
        "cadres": g.cadres,
        "policy": {},
        "pins": [],
        "forbids": [],
        "approvals": [],
        "waves": 1,
    }
    holder_today = {c["current_post"]: c["id"] for c in g.cadres if c["current_post"]}
    plan = {
        "format": "reshuffle-plan/1",
        "county": opt.county_id,
        "as_of": opt.as_of.isoformat(),
        "status": "feasible",
        "assignments": [
            {
                "post": p["id"],
                "cadre": witness.get(p["id"]),
                "wave": 0 if witness.get(p["id"]) == holder_today.get(p["id"]) else 1,
            }
            for p in posts
        ],
    }
    return scenario, plan
