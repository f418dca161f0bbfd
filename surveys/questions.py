"""The questions of the annual collaboration survey (協働事業実態調査), as Musashino's report asks them.

Each question has a code (the key in the stored answers), the label of the paper's 図表, its kind
(one choice, several choices, free text), whether it is asked per project or per department, and
the department categories (①–④) that are asked it. The choice options are data
(`SurveyOption`, editable by coordinators); `DEFAULT_OPTIONS` are the paper's, loaded by the
migration. A survey keeps a snapshot of the options it was opened with.

The wanted-forms question (図表16) offers the portal's forms of collaboration; its population is
the ④ departments whose 実施意向 is the first option (実施したい), and the reasons question
(図表17) is asked of those who chose the second (実施したいとは思わない), as in the paper.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OTHER = "その他"
NO_ANSWER = "無回答"

# Musashino's four categories of departments by their collaboration record.
CURRENT, LAST_YEAR_ONLY, PAST_ONLY, NEVER = 1, 2, 3, 4
WITH_RECORD = frozenset({CURRENT, LAST_YEAR_ONLY, PAST_ONLY})
ALL = frozenset({CURRENT, LAST_YEAR_ONLY, PAST_ONLY, NEVER})


@dataclass(frozen=True)
class Question:
    code: str
    label: str  # the column header of the import file and the questionnaire's label
    title: str  # the paper's 図表 title
    kind: str  # "single", "multi" or "text"
    scope: str  # "project" or "department"
    categories: frozenset
    has_other: bool = False
    figure: str = ""

    @property
    def is_choice(self) -> bool:
        return self.kind in ("single", "multi")


def _q(code, label, title, kind, scope, categories, has_other=False, figure=""):
    return Question(code, label, title, kind, scope, frozenset(categories), has_other, figure)


PROJECT_QUESTIONS = [
    _q("origin", _("実施するに至った経緯"), _("協働事業を実施した経緯"), "multi", "project", WITH_RECORD, True, "5"),
    _q("setup", _("実施体制"), _("協働事業の実施体制"), "multi", "project", WITH_RECORD, True, "6"),
    _q("outcome", _("成果"), _("協働事業の成果について"), "single", "project", {CURRENT, LAST_YEAR_ONLY}, figure="8"),
    _q("systems", _("利用した制度"), _("協働事業を実施するにあたって利用した制度"), "text", "project", WITH_RECORD),
    _q("abolition_reason", _("廃止理由"), _("廃止理由"), "text", "project", {PAST_ONLY}),
]

DEPARTMENT_QUESTIONS = [
    _q("selection_criteria", _("協働相手の選定基準"), _("協働相手の選定基準"), "text", "department", WITH_RECORD),
    _q("merits", _("メリット"), _("協働を進めることによるメリット"), "multi", "department", WITH_RECORD, True, "10"),
    _q("concerns", _("不安や課題"), _("協働を進める上での不安や課題"), "multi", "department", WITH_RECORD, True, "12"),
    _q(
        "continuation",
        _("継続意向"),
        _("今後の継続意向"),
        "single",
        "department",
        {CURRENT, LAST_YEAR_ONLY},
        figure="14",
    ),
    _q("discontinue_reason", _("継続しない理由"), _("継続しない理由"), "text", "department", WITH_RECORD),
    _q("resume", _("再開意向"), _("協働の再開意向"), "single", "department", {PAST_ONLY}),
    _q("intent", _("実施意向"), _("今後の協働の実施意向"), "single", "department", {NEVER}, figure="15"),
    _q(
        "wanted_forms",
        _("実施したい形態"),
        _("今後協働を進める場合の具体的な形態"),
        "multi",
        "department",
        {NEVER},
        True,
        "16",
    ),
    _q(
        "not_wanted_reasons",
        _("実施したいと思わない理由"),
        _("協働を実施したいとは思わない理由"),
        "multi",
        "department",
        {NEVER},
        True,
        "17",
    ),
    _q(
        "requests_to_groups",
        _("市民団体等に改善を求める内容"),
        _("市民団体等に改善を求める内容"),
        "multi",
        "department",
        ALL,
        True,
        "19",
    ),
    _q(
        "city_actions",
        _("行政として取り組む必要があること"),
        _("行政として取り組む必要があると思われること"),
        "multi",
        "department",
        ALL,
        True,
        "22",
    ),
    _q("free_opinion", _("自由意見"), _("その他自由意見"), "text", "department", ALL),
]

QUESTIONS = {q.code: q for q in PROJECT_QUESTIONS + DEPARTMENT_QUESTIONS}
# Questions whose options are the portal's forms of collaboration, not SurveyOption rows.
FORM_QUESTIONS = {"wanted_forms"}

# The paper's options (labels exactly as its 図表); その他 is added to every question with has_other.
DEFAULT_OPTIONS = {
    "origin": [
        "事業内容、事業目的から、協働事業にするほうが、より効果的であると判断した",
        "事業内容・事業目的から行政が直轄で実施することが適切ではないと判断した",
        "NPOや市民団体からのテーマの持ち込みがあったため",
        "上位計画等により、市民団体等との協働で実施することが位置づけられていたため",
    ],
    "setup": [
        "市が発案して実施",
        "市民団体等が発案して実施",
        "市と市民団体等のやりとりの中からアイデアが生まれて実施",
    ],
    "outcome": ["成果が上がっている", "成果は上がっていない", "どちらとも言えない"],
    "merits": [
        "行政だけでは実施できない様々なサービス等の提供が可能となる",
        "地域のニーズ等をきめ細やかに入手し、対応することが可能となる",
        "市民団体との協働により新たなサービス提供のきっかけにつながる",
        "特にない",
    ],
    "concerns": [
        "市との役割分担や責任所在が不明確となる不安",
        "団体の事業継続性に対する不安",
        "団体側の事務処理能力や事業遂行能力への不安",
        "内容の充実等を図る上で十分な予算が確保できない",
        "団体との意思疎通が十分に行えない",
        "特にない",
    ],
    "continuation": ["継続したい", "継続する必要性はない", "わからない"],
    "resume": ["再開したい", "再開したいとは思わない", "わからない"],
    "intent": ["実施したい", "実施したいとは思わない", "わからない"],
    "not_wanted_reasons": [
        "協働に馴染む事業が思い当たらない",
        "協働の必要性を感じない",
        "制度上の問題がある",
        "市民活動団体等に対する情報が足りない",
        "市民活動団体等の組織や運営能力に不安がある",
        "職員の中で理解が進んでいない",
    ],
    "requests_to_groups": [
        "人材の育成",
        "団体の組織運営能力の蓄積",
        "企画力の向上",
        "専門知識やノウハウの蓄積",
        "各種団体間とのネットワークの形成",
    ],
    "city_actions": [
        "職員の協働に対する意識の啓発および向上",
        "市民団体等の育成",
        "企画調整力の向上",
        "行政と市民団体相互の理解の促進のための意見交換の場の設置",
        "行政と市民団体相互の理解の促進のためのルールの整備",
        "業務内容に関する専門性の向上",
        "人事異動についての配慮",
        "市民活動団体等とのネットワークの形成",
    ],
}

# Where the paper puts 「特にない」 after 「その他」 (図表10, 12), the option list keeps that order.
OTHER_BEFORE = {"merits": "特にない", "concerns": "特にない"}


def with_other(code: str, labels: list[str]) -> list[str]:
    """The options of a question as offered: the stored labels with その他 in the paper's place."""
    question = QUESTIONS[code]
    labels = [label for label in labels if label != OTHER]
    if not question.has_other:
        return labels
    before = OTHER_BEFORE.get(code)
    if before in labels:
        i = labels.index(before)
        return [*labels[:i], OTHER, *labels[i:]]
    return [*labels, OTHER]


def questions_for(scope: str, category: int) -> list[Question]:
    source = PROJECT_QUESTIONS if scope == "project" else DEPARTMENT_QUESTIONS
    return [q for q in source if category in q.categories]
