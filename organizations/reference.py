"""Reference data from DOMAIN.md: the NPO Act's 20 activity fields and the 11 forms of collaboration.

Loaded by a data migration; plain constants so the migration never imports models. The labels are
marked for translation (the rows hold the Japanese; ActivityField/CollaborationForm show them in the
active language).
"""

from django.utils.translation import gettext_noop as _

ACTIVITY_FIELDS = [
    (1, _("保健、医療又は福祉の増進を図る活動"), _("保健・医療・福祉")),
    (2, _("社会教育の推進を図る活動"), _("社会教育")),
    (3, _("まちづくりの推進を図る活動"), _("まちづくり")),
    (4, _("観光の振興を図る活動"), _("観光")),
    (5, _("農山漁村又は中山間地域の振興を図る活動"), _("農山漁村・中山間地域")),
    (6, _("学術、文化、芸術又はスポーツの振興を図る活動"), _("学術・文化・芸術・スポーツ")),
    (7, _("環境の保全を図る活動"), _("環境の保全")),
    (8, _("災害救援活動"), _("災害救援")),
    (9, _("地域安全活動"), _("地域安全")),
    (10, _("人権の擁護又は平和の推進を図る活動"), _("人権・平和")),
    (11, _("国際協力の活動"), _("国際協力")),
    (12, _("男女共同参画社会の形成の促進を図る活動"), _("男女共同参画")),
    (13, _("子どもの健全育成を図る活動"), _("子どもの健全育成")),
    (14, _("情報化社会の発展を図る活動"), _("情報化社会")),
    (15, _("科学技術の振興を図る活動"), _("科学技術")),
    (16, _("経済活動の活性化を図る活動"), _("経済活動の活性化")),
    (17, _("職業能力の開発又は雇用機会の拡充を支援する活動"), _("職業能力・雇用機会")),
    (18, _("消費者の保護を図る活動"), _("消費者の保護")),
    (
        19,
        _("前各号に掲げる活動を行う団体の運営又は活動に関する連絡、助言又は援助の活動"),
        _("団体の運営・活動の支援"),
    ),
    (20, _("前各号で掲げる活動に準ずる活動として都道府県又は指定都市の条例で定める活動"), _("条例で定める活動")),
]

# (code, exact label, definition, example, aliases)
COLLABORATION_FORMS = [
    (
        "information",
        _("情報提供・情報交換"),
        _("市と団体が、施策や活動、地域の課題についての情報を提供し合い、交換します。"),
        _("担当課と団体が地域の子育て支援の状況について定期的に意見交換する。"),
        "情報提供、情報交換",
    ),
    (
        "planning",
        _("企画立案への参画・政策提案"),
        _("団体が市の施策や事業の企画の段階から参加したり、政策を提案したりします。"),
        _("環境基本計画の策定委員会に環境団体が参加する。"),
        "企画立案への参画、政策提案",
    ),
    (
        "co_hosting",
        _("共催"),
        _("市と団体がともに主催者となって一つの催しや事業を行い、費用を分担します。"),
        _("市と団体が共催で防災フェアを開き、会場費と広報費を分け合う。"),
        "",
    ),
    (
        "endorsement",
        _("後援"),
        _("団体が行う公益的な催しに市が名義を貸します。お金は出しません。"),
        _("団体主催の子ども向け科学教室に「市後援」の名義を使う。"),
        "後援名義",
    ),
    (
        "committee",
        _("実行委員会・協議会"),
        _("市と団体で構成する実行委員会や協議会が事業を運営します。"),
        _("市民まつり実行委員会に自治会・NPO・市が参加して運営する。"),
        "実行委員会、協議会",
    ),
    (
        "commission",
        _("委託（協働委託）"),
        _(
            "市が団体に業務を委ね、仕様・確認・評価を双方でつくります。市が一方的に仕様を決める委託は協働ではありません。"
        ),
        _("高齢者の見守り事業の仕様を担当課と団体が一緒に検討し、団体に委託する。"),
        "委託、協働委託",
    ),
    (
        "subsidy",
        _("補助・助成"),
        _("団体の公益的な事業に市が資金を出します。基準を明確にし、結果を公開します。"),
        _("空き家を活用した地域の居場所づくりに補助金を交付する。"),
        "補助、助成",
    ),
    (
        "public_property",
        _("公共財産の活用"),
        _("市または団体が施設や備品を、条件を定めて貸し出します。"),
        _("公民館の一室を子ども食堂の会場として定期的に使う。"),
        "公共財産",
    ),
    (
        "cooperation",
        _("事業協力"),
        _("一定の期間、双方がそれぞれの役割を持って一つの事業に取り組みます。"),
        _("海岸清掃を市が用具と回収、団体が参加者募集と当日運営を担って実施する。"),
        "",
    ),
    (
        "designated_manager",
        _("指定管理者"),
        _("団体が公の施設を指定管理者として管理・運営します。"),
        _("市民活動サポートセンターをNPO法人が指定管理者として運営する。"),
        "",
    ),
    (
        "sponsorship",
        _("協賛"),
        _("事業の趣旨に賛同した者が、資金や物品を提供して支えます。"),
        _("地元企業が清掃活動にごみ袋と軍手を提供する。"),
        "",
    ),
]


def load_reference_data(activity_field_model, collaboration_form_model):
    """Create or refresh the reference rows; takes the models so a migration can pass historical ones."""
    for number, name, short_name in ACTIVITY_FIELDS:
        activity_field_model.objects.update_or_create(number=number, defaults={"name": name, "short_name": short_name})
    for order, (code, name, description, example, aliases) in enumerate(COLLABORATION_FORMS, start=1):
        collaboration_form_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "example": example, "aliases": aliases, "order": order},
        )
