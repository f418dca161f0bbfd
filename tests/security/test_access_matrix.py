"""The role × URL access matrix: every URL of the portal, requested as each of seven roles, GET and
POST, against ONE explicit policy table. A URL missing from the table fails the test.

Letters (one per role, in the order of ROLES: anonymous, member of group A, member of group B, staff
of the department in charge, staff of another department, coordinator, admin):
    o 200   r 302 elsewhere (done, then back)   l 302 to the login page   x refused (403/404)
    m 405 (method not allowed)   b 400
The objects in the URLs are group A's side (its listing, interest, match, project, records …) whose
department in charge is `dept`; group B and the other department therefore test IDOR.

Run with MATRIX_PRINT=1 to print the observed table (to review a new URL, never to copy blindly).
"""

import os
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.models import Area
from tests.security.scenario import ROLES, build_scenario

SKIP_PREFIXES = ("admin/", "accounts/", "static/", "media/", "i18n/", "__debug__/")

# name -> kwargs built from the scenario
KWARGS = {
    "portal:history": lambda s: {"model_label": "organizations.organization", "pk": s.org_a.pk},
    "privacy:group_data": lambda s: {"pk": s.org_a.pk},
    "privacy:group_data_export": lambda s: {"pk": s.org_a.pk, "fmt": "json"},
    "privacy:data_request_create": lambda s: {"pk": s.org_a.pk},
    "privacy:data_request_detail": lambda s: {"pk": s.data_request.pk},
    "accounts:user_deactivate": lambda s: {"pk": s.bystander.pk},
    "accounts:user_anonymize": lambda s: {"pk": s.bystander.pk},
    "organizations:detail": lambda s: {"pk": s.org_a.pk},
    "organizations:logo": lambda s: {"pk": s.org_a.pk},
    "organizations:activity_photo": lambda s: {"pk": s.photo.pk},
    "organizations:department_detail": lambda s: {"pk": s.dept.pk},
    "organizations:claim": lambda s: {"pk": s.org_a.pk},
    "organizations:edit": lambda s: {"pk": s.org_a.pk},
    "organizations:members": lambda s: {"pk": s.org_a.pk},
    "organizations:member_remove": lambda s: {"pk": s.org_a.pk, "membership_pk": s.membership_a.pk},
    "organizations:activity_create": lambda s: {"pk": s.org_a.pk},
    "organizations:activity_edit": lambda s: {"pk": s.activity.pk},
    "organizations:activity_delete": lambda s: {"pk": s.activity.pk},
    "organizations:department_edit": lambda s: {"pk": s.dept.pk},
    "organizations:profile_review": lambda s: {"revision_pk": s.revision.pk},
    "organizations:revision_logo": lambda s: {"revision_pk": s.revision.pk},
    "organizations:invitation_accept": lambda s: {"token": s.invitation.token},
    "organizations:invitation_revoke": lambda s: {"pk": s.invitation.pk},
    "listings:detail": lambda s: {"pk": s.listing.pk},
    "listings:edit": lambda s: {"pk": s.listing.pk},
    "listings:submit": lambda s: {"pk": s.listing.pk},
    "listings:withdraw": lambda s: {"pk": s.listing.pk},
    "listings:close": lambda s: {"pk": s.listing.pk},
    "listings:interest_create": lambda s: {"pk": s.listing.pk},
    "listings:attachment": lambda s: {"pk": s.listing.pk, "attachment_pk": s.attachment.pk},
    "listings:attachment_delete": lambda s: {"pk": s.listing.pk, "attachment_pk": s.attachment.pk},
    "listings:interest_detail": lambda s: {"pk": s.interest.pk},
    "listings:review": lambda s: {"pk": s.listing.pk},
    "matching:match_move": lambda s: {"pk": s.match.pk},
    "matching:suggestions": lambda s: {"pk": s.listing.pk},
    "matching:suggestion_panel": lambda s: {"pk": s.listing.pk},
    "matching:suggestion_dismiss": lambda s: {"pk": s.listing.pk, "party_pk": s.org_b.party_id},
    "matching:match_detail": lambda s: {"pk": s.match.pk},
    "matching:meeting_create": lambda s: {"pk": s.match.pk},
    "matching:match_action": lambda s: {"pk": s.match.pk, "action": "advance"},
    "matching:meeting_detail": lambda s: {"pk": s.meeting.pk},
    "matching:meeting_cancel": lambda s: {"pk": s.meeting.pk},
    "matching:meeting_ics": lambda s: {"pk": s.meeting.pk},
    "events:event_detail": lambda s: {"pk": s.event.pk},
    "events:event_unregister": lambda s: {"pk": s.event.pk, "reg_pk": s.registration.pk},
    "events:event_publish": lambda s: {"pk": s.event.pk},
    "events:event_cancel": lambda s: {"pk": s.event.pk},
    "matching:event_outcomes": lambda s: {"pk": s.event.pk},
    "api:organization-detail": lambda s: {"pk": s.org_a.pk},
    "api:department-detail": lambda s: {"pk": s.dept.pk},
    "api:listing-detail": lambda s: {"pk": s.listing.pk},
    "api:event-detail": lambda s: {"pk": s.event.pk},
    "api:case-study-detail": lambda s: {"pk": s.case.pk},
    "api:activity-field-detail": lambda s: {"number": 1},
    "api:collaboration-form-detail": lambda s: {"code": "information"},
    "api:area-detail": lambda s: {"pk": Area.objects.get_or_create(name="中央地区")[0].pk},
    "api:stats_table": lambda s: {"name": "form-share"},
    "api:feed_listings_field": lambda s: {"number": 1},
    "api:feed_listings_department": lambda s: {"department": s.dept.pk},
    "api:event_ics": lambda s: {"pk": s.event.pk},
    "api:personal_calendar": lambda s: {"token": s.calendar_token.token},
    "projects:detail": lambda s: {"pk": s.project.pk},
    "projects:start": lambda s: {"pk": s.project.pk},
    "projects:rename": lambda s: {"pk": s.project.pk},
    "projects:checkin_create": lambda s: {"pk": s.project.pk},
    "projects:follow_up": lambda s: {"pk": s.project.pk, "follow_up_pk": s.follow_up.pk},
    "projects:pre_sheet": lambda s: {"pk": s.project.pk},
    "projects:pre_sheet_confirm": lambda s: {"pk": s.project.pk},
    "projects:pre_part_return": lambda s: {"pk": s.project.pk, "part_pk": s.pre_part.pk},
    "projects:agreement": lambda s: {"pk": s.project.pk},
    "projects:agreement_version": lambda s: {"pk": s.project.pk, "number": s.agreement.number},
    "projects:agreement_draft": lambda s: {"pk": s.project.pk},
    "projects:agreement_send": lambda s: {"pk": s.project.pk},
    "projects:agreement_confirm": lambda s: {"pk": s.project.pk},
    "projects:agreement_amend": lambda s: {"pk": s.project.pk},
    "projects:agreement_withdraw": lambda s: {"pk": s.project.pk},
    "projects:review_sheet": lambda s: {"pk": s.project.pk},
    "projects:review_open": lambda s: {"pk": s.project.pk},
    "projects:review_complete": lambda s: {"pk": s.project.pk},
    "projects:review_part_return": lambda s: {"pk": s.project.pk, "part_pk": s.review_part.pk},
    "projects:print": lambda s: {"pk": s.project.pk, "document": "agreement"},
    "projects:print_pdf": lambda s: {"pk": s.project.pk, "document": "agreement"},
    "projects:case_edit": lambda s: {"pk": s.project.pk},
    "projects:case_consent": lambda s: {"pk": s.project.pk},
    "projects:case_detail": lambda s: {"pk": s.case.pk},
    "notifications:read": lambda s: {"pk": s.notification.pk},
    "surveys:detail": lambda s: {"pk": s.survey.pk},
    "surveys:close": lambda s: {"pk": s.survey.pk},
    "surveys:remind": lambda s: {"pk": s.survey.pk},
    "surveys:free_text": lambda s: {"pk": s.survey.pk},
    "surveys:export": lambda s: {"pk": s.survey.pk},
    "surveys:response": lambda s: {"pk": s.survey_response.pk},
    "surveys:reopen": lambda s: {"pk": s.survey_response.pk},
    "surveys:start": lambda s: {"pk": s.survey_response.pk},
    "stats:survey_report": lambda s: {"fy": s.survey.fiscal_year},
    "stats:survey_report_download": lambda s: {"fy": s.survey.fiscal_year, "fmt": "xlsx"},
    "proposals:call_detail": lambda s: {"pk": s.call.pk},
    "proposals:call_edit": lambda s: {"pk": s.call.pk},
    "proposals:call_summary": lambda s: {"pk": s.call.pk},
    "proposals:call_action": lambda s: {"pk": s.call.pk, "action": "close"},
    "proposals:proposal_create": lambda s: {"pk": s.call.pk},
    "proposals:proposal_detail": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_edit": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_view": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_review": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_decide": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_next_step": lambda s: {"pk": s.proposal.pk},
    "proposals:proposal_action": lambda s: {"pk": s.proposal.pk, "action": "withdraw"},
    "proposals:proposal_attachment": lambda s: {"pk": s.proposal.pk, "attachment_pk": s.proposal_attachment.pk},
    "proposals:proposal_attachment_delete": lambda s: {
        "pk": s.proposal.pk,
        "attachment_pk": s.proposal_attachment.pk,
    },
    "stats:table": lambda s: {"name": "form-share"},
    "stats:download": lambda s: {"name": "form-share", "fmt": "csv"},
}

