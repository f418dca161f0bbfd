"""factory-boy factories for every model; the demo data (seed_demo) is built on them too."""

import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from events.models import ExchangeEvent
from listings.models import Interest, InterestMessage, Listing
from matching.models import Match, MatchParticipant, Meeting, TimelineEntry
from notifications.models import Notification
from organizations.models import (
    Activity,
    Area,
    ContactPerson,
    Department,
    DepartmentMembership,
    Organization,
    OrganizationMembership,
)
from projects.models import (
    Agreement,
    CheckIn,
    CollaborationProject,
    FollowUp,
    PreConfirmationPart,
    PreConfirmationSheet,
    ProjectParticipant,
    ReviewPart,
    ReviewSheet,
)

DEMO_PASSWORD = "kyodo-demo-2025"  # noqa: S105 - the documented demo password

SURNAMES = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("清水", "しみず"),
    ("森", "もり"),
    ("阿部", "あべ"),
]
GIVEN_NAMES = [
    ("陽子", "ようこ"),
    ("健一", "けんいち"),
    ("美咲", "みさき"),
    ("大輔", "だいすけ"),
    ("恵", "めぐみ"),
    ("翔太", "しょうた"),
    ("由美", "ゆみ"),
    ("誠", "まこと"),
    ("直子", "なおこ"),
    ("拓也", "たくや"),
    ("裕子", "ゆうこ"),
    ("浩", "ひろし"),
    ("真由美", "まゆみ"),
    ("修", "おさむ"),
    ("彩", "あや"),
]
# Organization names are built from a motif, a topic and a suffix, each with its reading.
MOTIFS = [
    ("みどり", "みどり"),
    ("ひまわり", "ひまわり"),
    ("海辺", "うみべ"),
    ("さくら", "さくら"),
    ("湘南", "しょうなん"),
    ("あおぞら", "あおぞら"),
    ("つばさ", "つばさ"),
    ("はまかぜ", "はまかぜ"),
    ("こもれび", "こもれび"),
    ("ゆめ", "ゆめ"),
    ("わかば", "わかば"),
    ("ほたる", "ほたる"),
    ("かもめ", "かもめ"),
    ("やまびこ", "やまびこ"),
    ("ぬくもり", "ぬくもり"),
    ("たんぽぽ", "たんぽぽ"),
    ("なぎさ", "なぎさ"),
    ("らくだ", "らくだ"),
    ("まなび", "まなび"),
    ("えがお", "えがお"),
]
TOPICS = [
    ("子育て", "こそだて", 13),
    ("環境", "かんきょう", 7),
    ("防災", "ぼうさい", 8),
    ("見守り", "みまもり", 1),
    ("まちづくり", "まちづくり", 3),
    ("国際交流", "こくさいこうりゅう", 11),
    ("文化", "ぶんか", 6),
    ("福祉", "ふくし", 1),
    ("猫の保護", "ねこのほご", 7),
    ("食育", "しょくいく", 13),
    ("スポーツ", "すぽーつ", 6),
    ("里山", "さとやま", 5),
    ("観光案内", "かんこうあんない", 4),
    ("ICT支援", "あいしーてぃーしえん", 14),
    ("就労支援", "しゅうろうしえん", 17),
    ("消費生活", "しょうひせいかつ", 18),
    ("海岸清掃", "かいがんせいそう", 7),
    ("学習支援", "がくしゅうしえん", 2),
    ("男女共同参画", "だんじょきょうどうさんかく", 12),
    ("防犯", "ぼうはん", 9),
]
SUFFIXES = [
    ("の会", "のかい"),
    ("ネットワーク", "ねっとわーく"),
    ("応援団", "おうえんだん"),
    ("クラブ", "くらぶ"),
    ("サポーターズ", "さぽーたーず"),
    ("プロジェクト", "ぷろじぇくと"),
    ("倶楽部", "くらぶ"),
    ("協議会", "きょうぎかい"),
]
AREAS = [
    ("市全域", "しぜんいき", True, "Citywide"),
    ("中央地区", "ちゅうおうちく", False, "Central"),
    ("北部地区", "ほくぶちく", False, "North"),
    ("南部地区", "なんぶちく", False, "South"),
    ("海岸地区", "かいがんちく", False, "Coast"),
    ("東部地区", "とうぶちく", False, "East"),
    ("西部地区", "せいぶちく", False, "West"),
    ("山手地区", "やまてちく", False, "Yamate"),
]
KIND_PREFIX = {
    Organization.Kind.NPO: "NPO法人",
    Organization.Kind.PUBLIC_INTEREST: "公益社団法人",
    Organization.Kind.SOCIAL_WELFARE: "社会福祉法人",
    Organization.Kind.COMPANY: "株式会社",
    Organization.Kind.UNIVERSITY: "",
    Organization.Kind.NEIGHBORHOOD: "",
}


