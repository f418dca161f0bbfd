import pytest

from demo import factories as f
from organizations.models import CollaborationForm


@pytest.fixture
def forms(db):
    return {cf.code: cf for cf in CollaborationForm.objects.all()}


@pytest.fixture
def kosodate_section(db):
    return f.DepartmentFactory(
        name="子育て支援課", parent=f.DivisionFactory(name="こども育成部"), public_email="kosodate@city.example.jp"
    )


@pytest.fixture
def kosodate_theme(kosodate_section, fields, forms):
    """A department's collaboration theme about 子育て (field 13, 共催)."""
    return f.ListingFactory(
        owner=kosodate_section.party,
        kind="need",
        title="子育て中の親子が集える居場所づくり",
        body="乳幼児を子育て中の親子が気軽に集い、相談できる居場所を地域に広げたいと考えています。",
        problem="子育ての孤立が課題です。",
        activity_fields=[fields[13]],
        collaboration_forms=[forms["co_hosting"]],
    )


@pytest.fixture
def kosodate_group(fields, forms):
    group = f.OrganizationFactory(
        name="ひまわり子育てネットワーク",
        name_kana="ひまわりこそだてねっとわーく",
        description="子育て中の親子の居場所づくりと子育て相談に取り組む団体です。",
        activities_summary="親子サロン、子育て講座",
        activity_fields=[fields[13]],
        open_forms=[forms["co_hosting"], forms["endorsement"]],
    )
    f.ContactPersonFactory(organization=group, name="佐藤 陽子", phone="0467-11-2222")
    return group


@pytest.fixture
def kankyo_group(fields, forms):
    return f.OrganizationFactory(
        name="みどり環境の会",
        name_kana="みどりかんきょうのかい",
        description="海岸清掃と環境学習に取り組む団体です。",
        activities_summary="海岸清掃、自然観察会",
        activity_fields=[fields[7]],
        open_forms=[forms["co_hosting"]],
    )


@pytest.fixture
def bousai_group(fields, forms):
    return f.OrganizationFactory(
        name="あおぞら防災クラブ",
        name_kana="あおぞらぼうさいくらぶ",
        description="地域の防災訓練と避難所運営の支援をしています。",
        activities_summary="防災訓練",
        activity_fields=[fields[8]],
        open_forms=[forms["information"]],
    )
