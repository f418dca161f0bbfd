"""Musashino's survey (seeds/004) rebuilt record by record: 53 sections (①19 ②5 ③1 ④28), the 122
projects of FY2010 (平成22年度, 図表2 and 3), and an import file 「事業別」/「課別」 whose tallies are
the paper's 図表5, 6, 7, 10, 12, 14, 17, 20 and 23.

Multi-answer cells are spread cyclically over the respondents of a group: with every option chosen
by at most as many respondents as there are, each respondent gets at least one option and no option
twice. Where the paper's own figures disagree, the record-level arithmetic wins (see EXPECTED).
"""

import io

from openpyxl import Workbook

from organizations.models import CollaborationForm
from surveys.answers_io import department_header, project_header
from tests import factories as f

FY = 2010
CURRENT = [  # ①: (name, projects) — 図表1 and 図表2
    ("ごみ総合対策課", 3), ("まちづくり推進課", 3), ("保育課", 6), ("児童青少年課", 10), ("図書館", 4),
    ("子ども家庭課", 4), ("安全対策課", 6), ("市民協働推進課", 6), ("広報課", 1), ("武蔵境開発事務所", 2),
    ("武蔵野プレイス開設準備室", 1), ("環境政策課", 6), ("生活経済課", 1), ("生涯学習スポーツ課", 17),
    ("緑化環境センター", 9), ("道路課", 1), ("防災課", 3), ("障害者福祉課", 14), ("高齢者支援課", 8),
]  # fmt: skip
LAST_YEAR_ONLY = [("クリーンセンター", 8), ("企画調整課", 1), ("住宅対策課", 4), ("教育支援課", 2), ("議会事務局", 1)]
PAST_ONLY = [("教育企画課", 1)]
NEVER = (
    "秘書課 総務課 自治法務課 人事課 情報管理課 財政課 管財課 施設課 市民税課 資産税課 納税課 交流事業課 保険課 "
    "市民課 市政センター 用地課 会計課 水道部総務課 水道部工務課 選挙管理委員会事務局 監査委員事務局 指導課 "
    "下水道課 建築指導課 交通対策課 吉祥寺まちづくり事務所 健康課 生活福祉課"
).split()

ORIGIN = [
    "事業内容、事業目的から、協働事業にするほうが、より効果的であると判断した",
    "事業内容・事業目的から行政が直轄で実施することが適切ではないと判断した",
    "NPOや市民団体からのテーマの持ち込みがあったため",
    "上位計画等により、市民団体等との協働で実施することが位置づけられていたため",
    "その他",
]
SETUP = [
    "市が発案して実施",
    "市民団体等が発案して実施",
    "市と市民団体等のやりとりの中からアイデアが生まれて実施",
    "その他",
]
# 図表7: form -> (projects, counts per SETUP option, 無回答)
SETUP_BY_FORM = {
    "委託（協働委託）": (50, [23, 11, 10, 10], 1),
    "共催": (14, [2, 3, 10, 0], 0),
    "後援": (4, [0, 4, 0, 0], 0),
    "実行委員会・協議会": (4, [2, 2, 0, 1], 0),
    "事業協力": (13, [5, 6, 3, 1], 0),
    "補助・助成": (32, [6, 20, 4, 6], 0),
    "企画立案への参画・政策提案": (1, [0, 1, 0, 0], 0),
    "情報提供・情報交換": (3, [1, 1, 1, 0], 0),
    "協賛": (1, [0, 1, 0, 0], 0),
}
ORIGIN_COUNTS = [65, 37, 24, 17, 25]  # 図表5, n=122, 無回答 2
MERITS = [
    "行政だけでは実施できない様々なサービス等の提供が可能となる",
    "地域のニーズ等をきめ細やかに入手し、対応することが可能となる",
    "市民団体との協働により新たなサービス提供のきっかけにつながる",
    "その他",
]
MERIT_COUNTS = [17, 15, 11, 5]  # 図表10, n=25; 特にない 0, 無回答 0
CONCERNS = [
    "市との役割分担や責任所在が不明確となる不安",
    "団体の事業継続性に対する不安",
    "団体側の事務処理能力や事業遂行能力への不安",
    "内容の充実等を図る上で十分な予算が確保できない",
    "団体との意思疎通が十分に行えない",
    "その他",
]
CONCERN_COUNTS = [12, 12, 9, 7, 4, 4]  # 図表12, n=25; 特にない 3 (alone), 無回答 0
REASONS = [
    "協働に馴染む事業が思い当たらない",
    "協働の必要性を感じない",
    "制度上の問題がある",
    "市民活動団体等に対する情報が足りない",
    "市民活動団体等の組織や運営能力に不安がある",
    "職員の中で理解が進んでいない",
    "その他",
]
REASON_COUNTS = [17, 2, 2, 2, 1, 0, 5]  # 図表17, n=22, 無回答 1
REQUESTS = ["人材の育成", "団体の組織運営能力の蓄積", "企画力の向上", "専門知識やノウハウの蓄積", "各種団体間とのネットワークの形成", "その他"]  # fmt: skip
REQUESTS_WITH, REQUESTS_WITHOUT = [18, 10, 9, 7, 8, 5], [2, 7, 1, 3, 2, 3]  # 図表20; 無回答 2 / 14
ACTIONS = [
    "職員の協働に対する意識の啓発および向上",
    "市民団体等の育成",
    "企画調整力の向上",
    "行政と市民団体相互の理解の促進のための意見交換の場の設置",
    "行政と市民団体相互の理解の促進のためのルールの整備",
    "業務内容に関する専門性の向上",
    "人事異動についての配慮",
    "市民活動団体等とのネットワークの形成",
    "その他",
]
ACTIONS_WITH, ACTIONS_WITHOUT = [7, 11, 8, 6, 7, 4, 4, 4, 6], [8, 3, 3, 4, 2, 2, 1, 1, 3]  # 図表23; 無回答 6 / 18
WANTED = [
    ("委託（協働委託）", 1),
    ("共催", 1),
    ("後援", 1),
    ("事業協力", 1),
    ("補助・助成", 1),
    ("情報提供・情報交換", 2),
]

