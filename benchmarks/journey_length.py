"""How long the journey is before the first result, for every role as current role.

Two parts:

1. From the services, for each role of the curated referential as current role (and for
   « no role »): the questions asked before « Voir mes premiers résultats » and the words a
   person reads to answer them (each competency's name, the five level names and the longest
   descriptor — the one shown once a level is chosen; the description and the other
   descriptors are one tap away). Beside it, the reference computed in the same run: the
   whole questionnaire with every descriptor spread out, as it was before (every asked
   competency, its description and its five descriptors). Goal: ≤ 25 questions,
   ≤ 1,500 words.

2. A scripted browser run on the production build (phone size, Debian's Chromium): for a
   few roles, start at /bilan, pick the situation and the role, answer every screen up to
   the first result, and time it; the words really visible on each screen (main's
   innerText: closed disclosures and unchosen descriptors do not count) are summed too.
   It prints the median time to first result of `--runs` runs per role. A script taps
   instantly: the time measures the app (navigation, server round trips), not a reader;
   the estimated human time (200 words a minute plus 4 s per answer) is printed beside it.

Usage:
    .venv/bin/python benchmarks/journey_length.py [--runs 3] [--roles secretaire ...]
        [--no-browser]

Figures measured on a loaded machine vary; the question and word counts do not.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from careerpath.data.importers.bundle import read_bundle  # noqa: E402
from careerpath.services.assessments import StoredAssessment  # noqa: E402
from careerpath.services.context import Context, context_of  # noqa: E402
from careerpath.services.questionnaire import (  # noqa: E402
    READING_WORDS_PER_MINUTE,
    SECONDS_PER_ANSWER,
    asked_competencies,
    assessment_steps,
    question,
)
from careerpath.services.referential import CURATED_BUNDLE  # noqa: E402

GOAL_QUESTIONS = 25
GOAL_WORDS = 1500
BROWSER_ROLES = ("secretaire", "assistant-direction", "agent-accueil")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def words(text: str) -> int:
    return len(text.split())


def first_result(ctx: Context, role: str | None) -> tuple[int, int]:
    """(questions, words read) before the first result."""
    stored = StoredAssessment(
        id="a" * 32, device_id="d" * 32, situation="en_poste", current_role=role
    )
    codes = [
        c for s in assessment_steps(ctx, stored.current_role) if s.first for c in s.competencies
    ]
    by_code = ctx.referential.competency_by_code
    read = sum(question(by_code[c], None, ctx.locale).words_read for c in codes)
    return len(codes), read


def whole_questionnaire(ctx: Context, role: str | None) -> tuple[int, int]:
    """The reference: every asked competency with its description and five descriptors."""
    by_code = ctx.referential.competency_by_code
    codes = asked_competencies(ctx.referential, role)
    total = 0
    for code in codes:
        q = question(by_code[code], None, ctx.locale)
        total += words(q.label) + words(q.description)
        total += sum(words(o.name) + words(o.descriptor) for o in q.options)
    return len(codes), total


def service_table(ctx: Context) -> bool:
    print("1. Avant les premiers résultats, par métier actuel (services, référentiel careerpath)")
    print(f"   objectif : ≤ {GOAL_QUESTIONS} questions, ≤ {GOAL_WORDS} mots")
    print(
        f"   {'métier actuel':<42} {'questions':>9} {'mots':>6} {'≈ min':>6}"
        f"   | référence : tout le questionnaire {'questions':>9} {'mots':>7}"
    )
    ok = True
    rows = []
    for role in [None, *(r.code for r in ctx.referential.roles)]:
        title = ctx.referential.role_by_code[role].title if role else "(aucun métier)"
        n, read = first_result(ctx, role)
        ref_n, ref_words = whole_questionnaire(ctx, role)
        minutes = (60 * read / READING_WORDS_PER_MINUTE + n * SECONDS_PER_ANSWER) / 60
        rows.append((n, read))
        ok = ok and n <= GOAL_QUESTIONS and read <= GOAL_WORDS
        print(
            f"   {title[:42]:<42} {n:>9} {read:>6} {minutes:>6.1f}"
            f"   | {'':<34} {ref_n:>9} {ref_words:>7}"
        )
    print(
        f"   max : {max(r[0] for r in rows)} questions, {max(r[1] for r in rows)} mots ; "
        f"médiane : {statistics.median(r[1] for r in rows):.0f} mots "
        f"— {'dans l’objectif' if ok else 'HORS objectif'}"
    )
    return ok


def visible_words(page: object) -> int:
    text = page.locator("main").inner_text()  # type: ignore[attr-defined]
    return words(text)


def browser_run(roles: list[str], runs: int) -> None:
    from lighthouse import running_app
    from playwright.sync_api import expect, sync_playwright

    print()
    print("2. Parcours scripté dans le navigateur (build de production, 390 × 844)")
    with running_app() as (url, _database), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            for role in roles:
                times: list[float] = []
                seen_words: list[int] = []
                answered_counts: list[int] = []
                for _ in range(runs):
                    context = browser.new_context(
                        base_url=url, locale="fr-FR", viewport={"width": 390, "height": 844}
                    )
                    page = context.new_page()
                    page.goto("/bilan")
                    page.wait_for_load_state("networkidle")
                    started = time.perf_counter()
                    read = visible_words(page)
                    page.get_by_role("radio", name=re.compile(r"^En poste")).check()
                    search = page.get_by_label("Votre métier actuel (ou le dernier exercé)")
                    search.fill(role.replace("-", " ")[:14])
                    page.locator(f'input[name=role][value="{role}"]').check()
                    page.get_by_role("button", name="Commencer mon bilan").click()
                    answered = 0
                    while True:
                        progress = page.get_by_text(re.compile(r"^Étape \d+ sur \d+$"))
                        expect(progress).to_be_visible(timeout=30_000)
                        fieldsets = page.locator("fieldset.cp-fieldset")
                        for i in range(fieldsets.count()):
                            fieldsets.nth(i).get_by_role("radio").nth(2).check()
                            answered += 1
                        read += visible_words(page)
                        last = page.get_by_role("button", name="Voir mes premiers résultats")
                        if last.count():
                            last.click()
                            break
                        number = progress.inner_text()
                        page.get_by_role("button", name="Suivant", exact=True).click()
                        expect(page.get_by_text(number, exact=True)).to_have_count(0)
                    expect(page.get_by_role("heading", level=1, name="Votre profil")).to_be_visible(
                        timeout=30_000
                    )
                    times.append(time.perf_counter() - started)
                    seen_words.append(read)
                    answered_counts.append(answered)
                    page.wait_for_load_state("networkidle")
                    context.close()
                human = (
                    60 * statistics.median(seen_words) / READING_WORDS_PER_MINUTE
                    + statistics.median(answered_counts) * SECONDS_PER_ANSWER
                ) / 60
                print(
                    f"   {role:<24} {statistics.median(answered_counts):>3.0f} réponses · "
                    f"{statistics.median(seen_words):>5.0f} mots affichés (/bilan compris) · "
                    f"premier résultat en {statistics.median(times):5.1f} s (médiane de "
                    f"{runs}, clics instantanés) · ≈ {human:.1f} min pour une personne"
                )
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--roles", nargs="*", default=list(BROWSER_ROLES))
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    ctx = context_of(read_bundle(CURATED_BUNDLE).referential)
    ok = service_table(ctx)
    if not args.no_browser:
        browser_run(args.roles, max(1, args.runs))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
