"""Web-page leftovers in an extracted article: drop them, and say when the body looks wrong.

trafilatura finds the main text of most news pages, but lines from around the article leak in:
"Read more:" lists, share buttons, slideshow controls, photo credits, comment counters, "Topics:"
lines, copyright notices. They become entities, claims and technique spans that are not the
author's. :func:`strip_boilerplate` drops whole lines that match a conservative list of such
patterns (and a trailing list of links after a "Read more" / "Related" heading), and nothing else:
a sentence of the article is never cut. :func:`extraction_warnings` says when the body is tiny
compared with the page's visible text, or reads like a caption or a list of links rather than an
article (a home page, a gallery, a page whose body was loaded by script).
"""

from __future__ import annotations

import re

#: Whole lines (after stripping spaces and a leading list dash) that are page furniture.
_LINE_PATTERNS = [
    r"read (?:more|next|the full story|also)(?:\s*[:»›>…]|\.\.\.)?(?:(?<=[:»›>….])\s*.{0,160})?",
    r"\[[^\]]{1,200}\]",
    r"related(?: articles?| stories| videos?| content| coverage| links?| topics)?:?",
    r"(?:more|most) (?:from|on|in) [^.!?]{1,60}:?",
    r"you might also like:?|recommended(?: for you)?:?|trending(?: now)?:?|popular(?: now)?:?",
    r"featured(?: slide shows?| videos?| stories)?:?|recent slide shows?|slide ?show:?",
    r"comments?|loading comments\W*|\d[\d,]* comments?|(?:view|show|add|post) (?:a )?comments?\W*",
    r"share|tweet|email|print|share (?:this(?: article| story| page)?|on|via|with)\b.{0,40}",
    r"(?:previous|next|close|fullscreen|thumbnails|prev|back to top|skip ad|play|pause)",
    r"\d+ of \d+",
    r"now (?:watching|playing)|next video starts in.{0,40}|view (?:photo|gallery|image)s?",
    r"unfortunately, this video is not available in your region\.?",
    r"advertisement|sponsored(?: content)?|story continues below(?: advertisement)?|continue reading.{0,80}",
    r"topics?:.{0,200}|tags?:.{0,200}|filed under:?.{0,200}",
    r"other (?:opinion )?columns|more (?:opinion|columns|stories)",
    r"our standards:.{0,120}",
    r"©.{0,200}|(?:copyright ?©?|\(c\)) ?\d{4}\b.{0,200}|all rights reserved\.?",
    r"(?:sign up|subscribe)\b.{0,160}|follow (?:us|[\w@ ]{1,40}) on (?:twitter|facebook|instagram|x)\b.{0,80}",
    r"click here\b.{0,160}",
    r"photo ?credits?.{0,160}|image (?:copyright|caption|source)\b.{0,160}|\(?(?:photo|image|picture)s?: .{0,120}",
    r"from the section .{1,80}|\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|december) \d{4}",
    r"(?:reporting|writing|editing|additional reporting) by .{1,160}",
    # credits and reprint notes
    (
        r"this (?:article|story|post|piece) (?:originally appeared|was (?:originally )?(?:published|"
        r"reprinted|republished)) (?:on|in|at|by) .{1,120}"
    ),
    r"originally (?:published|appeared|posted) (?:at|on|in) .{1,200}",
    r"[\w .'’-]{3,80} contributed (?:reporting )?to this (?:report|story|article)\.?",
    r"(?:photos?|images?|illustrations?|video) by .{1,160}",
    r"related: .{1,160}|more [\w ]{1,40} news:?",
    r"(?:gallery|photos?|slideshow): .{1,80}\| ?\d+ (?:photos?|images?|slides?)",
]
_LINE = re.compile(r"(?:" + "|".join(_LINE_PATTERNS) + r")", re.IGNORECASE)
#: Lines that are page furniture only among the last few lines of the text: an author's bio ("Ana
#: Ruiz is a reporter for ... Follow her on ...", "... is on Twitter at ...") and interface strings
#: left after the article ("Please wait...", "This feature is temporarily unavailable").
_TAIL_PATTERNS = [
    (
        r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} (?:is|was) (?:on [Tt]witter\b|an? (?:[\w-]+ )?"
        r"(?:reporter|writer|correspondent|contributor|columnist|editor|journalist|producer)\b).{0,220}"
    ),
    (
        r"(?i:please wait\W*|thanks!|this feature is (?:temporarily )?unavailable.{0,80}|"
        r"now check your email.{0,120}|today on [\w.]{2,30})"
    ),
]
_TAIL = re.compile(r"(?:" + "|".join(_TAIL_PATTERNS) + r")")
_TAIL_LINES = 6
#: how far from the end a capitals sign-off is looked for (a list of other columns may follow it)
_SIGN_OFF_REACH = 20
#: Headings after which the rest of the article, when it is only short lines, is a list of links.
_LIST_HEADING = re.compile(
    r"(?:read more|related(?: articles| stories| coverage)?|more (?:on|from|in) .{1,60}|"
    r"you might also like|recommended|further reading|see also)\s*:?",
    re.IGNORECASE,
)
#: A columnist's sign-off in capitals ("JANE DOE IS THE NETWORK'S POLITICAL EDITOR")
_SIGN_OFF = re.compile(
    r"[A-Z][A-Z .'’-]+ IS (?:THE |AN? )?[A-Z0-9 .,'’&-]*(?:EDITOR|COLUMNIST|CORRESPONDENT|WRITER|"
    r"REPORTER|JOURNALIST|COMMENTATOR|PRESENTER|HOST)\b[A-Z0-9 .,'’&-]*"
)
#: A teaser that opens with its writer's name in capitals ("JOE BLOGGS HOW is it that ...")
_CAPS_NAME_START = re.compile(r"[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){1,2} [A-Z]")
_MAX_FURNITURE_CHARS = 220
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
_BYLINE = re.compile(
    r"(?:[Bb]y|[Pp]or|[Pp]ar|[Vv]on|[Dd]i|[Dd]e) [A-ZÀ-Ý][\w.'’-]+(?: [A-ZÀ-Ý][\w.'’-]+){0,3}(?: and [A-Z][\w.'’ -]{1,40})?"
)


