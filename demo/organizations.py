"""Demo parties: the district list, a department tree, organizations of every kind, and users for
every role with known passwords (printed by `make run`)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from demo import factories as f
from organizations.models import (
    Activity,
    ActivityField,
    CollaborationForm,
    ContactPerson,
    Department,
    DepartmentMembership,
    Organization,
    OrganizationMembership,
    Party,
)

User = get_user_model()

# (部, よみ, [(課, よみ, activity field numbers, 所管業務)])
DEPARTMENT_TREE = [
    (
        "企画部",
        "きかくぶ",
        [
            ("企画課", "きかくか", [3], "総合計画の策定と進行管理"),
            ("広報広聴課", "こうほうこうちょうか", [14], "広報紙・ウェブサイト・市民の声"),
            ("市民自治推進課", "しみんじちすいしんか", [19], "市民活動の支援と協働の推進、協働コーディネート"),
            ("情報政策課", "じょうほうせいさくか", [14], "行政のデジタル化と地域の情報化"),
        ],
    ),
    (
        "総務部",
        "そうむぶ",
        [
            ("総務課", "そうむか", [19], "庁舎管理・文書・法務"),
            ("防災対策課", "ぼうさいたいさくか", [8, 9], "地域防災計画、自主防災組織の支援、防災訓練"),
            ("財政課", "ざいせいか", [16], "予算編成と財政運営"),
        ],
    ),
    (
        "市民生活部",
        "しみんせいかつぶ",
        [
            ("地域協働課", "ちいきょうどうか", [3, 9], "自治会・町内会の支援、地域の拠点づくり"),
            ("男女共同参画課", "だんじょきょうどうさんかくか", [12, 10], "男女共同参画の推進、相談事業"),
            ("消費生活センター", "しょうひせいかつせんたー", [18], "消費生活相談と啓発"),
            ("国際交流課", "こくさいこうりゅうか", [11], "多文化共生と外国人市民の支援"),
        ],
    ),
    (
        "福祉部",
        "ふくしぶ",
        [
            ("福祉政策課", "ふくしせいさくか", [1], "地域福祉計画、福祉団体の支援"),
            ("高齢福祉課", "こうれいふくしか", [1], "高齢者の見守り、介護予防、居場所づくり"),
            ("障害福祉課", "しょうがいふくしか", [1, 17], "障害のある人の生活と就労の支援"),
        ],
    ),
    (
        "こども育成部",
        "こどもいくせいぶ",
        [
            ("子育て支援課", "こそだてしえんか", [13, 1], "子育て支援、子ども食堂・居場所づくり"),
            ("保育課", "ほいくか", [13], "保育所の運営と待機児童対策"),
            ("青少年課", "せいしょうねんか", [13, 2], "青少年の健全育成、放課後の居場所"),
        ],
    ),
    (
        "環境部",
        "かんきょうぶ",
        [
            ("環境政策課", "かんきょうせいさくか", [7], "環境基本計画、地球温暖化対策、環境学習"),
            ("資源循環課", "しげんじゅんかんか", [7], "ごみの減量とリサイクル、海岸清掃"),
            ("公園緑地課", "こうえんりょくちか", [7, 3], "公園の管理、緑化推進、里山の保全"),
        ],
    ),
    (
        "経済部",
        "けいざいぶ",
        [
            ("産業振興課", "さんぎょうしんこうか", [16], "商店街と中小企業の支援、創業支援"),
            ("観光課", "かんこうか", [4], "観光の振興、観光案内、イベント"),
            ("農水産課", "のうすいさんか", [5], "農業・漁業の振興、地産地消"),
            ("雇用労政課", "こようろうせいか", [17], "就労支援と雇用対策"),
        ],
    ),
    (
        "都市部",
        "としぶ",
        [
            ("都市計画課", "としけいかくか", [3], "都市計画とまちづくりの推進"),
            ("景観まちづくり課", "けいかんまちづくりか", [3, 6], "景観の保全とまちなみづくり"),
            ("交通政策課", "こうつうせいさくか", [3, 9], "地域交通、交通安全"),
        ],
    ),
    (
        "教育委員会",
        "きょういくいいんかい",
        [
            ("学校教育課", "がっこうきょういくか", [2, 13], "小中学校の教育活動、学校支援ボランティア"),
            ("社会教育課", "しゃかいきょういくか", [2], "公民館、生涯学習、家庭教育の支援"),
            ("文化生涯学習課", "ぶんかしょうがいがくしゅうか", [6], "文化芸術の振興、市民文化祭"),
            ("スポーツ推進課", "すぽーつすいしんか", [6], "市民スポーツの振興"),
            ("図書館", "としょかん", [2, 6], "図書館サービス、読書活動の推進"),
        ],
    ),
    (
        "保健所",
        "ほけんじょ",
        [
            ("保健企画課", "ほけんきかくか", [1], "健康づくりと保健事業の企画"),
            ("健康増進課", "けんこうぞうしんか", [1], "健診、食育、心の健康"),
        ],
    ),
    (
        "市民活動サポートセンター",
        "しみんかつどうさぽーとせんたー",
        [
            ("コーディネート係", "こーでぃねーとがかり", [19], "団体の相談、協働のコーディネート"),
        ],
    ),
]
WARDS = [
    "",
    "北区",
    "南区",
    "東区",
    "西区",
    "中央区",
    "港区",
    "緑区",
    "青葉区",
    "泉区",
    "若葉区",
    "花見川区",
    "美浜区",
    "稲毛区",
    "栄区",
    "瀬谷区",
    "旭区",
    "金沢区",
    "磯子区",
    "戸塚区",
]
ORG_KIND_WEIGHTS = [
    (Organization.Kind.NPO, 35),
    (Organization.Kind.VOLUNTARY, 30),
    (Organization.Kind.NEIGHBORHOOD, 12),
    (Organization.Kind.COMPANY, 8),
    (Organization.Kind.UNIVERSITY, 3),
    (Organization.Kind.PUBLIC_INTEREST, 4),
    (Organization.Kind.SOCIAL_WELFARE, 5),
    (Organization.Kind.OTHER, 3),
]
GROUPS_PER_SCALE = 300

# Known logins for the demo (all with demo.factories.DEMO_PASSWORD).
DEMO_USERS = [
    ("admin@example.jp", "管理者", "admin"),
    ("coordinator@example.jp", "コーディネーター（市民自治推進課）", "coordinator"),
    ("center@example.jp", "コーディネーター（サポートセンター）", "center"),
    ("kosodate@example.jp", "担当課職員（子育て支援課）", "dept_staff"),
    ("kosodate-kacho@example.jp", "担当課の所属長（子育て支援課）", "dept_manager"),
    ("kankyo@example.jp", "担当課職員（環境政策課）", "dept_staff2"),
    ("npo@example.jp", "団体の代表者（NPO法人）", "group_rep"),
    ("npo-editor@example.jp", "団体の編集者（NPO法人）", "group_editor"),
    ("jichikai@example.jp", "団体の代表者（自治会）", "group_rep2"),
]


def seed(ctx):
    fields = {af.number: af for af in ActivityField.objects.all()}
    forms = list(CollaborationForm.objects.all())
    areas = [
        f.AreaFactory(name=n, name_kana=k, is_citywide=c, name_en=en, order=i)
        for i, (n, k, c, en) in enumerate(f.AREAS)
    ]
    ctx.made.update(fields=fields, forms=forms, areas=areas)
    ctx.count("areas", len(areas))

    departments = _seed_departments(ctx, fields)
    organizations = _seed_organizations(ctx, fields, forms, areas)
    _seed_users(ctx, departments, organizations)
    _seed_profile_reviews(ctx, organizations)


def _seed_departments(ctx, fields):
    sections, main = [], {}
    total = len(DEPARTMENT_TREE) * ctx.scale
    done = 0
    for ward in (
        WARDS[: ctx.scale] if ctx.scale <= len(WARDS) else [*WARDS, *(f"第{i}区" for i in range(len(WARDS), ctx.scale))]
    ):
        prefix = f"{ward} " if ward else ""
        for order, (div_name, div_kana, children) in enumerate(DEPARTMENT_TREE):
            division = Department.objects.create(name=f"{prefix}{div_name}", name_kana=div_kana, order=order * 100)
            for i, (name, kana, numbers, duties) in enumerate(children):
                coordinating = not ward and name in ("市民自治推進課", "コーディネート係")
                dept = Department.objects.create(
                    name=name,
                    name_kana=kana,
                    parent=division,
                    duties=duties,
                    order=order * 100 + i + 1,
                    policies=f"{duties}について、市民活動団体の皆さんと一緒に取り組みたいと考えています。",
                    public_email=f"section{done:04d}-{i}@city.example.jp",
                    public_phone=f"0467-82-{1000 + order * 10 + i}",
                    location=f"本庁舎{order % 5 + 1}階",
                    is_coordinating_section=coordinating,
                )
                dept.demo_fields = [fields[n] for n in numbers]
                sections.append(dept)
                if not ward:
                    main[name] = dept
            done += 1
            ctx.progress("departments", done, total)
    ctx.made["departments"] = sections
    ctx.made["main_departments"] = main
    ctx.count("departments", Department.objects.count())
    return sections


def _seed_organizations(ctx, fields, forms, areas):
    """Build every organization in memory (same factories, same random draws), then insert in bulk:
    one-by-one saves took most of seed_demo's time at --scale 20."""
    total = GROUPS_PER_SCALE * ctx.scale
    kinds = [k for k, w in ORG_KIND_WEIGHTS for _ in range(w)]
    organizations, contacts, activities, org_fields, org_forms = [], [], [], [], []
    for n in range(total):
        kind = kinds[ctx.rng.randrange(len(kinds))]
        name, kana = f.org_name(n, kind)
        main_field = fields[f.topic_field_number(n)]
        extra = fields[ctx.rng.randint(1, 18)]
        published = ctx.rng.random() > 0.05
        org = f.OrganizationFactory.build(
            name=name,
            name_kana=kana,
            kind=kind,
            area=areas[ctx.rng.randrange(len(areas))],
            description=f"{name}は{main_field.short_name}の分野で活動しています。地域の皆さんと一緒に、できることから取り組んでいます。",
            activities_summary=f"{main_field.short_name}に関する定例活動、講座、イベントへの出展",
            is_published=published,
            review_status="published" if published else "pending",
        )
        org_fields.append([main_field, extra] if extra != main_field else [main_field])
        org_forms.append(ctx.rng.sample(forms, k=ctx.rng.randint(1, 4)))
        contacts.append(f.ContactPersonFactory.build(organization=org))
        if n % 3 == 0:
            activities.append(
                f.ActivityFactory.build(organization=org, title=f"{main_field.short_name}の活動報告 {n // 3 + 1}")
            )
        organizations.append(org)
        ctx.progress("organizations (built)", n + 1, total)
    _bulk_save_organizations(organizations, org_fields, org_forms)
    for contact in contacts:
        contact.organization_id = contact.organization.pk
    bulk_create_with_history(contacts, ContactPerson, batch_size=1000)
    for activity in activities:
        activity.organization_id = activity.organization.pk
    Activity.objects.bulk_create(activities, batch_size=1000)
    ctx.progress("organizations (saved)", total, total)
    ctx.made["organizations"] = organizations
    ctx.count("organizations", total)
    return organizations


