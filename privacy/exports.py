"""Everything the portal holds about one group, for its representative (APPI disclosure).

`organization_data(org)` is a JSON-ready dict; `organization_rows(org)` the same as (section,
record, field, value) rows for CSV, written through core.spreadsheets (formula injection neutralised).
"""

from django.forms.models import model_to_dict

SKIP = {"search_text", "party", "logo", "password"}


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _record(obj, fields=None) -> dict:
    data = model_to_dict(obj, fields=fields)
    data = {k: _plain(v) for k, v in data.items() if k not in SKIP}
    data["id"] = obj.pk
    for name in ("created_at", "updated_at"):
        if hasattr(obj, name):
            data[name] = _plain(getattr(obj, name))
    return data


def organization_data(organization) -> dict:
    from listings.models import Interest, Listing
    from matching.models import MatchParticipant
    from projects.models import ProjectParticipant

    party = organization.party
    profile = _record(organization)
    profile["activity_fields"] = [str(f) for f in organization.activity_fields.all()]
    profile["open_forms"] = [str(f) for f in organization.open_forms.all()]
    profile["area"] = str(organization.area) if organization.area_id else ""
    return {
        "organization": profile,
        "contact_persons": [_record(c) for c in organization.contact_persons.all()],
        "members": [
            {
                "name": m.user.full_name,
                "email": m.user.email,
                "role": m.get_role_display(),
                "since": _plain(m.created_at),
            }
            for m in organization.memberships.select_related("user")
        ],
        "activities": [_record(a) for a in organization.activities.all()],
        "profile_revisions": [
            {"id": r.pk, "status": r.get_status_display(), "data": r.data, "created_at": _plain(r.created_at)}
            for r in organization.revisions.all()
        ],
        "listings": [
            _record(x, fields=["kind", "title", "body", "problem", "status"])
            for x in Listing.objects.filter(owner=party)
        ],
        "interests_sent": [
            {"id": i.pk, "listing": str(i.listing), "message": i.message, "created_at": _plain(i.created_at)}
            for i in Interest.objects.filter(from_party=party).select_related("listing")
        ],
        "matches": [
            {"match_id": p.match_id, "match": str(p.match), "response": _plain(getattr(p, "response", ""))}
            for p in MatchParticipant.objects.filter(party=party).select_related("match")
        ],
        "projects": [
            {"project_id": p.project_id, "project": str(p.project)}
            for p in ProjectParticipant.objects.filter(party=party).select_related("project")
        ],
        "data_requests": [
            _record(d, fields=["kind", "body", "status", "resolution", "resolved_at"])
            for d in organization.data_requests.all()
        ],
    }


def organization_rows(organization):
    """(section, record id, field, value) rows of organization_data, for one CSV."""
    data = organization_data(organization)
    for section, content in data.items():
        records = [content] if isinstance(content, dict) else content
        for record in records:
            for key, value in record.items():
                if isinstance(value, list | dict):
                    value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                yield section, record.get("id", record.get("match_id", record.get("project_id", ""))), key, value
