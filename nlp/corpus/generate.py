"""Compose the generated part of the labelled corpus from the hand-written sentence bank.

    python -m nlp.corpus.generate        # writes nlp/corpus/src/generated.jsonl

Each comment is built from sentences of bank.txt (themes and stance come from the sentences
chosen), with openers, sign-offs, personal data, decoys, typos and case changes, plus
form-letter campaigns with small edits and comments in other languages. Sentences held out
for dev (every fourth of each group) only ever appear in dev comments, so the dev score
measures text the model has not seen. Seeded: the output is the same on every run.
"""

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
BANK = HERE / "bank.txt"
OUTPUT = HERE / "src" / "generated.jsonl"
SEED = 20261125
COMMENTS = 1000
CAMPAIGNS = 12

FIRST = ["Maria", "James", "Aisha", "Tom", "Linh", "Carlos", "Rebecca", "DeShawn", "Priya", "Michael", "Fatima",
         "Kevin", "Rosa", "Daniel", "Grace", "Luis", "Hannah", "Marcus", "Sofia", "Brian", "Keisha", "Omar",
         "Emily", "Jorge", "Nadia", "Steven", "Tamara", "Ahmed", "Laura", "Victor"]
LAST = ["Kowalski", "Reyes", "Johnson", "Nguyen", "Okafor", "Martinez", "Thompson", "Hassan", "Miller", "Garcia",
        "Washington", "Patel", "Brooks", "Sullivan", "Kim", "Delgado", "Price", "Hernandez", "Walker", "Olsen",
        "Ramirez", "Carter", "Lopez", "Bennett", "Abdi", "Foster", "Murphy", "Tran", "Coleman", "Rivera"]
STREETS = ["Elm Street", "Carver Ave", "Maple Avenue", "5th Street", "Lakeview Dr", "Oak Lane", "Pine St",
           "Jefferson Blvd", "Cedar Court", "River Road", "MLK Jr. Way", "Hillcrest Drive", "Washington St"]
TITLES = ["Officer", "Sgt.", "Sergeant", "Detective", "Deputy", "Lt.", "Officer"]


def _phone(rng):
    a, b, c = rng.randint(200, 989), rng.randint(200, 989), rng.randint(0, 9999)
    return rng.choice([f"{a}-{b}-{c:04d}", f"({a}) {b}-{c:04d}", f"{a}.{b}.{c:04d}", f"+1 {a} {b} {c:04d}", f"{a}{b}{c:04d}"])


def _plate(rng):
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    pick = lambda n: "".join(rng.choice(letters) for _ in range(n))  # noqa: E731
    return rng.choice([f"{rng.randint(1, 9)}{pick(3)}{rng.randint(100, 999)}", f"{pick(3)} {rng.randint(1000, 9999)}", f"{pick(3)}-{rng.randint(100, 999)}"])


def _name(rng, full=True):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}" if full else rng.choice(LAST)


