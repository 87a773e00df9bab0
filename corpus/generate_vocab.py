"""Word lists and name builders for the synthetic corpus (see ``corpus.generate``).

Names are built from syllables and word lists, never copied from real people: the corpus
must look like conflict news to the pages and the extractor, not claim anything real.
Every builder takes the caller's ``random.Random`` so one seed gives one corpus.
"""

import random


def _words(text: str) -> list[str]:
    return text.split()


# (ISO code, name, adjective) of the countries the synthetic conflict plays out in.
COUNTRIES = [
    ("UA", "Ukraine", "Ukrainian"),
    ("RU", "Russia", "Russian"),
    ("US", "United States", "American"),
    ("GB", "United Kingdom", "British"),
    ("FR", "France", "French"),
    ("DE", "Germany", "German"),
    ("PL", "Poland", "Polish"),
    ("BY", "Belarus", "Belarusian"),
    ("KP", "North Korea", "North Korean"),
    ("IR", "Iran", "Iranian"),
    ("TR", "Turkey", "Turkish"),
    ("CN", "China", "Chinese"),
    ("IN", "India", "Indian"),
    ("IL", "Israel", "Israeli"),
    ("SY", "Syria", "Syrian"),
    ("GE", "Georgia", "Georgian"),
    ("MD", "Moldova", "Moldovan"),
    ("RO", "Romania", "Romanian"),
    ("FI", "Finland", "Finnish"),
    ("SE", "Sweden", "Swedish"),
    ("NO", "Norway", "Norwegian"),
    ("EE", "Estonia", "Estonian"),
    ("LV", "Latvia", "Latvian"),
    ("LT", "Lithuania", "Lithuanian"),
    ("HU", "Hungary", "Hungarian"),
    ("SK", "Slovakia", "Slovak"),
    ("CZ", "Czechia", "Czech"),
    ("IT", "Italy", "Italian"),
    ("ES", "Spain", "Spanish"),
    ("NL", "Netherlands", "Dutch"),
    ("BE", "Belgium", "Belgian"),
    ("DK", "Denmark", "Danish"),
    ("CA", "Canada", "Canadian"),
    ("JP", "Japan", "Japanese"),
    ("KR", "South Korea", "South Korean"),
    ("AZ", "Azerbaijan", "Azerbaijani"),
    ("AM", "Armenia", "Armenian"),
    ("KZ", "Kazakhstan", "Kazakh"),
    ("SA", "Saudi Arabia", "Saudi"),
    ("EG", "Egypt", "Egyptian"),
]

FIRST_NAMES = _words(
    "Adam Aleksander Alina Anatoliy Andrei Anna Arkadiy Artem Bogdan Boris Daria Denys Dmytro "
    "Elena Emil Erik Eva Fedir Gennadiy Georg Grigoriy Halyna Hanna Igor Ihor Ilya Inna Irina "
    "Ivan Jakub Jan Jonas Julia Kamil Karl Kateryna Kirill Klara Konstantin Kyrylo Lars Lena "
    "Leonid Lev Lidia Luka Maksym Marek Maria Marina Marta Matthias Maxim Mikhail Mykola "
    "Nadia Natalia Nikolai Nina Oksana Oleg Oleksandr Oleksiy Olena Olga Pavel Pavlo Petro "
    "Petra Roman Ruslan Sergei Serhiy Sofia Stanislav Stefan Svitlana Taras Tetiana Timur "
    "Tomas Valentyn Valeriy Vasyl Viktor Viktoria Vitaliy Vladimir Vladyslav Volodymyr "
    "Yaroslav Yevhen Yulia Yuriy Zinaida Zoran Amir Farid Hassan Leila Omar Samir Yusuf "
    "Claire Henri Julien Margaux Pierre Sophie Thomas Emma James Laura Michael Sarah David "
    "Helen Robert Susan Daniel Grace Peter Rachel Martin Ingrid Henrik Astrid Mateusz Zofia"
)

LAST_NAMES = _words(
    "Abramov Andriyenko Antonenko Babenko Baranov Belenko Bilyk Bondar Borysenko Chernenko "
    "Danylenko Demchenko Dmytrenko Doroshenko Fedorenko Gavrilov Gorbunov Gusev Hnatyuk "
    "Horbach Ivanchenko Kasyanenko Kharchenko Klymenko Kovalenko Kovalchuk Kozak Kravets "
    "Kravchenko Kuzmenko Lebedev Levchenko Lysenko Makarenko Marchenko Melnyk Mironov "
    "Moroz Nazarenko Novikov Orlov Ostapenko Pavlenko Petrenko Polishchuk Ponomarenko "
    "Popov Prykhodko Romanenko Rudenko Savchenko Semenov Shevchenko Shevchuk Sokolov "
    "Stepanenko Tarasenko Tkachenko Tymoshenko Vasylenko Volkov Yakovenko Yurchenko "
    "Zaitsev Zakharchenko Zinchenko Abbasi Karimi Rahimi Haddad Mansour Nasser Aydin "
    "Demir Kaya Yilmaz Novak Kowalski Nowak Wisniewski Lewandowski Zielinski Horvath "
    "Nagy Dvorak Svoboda Lindqvist Nyberg Halvorsen Berg Dubois Laurent Moreau Girard "
    "Fischer Weber Becker Hoffmann Schulz Richter Keller Brandt Harris Walker Bennett "
    "Hughes Parker Sullivan Morgan Coleman Reed Hayes Foster Russo Ricci Marino Greco "
    "Costa Moreno Ortega Navarro Ruiz Jansen Visser Peeters Jensen Nielsen Tanaka Sato "
    "Kim Park Lee Aliyev Mammadov Sargsyan Petrosyan Nurlanov Beridze Gelashvili Popescu "
    "Ionescu Rusu Ceban Tamm Kask Ozols Kalnins Petraitis Kazlauskas Virtanen Korhonen"
)

