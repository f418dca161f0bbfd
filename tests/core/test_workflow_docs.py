"""The transition tables in docs/architecture.md are the declared workflows, and every declared
workflow has its table there."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from core.exceptions import PermissionDenied, TransitionError
from core.workflow import DOC_BLOCK, Action, Workflow, all_workflows, render_doc_tables
from listings.models import Listing

DOC = Path(settings.BASE_DIR) / "docs" / "architecture.md"


def test_the_document_shows_every_workflow_as_declared():
    text = DOC.read_text(encoding="utf-8")
    assert render_doc_tables(text) == text, "run: python manage.py workflow_tables"
    assert {m.group(2) for m in DOC_BLOCK.finditer(text)} == set(all_workflows())


def test_a_workflow_rejects_an_unknown_state():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("broken", field="status", states=Listing.Status, actions=[Action("x", ("nope",), None, bool, "", "")])


def test_check_tells_a_wrong_user_from_a_wrong_state():
    S = Listing.Status
    flow = Workflow(
        "example",
        field="status",
        states=S,
        actions=[Action("go", (S.DRAFT,), S.PENDING, lambda user, obj: user.is_authenticated, "進める", "")],
    )
    draft, pending = Listing(status=S.DRAFT), Listing(status=S.PENDING)
    with pytest.raises(PermissionDenied):
        flow.check(AnonymousUser(), draft, "go")
    user = type("U", (), {"is_authenticated": True})()
    assert flow.check(user, draft, "go").target == S.PENDING
    with pytest.raises(TransitionError, match="「審査中」の状態では「進める」はできません"):
        flow.check(user, pending, "go")
    assert flow.allowed_actions(user, draft) == {"go"} and flow.allowed_actions(user, pending) == set()
