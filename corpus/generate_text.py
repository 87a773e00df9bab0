"""Sentence templates of the synthetic corpus, and rendering them with mention spans.

A template is text with slots: entity slots (``{actor}``, ``{person}``, ``{weapon}``,
``{place}``, ``{country}``) become mentions; filler slots (``{num}``, ``{day}``) do not.
Rendering returns the sentence and the (start, end, entity) of every entity slot, so the
generator knows each mention's exact offsets without searching the text afterwards.
"""

import re
from collections.abc import Callable

ENTITY_SLOTS = {"actor", "person", "weapon", "place", "country", "initiator", "target"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Sentences with no entity: the connective tissue of a news report.
PLAIN = [
    "Officials said the situation along the front line remained tense.",
    "The claims could not be independently verified.",
    "Fighting continued through the night, local residents said.",
    "Analysts cautioned that the figures were preliminary and could change.",
    "Power was restored to {num} homes by the evening, officials said.",
    "Talks on a prisoner exchange were expected to resume next week.",
    "The statement did not say how many people were injured.",
    "Satellite images published on {day} showed damage to at least {num} buildings.",
    "Emergency crews worked for {num} hours to clear the debris.",
    "Both sides have accused each other of targeting civilian infrastructure.",
    "Prices for fuel and bread rose sharply in the weeks that followed, traders said.",
    "Several schools in the area switched to remote classes as a precaution.",
    "Officials said repairs to the damaged substation could take weeks.",
    "Military officials declined to give details of the operation.",
    "The ministry said air defences had been on alert since early morning.",
    "Humanitarian groups said they had delivered food and medicine to {num} families.",
    "Neither side has published casualty figures for the past week.",
    "Residents said they had heard at least {num} explosions before dawn.",
    "Officials said an investigation into the incident was under way.",
    "The announcement came hours after a late-night meeting of security officials.",
    "Queues formed outside the few shops that remained open.",
    "Engineers said the damaged bridge would take months to rebuild.",
    "A curfew remained in force from {num} p.m. until dawn.",
    "The overnight attack was the largest in several weeks, officials said.",
    "Local authorities opened {num} temporary shelters for displaced families.",
    "Officials gave no timetable for the next round of deliveries.",
    "Independent monitors said they had recorded {num} violations in a single day.",
    "The region has been without running water since {day}.",
    "Hospitals in the area were treating dozens of wounded, doctors said.",
    "Volunteers collected warm clothing and generators ahead of the winter.",
    "The exact number of troops involved remains unclear.",
    "Drone debris fell on a residential street but caused no injuries.",
    "Shelling damaged a grain terminal and {num} warehouses, the port authority said.",
    "Mobile networks were disrupted for several hours after the strikes.",
    "Officials urged residents to stay in shelters until the all-clear.",
    "The move was widely expected after weeks of public debate.",
    "Evacuation trains left the city every {num} minutes on {day}.",
    "Insurance rates for cargo ships in the area rose again this month.",
    "Military bloggers published footage that could not be verified.",
    "The government said it would publish a full assessment within days.",
]

# Sentences naming one to three entities, keyed by how many mentions they make.
WITH_SLOTS = {
    1: [
        "{person} said on {day} that the decision had been taken after weeks of consultations.",
        "{actor} did not respond to a request for comment.",
        "Residents of {place} reported explosions shortly after midnight.",
        "{actor} described the move as a dangerous escalation.",
        "Air raid sirens sounded across {place} for more than {num} minutes.",
        "The {weapon} has an estimated range of several hundred kilometres, officials said.",
        "According to {actor}, at least {num} people were evacuated.",
        "{country} has repeatedly denied supplying weapons to either side.",
        "Officials in {place} said {num} people had been wounded.",
        "{person} told reporters that more help was needed before winter.",
        "Rail traffic through {place} was suspended for several hours.",
        "{actor} said it was monitoring the situation closely.",
        "{person} was not available for comment on {day}.",
        "The decision was criticised by {actor} as premature.",
        "Reconnaissance flights over {place} have increased in recent weeks.",
        "{country} summoned the ambassador over the incident.",
        "Supplies of the {weapon} have been running low, analysts said.",
        "{actor} released a video it said showed the aftermath.",
        "Electricity was cut in parts of {place} after the attack.",
        "{person} wrote on social media that the attack had failed.",
    ],
    2: [
        "{person} is expected to travel to {country} next week.",
        "{actor} accused {actor} of violating the ceasefire.",
        "{country} pledged additional deliveries of the {weapon}.",
        "A spokesperson for {actor} said the strike on {place} had hit a fuel depot.",
        "{person}, speaking in {place}, called for more air defence systems.",
        "{actor} said it had intercepted {num} launches of the {weapon} overnight.",
        "Officials in {country} said the {weapon} had performed as expected.",
        "{person} said talks with {actor} had been constructive.",
        "{actor} said {num} people had been detained in {place}.",
        "Officials in {place} said the {weapon} had struck an apartment block.",
        "{person} thanked {country} for its continued support.",
        "{actor} and {actor} agreed to share intelligence on air threats.",
    ],
    3: [
        "{person} met {person} in {place} on {day}.",
        "Footage verified by {actor} appeared to show a {weapon} launcher near {place}.",
        "{actor} said the {weapon} had been used against positions near {place}.",
        "Diplomats from {country} and {country} discussed the situation in {place}.",
        "{person} said {country} would not allow attacks on {place} to go unanswered.",
    ],
}

# A rare sentence: gives the benchmark a search term found in few articles.
RARE = "A hydroacoustic survey buoy was recovered by fishermen off the coast."
RARE_TERM = "hydroacoustic"

# The sentence that reports an event (and becomes its citation's quote), per event type.
EVENT_SENTENCES = {
    "decision": "{initiator} authorised the use of the {weapon} against targets in {place}, "
    "officials said on {day}.",
    "statement": "{initiator} said in a statement on {day} that the situation in {place} "
    "was deteriorating.",
    "warning": "{initiator} warned that strikes on {place} with the {weapon} would be met "
    "with a tangible response.",
    "deployment": "{initiator} deployed additional units equipped with the {weapon} near "
    "{place}, officials said.",
    "supply": "{initiator} delivered a new package including the {weapon} to {target}, "
    "officials said on {day}.",
    "strike": "{initiator} struck targets near {place} with the {weapon} on {day}, {target} said.",
    "combat": "{initiator} launched an offensive near {place} against positions held by {target}.",
    "diplomacy": "{initiator} and {target} held talks in {place} on {day} on ending the fighting.",
    "report": "{initiator} reported that the {weapon} had been used near {place}.",
    "other": "{initiator} announced new restrictions affecting {place} on {day}.",
}
EVENT_TITLES = {
    "decision": "{initiator} authorises {weapon} use in {place}",
    "statement": "{initiator} statement on {place}",
    "warning": "{initiator} warns against {weapon} strikes on {place}",
    "deployment": "{initiator} deploys {weapon} near {place}",
    "supply": "{initiator} delivers {weapon} to {target}",
    "strike": "Strike near {place} with {weapon}",
    "combat": "Offensive near {place} against {target}",
    "diplomacy": "Talks between {initiator} and {target} in {place}",
    "report": "Report of {weapon} use near {place}",
    "other": "{initiator} announces restrictions affecting {place}",
}
HEADLINES = [
    "{actor} warns of escalation in {place}",
    "Fighting intensifies near {place}",
    "{country} to send more {weapon} systems",
    "What we know about the {weapon}",
    "{person} visits {place} as pressure mounts",
    "Explosions reported in {place} overnight",
    "{actor} calls for talks on {place}",
]

_SLOT = re.compile(r"\{(\w+)\}")
Template = tuple[tuple[bool, str], ...]


def compile_template(text: str) -> Template:
    """Split once into (is_slot, text) parts; rendering millions of sentences stays cheap."""
    parts = []
    pos = 0
    for match in _SLOT.finditer(text):
        if match.start() > pos:
            parts.append((False, text[pos : match.start()]))
        parts.append((True, match.group(1)))
        pos = match.end()
    if pos < len(text):
        parts.append((False, text[pos:]))
    return tuple(parts)


PLAIN_T = [compile_template(t) for t in PLAIN]
WITH_SLOTS_T = {k: [compile_template(t) for t in v] for k, v in WITH_SLOTS.items()}
EVENT_SENTENCES_T = {k: compile_template(v) for k, v in EVENT_SENTENCES.items()}
HEADLINES_T = [compile_template(t) for t in HEADLINES]

Fill = Callable[[str], tuple[str, int | None]]


def render(template: Template, fill: Fill) -> tuple[str, list[tuple[int, int, int]]]:
    """Sentence text and the (start, end, entity index) of each entity it names.

    ``fill(slot)`` returns the words for a slot and the entity index they name, or None
    for fillers such as numbers and weekdays.
    """
    out = []
    spans = []
    pos = 0
    for is_slot, value in template:
        if is_slot:
            words, entity = fill(value)
            if entity is not None:
                spans.append((pos, pos + len(words), entity))
        else:
            words = value
        out.append(words)
        pos += len(words)
    return "".join(out), spans