def _bulk_save_organizations(organizations, org_fields, org_forms):
    """What Organization.save() does (party row, search text), for many rows at once."""
    parties = Party.objects.bulk_create([Party(kind=Party.Kind.ORGANIZATION) for _ in organizations], batch_size=1000)
    for org, party in zip(organizations, parties, strict=True):
        org.party = party
        org.analyse()
    bulk_create_with_history(organizations, Organization, batch_size=1000)
    FieldLink = Organization.activity_fields.through
    FormLink = Organization.open_forms.through
    FieldLink.objects.bulk_create(
        [
            FieldLink(organization_id=org.pk, activityfield_id=af.pk)
            for org, afs in zip(organizations, org_fields, strict=True)
            for af in afs
        ],
        batch_size=2000,
    )
    FormLink.objects.bulk_create(
        [
            FormLink(organization_id=org.pk, collaborationform_id=cf.pk)
            for org, cfs in zip(organizations, org_forms, strict=True)
            for cf in cfs
        ],
        batch_size=2000,
    )


def _seed_users(ctx, departments, organizations):
    by_name = ctx.made["main_departments"]
    coordinating = by_name["市民自治推進課"]
    center = by_name["コーディネート係"]
    npo = next(o for o in organizations if o.kind == Organization.Kind.NPO and o.is_published)
    neighborhood = next(o for o in organizations if o.kind == Organization.Kind.NEIGHBORHOOD and o.is_published)
    Role = DepartmentMembership.Role
    users = {}
    for email, _label, key in DEMO_USERS:
        if key == "admin":
            user = f.UserFactory(email=email, family_name="管理", given_name="太郎", is_staff=True, is_superuser=True)
        elif key == "coordinator":
            user = f.make_coordinator(coordinating, email=email)
        elif key == "center":
            user = f.make_coordinator(center, email=email)
        elif key == "dept_staff":
            user = f.make_department_staff(by_name["子育て支援課"], email=email)
        elif key == "dept_manager":
            user = f.make_department_staff(by_name["子育て支援課"], role=Role.MANAGER, email=email)
        elif key == "dept_staff2":
            user = f.make_department_staff(by_name["環境政策課"], email=email)
        elif key == "group_rep":
            user = f.make_group_member(npo, email=email)
        elif key == "group_editor":
            user = f.make_group_member(npo, role="editor", email=email)
        else:
            user = f.make_group_member(neighborhood, email=email)
        users[key] = user
    # Every other department gets a manager and a staff member; a share of groups a representative.
    _bulk_members(ctx, departments, organizations)
    EmailAddress.objects.filter(user__in=users.values()).update(verified=True)
    ctx.made["users"] = users
    ctx.count("users", len(users))


