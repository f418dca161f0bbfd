"""Who reads what in the programme, beyond the seven roles of the access matrix: committee members
see only the proposals they review, drafts only their group, scores never the applicants."""

from django.urls import reverse

from projects.models import ProjectParticipant
from proposals import permissions, services
from proposals.models import Proposal
from tests.proposals.factories import CallFactory, ProposalFactory

PS = Proposal.Status


def status_of(client, user, name, *args, method="get"):
    client.force_login(user)
    return getattr(client, method)(reverse(name, args=args)).status_code


def test_drafts_are_shown_only_to_their_group(client, cast):
    draft = cast.proposal()
    assert status_of(client, cast.member, "proposals:proposal_detail", draft.pk) == 200
    for outsider in (cast.coordinator, cast.staff, cast.reviewer1, cast.other_member):
        assert status_of(client, outsider, "proposals:proposal_detail", draft.pk) == 404, outsider
    assert list(permissions.proposals_visible_to(cast.coordinator)) == []


def test_reviewers_see_only_the_proposals_under_review_in_their_calls(client, cast):
    submitted = cast.submitted()
    reviewing = cast.under_review()
    elsewhere = ProposalFactory(call=CallFactory(), status=PS.REVIEWING)
    assert status_of(client, cast.reviewer1, "proposals:proposal_detail", reviewing.pk) == 200
    assert status_of(client, cast.reviewer1, "proposals:proposal_review", reviewing.pk) == 200
    assert status_of(client, cast.reviewer1, "proposals:proposal_detail", submitted.pk) == 404
    assert status_of(client, cast.reviewer1, "proposals:proposal_detail", elsewhere.pk) == 404
    assert status_of(client, cast.reviewer1, "proposals:proposal_review", elsewhere.pk) == 404
    assert set(permissions.proposals_visible_to(cast.reviewer1)) == {reviewing}
    mine = client.get(reverse("proposals:mine")).content.decode()
    assert reviewing.title in mine and elsewhere.title not in mine


def test_reviewers_who_are_not_coordinators_never_get_the_summary_sheet(client, cast):
    cast.under_review()
    assert status_of(client, cast.reviewer1, "proposals:call_summary", cast.call.pk) == 403
    assert status_of(client, cast.reviewer1, "proposals:call_summary", cast.call.pk, method="post") == 403


def test_a_reviewer_reads_only_their_own_scores_on_the_proposal_page(client, cast):
    p = cast.under_review()
    scores = {c.pk: 5 for c in cast.call.criteria.all()}
    services.review_save(actor=cast.reviewer1, proposal=p, conflict=False, scores=scores, comment="委員1の講評")
    services.review_save(actor=cast.reviewer2, proposal=p, conflict=False, scores=scores, comment="委員2の講評")
    client.force_login(cast.reviewer1)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "委員1の講評" in page and "委員2の講評" not in page


def test_applicants_and_the_department_never_see_scores(client, cast):
    p = cast.under_review()
    scores = {c.pk: 5 for c in cast.call.criteria.all()}
    services.review_save(actor=cast.reviewer1, proposal=p, conflict=False, scores=scores, comment="委員の講評")
    services.proposal_decide(actor=cast.coordinator, proposal=p, decision="adopt", amount=1_000_000)
    for user in (cast.member, cast.staff):
        client.force_login(user)
        page = client.get(p.get_absolute_url()).content.decode()
        assert "委員の講評" not in page and "審査集計表" not in page
        assert client.get(reverse("proposals:call_summary", args=[cast.call.pk])).status_code == 403
        assert "委員の講評" not in client.get(cast.call.get_absolute_url()).content.decode()


def test_a_forged_post_of_a_decision_by_a_reviewer_changes_nothing(client, cast):
    p = cast.under_review()
    client.force_login(cast.reviewer1)
    response = client.post(reverse("proposals:proposal_decide", args=[p.pk]), {"decision": "adopt", "amount": 1})
    assert response.status_code == 403
    p.refresh_from_db()
    assert p.status == PS.REVIEWING


def test_a_forged_post_of_another_groups_proposal_edit_changes_nothing(client, cast):
    p = cast.proposal()
    client.force_login(cast.other_member)
    response = client.post(reverse("proposals:proposal_edit", args=[p.pk]), {"title": "乗っ取り"})
    assert response.status_code == 404
    p.refresh_from_db()
    assert p.title != "乗っ取り"


def test_malformed_action_names_are_404(client, cast):
    p = cast.proposal()
    assert status_of(client, cast.member, "proposals:proposal_action", p.pk, "explode", method="post") == 404
    assert status_of(client, cast.coordinator, "proposals:call_action", cast.call.pk, "schedule", method="post") == 404


def test_the_project_page_links_the_proposal_only_for_those_who_may_read_it(client, cast):
    p = services.proposal_decide(actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1)
    ProjectParticipant.objects.create(project=p.project, party=cast.other_org.party)  # joined later
    client.force_login(cast.other_member)
    page = client.get(p.project.get_absolute_url()).content.decode()
    assert p.title in page and p.get_absolute_url() not in page
    assert status_of(client, cast.other_member, "proposals:proposal_detail", p.pk) == 404
    client.force_login(cast.member)
    assert p.get_absolute_url() in client.get(p.project.get_absolute_url()).content.decode()
