"""The survey's states and who may move them: every service, every role, the refusals too."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import PermissionDenied, TransitionError
from notifications.models import Notification
from projects.models import Outcome
from surveys import services, workflow
from surveys.models import Survey, SurveyEvent, SurveyResponse

from .conftest import FY

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def response_of(survey, department):
    return survey.responses.get(department=department)


def answers(response, **dept):
    """Save/submit arguments with the department answers given and every project question empty."""
    return {
        "answers": dept,
        "project_answers": {pa.pk: {} for pa in response.project_answers.all()},
        "expected_version": response.version,
    }


class TestOpen:
    def test_each_section_gets_the_questionnaire_of_its_record(self, setting, survey):
        active = response_of(survey, setting.active)
        never = response_of(survey, setting.never)
        assert (active.category, never.category) == (1, 4)
        assert [pa.project for pa in active.project_answers.all()] == [setting.project]
        assert not never.project_answers.exists()
        assert {r.status for r in survey.responses.all()} == {SurveyResponse.Status.NOT_OPENED}
        event = survey.events.get()
        assert (event.action, event.actor) == (SurveyEvent.Action.OPENED, setting.coordinator)

    def test_the_survey_keeps_the_options_it_was_opened_with(self, setting, survey):
        services.options_set(actor=setting.coordinator, question="merits", labels=["新しい選択肢"])
        survey.refresh_from_db()
        assert "行政だけでは実施できない様々なサービス等の提供が可能となる" in survey.options["merits"]
        later = services.current_options()["merits"]
        assert later == ["新しい選択肢", "その他"]

    def test_staff_and_managers_of_every_section_are_notified(self, setting, survey):
        notified = set(Notification.objects.values_list("recipient__email", flat=True))
        assert notified == {"staff@example.jp", "kacho@example.jp", "never@example.jp"}

    @pytest.mark.parametrize("who", ["staff", "manager", "never_staff", "group_member"])
    def test_only_coordinators_open_a_survey(self, setting, who):
        with pytest.raises(PermissionDenied):
            services.survey_open(actor=getattr(setting, who), fiscal_year=FY, deadline=TOMORROW)
        assert not Survey.objects.exists()

    def test_an_admin_may_open_one_but_only_once_a_year(self, setting):
        services.survey_open(actor=setting.admin, fiscal_year=FY, deadline=TOMORROW)
        with pytest.raises(TransitionError, match="すでにあります"):
            services.survey_open(actor=setting.coordinator, fiscal_year=FY, deadline=TOMORROW)

    def test_a_past_only_section_answers_about_its_last_projects(self, setting):
        setting.project.fiscal_year_end = FY - 1
        setting.project.save()
        survey = services.survey_open(actor=setting.coordinator, fiscal_year=FY, deadline=TOMORROW)
        response = response_of(survey, setting.active)
        assert response.category == 3
        assert [pa.project for pa in response.project_answers.all()] == [setting.project]


class TestAnswer:
    @pytest.mark.parametrize("who", ["staff", "manager"])
    def test_staff_and_the_manager_save_a_draft_and_submit(self, setting, survey, who):
        user = getattr(setting, who)
        response = response_of(survey, setting.active)
        services.response_view(actor=user, response=response)
        assert response.status == SurveyResponse.Status.OPENED
        services.response_save(actor=user, response=response, **answers(response, merits=["特にない"]))
        assert response.status == SurveyResponse.Status.DRAFT
        services.response_submit(actor=user, response=response, **answers(response, merits=["特にない"]))
        response.refresh_from_db()
        assert response.status == SurveyResponse.Status.SUBMITTED
        assert (response.submitted_by, response.answers) == (user, {"merits": ["特にない"]})
        assert list(response.events.values_list("action", "actor")) == [
            ("response_view", user.pk),
            ("response_save", user.pk),
            ("response_submit", user.pk),
        ]

    @pytest.mark.parametrize("who", ["never_staff", "coordinator", "admin", "group_member"])
    def test_nobody_outside_the_section_answers_for_it(self, setting, survey, who):
        response = response_of(survey, setting.active)
        with pytest.raises(PermissionDenied):
            services.response_save(actor=getattr(setting, who), response=response, **answers(response))
        with pytest.raises(PermissionDenied):
            services.response_submit(actor=getattr(setting, who), response=response, **answers(response))
        response.refresh_from_db()
        assert response.status == SurveyResponse.Status.NOT_OPENED

    def test_submitting_sets_the_project_s_outcome(self, setting, survey):
        response = response_of(survey, setting.active)
        pa = response.project_answers.get()
        services.response_submit(
            actor=setting.staff,
            response=response,
            answers={},
            project_answers={pa.pk: {"outcome": ["成果が上がっている"], "origin": ["その他"], "origin_other": "要綱"}},
            expected_version=response.version,
        )
        setting.project.refresh_from_db()
        pa.refresh_from_db()
        assert setting.project.outcome == Outcome.GOOD
        assert pa.answers == {"outcome": ["成果が上がっている"], "origin": ["その他"], "origin_other": "要綱"}

    def test_an_option_not_offered_or_other_text_without_other_is_refused(self, setting, survey):
        response = response_of(survey, setting.active)
        with pytest.raises(ValidationError) as e:
            services.response_save(
                actor=setting.staff, response=response, **answers(response, merits=["偽の選択肢"], concerns_other="x")
            )
        assert set(e.value.message_dict) == {"d-merits", "d-concerns_other"}
        response.refresh_from_db()
        assert response.answers == {}

    def test_a_question_not_asked_of_the_category_is_not_stored(self, setting, survey):
        response = response_of(survey, setting.never)
        services.response_save(
            actor=setting.never_staff,
            response=response,
            **answers(response, merits=["特にない"], intent=["実施したい"]),
        )
        assert response.answers == {"intent": ["実施したい"]}

    def test_a_submitted_answer_cannot_be_submitted_again(self, setting, survey):
        response = response_of(survey, setting.active)
        services.response_submit(actor=setting.staff, response=response, **answers(response))
        with pytest.raises(TransitionError, match="提出済み"):
            services.response_save(actor=setting.staff, response=response, **answers(response))


class TestCoordinator:
    def submitted(self, setting, survey):
        response = response_of(survey, setting.active)
        services.response_submit(actor=setting.staff, response=response, **answers(response))
        return response

    def test_a_coordinator_reopens_a_submitted_answer_with_a_reason(self, setting, survey):
        response = self.submitted(setting, survey)
        services.response_reopen(actor=setting.coordinator, response=response, reason="成果の記入漏れ")
        assert response.status == SurveyResponse.Status.DRAFT
        event = response.events.last()
        assert (event.action, event.actor, event.note) == ("response_reopen", setting.coordinator, "成果の記入漏れ")
        assert Notification.objects.filter(recipient=setting.staff, body="成果の記入漏れ").exists()

    def test_reopening_needs_a_reason(self, setting, survey):
        response = self.submitted(setting, survey)
        with pytest.raises(ValidationError):
            services.response_reopen(actor=setting.coordinator, response=response, reason="  ")
        response.refresh_from_db()
        assert response.status == SurveyResponse.Status.SUBMITTED

    @pytest.mark.parametrize("who", ["staff", "manager", "never_staff", "group_member"])
    def test_only_coordinators_reopen_remind_and_close(self, setting, survey, who):
        response = self.submitted(setting, survey)
        user = getattr(setting, who)
        with pytest.raises(PermissionDenied):
            services.response_reopen(actor=user, response=response, reason="理由")
        with pytest.raises(PermissionDenied):
            services.survey_remind(actor=user, survey=survey)
        with pytest.raises(PermissionDenied):
            services.survey_close(actor=user, survey=survey)
        survey.refresh_from_db()
        assert survey.is_open

    def test_an_unsubmitted_answer_cannot_be_reopened(self, setting, survey):
        with pytest.raises(TransitionError):
            services.response_reopen(
                actor=setting.coordinator, response=response_of(survey, setting.active), reason="x"
            )

    def test_reminders_go_to_sections_that_have_not_submitted(self, setting, survey):
        self.submitted(setting, survey)
        Notification.objects.all().delete()
        assert services.survey_remind(actor=setting.coordinator, survey=survey) == 1
        assert set(Notification.objects.values_list("recipient__email", flat=True)) == {"never@example.jp"}
        never = response_of(survey, setting.never)
        assert never.last_reminded_at is not None
        assert never.events.get().action == "response_remind"

    def test_after_closing_answers_are_refused_with_a_clear_message(self, setting, survey):
        services.survey_close(actor=setting.coordinator, survey=survey)
        assert (survey.status, survey.closed_by) == (Survey.Status.CLOSED, setting.coordinator)
        response = response_of(survey, setting.never)
        for service in (services.response_save, services.response_submit):
            with pytest.raises(TransitionError, match="締め切られました"):
                service(actor=setting.never_staff, response=response, **answers(response))
        with pytest.raises(TransitionError, match="締め切られました"):
            services.survey_remind(actor=setting.coordinator, survey=survey)
        with pytest.raises(TransitionError):
            services.survey_close(actor=setting.coordinator, survey=survey)

    def test_options_are_edited_by_coordinators_only(self, setting):
        with pytest.raises(PermissionDenied):
            services.options_set(actor=setting.staff, question="merits", labels=["x"])
        with pytest.raises(ValidationError):
            services.options_set(actor=setting.coordinator, question="merits", labels=["", "その他"])


def test_the_declared_workflow_answers_the_pages_questions(setting, survey):
    response = response_of(survey, setting.active)
    assert workflow.allowed_actions(setting.staff, response) == {"response_view", "response_save", "response_submit"}
    assert workflow.allowed_actions(setting.coordinator, response) == {"response_remind"}
    assert workflow.allowed_actions(setting.never_staff, response) == set()
    assert workflow.allowed_actions(setting.coordinator, survey) == {"survey_close"}
    assert workflow.allowed_actions(setting.staff, survey) == set()
    services.survey_close(actor=setting.coordinator, survey=survey)
    response.refresh_from_db()
    assert workflow.allowed_actions(setting.staff, response) == set()
