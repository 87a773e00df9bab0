"""One synthetic article at a time: body, mentions and citations, written as fixtures.

The body is planned as a list of sentence templates, then rendered in reading order so a
person's first mention gives the full name and later ones the surname, as news copy does.
Every entity slot becomes a mention with offsets counted while the text is assembled.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.text import slugify

from corpus import generate_text as text
from corpus import generate_vocab as vocab

RARE_SENTENCE_ODDS = 1500  # about one article in this many carries the rare search term


def _slot_count(template) -> int:
    return sum(1 for is_slot, value in template if is_slot and value in text.ENTITY_SLOTS)


def _word_estimate(template) -> int:
    return sum(len(value.split()) if not is_slot else 2 for is_slot, value in template)


EVENT_SLOTS = {k: _slot_count(t) for k, t in text.EVENT_SENTENCES_T.items()}
PLAIN = [(t, _word_estimate(t)) for t in text.PLAIN_T]
WITH_SLOTS = {k: [(t, _word_estimate(t)) for t in v] for k, v in text.WITH_SLOTS_T.items()}
RARE_T = text.compile_template(text.RARE)


@dataclass(slots=True)
class Written:
    """What a near-duplicate needs of a recent article."""

    source_file: str
    title: str
    body: str
    outlet_slug: str
    spans: list[tuple[int, int, int]]


class ArticleBuilder:
    def __init__(self, gen, events, cites):
        self.gen = gen
        self.rng = gen.rng
        self.entities = gen.entities
        self.events = events
        self.cites = cites
        self.emitted = 0
        self.citations = 0
        self.event_mentions_left = sum(
            EVENT_SLOTS[events[e].event_type] for cited in cites.values() for e in cited
        )

    def mention_budget(self, i: int) -> int:
        """Mentions outside event sentences for article ``i``: varied, yet the corpus total
        lands on the size asked (the event sentences still to come are set aside)."""
        generic_left = self.gen.size.mentions - self.emitted - self.event_mentions_left
        articles_left = self.gen.size.articles - i
        if articles_left == 1:
            return max(0, generic_left)
        return max(0, round(generic_left / articles_left * self.rng.uniform(0.3, 1.7)))

    def plan(self, i: int, events: list[int]) -> list[tuple]:
        rng = self.rng
        budget = self.mention_budget(i)
        self.event_mentions_left -= sum(EVENT_SLOTS[self.events[e].event_type] for e in events)
        target_words = int(rng.triangular(150, 800, 320))
        words = 0
        plan = []
        used = set()
        while words < target_words or budget > 0:
            remaining = max(1.0, (target_words - words) / 14)
            k = 0
            if budget > 0 and rng.random() < min(1.0, budget / remaining):
                k = min(budget, rng.choice((1, 1, 2, 2, 3)))
            choices = WITH_SLOTS[k] if k else PLAIN
            # Prefer a sentence this article has not used yet; long articles may repeat.
            for _ in range(4):
                template, estimate = rng.choice(choices)
                if id(template) not in used:
                    break
            used.add(id(template))
            budget -= k
            plan.append(("text", template))
            words += estimate
        for n, e in enumerate(events):
            plan.insert(0 if n == 0 else rng.randrange(len(plan) + 1), ("event", e))
        if rng.randrange(RARE_SENTENCE_ODDS) == 0:
            plan.insert(rng.randrange(1, len(plan) + 1), ("text", RARE_T))
        return plan

    def render_body(self, plan) -> tuple[str, list, list]:
        """Body text, mention spans and (event, start, end) of each event sentence."""
        rng = self.rng
        seen: set[int] = set()

        def surface(entity: int) -> tuple[str, int]:
            record = self.entities[entity]
            words = record.short if entity in seen else record.name
            seen.add(entity)
            return words, entity

        def generic(slot):
            if slot == "num":
                return str(rng.randrange(2, 400)), None
            if slot == "day":
                return rng.choice(text.WEEKDAYS), None
            return surface(self.gen.pools[slot].pick(rng))

        pieces, spans, quotes = [], [], []
        pos = 0
        left_in_paragraph = rng.randint(1, 4)
        for kind, value in plan:
            if kind == "event":
                event = self.events[value]
                weekday = text.WEEKDAYS[(self.gen_start_weekday + event.day) % 7]

                def fill(slot, event=event, weekday=weekday):
                    return (weekday, None) if slot == "day" else surface(getattr(event, slot))

                sentence, local = text.render(text.EVENT_SENTENCES_T[event.event_type], fill)
                quotes.append((value, pos, pos + len(sentence), sentence))
            else:
                sentence, local = text.render(value, generic)
            spans.extend((pos + s, pos + e, entity) for s, e, entity in local)
            pieces.append(sentence)
            pos += len(sentence)
            left_in_paragraph -= 1
            separator = " "
            if left_in_paragraph == 0:
                separator = "\n\n"
                left_in_paragraph = rng.randint(1, 4)
            pieces.append(separator)
            pos += len(separator)
        return "".join(pieces).rstrip(), spans, quotes

    @property
    def gen_start_weekday(self) -> int:
        from corpus.generate import START

        return START.weekday()

    def write_article(self, i, recent, w_articles, w_mentions, w_events) -> None:
        from corpus.generate import START, checksum

        rng = self.rng
        source_file = f"synthetic/{i // 1000:04d}/{i:07d}.txt"
        day = START + timedelta(days=self.gen.day_of_article(i))
        outlet = self.gen.outlet_pool.pick(rng)
        duplicate_of = None
        quotes = []
        if i in self.gen.duplicates and recent:
            original = rng.choice(list(recent))
            if outlet.slug == original.outlet_slug:
                outlet = self.gen.outlets[
                    (self.gen.outlets.index(outlet) + 1) % len(self.gen.outlets)
                ]
            title, body, spans = original.title, original.body, original.spans
            duplicate_of = [original.source_file]
        else:
            events = self.cites.get(i, [])
            body, spans, quotes = self.render_body(self.plan(i, events))
            title = self.title(events)
            recent.append(Written(source_file, title, body, outlet.slug, spans))
        authors = [
            f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
            for _ in range(rng.choice((0, 1, 1, 1, 2)))
        ]
        byline = f"By {', '.join(authors)}\n" if authors else ""
        raw_text = (
            f"{title}\n{outlet.name} - {day:%d %B %Y}\n{byline}\n{body}\n\n"
            f"Copyright {day.year} {outlet.name}. All rights reserved.\n"
        )
        slug = f"{slugify(title)[:100].rstrip('-')}-{i + 1}"
        w_articles.write(
            {
                "model": "corpus.article",
                "fields": {
                    "title": title,
                    "slug": slug,
                    "outlet": [outlet.slug],
                    "authors": authors,
                    "published_on": day.isoformat(),
                    "published_precision": "day",
                    "url": f"https://{outlet.slug}.example/{day:%Y/%m}/{slug}",
                    "source_file": source_file,
                    "checksum": checksum(raw_text),
                    "raw_text": raw_text,
                    "body": body,
                    "word_count": len(body.split()),
                    "language": "en",
                    "duplicate_of": duplicate_of,
                },
            }
        )
        for start, end, entity in spans:
            fields = {
                "article": [source_file],
                "entity": [self.entities[entity].slug],
                "start": start,
                "end": end,
                "text": body[start:end],
            }
            w_mentions.write({"model": "corpus.mention", "fields": fields})
        self.emitted += len(spans)
        for event, start, end, quote in quotes:
            fields = {
                "event": [self.events[event].slug],
                "article": [source_file],
                "quote": quote,
                "start": start,
                "end": end,
            }
            w_events.write({"model": "timeline.citation", "fields": fields})
            self.citations += 1

    def title(self, events: list[int]) -> str:
        if events:
            return self.gen.event_title(self.events[events[0]])
        rng = self.rng

        def fill(slot):
            return self.entities[self.gen.pools[slot].pick(rng)].name, None

        headline, _ = text.render(rng.choice(text.HEADLINES_T), fill)
        return headline[:500]
