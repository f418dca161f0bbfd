"""Who may see and act on collaboration projects and their records."""

from accounts.roles import authorised_party_ids_of, is_coordinator_or_admin, party_ids_of

from .models import CollaborationProject, PartStatus


def projects_visible_to(user):
    """Coordinators see every project; others the projects their organizations or departments take part in."""
    qs = CollaborationProject.objects.all()
    if is_coordinator_or_admin(user):
        return qs
    parties = party_ids_of(user)
    if not parties:
        return qs.none()
    return qs.filter(participants__party_id__in=parties).distinct()


def is_participant(user, project) -> bool:
    parties = party_ids_of(user)
    return any(p.party_id in parties for p in project.participants.all())


def can_view_project(user, project) -> bool:
    return is_coordinator_or_admin(user) or is_participant(user, project)


def can_create_project(user) -> bool:
    return is_coordinator_or_admin(user)


def can_manage_project(user, project) -> bool:
    """Coordinator-only moves: confirm the pre-sheet, draft/amend the agreement, open and close the review."""
    return is_coordinator_or_admin(user)


def can_rename_project(user, project) -> bool:
    """A project's name is the parties' own: coordinators and those who sign for a participant set it."""
    if is_coordinator_or_admin(user):
        return True
    signs = authorised_party_ids_of(user)
    return any(p.party_id in signs for p in project.participants.all())


def can_edit_part(user, part) -> bool:
    """A sheet part (pre-confirmation or review) is edited only by the members of its own party."""
    return part.participant.party_id in party_ids_of(user)


def can_confirm_for(user, participant) -> bool:
    """The participant's authorised person confirms agreements and consents to case studies."""
    return participant.party_id in authorised_party_ids_of(user)


def can_edit_agreement(user, agreement) -> bool:
    return is_coordinator_or_admin(user) or is_participant(user, agreement.project)


def can_record_follow_up(user, project) -> bool:
    return is_coordinator_or_admin(user)


def readable_parts(user, parts, *, blind: bool = False) -> list:
    """The sheet parts (事前確認シート or ふりかえりシート) whose answers `user` may read.

    The one rule for every page that shows a sheet (the page itself, its print view and its PDF).
    Coordinators read every part and a party always reads its own. Another party's part is read only
    once submitted: a draft or a returned part is still being written. A `blind` sheet (ふりかえり) shows
    another party's answers only once every part is submitted, so no party anchors on the other's scores.
    Each part is marked `is_mine` on the way, for the pages that offer the party's own form.
    """
    coordinator = is_coordinator_or_admin(user)
    mine = party_ids_of(user)
    everyone_submitted = all_parts_submitted(parts)
    readable = []
    for part in parts:
        part.is_mine = part.participant.party_id in mine
        if coordinator or part.is_mine:
            readable.append(part)
        elif part.status == PartStatus.SUBMITTED and (everyone_submitted or not blind):
            readable.append(part)
    return readable


def all_parts_submitted(parts) -> bool:
    return bool(parts) and all(p.status == PartStatus.SUBMITTED for p in parts)


def can_compare_review(parts) -> bool:
    """The parties' ふりかえり answers side by side: for anyone who may view the project, once all are submitted."""
    return all_parts_submitted(parts)
