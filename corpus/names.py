"""Find candidate names in a body: titled people, capitalised word runs and acronyms.

Pure text work, no database: ``find_candidates`` returns spans that ``corpus.review`` then
checks against the known aliases. The heuristics favour recall over precision (a curator
dismisses noise in one click, but a name never listed is never curated):

- a title ("Foreign Minister", "President-elect", "Rep.") followed by one to three
  capitalised words is a person; the title is kept as a suggested role;
- two or more capitalised words in a row ("Associated Press", "Le Figaro", "Secretary of
  State" style runs with of/de/von inside) are a name, once sentence-starting function words
  ("The", "According", "By" …) are trimmed;
- two to six capital letters, or dotted capitals ("ICBM", "NYT", "U.K."), are an acronym;
  a plural "s" is dropped ("ICBMs" → "ICBM").

Lines that look like headlines (short, mostly capitalised, no full stop) are skipped for
runs, since every word there is capitalised whether or not it is a name.
"""

import re
from dataclasses import dataclass

UPPER = "A-ZÀ-ÖØ-Þ"
NAME_WORD = rf"[{UPPER}][^\W\d_]*(?:[-'\u2019][{UPPER}]?[^\W\d_]+)*"
TITLE_PREFIX_WORD = rf"[{UPPER}][\w-]*"
TITLES = (
    r"President(?:-elect)?|Vice[ -]President|Prime\s+Minister|Minister|"
    r"Secretary(?:\s+of\s+(?:State|Defen[cs]e))?|Secretary-General|Spokes(?:person|man|woman)|"
    r"Chancellor|Ambassador|Senator|Sen\.|Representative|Rep\.|Governor|Gov\.|Mayor|"
    r"General|Gen\.|Admiral|Adm\.|Colonel|Col\.|Commander|Advis[eo]r|Director|Chairman|"
    r"Chairwoman|Chair|King|Queen|Envoy|Marshal|Lt\.|Dr\.|Mr\.|Mrs\.|Ms\."
)
TITLED = re.compile(
    rf"(?P<title>(?:{TITLE_PREFIX_WORD}[ \t]+){{0,4}}?(?:{TITLES}))[ \t]+"
    rf"(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})(?![\w-])"
)
RUN = re.compile(
    rf"(?<![\w.-]){NAME_WORD}(?:[ \t]+(?:(?:of|de|du|la|von|van|der|al|bin)[ \t]+)?{NAME_WORD})+"
    r"(?![\w.-])"
)
ACRONYM = re.compile(r"(?<![\w.-])(?:(?:[A-Z]\.){2,4}|[A-Z][A-Z0-9]{1,5}(?<!s)s?)(?![\w-])")

# Capitalised only because they start a sentence, or boilerplate; trimmed from run edges.
FUNCTION_WORDS = frozenset(
    " ".join(
        [
            "a about according after again against all also although an and another any as at",
            "because before being both but by despite during each earlier either even every",
            "few for from following further he her here his however if in including instead",
            "into it its last late later many meanwhile more most much my neither no nor not",
            "now numerous of on once one only or other our over per read related several she",
            "since so some such than that the their them then there these they this those",
            "though through to under unlike until up upon we what when where whether which",
            "while who why will with within without yet you your",
            "monday tuesday wednesday thursday friday saturday sunday january february march",
            "april may june july august september october november december",
        ]
    ).split()
)
ACRONYM_STOPWORDS = {"READ", "WATCH", "UPDATE", "BREAKING", "NEW", "THE", "AND", "OF", "TO"}
ACRONYM_STOPWORDS |= {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XX", "AM", "PM"}
POSSESSIVE = re.compile(r"[\u2019']s$")
CONTEXT_CHARS = 80


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    pattern: str  # "titled", "multiword" or "acronym" (corpus.models.NamePattern values)
    title: str = ""


def normalise(name: str) -> str:
    """One key per name however spelt: case, dots, curly quotes and spacing do not count."""
    name = name.replace("\u2019", "'").replace(".", "")
    return " ".join(name.split()).casefold()


def context(body: str, start: int, end: int) -> str:
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    text = " ".join(f"{before}[{body[start:end]}]{after}".split())
    prefix = "…" if start > CONTEXT_CHARS else ""
    suffix = "…" if end + CONTEXT_CHARS < len(body) else ""
    return f"{prefix}{text}{suffix}"


def find_candidates(body: str) -> list[Candidate]:
    """Every candidate name in body order; titled names win over runs that overlap them."""
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for match in TITLED.finditer(body):
        start, end, text = _trim_possessive(match.start("name"), match.group("name"))
        if text:
            found.append(Candidate(start, end, text, "titled", " ".join(match["title"].split())))
            taken.append((match.start(), match.end()))
    headline_lines = _headline_spans(body)
    for match in RUN.finditer(body):
        if _overlaps(match.start(), match.end(), taken) or _inside(match.start(), headline_lines):
            continue
        candidate = _trimmed_run(match.start(), match.group())
        if candidate is not None:
            found.append(candidate)
    for match in ACRONYM.finditer(body):
        text = match.group()
        if text in ACRONYM_STOPWORDS or _overlaps(match.start(), match.end(), taken):
            continue
        if len(text) > 2 and text.endswith("s") and not text.endswith("."):
            text = text[:-1]
        found.append(Candidate(match.start(), match.start() + len(text), text, "acronym"))
    return sorted(found, key=lambda c: (c.start, -c.end))


def _trim_possessive(start: int, text: str) -> tuple[int, int, str]:
    text = POSSESSIVE.sub("", text)
    return start, start + len(text), text


def _trimmed_run(start: int, text: str) -> Candidate | None:
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    while words and words[0][1].casefold() in FUNCTION_WORDS:
        words.pop(0)
    while words and (words[-1][1].casefold() in FUNCTION_WORDS or words[-1][1].islower()):
        words.pop()
    if len([word for _, word in words if not word.islower()]) < 2:
        return None
    first = start + words[0][0]
    last_offset, last_word = words[-1]
    end = start + last_offset + len(POSSESSIVE.sub("", last_word))
    name = text[words[0][0] : end - start]
    return Candidate(first, end, name, "multiword")


def _headline_spans(body: str) -> list[tuple[int, int]]:
    """Lines of four to twenty words, at least 60 % capitalised, not ending a sentence."""
    spans = []
    for line in re.finditer(r"[^\n]+", body):
        if line.group().rstrip().endswith((".", "!", "?", '"', "\u201d")):
            continue
        words = re.findall(r"[^\W\d_][\w'\u2019-]*", line.group())
        capitalised = [word for word in words if word[0].isupper()]
        if 4 <= len(words) <= 20 and len(capitalised) >= 0.6 * len(words):
            spans.append((line.start(), line.end()))
    return spans


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(span_start <= position < span_end for span_start, span_end in spans)