def pii_sentence(rng) -> str:
    """One sentence carrying personal data, marked {{kind:surface}}."""
    kind = rng.choice(["person_name", "person_name", "email", "phone", "street_address", "badge_or_case_number",
                       "license_plate", "government_id"])
    if kind == "person_name":
        title = rng.choice(TITLES)
        return rng.choice([
            f"{title} {{{{person_name:{_name(rng)}}}}} was the one who stopped me.",
            f"My neighbor {{{{person_name:{_name(rng)}}}}} saw the whole thing.",
            f"{title} {{{{person_name:{_name(rng, full=False)}}}}} told us to get off the sidewalk.",
            f"I spoke with {{{{person_name:{_name(rng)}}}}} after the meeting and she agreed.",
            f"Ask {{{{person_name:{_name(rng)}}}}} at the corner store, he was robbed twice.",
            f"{title} {{{{person_name:{_name(rng)}}}}} has three complaints against him already.",
        ])
    if kind == "email":
        first, last = rng.choice(FIRST).lower(), rng.choice(LAST).lower()
        address = rng.choice([f"{first}.{last}@gmail.com", f"{first[0]}{last}{rng.randint(1, 99)}@yahoo.com", f"{first}_{last}@outlook.com"])
        return rng.choice([f"Email me at {{{{email:{address}}}}} if you want details.", f"You can reach me at {{{{email:{address}}}}}."])
    if kind == "phone":
        return rng.choice([f"Call me at {{{{phone:{_phone(rng)}}}}}.", f"My number is {{{{phone:{_phone(rng)}}}}} if anyone wants to follow up."])
    if kind == "street_address":
        address = f"{rng.randint(12, 9800)} {rng.choice(STREETS)}"
        if rng.random() < 0.3:
            address += f", Apt {rng.randint(1, 30)}{rng.choice('ABCD')}"
        return rng.choice([f"I live at {{{{street_address:{address}}}}} and see it every night.",
                           f"It happened right in front of {{{{street_address:{address}}}}}."])
    if kind == "badge_or_case_number":
        return rng.choice([
            f"The officer's badge number was {{{{badge_or_case_number:{rng.randint(100, 9999)}}}}}.",
            f"My complaint, case #{{{{badge_or_case_number:{rng.randint(2019, 2026)}-{rng.randint(100, 99999):05d}}}}}, was never answered.",
            f"The police report number is {{{{badge_or_case_number:{rng.randint(19, 26)}-{rng.randint(100000, 999999)}}}}}.",
            f"Badge #{{{{badge_or_case_number:{rng.randint(100, 9999)}}}}} refused to give his name.",
        ])
    if kind == "license_plate":
        return rng.choice([f"The patrol car with plate {{{{license_plate:{_plate(rng)}}}}} speeds down our street every day.",
                           f"A car with plates {{{{license_plate:{_plate(rng)}}}}} has been parked outside for a week."])
    ssn = f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"
    return rng.choice([f"They asked for my SSN, {{{{government_id:{ssn}}}}}, just to file a complaint.",
                       f"My driver's license number {{{{government_id:{rng.choice('ABDFGS')}{rng.randint(1000000, 9999999)}}}}} was written on the ticket wrong."])


DECOYS = [
    "Section 4.2 of the draft is the part I mean.", "The $12M contract for cameras is a waste.", "This has been going on since 2019.",
    "About 40 officers work the night shift.", "The 21st Century Policing report said the same thing.",
    "The Chief said this at the town hall.", "Policy 300.4 already covers some of this.", "Call 911 and you wait on hold.",
    "The Mayor promised this in 2022.", "We had 3 meetings about it.", "General Order 300 is 14 pages long.",
    "The Council voted 5 to 4 last time.", "Officer safety matters too.", "The 311 line never answers.",
    "It costs $4.2 million a year.", "In Ward 3 we have 2 patrol cars for 40,000 people.",
]


def load_bank() -> dict[str, list[tuple[int, str, list[str]]]]:
    groups: dict[str, list] = {}
    current = None
    for line in BANK.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            groups[current] = []
        elif line.strip() and not line.startswith("#"):
            text, _, extra = line.partition("||")
            extra_themes = [t.strip() for t in extra.split(",") if t.strip()]
            groups[current].append((len(groups[current]), text.strip(), extra_themes))
    return groups


def pool(group, split):
    """Sentences of a group for one split: every fourth sentence is dev-only."""
    return [s for s in group if (s[0] % 4 == 3) == (split == "dev")]


