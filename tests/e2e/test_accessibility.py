"""Every demo account walks its home and the pages its menus link to, in Chromium with axe-core injected.

Checked on every page of the walk: no violation of WCAG 2.1 AA (axe-core's wcag2a, wcag2aa, wcag21a and
wcag21aa rules, run once per distinct page: the same path with the same structure for several accounts is
checked once; GB/T 37668-2019 asks the same of government sites), no request answered 403 (a menu links
only to pages the role may open), no script or style refused by the Content Security Policy, and no sideways
scroll of the page at a phone's 390 px. Each role's home and the year's allocation page are photographed
under var/screenshots/.

The walk runs once for the module (the demo data loads once); each test asserts one of its findings.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from awards.models import Allocation
from orgs.demo import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import login

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Links followed: the main menu, the home's overview and user menu; on a system's page its tabs and its list
# of functions. Downloads, logging out and Django's own admin site are not pages of the walk.
HOME_LINKS = "#mainnav a[href^='/'], #overview a[href^='/']"
SECTION_LINKS = "main .nav-tabs a[href^='/'], main .list-group a[href^='/']"
NOT_WALKED = ("/accounts/logout", "/admin/", "/export", "/download", "/template/", "#")

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
# What axe-core's verdicts depend on: the elements, their classes, roles, types and attributes, and which
# carry text — not the text itself, nor how many times a row repeats. Two accounts shown the same structure on
# the same path are shown the same page for axe-core, which then checks it once (the walk measures every
# page the roles see; the checks that differ by account run on every page).
SKELETON = """() => {
  const KEPT = ["class", "role", "type", "lang", "scope", "tabindex", "disabled", "hidden"];
  const sig = (el) => {
    const names = [...el.attributes].map(a => a.name).sort().join(",");
    const kept = KEPT.map(name => el.getAttribute(name) ?? "").join("|");
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) ? "T" : "";
    const children = [];
    for (const child of el.children) {
      const s = sig(child);
      if (children[children.length - 1] !== s) children.push(s);
    }
    return `${el.tagName}[${names}]{${kept}}${text}(${children.join("")})`;
  };
  return `${document.title ? "titled" : ""}:${sig(document.documentElement)}`;
}"""
# Latin words a Chinese page may show: file formats, product names and units. Letters run together with
# digits are codes (案件编号 DY2026000001, 统一社会信用代码), not words.
LATIN_ALLOWED = {"Excel", "xlsx", "PDF", "JPG", "PNG", "docx", "GB", "mg", "kg"}
LATIN_WORDS = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
# Login names are data (the 用户名 column of the account pages), not interface text.
LOGIN_NAMES = {part for username, *_ in DEMO_USERS for part in re.split(r"[^A-Za-z]+", username) if part}
# Measured two frames after the viewport changes: the browser dispatches "resize" (which redraws the charts at
# the new width) with the next frame, not at once.
SCROLLS_SIDEWAYS = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
  done(document.documentElement.scrollWidth > document.documentElement.clientWidth + 1))))"""


@dataclass
class Walk:
    pages: dict[str, list[str]] = field(default_factory=dict)  # username -> paths visited
    violations: list[str] = field(default_factory=list)
    axed: set[tuple[str, str]] = field(default_factory=set)  # (path, skeleton) of the pages axe-core checked
    forbidden: list[str] = field(default_factory=list)
    refused_by_csp: list[str] = field(default_factory=list)
    sideways: list[str] = field(default_factory=list)
    narrowed: set[str] = field(default_factory=set)  # paths measured at 390 px
    english: list[str] = field(default_factory=list)  # words of English shown to the user
    failed: list[str] = field(default_factory=list)  # pages answered with an error
    screenshots: dict[str, Path] = field(default_factory=dict)


def _links(page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and not any(part in h for part in NOT_WALKED)]


def _same_page(path: str, visited: list[str]) -> bool:
    """A link that only adds a query to a page already walked (``?year=2020``) shows that page again."""
    return path in visited or path.split("?")[0] in visited