#                                  GET        POST
#                                  aABdDca    aABdDca
POLICY = {
    # core: public pages, the representative's own data, coordinators' tools (admin too)
    "healthz": ("ooooooo", "ooooooo"),
    "readyz": ("ooooooo", "ooooooo"),
    "metrics": ("xxxxxxx", "xxxxxxx"),  # only with METRICS_TOKEN (tests/core/test_health.py)
    "portal:home": ("ooooooo", "ooooooo"),
    "portal:privacy": ("ooooooo", "ooooooo"),
    "core:search": ("ooooooo", "mmmmmmm"),  # the header search: GET only
    "portal:dev_mail": ("xxxxxxx", "xxxxxxx"),  # DEBUG only (tests/core/test_devmail.py covers roles)
    "core:reading_suggestion": ("bbbbbbb", "mmmmmmm"),  # GET without ?for= is a bad request
    "portal:history": ("lxxxxoo", "lxxxxoo"),
    "privacy:group_data": ("loxxxxx", "loxxxxx"),
    "privacy:group_data_export": ("loxxxoo", "loxxxoo"),
    "privacy:data_request_create": ("loxxxxx", "loxxxxx"),
    "privacy:data_request_list": ("lxxxxoo", "lxxxxoo"),
    "privacy:data_request_detail": ("lxxxxoo", "lxxxxoo"),
    "accounts:user_list": ("lxxxxoo", "lxxxxoo"),
    "accounts:user_deactivate": ("lxxxxoo", "lxxxxoo"),
    "accounts:user_anonymize": ("lxxxxoo", "lxxxxoo"),
    "accounts:profile": ("loooooo", "loooooo"),
    # organizations: A's profile is edited by A's members (and admins), never by B or departments
    # api: the read-only API and feeds are public (sessions ignored; POST is 405); the private
    # calendar answers whoever holds its token; the page that issues it needs a login
    "api:activity-field-detail": ("ooooooo", "mmmmmmm"),
    "api:activity-field-list": ("ooooooo", "mmmmmmm"),
    "api:area-detail": ("ooooooo", "mmmmmmm"),
    "api:area-list": ("ooooooo", "mmmmmmm"),
    "api:case-study-detail": ("ooooooo", "mmmmmmm"),
    "api:case-study-list": ("ooooooo", "mmmmmmm"),
    "api:collaboration-form-detail": ("ooooooo", "mmmmmmm"),
    "api:collaboration-form-list": ("ooooooo", "mmmmmmm"),
    "api:department-detail": ("ooooooo", "mmmmmmm"),
    "api:department-list": ("ooooooo", "mmmmmmm"),
    "api:docs": ("ooooooo", "mmmmmmm"),
    "api:event-detail": ("ooooooo", "mmmmmmm"),
    "api:event-list": ("ooooooo", "mmmmmmm"),
    "api:event_ics": ("ooooooo", "mmmmmmm"),
    "api:feed_events": ("ooooooo", "mmmmmmm"),
    "api:feed_listings": ("ooooooo", "mmmmmmm"),
    "api:feed_listings_department": ("ooooooo", "mmmmmmm"),
    "api:feed_listings_field": ("ooooooo", "mmmmmmm"),
    "api:listing-detail": ("ooooooo", "mmmmmmm"),
    "api:listing-list": ("ooooooo", "mmmmmmm"),
    "api:menu": ("ooooooo", "mmmmmmm"),
    "api:organization-detail": ("ooooooo", "mmmmmmm"),
    "api:organization-list": ("ooooooo", "mmmmmmm"),
    "api:personal_calendar": ("ooooooo", "mmmmmmm"),
    "api:schema": ("ooooooo", "mmmmmmm"),
    "api:schema_yaml": ("ooooooo", "mmmmmmm"),
    "api:stats": ("ooooooo", "mmmmmmm"),
    "api:stats_table": ("ooooooo", "mmmmmmm"),
    "api:calendar_settings": ("loooooo", "lrrrrrr"),
    "organizations:directory": ("ooooooo", "ooooooo"),
    "organizations:detail": ("ooooooo", "ooooooo"),
    "organizations:logo": ("ooooooo", "mmmmmmm"),  # a published group's logo and photos are public
    "organizations:activity_photo": ("ooooooo", "mmmmmmm"),
    "organizations:department_list": ("ooooooo", "ooooooo"),
    "organizations:department_detail": ("ooooooo", "ooooooo"),
    "organizations:my_organizations": ("loooooo", "loooooo"),
    "organizations:create": ("loooooo", "loooooo"),
    "organizations:claim_search": ("loooooo", "loooooo"),
    "organizations:claim": ("lxxxxxx", "lxxxxxx"),  # A already has members: nobody may claim it
    "organizations:edit": ("loxxxxo", "lbxxxxb"),  # an empty POST has no version / part id: 400
    "organizations:members": ("loxxxxo", "loxxxxo"),
    "organizations:member_remove": ("lmmmmmm", "lrxxxxr"),
    "organizations:activity_create": ("loxxxxo", "loxxxxo"),
    "organizations:activity_edit": ("loxxxxo", "loxxxxo"),
    "organizations:activity_delete": ("loxxxxo", "lrxxxxr"),
    "organizations:department_edit": ("lxxoxxo", "lxxbxxb"),  # the department's own staff (and admins)
    "organizations:profile_review_queue": ("lxxxxoo", "lxxxxoo"),
    "organizations:profile_review": ("lxxxxoo", "lxxxxoo"),
    "organizations:revision_logo": ("lxxxxxx", "lmmmmmm"),  # the scenario's revision proposes no logo: 404
    "organizations:invite": ("lxxxxoo", "lxxxxoo"),
    "organizations:invitation_accept": ("oxxxxxx", "oxxxxxx"),  # only for the invited address
    "organizations:invitation_revoke": ("lmmmmmm", "lxxxxrr"),  # a staff invitation: coordinators
    # listings: A's published need; the department sent the interest; coordinators review
    "listings:index": ("ooooooo", "ooooooo"),
    "listings:menu": ("ooooooo", "ooooooo"),
    "listings:detail": ("ooooooo", "ooooooo"),
    "listings:attachment": ("ooooooo", "ooooooo"),  # attachments of a published listing are public
    "listings:attachment_delete": ("lmmmmmm", "lxxxxxx"),  # published: not even the owner
    "listings:create": ("looooox", "looooox"),  # needs a party: admins have none
    "listings:edit": ("lxxxxxx", "lxxxxxx"),  # published listings are not edited in place
    "listings:submit": ("lmmmmmm", "lrxxxxx"),
    "listings:withdraw": ("lmmmmmm", "lrxxxxx"),  # published: the owner is told why not
    "listings:close": ("lmmmmmm", "lrxxxrr"),
    "listings:interest_create": ("lmmmmmm", "lxbbbbx"),  # not on one's own listing
    "listings:interest_detail": ("loxoxoo", "loxoxxx"),  # the two parties; coordinators and admins read only
    "listings:interest_list": ("loooooo", "loooooo"),
    "listings:mine": ("looooox", "looooox"),
    "listings:follows": ("looxxxx", "looxxxx"),
    "listings:review_queue": ("lxxxxoo", "lxxxxoo"),  # admins act as coordinators (accounts.roles)
    "listings:review": ("lxxxxoo", "lxxxxoo"),
    # matching: A and the department are the participants of the match
    "matching:board": ("lxxxxoo", "lxxxxoo"),
    "matching:match_move": ("lmmmmmm", "lxxxxbb"),  # htmx drag on the board; an empty POST has no version
    "matching:party_search": ("lbbbbbb", "lmmmmmm"),  # 400 without a field; parties, coordinators, admins
    "matching:match_create": ("lxxxxoo", "lxxxxoo"),
    "matching:match_request": ("looooox", "looooox"),
    "matching:match_list": ("loooooo", "loooooo"),
    "matching:match_detail": ("loxoxoo", "loxoxoo"),
    "matching:match_action": ("lmmmmmm", "lxxxxbb"),  # an empty POST has no version / part id: 400
    "matching:meeting_create": ("loxoxoo", "loxoxoo"),
    "matching:meeting_detail": ("loxoxoo", "lbxbxbb"),  # an empty POST has no version / part id: 400
    "matching:meeting_cancel": ("lmmmmmm", "lrxrxrr"),
    "matching:meeting_ics": ("loxoxoo", "loxoxoo"),
    "matching:suggestions": ("lxxxxoo", "lxxxxoo"),
    "matching:suggestion_panel": ("lxxxxoo", "lxxxxoo"),
    "matching:suggestion_dismiss": ("lmmmmmm", "lxxxxrr"),  # htmx
    "events:event_list": ("ooooooo", "ooooooo"),
    # POST registers: A has registered its only party and the admin has none, so they are sent back
    "events:event_detail": ("ooooooo", "lroooor"),
    "events:event_unregister": ("lmmmmmm", "lrxxxrr"),
    "events:event_create": ("lxxxxoo", "lxxxxoo"),
    "events:event_publish": ("lmmmmmm", "lxxxxrr"),
    "events:event_cancel": ("lmmmmmm", "lxxxxoo"),  # an empty POST: the page with the reason's error
    "matching:event_outcomes": ("lxxxxoo", "lxxxxoo"),
    # projects: A and the department in charge take part; coordinators steer
    "projects:list": ("loooooo", "loooooo"),
    "projects:create": ("lxxxxoo", "lxxxxoo"),
    "projects:detail": ("loxoxoo", "loxoxoo"),
    "projects:start": ("lmmmmmm", "lxxxxrr"),
    "projects:rename": ("loxoxoo", "loxoxoo"),  # signers and coordinators; an empty POST shows the form again
    "projects:checkin_create": ("lmmmmmm", "lrxrxrr"),
    "projects:follow_up": ("lxxxxoo", "lxxxxoo"),
    "projects:pre_sheet": ("loxoxoo", "lbxbxbb"),  # an empty POST names no part: 400
    "projects:pre_sheet_confirm": ("lmmmmmm", "lxxxxbb"),  # an empty POST has no version / part id: 400
    "projects:pre_part_return": ("lmmmmmm", "lxxxxrr"),
    "projects:agreement": ("loxoxoo", "lbxbxbb"),  # an empty POST has no version / part id: 400
    "projects:agreement_version": ("loxoxoo", "lbxbxbb"),  # an empty POST has no version / part id: 400
    "projects:agreement_draft": ("lmmmmmm", "lxxxxrr"),
    "projects:agreement_send": ("lmmmmmm", "lxxxxrr"),
    "projects:agreement_confirm": ("lmmmmmm", "lbxbxbb"),  # an empty POST names no participant: 400
    "projects:agreement_amend": ("lmmmmmm", "lxxxxrr"),
    "projects:agreement_withdraw": ("lmmmmmm", "lxxxxrr"),  # the first version: refused with a message
    "projects:review_sheet": ("loxoxoo", "lbxbxbb"),  # an empty POST has no version / part id: 400
    "projects:review_open": ("lmmmmmm", "lxxxxrr"),
    "projects:review_complete": ("lmmmmmm", "lxxxxbb"),  # an empty POST has no version / part id: 400
    "projects:review_part_return": ("lmmmmmm", "lxxxxrr"),
    "projects:print": ("loxoxoo", "loxoxoo"),
    "projects:print_pdf": ("loxoxoo", "loxoxoo"),
    "projects:case_edit": ("loxoxoo", "lxxxxoo"),
    "projects:case_consent": ("lmmmmmm", "lbxbxbb"),  # an empty POST has no version / part id: 400
    "projects:case_list": ("ooooooo", "ooooooo"),
    "projects:case_detail": ("ooooooo", "ooooooo"),
    # proposals: an open call with A's submitted proposal (department in charge: dept); the scenario
    # has no committee member (tests/proposals/test_access.py covers reviewers); coordinators steer
    "proposals:call_list": ("ooooooo", "ooooooo"),
    "proposals:call_detail": ("ooooooo", "ooooooo"),
    "proposals:call_create": ("lxxxxoo", "lxxxxoo"),
    "proposals:call_edit": ("lxxxxoo", "lxxxxoo"),
    "proposals:call_action": ("lmmmmmm", "lxxxxrr"),
    "proposals:call_summary": ("lxxxxoo", "lxxxxrr"),  # scores: coordinators only
    "proposals:mine": ("loooooo", "loooooo"),
    # needs a party (admins have none); the call is for groups only: departments back with the reason
    "proposals:proposal_create": ("loorrrx", "loorrrx"),
    "proposals:proposal_detail": ("loxoxoo", "loxoxoo"),
    "proposals:proposal_attachment": ("loxoxoo", "loxoxoo"),
    "proposals:proposal_attachment_delete": ("lmmmmmm", "lrxxxxx"),  # submitted: back with the reason
    "proposals:proposal_edit": ("lrxxxxx", "lrxxxxx"),  # submitted: back to the page, no longer editable
    "proposals:proposal_action": ("lmmmmmm", "lrxxxxx"),  # withdraw: the applicant only
    "proposals:proposal_view": ("lxxoxxx", "lxxoxxx"),  # the department in charge only
    "proposals:proposal_review": ("lxxxxxx", "lxxxxxx"),  # nobody here sits on the committee
    "proposals:proposal_decide": ("lxxxxrr", "lxxxxrr"),  # not under review yet: back with the reason
    "proposals:proposal_next_step": ("lxxrxrr", "lxxrxrr"),  # not adopted yet: back with the reason
    # notifications: only one's own
    "notifications:list": ("loooooo", "loooooo"),
    "notifications:preferences": ("loooooo", "loooooo"),
    "notifications:read": ("lmmmmmm", "lrxxxxx"),
    "notifications:read_all": ("lmmmmmm", "lrrrrrr"),
    # stats: aggregates and open data are public; the dashboard is each role's home
    "stats:dashboard": ("loooooo", "loooooo"),
    "stats:index": ("ooooooo", "ooooooo"),
    "stats:table": ("ooooooo", "ooooooo"),
    "stats:download": ("ooooooo", "ooooooo"),
    "stats:opendata": ("ooooooo", "ooooooo"),
    "stats:opendata_dictionary": ("ooooooo", "ooooooo"),
    "stats:opendata_directory": ("ooooooo", "ooooooo"),
    "stats:opendata_listings": ("ooooooo", "ooooooo"),
    "stats:survey_report": ("ooooooo", "ooooooo"),  # the survey's report is public like the paper's
    "stats:survey_report_download": ("ooooooo", "ooooooo"),
    "stats:survey_compare": ("bbbbbbb", "bbbbbbb"),  # without the two years
    # surveys: the department in charge answers its questionnaire; coordinators run the survey
    "surveys:index": ("loooooo", "loooooo"),
    "surveys:open": ("lxxxxoo", "lxxxxoo"),  # an empty POST: the form with its errors
    "surveys:options": ("lxxxxoo", "lxxxxoo"),
    "surveys:detail": ("lxxxxoo", "lxxxxoo"),
    "surveys:close": ("lmmmmmm", "lxxxxrr"),
    "surveys:remind": ("lmmmmmm", "lxxxxrr"),
    "surveys:free_text": ("lxxxxoo", "lxxxxoo"),
    "surveys:export": ("lxxxxoo", "lxxxxoo"),
    "surveys:response": ("lxxoxoo", "lxxoxxx"),  # coordinators read, never answer
    "surveys:reopen": ("lmmmmmm", "lxxxxrr"),
    "surveys:start": ("lmmmmmm", "lxxrxxx"),  # not submitted yet: back with the reason why not
}