def org_name(n: int, kind: str) -> tuple[str, str]:
    """A realistic, unique organization name and its reading for the n-th organization."""
    motif = MOTIFS[n % len(MOTIFS)]
    topic = TOPICS[(n // len(MOTIFS)) % len(TOPICS)]
    suffix = SUFFIXES[(n // (len(MOTIFS) * len(TOPICS))) % len(SUFFIXES)]
    serial = n // (len(MOTIFS) * len(TOPICS) * len(SUFFIXES))
    if kind == Organization.Kind.UNIVERSITY:
        name, kana = f"{motif[0]}{topic[0]}大学", f"{motif[1]}{topic[1]}だいがく"
    elif kind == Organization.Kind.NEIGHBORHOOD:
        name, kana = f"{motif[0]}町{topic[0]}自治会", f"{motif[1]}ちょう{topic[1]}じちかい"
    else:
        name, kana = f"{motif[0]}{topic[0]}{suffix[0]}", f"{motif[1]}{topic[1]}{suffix[1]}"
    if serial:
        name, kana = f"{name}{serial + 1}", f"{kana}{serial + 1}"
    prefix = KIND_PREFIX.get(kind, "")
    return f"{prefix}{name}", kana


def topic_field_number(n: int) -> int:
    return TOPICS[(n // len(MOTIFS)) % len(TOPICS)][2]


@functools.cache
def demo_password_hash() -> str:
    """Hash the demo password once: hashing per user would dominate seeding time."""
    return make_password(DEMO_PASSWORD)


def _many(name: str):
    """A post-generation hook: `Factory(name=[...])` sets the many-to-many field `name` after create."""

    def set_many(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, name).set(extracted)

    return factory.PostGeneration(set_many)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    family_name = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)][0])
    family_name_kana = factory.Sequence(lambda n: SURNAMES[n % len(SURNAMES)][1])
    given_name = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)][0])
    given_name_kana = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)][1])
    password = factory.LazyFunction(lambda: demo_password_hash())

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Mark the e-mail as verified for allauth (pass verified=False for a fresh sign-up)."""
        obj.save()
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: AREAS[n % len(AREAS)][0])
    name_kana = factory.Sequence(lambda n: AREAS[n % len(AREAS)][1])
    is_citywide = factory.Sequence(lambda n: AREAS[n % len(AREAS)][2])
    name_en = factory.Sequence(lambda n: AREAS[n % len(AREAS)][3])
    order = factory.Sequence(lambda n: n % len(AREAS))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    kind = Organization.Kind.NPO
    name = factory.LazyAttributeSequence(lambda o, n: org_name(n, o.kind)[0])
    name_kana = factory.LazyAttributeSequence(lambda o, n: org_name(n, o.kind)[1])
    description = factory.LazyAttribute(
        lambda o: f"{o.name}は、市内で活動する団体です。地域の仲間と一緒に課題に取り組んでいます。"
    )
    activities_summary = "定例の活動、講座の開催、地域のイベントへの参加"
    member_count = factory.Sequence(lambda n: 5 + (n * 7) % 80)
    founded_on = factory.Sequence(lambda n: datetime.date(1995 + n % 28, 1 + n % 12, 1))
    public_email = factory.Sequence(lambda n: f"info{n}@group.example.jp")
    is_published = True
    review_status = "published"
    published_at = factory.LazyFunction(timezone.now)

    activity_fields = _many("activity_fields")

    open_forms = _many("open_forms")


class ContactPersonFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"{SURNAMES[n % 20][0]} {GIVEN_NAMES[n % 15][0]}")
    name_kana = factory.Sequence(lambda n: f"{SURNAMES[n % 20][1]} {GIVEN_NAMES[n % 15][1]}")
    title = "事務局長"
    phone = factory.Sequence(lambda n: f"0467-{n % 90 + 10:02d}-{n % 9000 + 1000:04d}")
    email = factory.Sequence(lambda n: f"contact{n}@group.example.jp")
    is_primary = True


class OrganizationMembershipFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationMembership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = OrganizationMembership.Role.REPRESENTATIVE


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"第{n + 1}回 地域交流会")
    date_from = factory.Sequence(lambda n: datetime.date(2025, 4, 1) + datetime.timedelta(days=n * 9))
    place = "市民活動サポートセンター"
    body = "地域の皆さんと一緒に活動しました。"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"第{n + 1}課")
    name_kana = factory.Sequence(lambda n: f"だい{n + 1}か")
    duties = "所管業務の説明"
    order = factory.Sequence(lambda n: n)


class DivisionFactory(DepartmentFactory):
    """A 部 (top-level unit)."""

    name = factory.Sequence(lambda n: f"第{n + 1}部")
    name_kana = factory.Sequence(lambda n: f"だい{n + 1}ぶ")


class CoordinatingSectionFactory(DepartmentFactory):
    name = "市民自治推進課"
    name_kana = "しみんじちすいしんか"
    is_coordinating_section = True


class DepartmentMembershipFactory(DjangoModelFactory):
    class Meta:
        model = DepartmentMembership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = DepartmentMembership.Role.STAFF


def make_group_member(organization=None, role=OrganizationMembership.Role.REPRESENTATIVE, **user_kwargs):
    """A user who belongs to an organization (one is made when none is given)."""
    membership = OrganizationMembershipFactory(
        organization=organization or OrganizationFactory(), role=role, user=UserFactory(**user_kwargs)
    )
    return membership.user


def make_department_staff(department=None, role=DepartmentMembership.Role.STAFF, **user_kwargs):
    membership = DepartmentMembershipFactory(
        department=department or DepartmentFactory(), role=role, user=UserFactory(**user_kwargs)
    )
    return membership.user


def make_coordinator(section=None, **user_kwargs):
    section = section or Department.objects.filter(is_coordinating_section=True).first() or CoordinatingSectionFactory()
    return make_department_staff(section, role=DepartmentMembership.Role.STAFF, **user_kwargs)


class ListingFactory(DjangoModelFactory):
    class Meta:
        model = Listing
        skip_postgeneration_save = True

    kind = Listing.Kind.NEED
    owner = factory.LazyFunction(lambda: OrganizationFactory().party)
    title = factory.Sequence(lambda n: f"地域の見守り活動の担い手募集 {n + 1}")
    body = "高齢者の見守りと子どもの居場所づくりを一緒に進める仲間を探しています。"
    problem = "ひとり暮らしの高齢者が増え、地域の見守りの担い手が不足しています。"
    status = Listing.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    activity_fields = _many("activity_fields")

    collaboration_forms = _many("collaboration_forms")


class InterestFactory(DjangoModelFactory):
    class Meta:
        model = Interest

    listing = factory.SubFactory(ListingFactory)
    from_party = factory.LazyFunction(lambda: DepartmentFactory().party)
    message = "この取り組みに関心があります。一度お話を伺えますか。"
    contribution = "会場の提供と広報への協力ができます。"


class InterestMessageFactory(DjangoModelFactory):
    class Meta:
        model = InterestMessage

    interest = factory.SubFactory(InterestFactory)
    body = "ご連絡ありがとうございます。ぜひお話ししましょう。"


class ExchangeEventFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeEvent

    kind = ExchangeEvent.Kind.EXCHANGE
    title = factory.Sequence(lambda n: f"協働意見交換会 第{n + 1}回")
    theme = "地域の子育て支援"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    place = "市役所本庁舎 会議室"
    capacity = 40
    status = ExchangeEvent.Status.PUBLISHED


class MatchFactory(DjangoModelFactory):
    class Meta:
        model = Match

    title = factory.Sequence(lambda n: f"マッチング案件 {n + 1}")
    stage = Match.Stage.PROPOSED


class MatchParticipantFactory(DjangoModelFactory):
    class Meta:
        model = MatchParticipant

    match = factory.SubFactory(MatchFactory)
    party = factory.LazyFunction(lambda: OrganizationFactory().party)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    match = factory.SubFactory(MatchFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    place = "市民活動サポートセンター 会議室A"
    agenda = "目的の共有、役割分担の検討"


class TimelineEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimelineEntry

    match = factory.SubFactory(MatchFactory)
    kind = TimelineEntry.Kind.NOTE
    text = "経過のメモ"


class CollaborationProjectFactory(DjangoModelFactory):
    class Meta:
        model = CollaborationProject
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"協働事業 {n + 1}")
    department = factory.SubFactory(DepartmentFactory)
    fiscal_year_start = 2025
    origin = "both"
    match = None
    is_imported = False
    route = factory.LazyAttribute(
        lambda o: "match" if o.match else "imported" if o.is_imported else CollaborationProject.Route.DIRECT
    )

    forms = _many("forms")


class ProjectParticipantFactory(DjangoModelFactory):
    class Meta:
        model = ProjectParticipant

    project = factory.SubFactory(CollaborationProjectFactory)
    party = factory.LazyFunction(lambda: OrganizationFactory().party)


class PreConfirmationSheetFactory(DjangoModelFactory):
    class Meta:
        model = PreConfirmationSheet

    project = factory.SubFactory(CollaborationProjectFactory)


class PreConfirmationPartFactory(DjangoModelFactory):
    class Meta:
        model = PreConfirmationPart

    sheet = factory.SubFactory(PreConfirmationSheetFactory)
    participant = factory.SubFactory(ProjectParticipantFactory, project=factory.SelfAttribute("..sheet.project"))
    local_problem = "地域の見守りの担い手が不足している。"
    purpose = "高齢者が安心して暮らせる地域をつくる。"


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    project = factory.SubFactory(CollaborationProjectFactory)
    purpose = "高齢者が安心して暮らせる地域をつくる。"
    content = "見守り訪問と交流サロンの運営"
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2026, 3, 31)
    meeting_frequency = "毎月1回"


class CheckInFactory(DjangoModelFactory):
    class Meta:
        model = CheckIn

    project = factory.SubFactory(CollaborationProjectFactory)
    held_on = datetime.date(2025, 7, 1)
    done = "見守り訪問を20件実施した。"


class ReviewSheetFactory(DjangoModelFactory):
    class Meta:
        model = ReviewSheet

    project = factory.SubFactory(CollaborationProjectFactory)


class ReviewPartFactory(DjangoModelFactory):
    class Meta:
        model = ReviewPart

    sheet = factory.SubFactory(ReviewSheetFactory)
    participant = factory.SubFactory(ProjectParticipantFactory, project=factory.SelfAttribute("..sheet.project"))
    goal_achievement = 4


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    project = factory.SubFactory(CollaborationProjectFactory)
    years_after = 1
    due_on = datetime.date(2026, 4, 1)


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "system"
    title = "お知らせ"


def reset_sequences():
    """Start every factory's sequence at 0, so that a seed always yields the same names."""
    for obj in list(globals().values()):
        if isinstance(obj, type) and issubclass(obj, DjangoModelFactory) and obj is not DjangoModelFactory:
            obj.reset_sequence(force=True)