# What the report must show: the paper's shares (record-level arithmetic where the paper disagrees).
EXPECTED = {
    "survey-origin": (122, [53.3, 30.3, 19.7, 13.9, 20.5], 1.6),
    "survey-setup": (122, [32.0, 40.2, 23.0, 14.8], 0.8),
    "survey-merits": (25, [68.0, 60.0, 44.0, 20.0, 0.0], 0.0),
    "survey-concerns": (25, [48.0, 48.0, 36.0, 28.0, 16.0, 16.0, 12.0], 0.0),
    "survey-continuation": (24, [83.3, 4.2, 8.3], 4.2),
    "survey-intent-reasons": (22, [77.3, 9.1, 9.1, 9.1, 4.5, 0.0, 22.7], 4.5),
}
SETUP_BY_FORM_SHARES = {  # 図表7 (shares of 市, 団体, やりとり, その他, 無回答)
    "委託（協働委託）": [46.0, 22.0, 20.0, 20.0, 2.0],
    "共催": [14.3, 21.4, 71.4, 0.0, 0.0],
    "後援": [0.0, 100.0, 0.0, 0.0, 0.0],
    "実行委員会・協議会": [50.0, 50.0, 0.0, 25.0, 0.0],
    "事業協力": [38.5, 46.2, 23.1, 7.7, 0.0],
    "補助・助成": [18.8, 62.5, 12.5, 18.8, 0.0],
    "企画立案への参画・政策提案": [0.0, 100.0, 0.0, 0.0, 0.0],
    "情報提供・情報交換": [33.3, 33.3, 33.3, 0.0, 0.0],
    "協賛": [0.0, 100.0, 0.0, 0.0, 0.0],
    "総計": [32.0, 40.2, 23.0, 14.8, 0.8],
}
# 図表20 / 23: label -> (全体, 有り, 無し) shares. 図表19 prints 28.3 for 無回答 but 図表20's own
# columns (8.0 % of 25 = 2, 50.0 % of 28 = 14) give 16 of 53 = 30.2: the records say 30.2.
BY_RECORD = {
    "survey-requests-to-groups": {
        "人材の育成": (37.7, 72.0, 7.1),
        "団体の組織運営能力の蓄積": (32.1, 40.0, 25.0),
        "企画力の向上": (18.9, 36.0, 3.6),
        "専門知識やノウハウの蓄積": (18.9, 28.0, 10.7),
        "各種団体間とのネットワークの形成": (18.9, 32.0, 7.1),
        "その他": (15.1, 20.0, 10.7),
        "無回答": (30.2, 8.0, 50.0),
    },
    "survey-city-actions": {
        "職員の協働に対する意識の啓発および向上": (28.3, 28.0, 28.6),
        "市民団体等の育成": (26.4, 44.0, 10.7),
        "企画調整力の向上": (20.8, 32.0, 10.7),
        "行政と市民団体相互の理解の促進のための意見交換の場の設置": (18.9, 24.0, 14.3),
        "行政と市民団体相互の理解の促進のためのルールの整備": (17.0, 28.0, 7.1),
        "業務内容に関する専門性の向上": (11.3, 16.0, 7.1),
        "人事異動についての配慮": (9.4, 16.0, 3.6),
        "市民活動団体等とのネットワークの形成": (9.4, 16.0, 3.6),
        "その他": (17.0, 24.0, 10.7),
        "無回答": (45.3, 24.0, 64.3),
    },
}


