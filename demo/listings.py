"""Demo listings (needs, seeds, themes, menu items) in every status, with interests and replies.

Scale 1 is about 1,500 listings; `ctx.scale` multiplies. Everything is built with bulk inserts
(listings, their activity-field and form rows, status changes, interests, messages), so scale 20
(~30,000 listings) takes seconds, not minutes. Choices come from ctx.rng only; dates are relative to
today so the demo always has open, upcoming and expired listings.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import in_both_languages
from demo import factories
from demo.context import first_member_by_party
from listings.models import Follow, Interest, InterestMessage, Listing, ListingStatusChange
from notifications.models import NoticeKind, Notification

LISTINGS_PER_SCALE = 1500
S = Listing.Status

# Topics per activity field number: what a need, seed or theme in that field is about.
FIELD_TOPICS = {
    1: ["高齢者の見守り", "認知症カフェ", "介護予防の体操教室", "障害のある人の居場所", "ひとり暮らし高齢者の食事会"],
    2: ["公民館の市民講座", "親子の読み聞かせ", "大人の学び直し", "郷土史の勉強会"],
    3: ["空き家の活用", "商店街のにぎわいづくり", "地域の居場所づくり", "公園の愛護活動", "バス停のベンチ設置"],
    4: ["まち歩きガイド", "観光案内ボランティア", "地域の魅力発信"],
    5: ["棚田の保全", "地産地消の朝市", "漁港の朝市"],
    6: ["市民音楽祭", "地域の歴史資料の保存", "障害者スポーツの体験会", "子ども向けの美術教室"],
    7: ["海岸清掃", "里山の保全", "ごみの減量", "生き物調査", "緑のカーテン"],
    8: ["災害ボランティアセンターの運営", "避難所の運営訓練", "防災備蓄の見直し"],
    9: ["通学路の見守り", "防犯パトロール", "交通安全教室"],
    10: ["人権講座", "平和を考える展示"],
    11: ["外国人市民の日本語教室", "多言語での生活情報の発信", "国際交流のつどい"],
    12: ["女性の再就職支援", "男性の家事・育児講座", "DV相談の周知"],
    13: ["子ども食堂", "放課後の学習支援", "子育てサロン", "不登校の子どもの居場所", "プレーパーク"],
    14: ["高齢者のスマホ教室", "地域団体のホームページづくり", "オンライン会議の支援"],
    15: ["子ども向けの科学教室", "プログラミング体験会"],
    16: ["創業支援セミナー", "空き店舗の活用", "地元産品のブランドづくり"],
    17: ["若者の就労体験", "障害のある人の就労支援", "シニアの仕事づくり"],
    18: ["消費者トラブルの出前講座", "悪質商法の見守り"],
    19: ["市民活動団体の運営相談", "団体の会計講座", "ボランティアのマッチング"],
    20: ["地域の支え合い活動"],
}
GROUP_NEEDS = [
    (
        "の担い手を募集しています",
        "活動を続けてきましたが、会員の高齢化で担い手が足りません。一緒に活動してくれる方や団体を探しています。",
    ),
    (
        "の活動場所を探しています",
        "毎月の定例活動に使える会場を探しています。公共施設の活用や地域の施設の紹介をお願いしたいです。",
    ),
    (
        "を広く知らせたい",
        "参加してほしい人に情報が届いていません。市の広報紙やウェブサイトでの紹介に協力いただけませんか。",
    ),
    (
        "の講座に後援をお願いしたい",
        "市民向けの公開講座を開きます。市の後援名義をいただき、学校や公民館にも案内したいと考えています。",
    ),
    (
        "について相談できる担当課を探しています",
        "活動の中で見えてきた地域の課題について、市のどの課に相談すればよいかわからずにいます。",
    ),
]
GROUP_SEEDS = [
    ("の出前講座ができます", "これまでの活動で得た知識をもとに、学校や自治会、公民館で出前講座を行えます。"),
    (
        "のノウハウを提供できます",
        "10年以上の活動で積み重ねた運営のノウハウがあります。市の事業づくりにも役立てていただけます。",
    ),
    ("にボランティアを派遣できます", "登録しているボランティアが30名ほどいます。市のイベントや事業にも協力できます。"),
    (
        "のイベント運営をお手伝いできます",
        "毎年、地域のイベントを企画・運営しています。受付や会場づくりなども担えます。",
    ),
]
DEPT_THEMES = [
    (
        "を一緒に進める団体を募集します",
        "市として取り組みを広げたいと考えていますが、行政だけでは地域の隅々まで届きません。現場を知る団体の皆さんと一緒に進めたいと考えています。",
    ),
    (
        "の新しい仕組みづくり",
        "現在の仕組みを見直し、市民の皆さんの力を活かした新しい仕組みをつくりたいと考えています。企画の段階から参画していただける団体を募集します。",
    ),
    (
        "の担い手を地域で育てたい",
        "担い手の高齢化と不足が課題です。担い手を育てる講座やしくみを、団体の皆さんと一緒に考えたいと思います。",
    ),
]
# The city's menu: (title, form code, body).
MENU_ITEMS = [
    (
        "後援名義の使用",
        "endorsement",
        "公益性のある催しに市の名義をお貸しします。費用の負担はありませんが、市の後援として案内できます。",
    ),
    (
        "市の広報紙での活動紹介",
        "information",
        "広報紙の「まちの活動」欄で団体の活動やイベントを紹介します。掲載は月1回、原稿締切は前々月末です。",
    ),
    ("市公式ウェブサイト・SNSでの情報発信", "information", "団体のイベントや募集を市のウェブサイトとSNSで発信します。"),
    (
        "公民館・地域センターの会議室の提供",
        "public_property",
        "協働事業の打ち合わせや講座に、公民館や地域センターの会議室を使えるよう調整します。",
    ),
    (
        "防災備品・テントの貸出",
        "public_property",
        "地域の催しや訓練に、市の備品（テント・発電機・簡易トイレなど）をお貸しします。",
    ),
    (
        "小中学校への紹介",
        "cooperation",
        "出前授業や体験学習を希望する団体を、学校教育課を通じて市内の小中学校に紹介します。",
    ),
    ("博物館・図書館との連携企画", "cooperation", "博物館・図書館の企画展や講座を、団体と共同で企画・実施します。"),
    (
        "共催による講演会・イベント",
        "co_hosting",
        "市と団体が共に主催者となり、会場費や広報費を分担してイベントを開きます。",
    ),
    (
        "協働事業の委託",
        "commission",
        "仕様の段階から団体と一緒に考える協働委託です。事業の目的や評価方法も一緒に決めます。",
    ),
    ("市民活動補助金", "subsidy", "公益性のある団体の事業に、審査を経て費用の一部を補助します。成果は公開します。"),
    ("実行委員会への参加", "committee", "市が事務局を務める実行委員会に、団体の皆さんにも委員として参加いただけます。"),
    (
        "施策の企画への参画（ワークショップ）",
        "planning",
        "計画づくりのワークショップに団体の皆さんをお招きし、意見を施策に反映します。",
    ),
]
RETURN_REASONS = [
    "会員の皆さんだけが対象の内容に見えます。広く市民に開かれた取り組みであることがわかるよう追記してください。",
    "期間と活動場所（地区）を具体的に書いてください。",
    "担当課との調整状況を書いてください。担当課の同意が確認できてから公開します。",
    "営利目的の宣伝と受け取られる表現があります。修正をお願いします。",
]
INTEREST_MESSAGES = [
    ("この取り組みに関心があります。一度お話を伺えますか。", "会場の提供と、広報での周知に協力できます。"),
    (
        "私たちの団体でもお手伝いできそうです。詳しい内容を教えてください。",
        "ボランティア10名程度と、これまでの活動のノウハウ。",
    ),
    ("交流会でお話を伺い、ご連絡しました。ぜひ協力させてください。", "専門の講師を派遣できます。"),
    ("同じ地区で活動しています。連携できればうれしいです。", "地域のネットワークと、毎月の定例会の場。"),
]
REPLIES = [
    "ご連絡ありがとうございます。ぜひ一度お打ち合わせをさせてください。候補日をお送りします。",
    "ありがとうございます。来月の定例会にお越しいただけますか。",
    "承知しました。コーディネーターの方にも同席をお願いしたいと思います。",
]
# (status, weight) for the generated listings.
STATUS_WEIGHTS = [(S.PUBLISHED, 58), (S.CLOSED, 15), (S.PENDING, 9), (S.RETURNED, 5), (S.DRAFT, 13)]


def seed(ctx):
    today = timezone.localdate()
    now = timezone.now()
    fields = ctx.made["fields"]
    forms = ctx.made["forms"]
    forms_by_code = {f.code: f for f in forms}
    areas = ctx.made["areas"]
    departments = ctx.made["departments"]
    organizations = ctx.made["organizations"]
    users = ctx.made["users"]
    coordinator = users["coordinator"]
    rng = ctx.rng

    members = first_member_by_party()
    themed_depts = [d for d in departments if not d.is_coordinating_section]
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    total = LISTINGS_PER_SCALE * ctx.scale

    specs = _showcase_specs(ctx, today)
    while len(specs) < total:
        if rng.random() < 0.35:
            dept = themed_depts[rng.randrange(len(themed_depts))]
            field_numbers = [f.number for f in getattr(dept, "demo_fields", [])] or [19]
            owner, side, area = dept.party_id, "department", areas[0].pk
            if rng.random() < 0.45:
                title, code, body = MENU_ITEMS[rng.randrange(len(MENU_ITEMS))]
                spec = dict(kind="seed", title=f"{title}（{dept.name}）", body=body, problem="", form_codes=[code])
            else:
                topic = rng.choice(FIELD_TOPICS[rng.choice(field_numbers)])
                suffix, body = rng.choice(DEPT_THEMES)
                spec = dict(
                    kind="need",
                    title=f"{topic}{suffix}",
                    body=f"{dept.name}では{dept.duties}を所管しています。{body}",
                    problem=f"{topic}について、地域の実情に合った取り組みが十分にできていません。",
                    form_codes=rng.sample(["planning", "commission", "cooperation", "co_hosting", "committee"], k=2),
                )
        else:
            org_index = rng.randrange(len(organizations))
            org = organizations[org_index]
            field_numbers = [factories.topic_field_number(org_index)]
            owner, side, area = org.party_id, "organization", org.area_id or areas[rng.randrange(len(areas))].pk
            topic = rng.choice(FIELD_TOPICS[field_numbers[0]])
            if rng.random() < 0.55:
                suffix, body = rng.choice(GROUP_NEEDS)
                kind = "need"
            else:
                suffix, body = rng.choice(GROUP_SEEDS)
                kind = "seed"
            spec = dict(
                kind=kind,
                title=f"{topic}{suffix}",
                body=f"{org.name}です。{body}",
                problem=f"{topic}に関わる地域の課題に取り組んでいます。",
                form_codes=rng.sample(list(forms_by_code), k=rng.randint(1, 3)),
            )
        status = statuses[rng.randrange(len(statuses))]
        spec.update(
            owner=owner,
            side=side,
            area=area,
            status=status,
            field_numbers=sorted({*field_numbers[:1], rng.randint(1, 19)}) if rng.random() < 0.3 else field_numbers[:1],
            age=rng.randint(1, 700),
            expired=status == S.CLOSED and rng.random() < 0.6,
            ongoing=rng.random() < 0.4,
        )
        specs.append(spec)

    listings = _insert_listings(ctx, specs, fields, forms_by_code, today, now, coordinator)
    published = [(lst, spec) for lst, spec in zip(listings, specs, strict=True) if lst.status == S.PUBLISHED]
    interests = _insert_interests(ctx, published, members, organizations, themed_depts, now)
    _demo_follows_and_notices(ctx, users, fields, listings, now)
    ctx.made["listings"] = listings
    ctx.made["interests"] = interests


def _showcase_specs(ctx, today):
    """Hand-written listings for the demo logins: every status on the NPO, themes for 子育て支援課."""
    users = ctx.made["users"]
    npo = users["group_rep"].organization_memberships.get().organization
    kosodate = ctx.made["main_departments"]["子育て支援課"]
    kankyo = ctx.made["main_departments"]["環境政策課"]
    areas = ctx.made["areas"]
    base = dict(area=areas[1].pk, age=20, expired=False, ongoing=True)
    return [
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="need",
            status=S.PUBLISHED,
            title="子ども食堂のボランティアと会場を探しています",
            body=f"{npo.name}です。毎週土曜日に子ども食堂を開いています。調理と見守りのボランティア、"
            "そして地域の公民館など会場の協力先を探しています。",
            problem="ひとり親家庭や共働き家庭の子どもが、放課後や週末に安心して過ごせる場所が足りません。",
            field_numbers=[13, 1],
            form_codes=["public_property", "cooperation"],
            showcase_interest=True,
        ),
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="seed",
            status=S.PUBLISHED,
            title="子育て世帯向けの食育講座ができます",
            body="管理栄養士の会員が、親子向けの食育講座を行えます。公民館や保育園への出前も可能です。",
            problem="",
            field_numbers=[13],
            form_codes=["co_hosting", "endorsement"],
        ),
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="need",
            status=S.RETURNED,
            title="学習支援の場所の提供をお願いしたい",
            body="中学生の学習支援教室を開くため、平日夜に使える会場を探しています。",
            problem="",
            field_numbers=[13, 2],
            form_codes=["public_property"],
            return_reason=RETURN_REASONS[1],
        ),
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="seed",
            status=S.PENDING,
            title="フードドライブの運営ノウハウを提供できます",
            body="家庭で余った食品を集めて必要な家庭に届けるフードドライブを5年間続けてきました。",
            problem="",
            field_numbers=[1],
            form_codes=["cooperation"],
        ),
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="need",
            status=S.DRAFT,
            title="夏休みの子ども向け企画（作成中）",
            body="夏休みに子ども向けの体験企画を考えています。",
            problem="",
            field_numbers=[13],
            form_codes=[],
        ),
        dict(
            base,
            owner=npo.party_id,
            side="organization",
            kind="need",
            status=S.CLOSED,
            expired=True,
            ongoing=False,
            age=400,
            title="昨年度の子どもまつりのボランティア募集（終了）",
            body="昨年度の子どもまつりの運営ボランティアを募集しました。ご協力ありがとうございました。",
            problem="",
            field_numbers=[13],
            form_codes=["cooperation"],
        ),
        dict(
            base,
            owner=kosodate.party_id,
            side="department",
            kind="need",
            status=S.PUBLISHED,
            title="地域の子ども食堂のネットワークづくり",
            body="子育て支援課では、市内の子ども食堂どうしが食材や人手を融通し合えるネットワークをつくりたいと考えています。"
            "運営のノウハウを持つ団体の皆さんと、企画の段階から一緒に取り組みます。",
            problem="子ども食堂が地区によって偏っており、運営の担い手も不足しています。",
            field_numbers=[13, 1],
            form_codes=["planning", "committee"],
        ),
        dict(
            base,
            owner=kosodate.party_id,
            side="department",
            kind="seed",
            status=S.PUBLISHED,
            title="子育て支援イベントへの後援名義（子育て支援課）",
            body=MENU_ITEMS[0][2],
            problem="",
            field_numbers=[13],
            form_codes=["endorsement"],
        ),
        dict(
            base,
            owner=kosodate.party_id,
            side="department",
            kind="need",
            status=S.PENDING,
            title="プレーパークの運営を担う団体を募集します",
            body="市内の公園でプレーパーク（冒険遊び場）を開く団体を募集します。",
            problem="",
            field_numbers=[13],
            form_codes=["commission"],
        ),
        dict(
            base,
            owner=kankyo.party_id,
            side="department",
            kind="need",
            status=S.PUBLISHED,
            title="海岸清掃を一緒に進める団体を募集します",
            body="環境政策課では、海岸のごみを減らす取り組みを団体の皆さんと一緒に進めたいと考えています。",
            problem="海岸に漂着するプラスチックごみが増えています。",
            field_numbers=[7],
            form_codes=["cooperation", "co_hosting"],
        ),
    ]


def _insert_listings(ctx, specs, fields, forms_by_code, today, now, coordinator):
    rng = ctx.rng
    objs = []
    for spec in specs:
        age = spec["age"]
        start = today - datetime.timedelta(days=age)
        if spec["expired"]:
            end = today - datetime.timedelta(days=rng.randint(1, max(1, age - 1)) if age > 1 else 1)
            start = min(start, end)
        elif spec["ongoing"]:
            end = None
        else:
            end = today + datetime.timedelta(days=rng.randint(30, 365))
        status = spec["status"]
        published_at = now - datetime.timedelta(days=age) if status in (S.PUBLISHED, S.CLOSED) else None
        lst = Listing(
            kind=spec["kind"],
            owner_id=spec["owner"],
            title=spec["title"][:200],
            body=spec["body"],
            problem=spec["problem"],
            area_id=spec["area"],
            period_start=start,
            period_end=end,
            budget_note="費用は応相談です。" if rng.random() < 0.3 else "",
            status=status,
            published_at=published_at,
            closed_at=now - datetime.timedelta(days=1) if status == S.CLOSED else None,
            screen_public_interest=status in (S.PUBLISHED, S.CLOSED),
            screen_fits_plans=status in (S.PUBLISHED, S.CLOSED),
            screen_department_agrees=status in (S.PUBLISHED, S.CLOSED) and spec["side"] == "department",
            return_reason=spec.get("return_reason") or (rng.choice(RETURN_REASONS) if status == S.RETURNED else ""),
        )
        lst.analyse()
        objs.append(lst)
    listings = Listing.objects.bulk_create(objs, batch_size=1000)
    ctx.progress("listings", len(listings), len(specs))

    FieldThrough = Listing.activity_fields.through
    FormThrough = Listing.collaboration_forms.through
    FieldThrough.objects.bulk_create(
        [
            FieldThrough(listing_id=lst.pk, activityfield_id=fields[n].pk)
            for lst, spec in zip(listings, specs, strict=True)
            for n in spec["field_numbers"]
        ],
        batch_size=5000,
    )
    FormThrough.objects.bulk_create(
        [
            FormThrough(listing_id=lst.pk, collaborationform_id=forms_by_code[c].pk)
            for lst, spec in zip(listings, specs, strict=True)
            for c in dict.fromkeys(spec["form_codes"])
        ],
        batch_size=5000,
    )

    changes = []
    for lst in listings:
        created = now - datetime.timedelta(days=_age_of(lst, now) + 7)
        steps = [("", S.DRAFT, None, "作成")]
        if lst.status != S.DRAFT:
            steps.append((S.DRAFT, S.PENDING, None, "審査を申請"))
        if lst.status == S.RETURNED:
            steps.append((S.PENDING, S.RETURNED, coordinator, lst.return_reason))
        if lst.status in (S.PUBLISHED, S.CLOSED):
            steps.append((S.PENDING, S.PUBLISHED, coordinator, ""))
        if lst.status == S.CLOSED:
            expired = lst.period_end is not None and lst.period_end < today
            steps.append(
                (S.PUBLISHED, S.CLOSED, None if expired else coordinator, "掲載期間の終了" if expired else "掲載を終了")
            )
        for i, (frm, to, actor, note) in enumerate(steps):
            changes.append(
                ListingStatusChange(
                    listing_id=lst.pk,
                    from_status=frm,
                    to_status=to,
                    actor=actor,
                    note=note,
                    at=created + datetime.timedelta(days=i * 2),
                )
            )
    ListingStatusChange.objects.bulk_create(changes, batch_size=5000)
    ctx.count("listings", len(listings))
    ctx.count("listing status changes", len(changes))
    return listings


def _age_of(listing, now) -> int:
    return (now - listing.published_at).days if listing.published_at else 10


def _insert_interests(ctx, published, members, organizations, departments, now):
    """About a fifth of the published listings get one or two interests; most are answered."""
    rng = ctx.rng
    specs = []
    for lst, spec in published:
        wanted = 1 if spec.get("showcase_interest") else (rng.random() < 0.35) * rng.randint(1, 2)
        for _n in range(wanted):
            if spec.get("showcase_interest"):
                sender_party = ctx.made["main_departments"]["子育て支援課"].party_id
            elif spec["side"] == "department" or rng.random() < 0.3:
                sender_party = organizations[rng.randrange(len(organizations))].party_id
            else:
                sender_party = departments[rng.randrange(len(departments))].party_id
            if sender_party == lst.owner_id or sender_party not in members:
                continue
            message, contribution = rng.choice(INTEREST_MESSAGES)
            specs.append(
                (
                    lst,
                    sender_party,
                    message,
                    contribution,
                    lst.owner_id in members and (spec.get("showcase_interest") or rng.random() < 0.65),
                )
            )
    interests = Interest.objects.bulk_create(
        [
            Interest(
                listing=lst,
                from_party_id=party,
                sender_id=members.get(party),
                message=message,
                contribution=contribution,
                answered_at=now - datetime.timedelta(days=1) if answered else None,
            )
            for lst, party, message, contribution, answered in specs
        ],
        batch_size=2000,
    )
    messages = []
    for interest, (lst, party, *_rest, answered) in zip(interests, specs, strict=True):
        if answered:
            messages.append(
                InterestMessage(interest=interest, author_id=members[lst.owner_id], body=rng.choice(REPLIES))
            )
            if rng.random() < 0.4:
                messages.append(
                    InterestMessage(
                        interest=interest,
                        author_id=members[party],
                        body="ありがとうございます。よろしくお願いします。",
                    )
                )
    InterestMessage.objects.bulk_create(messages, batch_size=5000)
    ctx.count("interests", len(interests))
    ctx.count("interest messages", len(messages))
    return interests


def _both(field, text) -> dict:
    """A notice's field in Japanese and English, as notifications.services.notify stores it."""
    japanese, english = in_both_languages(text)
    return {field: japanese, f"{field}_en": english}


def _demo_follows_and_notices(ctx, users, fields, listings, now):
    """The NPO representative follows two fields and has a few unread notices to show the badge."""
    rep = users["group_rep"]
    Follow.objects.bulk_create(
        [Follow(user=rep, activity_field=fields[13]), Follow(user=rep, activity_field=fields[1])]
    )
    showcase = listings[0]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=rep,
                kind=NoticeKind.REVIEW,
                **_both("title", lambda: _("「%(title)s」が公開されました") % {"title": showcase.title}),
                url=showcase.get_absolute_url(),
                email_status=Notification.EmailStatus.SENT,
            ),
            Notification(
                recipient=rep,
                kind=NoticeKind.INTEREST,
                **_both("title", lambda: _("「%(title)s」に相談・関心表明が届きました") % {"title": showcase.title}),
                url=showcase.get_absolute_url(),
                email_status=Notification.EmailStatus.SENT,
            ),
        ]
    )
