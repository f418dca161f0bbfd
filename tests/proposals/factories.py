"""Factories of the proposal programme (calls open for applications by default)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from proposals.models import Call, CallType, Criterion, Proposal
from tests import factories as f


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"市民提案型協働推進事業 第{n + 1}回公募")
    call_type = CallType.CITIZEN
    fiscal_year = 2025
    description = "市と協働して取り組む事業の提案を募集します。"
    eligibility = "市内で活動する市民活動団体"
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    cap_per_project = 3_000_000
    cap_total = 10_000_000
    status = Call.Status.OPEN

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        for i, (name, weight) in enumerate(extracted or [("公益性", 3), ("実現性", 2)]):
            Criterion.objects.create(call=self, name=name, weight=weight, order=i)


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    call = factory.SubFactory(CallFactory)
    applicant = factory.LazyFunction(lambda: f.OrganizationFactory().party)
    department = factory.LazyFunction(lambda: f.DepartmentFactory(parent=f.DivisionFactory()))
    title = factory.Sequence(lambda n: f"子ども食堂ネットワーク事業 {n + 1}")
    purpose = "地域の子どもの居場所をつくる"
    content = "月2回の食堂と学習支援"
    local_problem = "放課後に一人で過ごす子どもが多い"
    beneficiaries = "市内の小中学生"
    public_interest = "会員に限らず地域の子ども全体が対象"
    roles = "団体: 運営 / 市: 広報と会場"
    budget_total = 2_000_000
    city_share_requested = 1_500_000