def spread(people: int, options: list[str], counts: list[int], missing: int = 0) -> list[list[str]]:
    """Each option given to `count` respondents, cyclically; the last `missing` answer nothing."""
    answering = people - missing
    assert sum(counts) >= answering and max(counts) <= answering
    answers = [[] for _ in range(answering)]
    for k, option in enumerate(o for o, count in zip(options, counts, strict=True) for _ in range(count)):
        answers[k % answering].append(option)
    return [[o for o in options if o in a] for a in answers] + [[] for _ in range(missing)]


def _cell(chosen: list[str]) -> str:
    return "\n".join("その他：具体的な内容" if o == "その他" else o for o in chosen)


def build_portal():
    """The 53 sections and 122 projects; returns (sections by name, projects in order)."""
    forms = {cf.name: cf for cf in CollaborationForm.objects.all()}
    division = f.DivisionFactory(name="武蔵野部")
    sections, projects = {}, []
    form_of = [name for name, (n, _c, _m) in SETUP_BY_FORM.items() for _ in range(n)]
    for group, first_year in ((CURRENT, FY - 1), (LAST_YEAR_ONLY, FY), (PAST_ONLY, None)):
        for name, n in group:
            dept = sections[name] = f.DepartmentFactory(name=name, parent=division)
            for i in range(n):
                start = FY - 1 if (first_year is None or (i == 0 and first_year == FY - 1)) else FY
                end = FY - 1 if first_year is None else FY
                project = f.CollaborationProjectFactory(
                    title=f"{name}の協働事業{i + 1}",
                    department=dept,
                    fiscal_year_start=start,
                    fiscal_year_end=end,
                    forms=[forms[form_of[len(projects)]]],
                )
                projects.append(project)
    for name in NEVER:
        sections[name] = f.DepartmentFactory(name=name, parent=division)
    return sections, projects


def project_rows(projects) -> list[list]:
    forms = [p.forms.all()[0].name for p in projects]
    setups = {}
    for form, (n, counts, missing) in SETUP_BY_FORM.items():
        setups[form] = iter(spread(n, SETUP, counts, missing))
    origins = spread(122, ORIGIN, ORIGIN_COUNTS, 2)
    outcomes = ["成果が上がっている"] * 87 + ["どちらとも言えない"] * 32 + [""] * 3
    rows = []
    for i, project in enumerate(projects):
        past = project.fiscal_year_end == FY - 1  # the ③ section's project: the last one, no 成果
        rows.append(
            [
                "平成22年度",
                project.title,
                project.department.name,
                _cell(origins[i]),
                _cell(next(setups[forms[i]])),
                outcomes[i],
                "市の補助金交付要綱" if i % 10 == 0 else "",
                "事業目的を達成したため" if past else "",
            ]
        )
    return rows


def department_rows() -> list[list]:
    with_record = [n for n, _p in CURRENT + LAST_YEAR_ONLY + PAST_ONLY]
    merits = spread(25, MERITS, MERIT_COUNTS)
    concerns = spread(22, CONCERNS, CONCERN_COUNTS) + [["特にない"]] * 3
    continuation = ["継続したい"] * 20 + ["継続する必要性はない", "わからない", "わからない", ""]
    requests = spread(25, REQUESTS, REQUESTS_WITH, 2)
    actions = spread(25, ACTIONS, ACTIONS_WITH, 6)
    rows = []
    for i, name in enumerate(with_record):
        rows.append(
            [
                "H22",
                name,
                "事業遂行能力と実績" if i % 3 == 0 else "",
                _cell(merits[i]),
                _cell(concerns[i]),
                continuation[i] if i < 24 else "",
                "活動場所が無くなったため" if i == 20 else "",
                "わからない" if i == 24 else "",
                "",
                "",
                "",
                _cell(requests[i]),
                _cell(actions[i]),
                "協働の成功事例と反省すべき事例の情報共有。" if i == 0 else "",
            ]
        )
    intents = ["実施したい"] * 3 + ["実施したいとは思わない"] * 22 + ["わからない"] * 2 + [""]
    wanted = spread(3, [w for w, _n in WANTED], [n for _w, n in WANTED])
    reasons = spread(22, REASONS, REASON_COUNTS, 1)
    requests = spread(28, REQUESTS, REQUESTS_WITHOUT, 14)
    actions = spread(28, ACTIONS, ACTIONS_WITHOUT, 18)
    for i, name in enumerate(NEVER):
        rows.append(
            [
                2010,
                name,
                "",
                "",
                "",
                "",
                "",
                "",
                intents[i],
                _cell(wanted[i]) if i < 3 else "",
                _cell(reasons[i - 3]) if 3 <= i < 25 else "",
                _cell(requests[i]),
                _cell(actions[i]),
                "",
            ]
        )
    return rows


def workbook_bytes(project_rows_, department_rows_) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "事業別"
    ws.append(project_header())
    for r in project_rows_:
        ws.append(r)
    ws = wb.create_sheet("課別")
    ws.append(department_header())
    for r in department_rows_:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