def _walk_user(browser, base_url: str, username: str, walk: Walk, allocation_year: int | None) -> None:
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    # An init script is injected by the browser itself, so the page's CSP (script-src 'self') still holds.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.on("response", lambda r: r.status == 403 and walk.forbidden.append(f"{username}: {r.url}"))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and "Content Security Policy" in m.text
            and walk.refused_by_csp.append(f"{username}: {page.url}: {m.text}")
        ),
    )
    login(page, username, DEMO_PASSWORD)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visited: list[str] = []
    queue = deque([("/", 0)])
    while queue:
        path, depth = queue.popleft()
        if _same_page(path, visited):
            continue
        visited.append(path)
        response = page.goto(path)
        if response is None or response.status >= 400:
            walk.failed.append(f"{username}: {path} → {response and response.status}")
            continue
        page.wait_for_load_state("load")
        words = set(LATIN_WORDS.findall(page.inner_text("body"))) - LATIN_ALLOWED - LOGIN_NAMES
        if words:
            walk.english.append(f"{username} {path}: {sorted(words)}")
        skeleton = (path, page.evaluate(SKELETON))
        if skeleton not in walk.axed:  # once per distinct page, not once per account
            walk.axed.add(skeleton)
            for violation in page.evaluate(RUN_AXE, WCAG_TAGS):
                walk.violations.append(f"{username} {path}: {violation}")
        if path == "/":
            target = SCREENSHOTS / f"home-{username}.png"
            page.screenshot(path=str(target), full_page=True)
            walk.screenshots[username] = target
            queue.extend((link, 1) for link in _links(page, HOME_LINKS))
        elif depth == 1:
            queue.extend((link, 2) for link in _links(page, SECTION_LINKS))
        if path not in walk.narrowed:  # a page's layout is the same for every role: measured once
            walk.narrowed.add(path)
            page.set_viewport_size(PHONE)
            if page.evaluate(SCROLLS_SIDEWAYS):
                walk.sideways.append(f"{username}: {path}")
            page.set_viewport_size(DESKTOP)
    if allocation_year is not None and username == "fgw_shenpi":
        page.goto(f"/awards/{allocation_year}/")
        target = SCREENSHOTS / f"allocation-{allocation_year}.png"
        page.screenshot(path=str(target), full_page=True)
        walk.screenshots["allocation"] = target
    walk.pages[username] = visited
    context.close()


@pytest.fixture(scope="module")
def walk(browser, live_server, demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        year = Allocation.objects.order_by("-year").values_list("year", flat=True).first()
    result = Walk()
    for username, *_ in DEMO_USERS:
        _walk_user(browser, live_server.url, username, result, year)
    return result


def _report(findings: list[str]) -> str:
    return "\n".join(findings[:60])


def test_every_role_walks_its_home_and_menus(walk):
    assert set(walk.pages) == {username for username, *_ in DEMO_USERS}
    assert all(len(paths) >= 3 for paths in walk.pages.values()), walk.pages
    assert not walk.failed, _report(walk.failed)


def test_no_page_violates_wcag_21_aa(walk):
    assert not walk.violations, _report(walk.violations)


def test_no_request_of_the_walk_is_forbidden(walk):
    assert not walk.forbidden, _report(walk.forbidden)


def test_no_page_breaks_the_content_security_policy(walk):
    assert not walk.refused_by_csp, _report(walk.refused_by_csp)


def test_no_page_scrolls_sideways_at_phone_width(walk):
    assert not walk.sideways, _report(walk.sideways)


def test_no_page_shows_english(walk):
    assert not walk.english, _report(walk.english)


def test_each_role_home_and_the_allocation_page_are_photographed(walk):
    expected = {username for username, *_ in DEMO_USERS} | {"allocation"}
    assert set(walk.screenshots) == expected
    for path in walk.screenshots.values():
        assert path.stat().st_size > 10_000, path