STATUS_LETTER = {200: "o", 403: "x", 404: "x", 405: "m", 400: "b"}


def portal_url_names():
    """Every named URL outside admin/ and allauth's accounts/."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.lstrip("^").startswith(SKIP_PREFIXES) or not p.name:
                    continue
                yield (f"{namespace}:{p.name}" if namespace else p.name), route

    return sorted(set(walk(get_resolver().url_patterns)))


def letter(response) -> str:
    if response.status_code in (301, 302):
        return "l" if urlsplit(response["Location"]).path == reverse("account_login") else "r"
    return STATUS_LETTER.get(response.status_code, f"[{response.status_code}]")


def make_clients(scenario):
    clients = {"anon": Client()}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(scenario.users[role])
        clients[role] = client
    return clients


def request(client, method, url, *, rollback):
    def send():
        try:
            response = client.generic(method, url, data=b"", content_type="application/x-www-form-urlencoded")
        except Exception as exc:  # noqa: BLE001 - a 500 is a finding, recorded with its cause
            return f"E({type(exc).__name__}: {exc})"[:200]
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return letter(response)

    if not rollback:
        return send()
    with transaction.atomic():
        result = send()
        transaction.set_rollback(True)
    return result


def snapshot():
    """Row counts and newest updated_at of every table a GET must not change (logs excluded)."""
    skip = {"accounts.SecurityEvent", "sessions.Session"}
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in skip or model._meta.app_label == "axes" or not model._meta.managed:
            continue
        qs = model._default_manager.all()
        fields = {f.name for f in model._meta.concrete_fields}
        state[label] = (qs.count(), qs.aggregate(m=Max("updated_at"))["m"] if "updated_at" in fields else None)
    return state


@pytest.fixture
def scenario(db):
    with override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True):
        yield build_scenario()


def test_every_portal_url_is_in_the_policy_table_and_every_role_gets_what_it_says(scenario, settings):
    settings.MEDIA_ROOT = settings.MEDIA_ROOT  # files saved by the scenario live in the test media root
    names = portal_url_names()
    missing = [name for name, _ in names if name not in POLICY]
    stale = sorted(set(POLICY) - {name for name, _ in names})
    clients = make_clients(scenario)
    urls = {name: reverse(name, kwargs=KWARGS.get(name, lambda s: {})(scenario)) for name, _ in names}
    before = snapshot()
    gets = {name: "".join(request(clients[r], "GET", url, rollback=False) for r in ROLES) for name, url in urls.items()}
    after = snapshot()
    changed = {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}
    # Each POST runs in a transaction that is rolled back, so every role meets the same state.
    posts = {
        name: "".join(request(clients[r], "POST", url, rollback=True) for r in ROLES) for name, url in urls.items()
    }
    observed = {name: (gets[name], posts[name]) for name in urls}
    mismatches = [
        f"{name} {urls[name]}: expected {POLICY[name]}, got {observed[name]}"
        for name in urls
        if name in POLICY and POLICY[name] != observed[name]
    ]
    if os.environ.get("MATRIX_PRINT"):
        print("\nPOLICY = {")
        for name, (get, post) in observed.items():
            print(f'    "{name}": ("{get}", "{post}"),')
        print("}")
    assert not missing, f"URLs missing from POLICY: {missing}"
    assert not stale, f"POLICY rows for URLs that no longer exist: {stale}"
    assert not mismatches, "\n".join(mismatches)
    assert not changed, f"GET requests changed data: {changed}"


def observe(scenario, clients, name, kwargs=None):
    url = reverse(name, kwargs=kwargs if kwargs is not None else KWARGS.get(name, lambda s: {})(scenario))
    get = "".join(request(clients[r], "GET", url, rollback=True) for r in ROLES)
    post = "".join(request(clients[r], "POST", url, rollback=True) for r in ROLES)
    return get, post


def test_the_matrix_notices_a_removed_permission_check(scenario, monkeypatch):
    """Mutation check of the harness: without its permission check, a page no longer matches POLICY."""
    import accounts.views

    clients = make_clients(scenario)
    assert observe(scenario, clients, "accounts:user_list") == POLICY["accounts:user_list"]
    monkeypatch.setattr(accounts.views, "_require_coordinator", lambda user: None)
    assert observe(scenario, clients, "accounts:user_list") != POLICY["accounts:user_list"]


def test_every_state_changing_url_refuses_a_post_without_the_csrf_token(scenario):
    for role in ("member_a", "coord", "admin"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(scenario.users[role])
        accepted = []
        for name, _ in portal_url_names():
            url = reverse(name, kwargs=KWARGS.get(name, lambda s: {})(scenario))
            with transaction.atomic():
                response = client.post(url, {"title": "x", "body": "x"})
                transaction.set_rollback(True)
            if response.status_code not in (403, 405):  # 405: a read-only URL (the API, feeds)
                accepted.append(f"{name}: {response.status_code}")
        assert accepted == [], role


# --- IDOR: an id of B's side inside a URL (or form) of A's side -----------------------------------

NESTED_IDOR = {
    # name: kwargs mixing A's parent with B's child; refused for every role, admins included
    "listings:attachment": lambda s: {"pk": s.listing.pk, "attachment_pk": s.b["attachment"].pk},
    "listings:attachment_delete": lambda s: {"pk": s.listing.pk, "attachment_pk": s.b["attachment"].pk},
    "organizations:member_remove": lambda s: {"pk": s.org_a.pk, "membership_pk": s.b["membership"].pk},
    "projects:follow_up": lambda s: {"pk": s.project.pk, "follow_up_pk": s.b["follow_up"].pk},
    "projects:pre_part_return": lambda s: {"pk": s.project.pk, "part_pk": s.b["pre_part"].pk},
    "projects:review_part_return": lambda s: {"pk": s.project.pk, "part_pk": s.b["review_part"].pk},
    "events:event_unregister": lambda s: {"pk": s.event.pk, "reg_pk": s.b["registration"].pk},
    "proposals:proposal_attachment": lambda s: {"pk": s.proposal.pk, "attachment_pk": s.b["proposal_attachment"].pk},
    "proposals:proposal_attachment_delete": lambda s: {
        "pk": s.proposal.pk,
        "attachment_pk": s.b["proposal_attachment"].pk,
    },
}


@pytest.mark.parametrize("name", sorted(NESTED_IDOR))
def test_a_child_id_of_another_party_in_a_url_is_refused(scenario, name):
    clients = make_clients(scenario)
    url = reverse(name, kwargs=NESTED_IDOR[name](scenario))
    for role in ROLES[1:]:
        for method in ("GET", "POST"):
            result = request(clients[role], method, url, rollback=True)
            assert result in ("x", "m"), f"{role} {method} {url}: {result}"


def test_b_cannot_reach_a_objects_by_changing_the_id(scenario):
    """Every A-side object URL refuses group B's member (their own objects are not enough)."""
    clients = make_clients(scenario)
    for name, make in KWARGS.items():
        url = reverse(name, kwargs=make(scenario))
        for i, method in enumerate(("GET", "POST")):
            if POLICY[name][i][2] in "orb":
                continue  # open to B by policy (public pages, interest in A's published listing)
            result = request(clients["member_b"], method, url, rollback=True)
            assert result in ("x", "m", "l"), f"{name} {method}: {result}"


def test_a_form_field_naming_another_party_is_refused(scenario):
    """Posting a listing as group B's party, while a member of A only, creates nothing."""
    from listings.models import Listing

    client = make_clients(scenario)["member_a"]
    before = Listing.objects.count()
    response = client.post(
        reverse("listings:create"),
        {"owner": scenario.org_b.party_id, "kind": "need", "title": "なりすまし", "body": "x", "problem": "x"},
    )
    assert response.status_code in (200, 403)
    assert Listing.objects.count() == before
    assert not Listing.objects.filter(title="なりすまし").exists()


def test_htmx_requests_get_the_same_refusals(scenario):
    clients = make_clients(scenario)
    for name in ("matching:match_move", "matching:suggestion_dismiss", "notifications:read"):
        url = reverse(name, kwargs=KWARGS[name](scenario))
        for role in ("member_b", "other_dept"):
            with transaction.atomic():
                response = clients[role].post(url, {"stage": "failed"}, HTTP_HX_REQUEST="true")
                transaction.set_rollback(True)
            assert response.status_code in (403, 404), f"{name} as {role}: {response.status_code}"