UNBROKEN = "地域の子どもたちの居場所づくりと見守り活動を協働で進める"


def fill_to_max(instance, text: str = UNBROKEN):
    """Every free-text field of `instance` filled to its maximum length with unbroken Japanese text."""
    for field in instance._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and field.max_length
            and field.editable
            and not field.choices
            and field.name not in ("search_text",)
            and not isinstance(field, (models.EmailField, models.URLField, models.SlugField))
        ):
            setattr(instance, field.name, (text * (field.max_length // len(text) + 1))[: field.max_length])
    instance.save()
    return instance


def project_with_full_records():
    """A project of a group and a department whose three records have every text field at its maximum."""
    project = CollaborationProjectFactory(title=UNBROKEN * 4)
    participants = [
        ProjectParticipantFactory(project=project, party=project.department.party),
        ProjectParticipantFactory(project=project),
    ]
    pre_sheet = PreConfirmationSheetFactory(project=project)
    review_sheet = ReviewSheetFactory(project=project)
    for participant in participants:
        fill_to_max(PreConfirmationPartFactory(sheet=pre_sheet, participant=participant))
        fill_to_max(ReviewPartFactory(sheet=review_sheet, participant=participant))
    fill_to_max(pre_sheet)
    fill_to_max(review_sheet)
    agreement = fill_to_max(AgreementFactory(project=project))
    for i in range(30):  # projects.forms.MAX_ROLES
        agreement.roles.create(task=(UNBROKEN * 11)[:300], assignee="joint", order=i)
    return project
