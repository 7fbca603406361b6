"""What the demo's answers and maps are made of: causes and regions with rough weights,
kinds of workshop, short first-person answer templates per lesson and prompt with the words
that fill their {slots}, and stakeholder roles per kind. Written for this generator: everyday
situations, no names, no claims."""

from __future__ import annotations

import random
import re

# Causes and regions with rough weights. A few spellings differ on purpose (the funder view
# treats "HIV/AIDS" and "hiv/aids " as one cause), and a long tail of rare causes shows how
# causes with too few groups are pooled.
CAUSES: tuple[tuple[str, float], ...] = (
    ("HIV/AIDS", 14),
    ("hiv/aids ", 1),
    ("Global mental health", 13),
    ("Rare disease", 10),
    ("Disability rights", 13),
    ("Housing justice", 12),
    ("Climate action", 11),
    ("Migrant rights", 8),
    ("Food sovereignty", 6),
    ("Youth organising", 6),
    ("Community radio", 0.08),
    ("Sickle cell awareness", 0.06),
    ("Deaf culture and sign language", 0.05),
    ("Coastal fishing communities", 0.04),
    ("Renters in small towns", 0.03),
)
REGIONS: tuple[tuple[str, float], ...] = (
    ("East Africa", 12),
    ("West Africa", 10),
    ("Southern Africa", 9),
    ("South Asia", 11),
    ("South-East Asia", 8),
    ("Latin America", 11),
    ("Europe", 13),
    ("North America", 8),
    ("Middle East and North Africa", 6),
    ("", 8),
    ("Pacific islands", 0.05),
)
WORKSHOP_KINDS = ("coalition day", "spring gathering", "organisers' retreat", "evening session")

# Words that fill the templates' {slots}: everyday situations, no names, no claims.
SLOTS: dict[str, tuple[str, ...]] = {
    "movement": (
        "the HIV/AIDS movement",
        "the disability rights movement",
        "the rare disease movement",
        "the global mental health movement",
    ),
    "network": (
        "faith groups",
        "the trade union branch",
        "parents at the school gates",
        "the football club",
        "a neighbourhood chat group",
        "the market traders",
        "student societies",
    ),
    "ally": (
        "the local library",
        "a small business association",
        "nurses at the clinic",
        "a youth centre",
        "a community radio station",
        "the council's housing officer",
        "a sports club",
    ),
    "asset": (
        "the church hall",
        "a partner's meeting room",
        "text messages to our phone list",
        "our members' language skills",
        "a free community website",
        "a shared van",
    ),
    "action": (
        "sign a petition",
        "come to one meeting",
        "share their story",
        "write to the council",
        "bring a friend",
        "join a phone tree",
    ),
    "voice": (
        "younger members",
        "people with lived experience",
        "carers",
        "people who do not speak the main language",
        "people from rural areas",
        "older members",
    ),
    "moment": (
        "the budget consultation",
        "the spring anniversary",
        "the local elections",
        "the health fair",
        "the national awareness day",
    ),
    "skill": (
        "writing funding bids",
        "dealing with the press",
        "data and spreadsheets",
        "legal advice",
        "translation",
        "facilitating meetings",
    ),
    "time": ("a few weeks", "two months", "the summer", "the next meeting"),
    "leader": ("one person", "the chair", "our coordinator", "the founders"),
}