TOPONYM_STARTS = _words(
    "Nov Bel Kra Zar Ost Vel Dob Luh Sar Tor Mar Kal Ber Pol Ste Hor Myk Ivan Oles Pet Cher "
    "Zhov Bil Myr Prym Sol Vas Kost Dru Khar Lyp Orl Sum Vol Yas Zol Bor Hlyb Kam Rad Slav "
    "Tern Uman Kup Lys Balak Brov Vyš Dnip Izv"
)
TOPONYM_MIDDLES = ["o", "a", "y", "i", "e", "ov", "an", "ir", "en", ""]
TOPONYM_ENDS = _words(
    "vka ske grad pol ivka ove yne sk hirsk iv ets ino ia en ichi hrad ovo any ivtsi ynets "
    "obad opil ansk iatyn ychi"
)

REGION_SUFFIXES = ["Oblast", "Region", "Province", "District"]
ARMED_UNITS = [
    "Mechanised Brigade",
    "Assault Brigade",
    "Airborne Brigade",
    "Artillery Brigade",
    "Marine Brigade",
    "Tank Brigade",
    "Motorised Rifle Division",
    "Territorial Defence Brigade",
    "Air Defence Regiment",
    "Special Operations Regiment",
]
ORG_PATTERNS = [
    ("{root} Institute for Strategic Studies", "I S S"),
    ("{root} Centre for Defence Analysis", "C D A"),
    ("{root} Energy Company", "E C"),
    ("International {root} Monitoring Mission", "M M"),
    ("{root} Humanitarian Foundation", "H F"),
    ("{root} Shipbuilding Corporation", "S C"),
    ("{root} Aerospace Works", "A W"),
    ("{root} Defence Industries", "D I"),
    ("{root} Red Cross Society", "R C S"),
    ("{root} Volunteer Battalion Network", "V B N"),
]
MEDIA_PATTERNS = [
    "The {root} Herald",
    "{root} News Agency",
    "{root} Television",
    "The {root} Chronicle",
    "{root} Daily",
    "{root} Radio",
    "{root} Post",
    "{root} Observer",
]
WEAPON_CATEGORIES = [
    # (category, share of weapons, range in km (low, high) or None, nouns used in text)
    ("ballistic_missile", 0.12, (120, 2000), "missiles"),
    ("cruise_missile", 0.14, (250, 3000), "cruise missiles"),
    ("surface_to_air_missile", 0.1, (20, 400), "interceptors"),
    ("drone", 0.18, (20, 1800), "drones"),
    ("air_defence", 0.1, (10, 300), "air defence systems"),
    ("aircraft", 0.1, None, "jets"),
    ("armoured_vehicle", 0.1, None, "armoured vehicles"),
    ("artillery", 0.12, (15, 300), "artillery systems"),
    ("nuclear", 0.01, (500, 12000), "warheads"),
    ("other_weapon", 0.03, None, "systems"),
]
WEAPON_NICKNAMES = _words(
    "Falcon Vortex Sokol Tempest Kestrel Granite Harpoon Trident Viper Storm Bastion Onyx "
    "Comet Arrow Lancer Sentinel Shadow Thunder Raven Hawk Condor Cobra Gladius Javelin "
    "Scimitar Typhoon Zephyr Meteor Orion Pegasus Titan Spartan Aurora Nimbus Volt Saber"
)

ROLES_PERSON = [
    "Minister of Defence of {country}",
    "Foreign Minister of {country}",
    "President of {country}",
    "Prime Minister of {country}",
    "Spokesperson for the {adj} foreign ministry",
    "Commander of the {adj} ground forces",
    "Chief of the {adj} general staff",
    "Governor of {region}",
    "Mayor of {city}",
    "{adj} military analyst",
    "Member of the {adj} parliament",
    "Head of {adj} military intelligence",
]


def toponym(rng: random.Random) -> str:
    return rng.choice(TOPONYM_STARTS) + rng.choice(TOPONYM_MIDDLES) + rng.choice(TOPONYM_ENDS)


def unique_names(rng: random.Random, count: int, build, taken: set[str]) -> list[str]:
    """``count`` names from ``build(rng)`` that are not in ``taken`` (which grows)."""
    names = []
    attempts = 0
    while len(names) < count:
        attempts += 1
        name = build(rng)
        if attempts > count * 50 + 1000:
            # The syllable space is finite: number the rest rather than loop for ever.
            name = f"{name} {attempts}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def acronym(words: str) -> str:
    return "".join(word[0] for word in words.split() if word[0].isupper())


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def weapon_designation(rng: random.Random) -> str:
    letters = "ABDGKLMPRSTVZ"
    return f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randrange(2, 990)}"
