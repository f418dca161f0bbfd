"""Sections that higher apps add to the project page, without projects knowing them (the proposal
programme shows the call and term a project came from). An app registers a function in its
AppConfig.ready(); each takes (request, project) and returns rendered HTML or "" to show nothing."""

from collections.abc import Callable

_SECTIONS: list[Callable] = []


def register(section: Callable) -> Callable:
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def render_all(request, project) -> list[str]:
    return [html for section in _SECTIONS if (html := section(request, project))]