class _UnsavedUserFactory(f.UserFactory):
    """UserFactory's data (same sequence, same names) without its saving post-generation hook."""

    class Meta:
        exclude = ("verified",)

    verified = None


def _bulk_members(ctx, departments, organizations):
    """What make_department_staff / make_group_member do for thousands of users, in bulk inserts."""
    Role = DepartmentMembership.Role
    staffed = set(DepartmentMembership.objects.values_list("department_id", flat=True))
    joined = set(OrganizationMembership.objects.values_list("organization_id", flat=True))
    dept_members, org_members = [], []
    for dept in departments:
        if dept.pk not in staffed:
            for role in (Role.MANAGER, Role.STAFF):
                dept_members.append(DepartmentMembership(department=dept, role=role, user=_UnsavedUserFactory.build()))
    for org in organizations[:: max(1, len(organizations) // (60 * ctx.scale))]:
        if org.pk not in joined:
            org_members.append(
                OrganizationMembership(
                    organization=org, role=OrganizationMembership.Role.REPRESENTATIVE, user=_UnsavedUserFactory.build()
                )
            )
    users = User.objects.bulk_create([m.user for m in [*dept_members, *org_members]], batch_size=1000)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=1000
    )
    for membership in [*dept_members, *org_members]:
        membership.user_id = membership.user.pk
    bulk_create_with_history(dept_members, DepartmentMembership, batch_size=1000)
    bulk_create_with_history(org_members, OrganizationMembership, batch_size=1000)


def _seed_profile_reviews(ctx, organizations):
    """Unpublished demo groups wait in the coordinators' review queue (申請中) with their revision."""
    from organizations.models import OrganizationMembership, ProfileRevision
    from organizations.selectors import profile_data_of

    pending = [org for org in organizations if not org.is_published]
    members = dict(
        OrganizationMembership.objects.filter(organization__in=pending).values_list("organization_id", "user_id")
    )
    ProfileRevision.objects.bulk_create(
        [
            ProfileRevision(organization=org, data=profile_data_of(org), submitted_by_id=members.get(org.pk))
            for org in pending
        ],
        batch_size=500,
    )
    ctx.count("profile revisions", len(pending))
