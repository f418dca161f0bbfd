"""Known data after the Musashino survey (seeds/004: 122 projects of FY2010, 図表2–8), spread over
fiscal years so that yearly tables have something to show.

Forms (図表3), partner kinds (図表4: NPO法人 35.2% / その他 64.8%), outcomes (図表8) and projects per
department (図表2) follow the survey; origins are single answers here, split within 委託 as below.
"""

from demo import factories as f
from organizations.models import CollaborationForm, Organization
from projects.models import CollaborationProject

FORMS = [  # (exact label, projects)
    ("委託（協働委託）", 50),
    ("補助・助成", 32),
    ("共催", 14),
    ("事業協力", 13),
    ("後援", 4),
    ("実行委員会・協議会", 4),
    ("情報提供・情報交換", 3),
    ("企画立案への参画・政策提案", 1),
    ("協賛", 1),
]
KINDS = [  # (kind, partner organizations); NPO法人 43 = 35.2 %, the others 79 = 64.8 %
    (Organization.Kind.NPO, 43),
    (Organization.Kind.VOLUNTARY, 60),
    (Organization.Kind.NEIGHBORHOOD, 10),
    (Organization.Kind.SOCIAL_WELFARE, 9),
]
OUTCOMES = [("good", 87), ("unsure", 32), ("", 3)]  # 71.3 % / 26.2 % / 2.5 %
# 委託 (n=50): 市 23, 団体 11, 双方 10, その他 5, 無回答 1; every other project: 団体.
COMMISSION_ORIGINS = ["city"] * 23 + ["group"] * 11 + ["both"] * 10 + ["other"] * 5 + [""]
DEPARTMENTS = [
    ("生涯学習スポーツ課", 17),
    ("障害者福祉課", 14),
    ("児童青少年課", 10),
    ("緑化環境センター", 9),
    ("クリーンセンター", 8),
    ("高齢者支援課", 8),
    ("安全対策課", 6),
    ("環境政策課", 6),
    ("市民協働推進課", 6),
    ("保育課", 6),
    ("子ども家庭課", 4),
    ("住宅対策課", 4),
    ("図書館", 4),
    ("ごみ総合対策課", 3),
    ("まちづくり推進課", 3),
    ("防災課", 3),
    ("教育支援課", 2),
    ("武蔵境開発事務所", 2),
    ("企画調整課", 1),
    ("議会事務局", 1),
    ("教育企画課", 1),
    ("広報課", 1),
    ("生活経済課", 1),
    ("道路課", 1),
    ("武蔵野プレイス開設準備室", 1),
]
YEARS = [2021, 2022, 2023, 2024, 2025]
IMPORTED = 40  # the first 40 projects come from past records


def expand(pairs):
    return [value for value, n in pairs for _ in range(n)]


def build():
    """122 projects; project i is in FY YEARS[i % 5]. Returns the list of projects."""
    forms = {cf.name: cf for cf in CollaborationForm.objects.all()}
    form_of = expand(FORMS)
    kind_of = expand(KINDS)
    outcome_of = expand(OUTCOMES)
    division = f.DivisionFactory(name="市民部")
    departments = {name: f.DepartmentFactory(name=name, parent=division) for name, _n in DEPARTMENTS}
    department_of = expand(DEPARTMENTS)
    origins = iter(COMMISSION_ORIGINS)
    projects = []
    for i in range(122):
        form = form_of[i]
        project = f.CollaborationProjectFactory(
            fiscal_year_start=YEARS[i % 5],
            department=departments[department_of[i]],
            outcome=outcome_of[i],
            origin=next(origins) if form == "委託（協働委託）" else "group",
            is_imported=i < IMPORTED,
            forms=[forms[form]],
        )
        f.ProjectParticipantFactory(project=project, party=project.department.party)
        f.ProjectParticipantFactory(project=project, party=f.OrganizationFactory(kind=kind_of[i]).party)
        projects.append(project)
    return projects


def fy_counts(form_label: str) -> dict[int, int]:
    """Projects of one form per fiscal year, as build() spreads them."""
    form_of = expand(FORMS)
    counts = dict.fromkeys(YEARS, 0)
    for i in range(122):
        if form_of[i] == form_label:
            counts[YEARS[i % 5]] += 1
    return counts


def all_projects():
    return CollaborationProject.objects.all()