def _bare(line: str) -> str:
    return re.sub(r"^[\s\-–—•·*]+", "", line).strip()


def strip_boilerplate(text: str) -> tuple[str, int]:
    """``(text without furniture lines, how many lines were dropped)``. Blank lines are kept where
    they separate paragraphs; nothing inside a kept line changes."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    for k, line in enumerate(lines):
        bare = _bare(line)
        if bare and len(bare) <= _MAX_FURNITURE_CHARS and _LINE.fullmatch(bare):
            keep[k] = False
    tail = [k for k, line in enumerate(lines) if line.strip()][-_TAIL_LINES:]
    for k in tail:
        bare = _bare(lines[k])
        if len(bare) <= _MAX_FURNITURE_CHARS + 80 and _TAIL.fullmatch(bare):
            keep[k] = False
    # a sign-off in capitals: the column ends there; what follows is a list of other columns when
    # lines of it open with their writers' names in capitals
    filled = [k for k, line in enumerate(lines) if line.strip()]
    for k in filled[-_SIGN_OFF_REACH:]:
        if _SIGN_OFF.fullmatch(_bare(lines[k])):
            rest = [_bare(lines[j]) for j in filled if j > k]
            teasers = sum(1 for x in rest if _CAPS_NAME_START.match(x))
            end = len(lines) if teasers >= 2 and 3 * teasers >= len(rest) else k + 1
            for j in range(k, end):
                keep[j] = False
            break
    # a trailing "Read more:" / "Related" heading followed only by short, unpunctuated lines
    for k, line in enumerate(lines):
        bare = _bare(line)
        if bare and _LIST_HEADING.fullmatch(bare):
            rest = [_bare(x) for x in lines[k + 1 :] if _bare(x)]
            if rest and all(len(x) <= 150 and not _SENTENCE_END.search(x) for x in rest):
                for j in range(k, len(lines)):
                    keep[j] = False
                break
    dropped = sum(1 for k, line in enumerate(lines) if not keep[k] and line.strip())
    if not dropped:
        return text, 0
    kept = [line for k, line in enumerate(lines) if keep[k]]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return (cleaned if cleaned.strip() else text), (dropped if cleaned.strip() else 0)


#: Below this share of the page's visible text, and this many characters, the body is "tiny".
TINY_SHARE = 0.1
TINY_CHARS = 1500


def extraction_warnings(text: str, visible_chars: int | None) -> list[str]:
    """Warnings about an extracted body that may not be the article."""
    warnings = []
    body = len(text.strip())
    if visible_chars and body < TINY_CHARS and body < TINY_SHARE * visible_chars:
        warnings.append(
            f"the extracted body is small ({body:,} characters of {visible_chars:,} visible on "
            "the page): the article text may not have been found"
        )
    lines = [_bare(line) for line in text.split("\n") if line.strip()]
    if len(lines) >= 6:
        listy = sum(1 for line in lines if len(line) < 80 and not _SENTENCE_END.search(line))
        if listy / len(lines) > 0.6:
            warnings.append(
                f"the extracted text reads like a list of links or captions ({listy} of "
                f"{len(lines)} lines are short and unpunctuated): is this a home or section page?"
            )
    bylines = sum(1 for line in lines if _BYLINE.fullmatch(line))
    if bylines >= 3:
        warnings.append(
            f"the extracted text has {bylines} bylines: it may be a page listing several "
            "articles, not one article"
        )
    if len(lines) < 6 and body < 400 and len(lines) <= 2:
        warnings.append(
            f"the extracted body is very short ({body} characters): it may be a caption or a "
            "teaser, not the article"
        )
    return warnings