# Short first-person answers per lesson and prompt, written for this generator.
TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("learning-from-movements", "closest"): (
        "We feel closest to {movement}, because we also started with a few people who "
        "refused to stay quiet.",
        "{movement} feels closest to us: small groups, little money and a lot of stigma.",
    ),
    ("learning-from-movements", "applicable"): (
        "Peer support worked in {movement}. We would need to adapt it to our own context "
        "and find people with lived experience to lead it.",
        "We like how {movement} used personal stories, but we would have to translate the "
        "idea for {network}.",
    ),
    ("learning-from-movements", "hopes"): (
        "We want to learn how other movements keep people involved over years, not months.",
        "We hope to learn how to build coalitions without losing our own voice.",
    ),
    ("right-people", "existing-networks"): (
        "Our members already belong to {network} and {network}. We rarely ask people there "
        "to join us.",
        "Most of us are in {network}. That is where our peers already are.",
    ),
    ("right-people", "key-actors"): (
        "Someone at {ally} shares our values and has real influence, but we have not asked "
        "them to get involved yet.",
        "We know who the key people are, but we only talk to them when we need something.",
    ),
    ("right-people", "missing-places"): (
        "We have nobody in {network} and nobody who works with {ally}.",
        "We have nobody in the local council and nobody from {network}.",
    ),
    ("right-people", "timing"): (
        "{moment} is coming up in {time}. It is a good chance to meet new partners.",
        "We could use {moment} to meet people we do not know yet.",
    ),
    ("early-actions", "the-ask"): (
        "We will ask people in {network} to {action} within {time}.",
        "One clear ask: {action}. We will ask face to face, not by email.",
    ),
    ("early-actions", "experiment"): (
        "We could try a small experiment with {asset} and count how many people respond.",
        "We want to test a new tactic on a small scale for {time} and learn from what works.",
    ),
    ("early-actions", "hidden-assets"): (
        "We are not using {asset} yet, and {ally} has said we could borrow space.",
        "{asset} is an asset we keep forgetting about.",
    ),
    ("diverse-voices", "whose-voices"): (
        "The same few people speak at every meeting. We are missing {voice} and {voice}.",
        "We hear a lot from the core group and very little from {voice}.",
    ),
    ("diverse-voices", "messengers"): (
        "The most authentic messengers are {voice}, but they are rarely the ones who speak for us.",
        "People with lived experience are the most trusted messengers for our cause.",
    ),
    ("diverse-voices", "hard-core-and-negotiators"): (
        "We have a hard core and some negotiators. We keep both on board by agreeing the "
        "goal first and the tactics later.",
        "Our negotiators and our hard core members argue a lot, but we share the same goal.",
    ),
    ("diverse-voices", "sceptics"): (
        "Some people at {ally} are sceptical of us. We need to really listen before we argue.",
        "We want to listen to people who are sceptical instead of trying to win the argument.",
    ),
    ("networks-coalitions-allies", "unexpected-allies"): (
        "{ally} could bring us networks and spaces we do not have.",
        "An unexpected ally could be {ally}. They reach people we never meet.",
    ),
    ("networks-coalitions-allies", "skills-gap"): (
        "Nobody in our group is good at {skill}. {ally} might have the skills.",
        "We need help with {skill}, and we are not sure yet who to ask.",
    ),
    ("networks-coalitions-allies", "coalition-barriers"): (
        "We share the bigger aim with our partners, but we struggled to agree on specific "
        "outcomes.",
        "Our coalition got stuck on who gets the credit and who does the work.",
    ),
    ("relationship-trade-offs", "energy-drain"): (
        "Our relationship with {ally} takes the most time and energy, and we get little back.",
        "Meetings with the big partner take most of our energy. We are not sure it is worth it.",
    ),
    ("relationship-trade-offs", "strong-or-weak"): (
        "We need strong ties with {voice}, and looser ties with {ally} for information.",
        "We need trust and commitment at the core, and a wider circle of contacts for "
        "new information.",
    ),
    ("relationship-trade-offs", "not-our-battle"): (
        "We should say not our battle to some requests. We would gain time and lose a little "
        "goodwill.",
        "Saying not our battle is hard for us, because we do not want to let people down.",
    ),
    ("organising-leadership-narrative", "who-leads"): (
        "In practice {leader} leads, which is not the same as the formal roles.",
        "Too much depends on {leader}. We need to share leadership.",
    ),
    ("organising-leadership-narrative", "leadership-team"): (
        "A small leadership team of three or four people, including {voice}, would decide "
        "our priorities.",
        "A leadership team so that no single person holds everything, and new leaders can grow.",
    ),
    ("organising-leadership-narrative", "our-story"): (
        "People like us are left out of decisions. Together we can change that. Come and {action}.",
        "The challenge is real, but we have seen change before. We ask you to {action}.",
    ),
    ("keeping-momentum", "why-stay"): (
        "People stay when taking part feels good and they see that something has changed.",
        "Someone would stay for another year if they felt listened to and had a real role.",
    ),
    ("keeping-momentum", "informed"): (
        "Supporters outside this room mostly hear about us through {network}.",
        "We only contact supporters when we need something. We should keep them informed.",
    ),
    ("keeping-momentum", "after-funding"): (
        "If the funding ended tomorrow, the peer support would keep going because "
        "volunteers run it.",
        "Without the grant most of our work would stop. We need to plan beyond one source of "
        "funding.",
    ),
    ("keeping-momentum", "outside-support"): (
        "Help with {skill} would help us most. Support that tells us what to do would feel "
        "like co-option.",
        "Long-term support for the basics would help most, not one-off projects.",
    ),
    ("action-plan", "most-useful"): (
        "Diverse voices matters most right now. The first step is to invite {voice} to our "
        "next meeting.",
        "Early actions matter most for us. The first step is to ask people to {action}.",
    ),
    ("action-plan", "progress-sign"): (
        "In {time} we would see more people at meetings and new names on the contact list.",
        "Progress would be two new partners and {voice} taking part in decisions.",
    ),
}
GENERIC_TEMPLATES: tuple[str, ...] = (
    "We talked about this for a long time and agreed to come back to it in {time}.",
    "We are not sure yet. We want to ask {voice} what they think.",
)

# Reflections of the Danish-speaking workshops: plain sentences about the room's own plans
# (no facts, nobody quoted), for any prompt.
DANISH_TEMPLATES: tuple[str, ...] = (
    "Vi talte længe om det og aftalte at vende tilbage til det om en måned.",
    "Vi er ikke sikre endnu. Vi vil spørge de unge i vores netværk, hvad de mener.",
    "Det vigtigste for os er at tale med flere, før vi beslutter noget.",
    "Vi vil begynde i det små og invitere naboerne til et første møde.",
    "Vi har brug for flere stemmer i gruppen, især dem der sjældent bliver hørt.",
    "Vi skriver ned, hvem vi kender, og hvem der mangler, og deler opgaverne.",
)

# Stakeholder names per kind: roles, never people's names.
STAKEHOLDER_NAMES: dict[str, tuple[str, ...]] = {
    "People with lived experience": ("Peer supporters", "Members' families", "Service users"),
    "Community group": ("Tenants' association", "Parents' group", "Faith group"),
    "Ally organisation": ("Legal advice centre", "Partner charity", "Advocacy network"),
    "Non-traditional ally": ("Local business association", "Sports club", "Library"),
    "Institution or decision-maker": ("Local councillor", "Health authority", "Ministry"),
    "Funder": ("Community foundation", "Small grants fund", "Donor network"),
    "Media": ("Community radio", "Local newspaper", "Popular podcast"),
    "Dissenter or critic": ("Sceptical residents", "Rival campaign", "Critical blogger"),
}
KIND_WEIGHTS = (1.4, 1.5, 1.3, 0.45, 1.2, 0.7, 0.5, 0.3)


def fill(template: str, rng: random.Random) -> str:
    def pick(match: re.Match[str]) -> str:
        return rng.choice(SLOTS[match.group(1)])

    text = re.sub(r"\{(\w+)\}", pick, template)
    return text[0].upper() + text[1:]