def typo(text, rng):
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if candidates:
        i = rng.choice(candidates)
        w = words[i]
        j = rng.randrange(len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def compose(rng, bank, themes, split):
    labels, parts = set(), []
    theme_keys = [k for k in bank if k in themes]
    count = rng.choices([0, 1, 2, 3], weights=[8, 55, 30, 7])[0]
    for key in rng.sample(theme_keys, count):
        _, text, extra = rng.choice(pool(bank[key], split))
        parts.append(text)
        labels.add(key)
        labels.update(extra)
    if count == 0:
        parts.append(rng.choice(pool(bank["none"], split))[1])
    stance = rng.choices(["support", "oppose", "mixed", "unclear"], weights=[30, 30, 15, 25])[0]
    if stance != "unclear":
        stance_parts = [rng.choice(pool(bank[f"stance:{stance}"], split))[1]]
    else:
        stance_parts = []
    parts = stance_parts + parts if rng.random() < 0.5 else parts + stance_parts
    if rng.random() < 0.15:
        parts.insert(rng.randrange(len(parts) + 1), pii_sentence(rng))
    if rng.random() < 0.15:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(DECOYS))
    if rng.random() < 0.35:
        parts.insert(0, rng.choice(pool(bank["opener"], split))[1])
    if rng.random() < 0.3:
        parts.append(rng.choice(pool(bank["closer"], split))[1])
    text = " ".join(parts)
    if rng.random() < 0.15 and "{{" not in text:
        text = typo(text, rng)
    roll = rng.random()
    if roll < 0.08 and "{{" not in text:
        text = text.lower()
    elif roll < 0.11 and "{{" not in text:
        text = text.upper()
    return text, sorted(labels), stance


def campaign(rng, bank, themes, split, number, start_id):
    """A form letter and its copies with small edits; copies point to the first."""
    keys = rng.sample([k for k in bank if k in themes], 3)
    body, labels = [], set()
    for key in keys:
        for _, text, extra in rng.sample(pool(bank[key], split), 2):
            body.append(text)
            labels.add(key)
            labels.update(extra)
    stance = rng.choice(["support", "oppose"])
    body.insert(0, rng.choice(pool(bank[f"stance:{stance}"], split))[1])
    letter = " ".join(body)
    rows = []
    for copy in range(rng.randint(6, 14)):
        text = letter
        if copy:
            if rng.random() < 0.7:
                text = rng.choice(["Dear Council, ", "To whom it may concern: ", "Hello, ", "Dear City Council members, ", ""]) + text
            if rng.random() < 0.7:
                text += rng.choice([" Thank you.", f" - {rng.choice(FIRST)}, Ward {rng.randint(1, 9)}", " Sincerely, a neighbor", " Please listen."])
            if rng.random() < 0.4:
                text += " " + rng.choice(pool(bank["none"], split))[1]
            if rng.random() < 0.3:
                text = typo(text, rng)
        rows.append({"id": f"g-{start_id + copy:04d}", "text": text, "themes": sorted(labels), "stance": stance, "lang": "en",
                     "duplicate_of": None if copy == 0 else f"g-{start_id:04d}", "split": split})
    return rows


def generate(themes) -> list[dict]:
    rng = random.Random(SEED)
    bank = load_bank()
    rows = []
    for i in range(COMMENTS):
        split = "dev" if i % 5 == 4 else "train"
        text, labels, stance = compose(rng, bank, themes, split)
        rows.append({"id": f"g-{len(rows) + 1:04d}", "text": text, "themes": labels, "stance": stance, "lang": "en",
                     "duplicate_of": None, "split": split})
    for number in range(CAMPAIGNS):
        rows.extend(campaign(rng, bank, themes, "dev" if number % 4 == 3 else "train", number, len(rows) + 1))
    for code in ("es", "vi", "so"):
        for index, text, _ in bank[f"lang:{code}"]:
            extra = rng.choice(bank[f"lang:{code}"])[1]
            rows.append({"id": f"g-{len(rows) + 1:04d}", "text": f"{text} {extra}" if extra != text else text, "themes": [],
                         "stance": "unclear", "lang": code, "duplicate_of": None, "split": "dev" if index % 3 == 2 else "train"})
    return rows


def main() -> None:
    from nlp.taxonomy import THEME_KEYS

    rows = generate(set(THEME_KEYS))
    OUTPUT.parent.mkdir(exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} comments to {OUTPUT}")


if __name__ == "__main__":
    main()
