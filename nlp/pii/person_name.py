"""Names of private people and officers, in English and Spanish.

A name is found where something says a person is named:

- after a title: "Officer Jane Doe", "Sgt. Okonkwo", "officer brady kettleman", "Officers Mendez
  and Halvorsen", "la oficial Betancourt", "doña Refugio";
- after a relationship: "my neighbor Tom Reyes", "my daughter's friend Imani", "my twins Amara and
  Zuri", "mi hijo Santiago", "mi vecina doña Carmen Ruiz";
- in a signature: "Sincerely,\\nMargaret A. Ellingsworth", "— P. Okonkwo", "-Lenora B.";
- after "his name was", "se llama", "named";
- as a known given name followed by a capitalised surname: "I spoke to Maria Gonzalez".

The span is the name alone, without its title. Elected officials, the chief and other public
figures in their public role are not personal data ("Mayor Tran", "Chief Alvarez", "George
Floyd"): a name after such a title, or on the list of public names, is left alone.
"""

import re
import unicodedata
from functools import lru_cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from .cues import words_of

KIND = "person_name"
NEEDS_DIGIT = False

# Capitals and small letters of the Latin alphabets (Ó, Ł, Ş, ı...): names come from many languages.
UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isalpha() and c.isupper())
LOWER = "".join(c for c in map(chr, range(0x61, 0x250)) if c.isalpha() and c.islower())
# A capitalised name word ("O'Brien", "McDonald", "Baptiste-Wu", "Ximena") or an initial ("J.", "J.R.").
CAP_WORD = rf"(?:(?:[{UPPER}]\.){{1,3}}|[{UPPER}]-[{UPPER}]\.|Ó(?=[ \t][{UPPER}])|(?:O'|Mc|Mac|De|La|Le|D')?[{UPPER}][{LOWER}]+(?:[-'][{UPPER}]?[{LOWER}]+)?\.?)"
CAP_NAME = rf"{CAP_WORD}(?:[ \t]{CAP_WORD}){{0,3}}"  # on one line: a signature's next line is no part of it
LOW_WORD = rf"[{LOWER}][{LOWER}'-]{{1,20}}"
# A second lower-case word of a name is no connector: "officer luis ferreira and officer tom bakke".
LOW_NAME = rf"{LOW_WORD}(?:\s(?!(?:and|or|y|o|was|is|were|who|said|the|at|in|on|to|from|fue|era|que)\b){LOW_WORD})?"

TITLES = (
    r"officers?|ofc\.?|sergeants?|sgt\.?|detectives?|det\.?|deputy|deputies|lieutenant|lt\.?|captain|capt\.?|"
    r"corporal|cpl\.?|trooper|agent|inspector|commander|mr\.?|mrs\.?|ms\.?|miss|dr\.?|coach|pastor|deacon|imam|"
    r"rabbi|rev\.?|reverend|bishop|elder|minister|"
    r"oficial|oficiales|agente|agentes|sargento|teniente|capit[aá]n|detective|se[ñn]or|se[ñn]ora|se[ñn]orita|"
    r"sr\.?|sra\.?|srta\.?|don|do[ñn]a|profe|profesora?|profr?a?\.|sgto\.?|pastora|padre|madre"
)
# Public roles: a name after these is someone acting in public, not personal data.
PUBLIC_TITLES = re.compile(
    r"\b(?:mayor|chief|councilmember|council\s+member|councilwoman|councilman|councilor|alderman|alderwoman|"
    r"commissioner|governor|senator|representative|rep\.|congressman|congresswoman|president|superintendent|"
    r"sheriff|judge|attorney\s+general|district\s+attorney|secretary|alcalde|alcaldesa|jefe|jefa|gobernador|"
    r"senador|concejal|concejala|presidente)\s+$",
    re.IGNORECASE,
)
RELATIONS = (
    r"neighbou?rs?|sons?|daughters?|kids?|child|children|boy|girl|babies|baby|brothers?|sisters?|cousins?|nephews?|"
    r"nieces?|friends?|buddy|roommates?|housemates?|husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|"
    r"landlord|landlady|tenants?|coworkers?|co-workers?|boss|grandsons?|granddaughters?|grandkids?|grandchildren|"
    r"grandma|grandpa|grandmother|grandfather|granny|uncle|aunt|auntie|mother|father|mom|mum|dad|mama|papa|"
    r"step-?(?:son|daughter|mother|father|dad|mom)|(?:brother|sister|mother|father|son|daughter)-in-law|twins|"
    r"godson|goddaughter|godmother|godfather|stepkids?|ex|ex-husband|ex-wife|classmates?|students?|clients?|oma|opa|"
    r"abuelita|abuelito|nana|tata|compadre|comadre|compa|stepdad|stepmom|partner|business\s+partner|"
    r"hij[oa]s?|espos[oa]|marido|herman[oa]s?|sobrin[oa]s?|niet[oa]s?|vecin[oa]s?|suegr[oa]|prim[oa]s?|t[ií][oa]|"
    r"amig[oa]s?|compañer[oa]s?|cuñad[oa]|novi[oa]|pap[aá]|mam[aá]|abuel[oa]s?|padrastro|madrastra|ahijad[oa]|"
    r"muchach[oa]s?|niñ[oa]s?|boys|girls|oldest|youngest|eldest|nen[ae]|chamac[oa]s?|mij[oa]|doorman|nanny|babysitter|"
    r"caretaker|caregiver|tutor|mentor|mentee|patients?|difunt[oa]|manager|supervisor|employees?|\d{1,2}[ -]years?[ -]old"
)
POSSESSIVES = r"my|our|his|her|their|mi|mis|su|sus|nuestr[oa]s?|tu|tus|a|an|un|una|one\s+of\s+(?:my|our|his|her|their)"
# Adjectives and ages that stand between a possessive and the relation: "my little brother", "my 12-year-old son".
BETWEEN = r"(?:(?:older|oldest|younger|youngest|little|big|baby|late|foster|adopted|best|twin|teenage|\d{1,2}-year-old|" \
          r"two|three|peque[ñn][oa]|mayor|menor|querid[oa])\s+)*(?:[a-z]{3,15}\s+)?"
SIGN_OFFS = (
    r"sincerely|thanks|thank\s+you(?:\s+for\s+[^\n,]{1,40})?|regards|best|best\s+regards|kind\s+regards|"
    r"respectfully|cheers|warmly|with\s+gratitude|in\s+solidarity|peace|blessings|"
    r"saludos|atentamente|gracias|cordialmente|bendiciones|un\s+saludo|respetuosamente|su\s+servidora?|"
    r"sent\s+from\s+my\s+\w+|enviado\s+desde\s+mi\s+\w+|take\s+care|all\s+the\s+best|with\s+love|un\s+abrazo|abrazos|"
    r"yours\s+truly|sincerely\s+yours|respectfully\s+yours|yours|best\s+wishes|warm\s+regards|many\s+thanks|"
    r"miigwech|en\s+cristo"
)

# Titles, relations and sign-offs in any case; the name's own capitals are what tell it apart.
# The words that must be in a text for each pattern below to find anything (pii/__init__.py).
TITLE_WORDS = set(
    "officer officers ofc sergeant sergeants sgt detective detectives det deputy deputies lieutenant lt captain capt "
    "corporal cpl trooper agent inspector commander mr mrs ms dr coach pastor deacon imam rabbi rev reverend "
    "bishop elder minister oficial oficiales agente agentes sargento teniente capitán capitan señor senor señora senora "
    "señorita senorita sr sra srta doña dona profe profesor profesora prof profr profra profa sgto pastora sister "
    "father fr brother hermana hermano padre madre".split())  # not "don": it is in "don't"
RELATION_WORDS = set(
    "old neighbor neighbors neighbour neighbours son sons daughter daughters kid kids child children boy boys girl girls "
    "baby babies brother brothers sister sisters cousin cousins nephew nephews niece nieces friend friends buddy "
    "roommate roommates housemate housemates husband wife partner boyfriend girlfriend fiance fiancé fiancee fiancée "
    "landlord landlady tenant tenants coworker coworkers co worker workers boss grandson grandsons granddaughter "
    "granddaughters grandkid grandkids grandchildren grandma grandpa grandmother grandfather granny uncle aunt auntie "
    "mother father mom mum dad mama papa stepson stepdaughter stepmother stepfather stepdad stepmom step law twins "
    "godson goddaughter godmother godfather stepkid stepkids ex classmate classmates student students client clients "
    "oma opa abuelita abuelito nana tata oldest youngest eldest hijo hija hijos hijas esposo esposa marido hermano "
    "hermana hermanos hermanas sobrino sobrina sobrinos sobrinas nieto nieta nietos nietas vecino vecina vecinos "
    "vecinas suegro suegra primo prima primos primas tío tía tio tia amigo amiga amigos amigas compañero compañera "
    "compañeros compañeras cuñado cuñada novio novia papá mamá abuelo abuela abuelos abuelas padrastro madrastra "
    "ahijado ahijada muchacho muchacha muchachos muchachas niño niña niños niñas compadre comadre compa nena nene "
    "chamaco chamaca chamacos chamacas mijo mija doorman nanny babysitter caretaker caregiver tutor mentor mentee "
    "patient patients difunto difunta manager supervisor employee employees".split())
SIGN_OFF_WORDS = set(
    "sincerely thanks thank regards best respectfully cheers warmly gratitude solidarity peace blessings saludos "
    "atentamente gracias cordialmente bendiciones saludo signed faith christ bless respect respeto thx "
    "respetuosamente servidor servidora sent enviado care love abrazo abrazos miigwech cristo yours wishes".split())
NAMED_WORDS = {"name", "nametag", "llama", "llamaba", "llamo", "nombre", "named", "called", "calls", "ask", "call", "text", "contact",
               "apellido", "surname", "surnamed",
               "pregunte", "pregunten", "pregunta", "preguntas", "preguntar"}
AFTER_TITLE = re.compile(rf"(?<![\w-])(?P<title>(?i:{TITLES})|Sister|Father|Fr\.|Brother|Hermana|Hermano|Padre|Madre),?\s+(?:\(ret\.?\)\s+)?(?P<name>{CAP_NAME}|{LOW_NAME})")
# Spanish puts them after it: "mi hijo mayor Pedro", "un hijo autista, Emiliano".
AFTER = (r"(?:\s+(?:mayor|menor|median[oa]|chiquit[oa]|peque[ñn][oa]|autista|adolescente|de\s+\d{1,2}(?:\s+años)?"
         r"|(?:el|la)\s+(?:del\s+medio|mayor|menor|m[aá]s\s+(?:chic[oa]|grande|pequeñ[oa]))))?")
AFTER_RELATION = re.compile(
    rf"(?<![\w-])(?i:(?:{POSSESSIVES})\s+(?:(?:{RELATIONS})'s\s+)?{BETWEEN}(?:{RELATIONS}){AFTER},?\s+(?:(?:don|do[ñn]a)\s+)?)"
    rf"(?P<name>{CAP_NAME}|{LOW_WORD}|[{UPPER}]{{2,20}}(?![\w'-]))"
)
SIGNATURE = re.compile(
    rf"(?:\b(?i:{SIGN_OFFS}|signed|in\s+faith|in\s+christ|god\s+bless|with\s+respect|con\s+respeto|thx)\b"
    rf"(?:[ \t]*[,.!—–-]*[ \t]*|[^\n]{{0,40}}?[,.!—–-][ \t]*\n)\s*"  # "Thanks, Dale" or "Respectfully submitted,\n..."
    rf"|(?:^|[\s(])[—–~]+[ \t]*|(?:^|\s)-\s?(?=[{UPPER}]))(?P<name>{CAP_NAME})"
    r"(?=[ \t]*(?:$|\n|,|\(|\||[—–-]|\(?\+?\d[\d ().-]{8,}\d|[\w.+-]+@|\s(?:and|y|&)\s|\s(?:from|de)\s))"
)
NAMED = re.compile(
    rf"\b(?:(?i:(?:his|her|their|my)\s+(?:last\s+)?name(?:\s+is|\s+was|'s)|name[ -]?tag\s+(?:said|says|read|reads)|(?:se\s+)?llama(?:ba)?|me\s+llamo|mi\s+nombre\s+es|named|called|"
    rf"(?:de\s+)?apellido|surnamed?|"
    rf"calls|ask\s+for|call|text|contact|pregunt(?:e|en|a|as|ar)\s+(?:por|x))\s+(?:(?:don|do[ñn]a)\s+)?)"
    rf"(?P<name>{CAP_NAME}|{LOW_NAME})"
)
# A full name after what people do with each other: "I talked to Priyanka Raghunathan", "next to Dmytro Kovalenko".
WITH_PERSON = re.compile(
    rf"\b(?i:(?:spoke|talked|talking|met|meet|was|were|went|came|attended|sat|stood|parked|standing)\s+(?:with|to|next\s+to)"
    rf"|with|overheard|asked|told|emailed|texted|messaged|behalf\s+of|hablé\s+con|con)\s+"
    rf"(?P<name>{CAP_WORD}[ \t]{CAP_WORD}(?:[ \t]{CAP_WORD})?|{LOW_WORD}[ \t]{LOW_WORD})"
)
# A given name alone after talking with someone: "Nobody ever talked to Marcus", "hablé con Rigoberto".
TALKED_TO = re.compile(rf"\b(?i:(?:spoke|talked|talking|speak|talk|met|meet)\s+(?:with|to)|hablé\s+con|habló\s+con)\s+"
                       rf"(?P<name>[{UPPER}][{LOWER}]+)(?![\w'-]|\s[{UPPER}])")
# Speakers at a hearing give their name, then who they are: "Okay, hi. Sunny Bhatt, I own the Quik Stop".
SELF_INTRODUCED = re.compile(rf"(?:^|[.!?][ \t]+|\n)(?P<name>{CAP_WORD}[ \t]{CAP_WORD}(?:[ \t]{CAP_WORD})?),[ \t]+"
                             rf"(?=(?i:i'm|i\s+am|i\s+own|i\s+live|i\s+work|i\s+run|i\s+have|i\s+teach|i\s+manage|i've|and\s+i)\b)")
# A name just before a phone number or an email: a signature's contact line ("Walt Kubiak 555-290-7731").
BEFORE_CONTACT = re.compile(
    rf"(?:^|\n|[.!?][ \t]+)(?P<name>{CAP_NAME})[ \t,|·•]*\n?[ \t]*(?=\(?\+?\d[\d ().-]{{8,}}\d|[\w.+-]+@[\w-]+\.)"
)
# A name that ends its line after a phone number: "my number is 555 640 2291, Abdirahman."
AFTER_CONTACT = re.compile(rf"\(?\+?\d[\d ().-]{{8,}}\d[ \t]*[,—–-][ \t]*(?P<name>{CAP_NAME})(?=[.!]?[ \t]*(?:$|\n))")
# A name that begins a line of the closing lines, after a blank line or a finished sentence, with a role,
# a place or contact after it: "...vote yes.\n\nColleen Ferry, RN\n555-...". The rest must be short (CLOSING_REST).
CLOSING = re.compile(
    rf"(?:\n[ \t]*\n|[.!?][ \t]*\n)[ \t]*(?P<name>{CAP_NAME})(?=[ \t]*(?:$|\n|,|\(|[—–-]|\s(?:and|y|&)\s))")
CLOSING_REST = 200  # characters after the name's line
# Someone introduced: "Hi, I'm Dana Okafor", "this is Keisha from the rec center", "a man we know as Tommy".
INTRODUCED = re.compile(
    rf"\b(?:(?i:i'm|i\s+am|soy)\s+(?P<full>{CAP_WORD}[ \t]{CAP_NAME})|"  # a full name: "I'm Latina" is no name
    rf"(?i:this\s+is|known\s+as|know\s+as|goes\s+by|went\s+by|somos)\s+(?P<name>{CAP_NAME}))")
# What must be in the lower-case text for INTRODUCED to find anything: a substring test costs less than the pattern.
INTRODUCED_CUES = ("this is", "i'm", "i am", "soy ", "somos ", "known as", "know as", "goes by", "went by")
# A family by its surname: "Familia Mendoza", "somos la familia Olvera", "the Rollins boy".
FAMILY = re.compile(
    rf"\b(?i:familia)[ \t]+(?P<name>{CAP_NAME})|\b(?i:the)[ \t]+(?P<surname>{CAP_WORD})[ \t]+"
    rf"(?:family|boy|girl|kid|kids|twins|brothers|sisters|household)\b")
FAMILY_WORDS = {"familia", "family", "boy", "girl", "kid", "kids", "twins", "brothers", "sisters", "household"}
# Words that describe people before "kids", "family" ("the Black kids", "the Somali families"), which the lists also hold as surnames.
DESCRIBING = set("black white brown latino latina latinx hispanic asian native indigenous somali mexican haitian arab muslim "
                 "jewish korean chinese vietnamese hmong african american irish italian polish russian ukrainian new other "
                 "same poor rich young old little big".split())
# A relation named after it: "a former student of mine, DeShawn", "un amigo mío, Pedro".
RELATION_OF = re.compile(
    rf"(?<![\w-])(?i:(?:{RELATIONS})\s+(?:of\s+(?:mine|ours|hers|theirs)|m[ií][oa]s?|nuestr[oa]s?))[ \t]*,[ \t]*"
    rf"(?P<name>{CAP_NAME})")
RELATION_OF_WORDS = set("mine ours hers theirs mío mía míos mías mio mia mios mias nuestro nuestra nuestros nuestras".split())
# A name, then who the person is to the writer: "I want to tell you about Hannah, my daughter", "Mateo, mi hijo".
NAME_THEN_RELATION = re.compile(rf"(?P<name>{CAP_NAME}),[ \t]+(?i:(?:my|our|his|her|their|mi|mis|su|sus|nuestr[oa]s?)\s+{BETWEEN}(?:{RELATIONS}))\b")
# A parent who names the child: "soy mamá de Mateo", "soy el abuelo de Kevin".
PARENT_OF = re.compile(
    rf"(?<![\w-])(?i:soy\s+(?:la\s+|el\s+)?(?:mam[aá]|pap[aá]|madre|padre|abuel[oa]|t[ií][oa]|madrina|padrino)\s+de)\s+"
    rf"(?P<name>{CAP_NAME})")
# A relation misspelt ("my freind DeShawn", "my daugther Yesenia"): any word one letter from a relation word.
MISSPELT_RELATION = re.compile(rf"(?<![\w-])(?i:{POSSESSIVES})\s+(?P<relation>[^\W\d_]{{5,15}}),?\s+(?P<name>{CAP_NAME})")
# A name alone on the last line, after a closing line: "Please vote yes.\n\nMarisol Dueñas".
LAST_LINE = re.compile(rf"[.!?]\s*\n\s*(?P<name>{CAP_NAME})[ \t]*$")
# A capitalised given name on its own, that no everyday word spells: "Andre was 17", "call Marge".
SINGLE_GIVEN = re.compile(rf"(?<![\w'.-])(?P<name>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)(?![\w'-]|\s[{UPPER}])")
# The word a sentence begins with, just before a name: "Hoy Kevin está bien".
SENTENCE_START = re.compile(rf"(?:^|[.!?][ \t]+|\n[ \t]*)([{UPPER}][{LOWER}]+)[ \t]+$")
FIRST_LAST = re.compile(rf"(?<![\w'-])(?P<name>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?[ \t](?:{CAP_WORD}[ \t])?{CAP_WORD})")  # on one line
LIST_JOIN = re.compile(r"(?:\s*,\s*|\s+)(?:and|y|&)\s+|\s*,\s*")
AND_JOIN = re.compile(r"\s+(?:and|y|&)\s+")
STREET_AFTER = re.compile(
    r"^\.?[ \t]+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Park|Elementary|High|Middle|"
    r"School|Library|Center|Centre|Hall|Church|Chapel|Temple|Hospital|Bridge|County|City|Station|Plaza|Square|Jr\.?\s+(?:Blvd|Day|Drive|Ave))\b"
)
# People whose names are public: cases the whole country knows, historical figures.
PUBLIC_NAMES = {
    "george floyd", "breonna taylor", "tamir rice", "michael brown", "eric garner", "philando castile", "rodney king",
    "martin luther king", "luther king", "rosa parks", "daunte wright", "tyre nichols", "sandra bland",
    "laquan mcdonald", "trayvon martin", "elijah mcclain", "botham jean", "atatiana jefferson", "freddie gray",
    "ahmaud arbery", "derek chauvin", "walter scott", "alton sterling", "amir locke", "adam toledo", "jacob blake",
    "malcolm x", "john lewis", "abraham lincoln", "barack obama", "joe biden", "donald trump", "kamala harris",
    "cesar chavez", "césar chávez", "harriet tubman", "frederick douglass", "floyd", "benito juárez", "benito juarez",
    "emiliano zapata", "pancho villa", "dolores huerta", "simón bolívar", "simon bolivar", "josé martí", "jose marti",
    "miguel hidalgo", "sor juana", "gabriela mistral", "roberto clemente",
}
STOPWORDS = set(
    "a an the and or but if of to in on at by for with from as is was were are be been being am has have had do did "
    "does not no so that this these those there here then than who whom whose which what when where why how all any "
    "some every each both few more most other such only own same too very can will just should would could may might "
    "must shall i me my we us our you your he him his she her it its they them their said says told asked came went "
    "got get gets saw seen see called call calls also still even ever never always again once just about after before "
    "because while since until into onto over under up down out off around away back now today yesterday tonight "
    "el la los las un una y o pero si de del al en con por para que como cuando donde es fue era son está estaba "
    "muy más menos ya no sí se le lo les nos me mi mis tu su sus este esta ese esa alguien allá acá allí ahí aquí así soy somos "
    "isnt wasnt dont doesnt didnt cant wont aint ive youre theyre thats whats couldnt wouldnt shouldnt werent arent "
    "hasnt havent".split()
)


@lru_cache(maxsize=1)
def _vocabulary():
    """English and Spanish words: spaCy's lemma tables (a table holds each inflected form, by its
    hash, and its lemma), stop words, and the most frequent English words."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.es.stop_words import STOP_WORDS as SPANISH
    from spacy.lookups import load_lookups

    tables = tuple(load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup") for lang in ("en", "es"))
    words = frozenset(lemma for table in tables for lemma in table.values()) | ENGLISH | SPANISH | STOPWORDS
    frequent = frozenset(FREQUENCY_LISTS["english_wikipedia"][:20000]) | frozenset(FREQUENCY_LISTS["us_tv_and_film"][:20000])
    return tables, words, frequent


def is_a_word(word: str, counting_frequent: bool = True) -> bool:
    """A word of English or Spanish, in any form ("drew", "recibió"); with counting_frequent, also
    any of the 20,000 most frequent English words of Wikipedia and of films, names among them ("luis", "tom")."""
    tables, words, frequent = _vocabulary()
    word = word.lower()
    return word in words or any(word in table for table in tables) or (counting_frequent and word in frequent)


@lru_cache(maxsize=1)
def _lexicons():
    given = set(FREQUENCY_LISTS["male_names"]) | set(FREQUENCY_LISTS["female_names"])
    surnames = set(FREQUENCY_LISTS["surnames"]) | EXTRA_SURNAMES
    # Everyday words that are also names ("Will", "Grace", "Black") need more evidence than a list.
    common = set(FREQUENCY_LISTS["english_wikipedia"][:8000]) | set(FREQUENCY_LISTS["us_tv_and_film"][:5000])
    return given, surnames, common


# Gerunds and verbs with their pronouns, which no lemma table lists: "pegándole", "diciéndoles", "llevárselo".
SPANISH_VERB_FORM = re.compile(r"(?:ando|iendo|ándo|iéndo|ár|ér|ír)(?:le|la|lo|les|las|los|se|me|nos|te)*$|(?:ando|iendo)$")


def _lowercase_name(words: list[str]) -> bool:
    """Lower-case words taken for a name ("officer brady kettleman", "my boy dante"): the first on a
    list of given names or surnames, each no English or Spanish word in any form unless a name
    ("officer tom bakke"; not "my son drew", "officers accountable", nor a typo: "my kids scool")."""
    given, surnames, _ = _lexicons()
    words = [w.lower().replace("'", "") if w.lower().startswith(("o'", "d'")) else w.lower() for w in words]
    if any(len(w) < 2 or "'" in w or SPANISH_VERB_FORM.search(w) for w in words):
        return False

    def name_part(word: str) -> bool:
        parts = word.split("-")
        return word in given or word in surnames or all(not is_a_word(p) and not _a_typo(p) for p in parts)

    return all(map(name_part, words)) and any(not is_a_word(w, counting_frequent=False) for w in words)


def _edits(word: str) -> set:
    """The words one letter away: one deleted, swapped with the next, replaced or inserted."""
    letters = "abcdefghijklmnopqrstuvwxyzáéíóúñ"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters} | {a + c + b for a, b in splits for c in letters}) - {word}


def _a_typo(word: str) -> bool:
    """One letter away from a frequent English or Spanish word ("scool", "personel", "freind"):
    in lower case, a misspelt word is likelier than a name."""
    return any(is_a_word(edit) for edit in _edits(word))


@lru_cache(maxsize=1)
def _misspelt_relations() -> frozenset:
    """Misspellings of the relation words of five letters or more ("freind", "daugther")."""
    return frozenset(edit for word in RELATION_WORDS if len(word) >= 5 and word.isalpha() for edit in _edits(word)) - RELATION_WORDS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop words that trail a name but are not part of it ("Officer Price Said" -> "Price")."""
    given, surnames, common = _lexicons()
    words = text[start:end].split(" ")
    while len(words) > 1 and (words[-1].lower().rstrip(".") in STOPWORDS or
                              (words[-1].lower() in common and words[-1].lower().replace("'", "") not in surnames
                               and words[-1].lower() not in given)):
        words.pop()
    return start, start + len(" ".join(words))


def _ordinary_phrase(words: list[str], counting_frequent: bool = False) -> bool:
    """Capitalised everyday words, none of them a name: "Public Defender", "Safety"; with
    counting_frequent, the frequent English words too: a contact line's "Overnight Manager"."""
    given, surnames, _ = _lexicons()
    if any(re.fullmatch(rf"[{UPPER}]\.?", w) for w in words):
        return False
    words = [w.lower().strip(".'") for w in words]
    return all(is_a_word(w, counting_frequent) and _plain(w) not in given and _plain(w) not in surnames for w in words)


def _namelike(words: list[str]) -> bool:
    """Capitalised words that read as a person's name where a signature is expected: each a name
    from the lists, an initial, or no English or Spanish word in any form; one at least no frequent
    English word either ("Walt Kubiak", "Kwame A.", "J. Okonkwo-Hale"; not "Public Defender", "Question")."""
    given, surnames, _ = _lexicons()

    def name_part(word: str, strict: bool) -> bool:
        word = word.lower().strip(".'")
        if re.fullmatch(r"[a-zà-ÿ](?:[.-][a-zà-ÿ])*", word) or word in given or word in surnames:  # "J.", "J.R.", "J-M"
            return True
        return all(not is_a_word(part, counting_frequent=strict) for part in word.split("-"))

    if any(w.lower().strip(".'") in NOT_NAMES for w in words):
        return False
    return all(name_part(w, strict=False) for w in words) and any(name_part(w, strict=True) for w in words)


def _signed_name(words: list[str], surname: bool = False) -> bool:
    """Capitalised words that read as a person's name where one signs or is introduced ("Priya Raman",
    "Alondra Reyes", "Dev K.", "Marisol"): each a name from the lists, an initial, or no English word;
    not all of them Spanish words that are no name ("Muchas Gracias"). A word alone must be a given
    name that is no everyday word ("Marisol", not "Grace"), or with surname, a surname or no word at all
    ("Familia Mendoza", "the Rollins boy")."""
    given, surnames, _ = _lexicons()
    lower = [_plain(w.lower().strip(".'")) for w in words]
    if NOT_NAMES & set(lower) or re.fullmatch(rf"(?i:{SIGN_OFFS})", " ".join(words)):
        return False
    if len(lower) == 1:
        word = lower[0]
        if surname:
            return word in surnames or not is_a_word(word)
        return word in given and word not in AMBIGUOUS_GIVEN and not _english_word(word)
    if lower[0] in given and lower[0] not in AMBIGUOUS_GIVEN and not _english_word(lower[0]):
        return True  # "Colleen Ferry": a given name that is no English word, then any surname

    def name_part(word: str) -> bool:
        return word in given or word in surnames or len(word) == 1 or all(not _english_word(p) for p in word.split("-"))

    return all(map(name_part, lower)) and not all(is_a_word(w, False) and w not in given and w not in surnames for w in lower)


def _plain(word: str) -> str:
    """Without accents: the lists spell "lucia", "ramirez"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _english_words() -> tuple:
    from spacy.lang.en.stop_words import STOP_WORDS

    table = _vocabulary()[0][0]
    return table, frozenset(table.values()) | STOP_WORDS


def _english_word(word: str) -> bool:
    """A word of English in any form (spaCy's lemma table), not counting Spanish: many Spanish
    surnames are Spanish words too ("Olmedo", "Peguero")."""
    table, words = _english_words()
    return word in words or word in table


def _accept(text: str, start: int, end: int, lower_ok: bool, titled: bool = False) -> tuple[int, int] | None:
    """The span of a name found by a pattern, trimmed, or None. titled: a title stands before it, so
    a first word such as "Will" may begin a name of two words ("Coach Will Danforth")."""
    start, end = _trim(text, start, end)
    name = re.sub(r"(?:'s|'|\.)$", "", text[start:end])
    if not name or STREET_AFTER.match(text[end:]):
        return None
    words = name.split()
    if name.lower() in PUBLIC_NAMES or any(name.lower().startswith(p) for p in PUBLIC_NAMES if " " in p):
        return None
    initial = len(words) > 1 and re.fullmatch(rf"[{UPPER}]\.", words[0])  # "Y. Chaudhry": no Spanish "y"
    if (words[0].lower().rstrip(".") in STOPWORDS and not (titled and len(words) > 1) and not initial) or re.fullmatch(rf"(?i:{TITLES}|{SIGN_OFFS})", words[0]) \
            or PUBLIC_TITLES.match(words[0] + " "):
        return None  # "In Christ", "Lt." alone, "Mayor Tran"
    if words[0][0].islower() or (words[0].isalpha() and words[0].isupper() and len(words[0]) > 1):  # "MY FRIEND JAYLEN"
        if not lower_ok or not _lowercase_name(words):
            return None
    elif all(w.lower() in STOPWORDS for w in words):
        return None
    return start, start + len(name)


def _list_after(text: str, end: int, lower_ok: bool, join_pattern: re.Pattern = LIST_JOIN):
    """Names that follow a first one: "Officers Mendez and Halvorsen", "my twins Amara and Zuri"."""
    while (join := join_pattern.match(text, end)) and (match := re.match(CAP_NAME, text[join.end():])):
        span = _accept(text, join.end(), join.end() + match.end(), lower_ok)
        if span is None:
            return
        yield span
        end = span[1]


def _names(text: str, words: frozenset | None = None):
    words = words_of(text) if words is None else words
    for match in _matches(AFTER_TITLE, text) if words & TITLE_WORDS or "Don " in text or " don " in text else ():
        if PUBLIC_TITLES.search(text[max(0, match.start() - 30):match.start()]) or re.match(r"dr\.?\s+king\b", match.group(0).lower()):
            continue
        honorific = re.fullmatch(r"(?i:don|do[ñn]a)", match.group("title"))  # "doña Tata": always a name
        if (_ordinary_phrase(match.group("name").split()) and not honorific) or NOT_NAMES & set(match.group("name").lower().split()):  # "Deputy Public Defender", "Officer Safety", "pastor Greater Mount Zion"
            continue  # "Chief of Police Officer ..." is rare; "Mayor" or "Chief" before a title means a public role
        span = _accept(text, match.start("name"), match.end("name"), lower_ok=match.group("title").islower(), titled=True)
        if span:
            yield span
            if match.group("title").lower().endswith(("s", "es")):
                yield from _list_after(text, span[1], lower_ok=False)
    relations = [AFTER_RELATION] + [RELATION_OF] * bool(words & RELATION_OF_WORDS) if words & RELATION_WORDS else []
    relations += [PARENT_OF] * ("soy" in words) + [NAME_THEN_RELATION] * bool(words & RELATION_WORDS)
    if any(not is_a_word(word, counting_frequent=False) for word in words & _misspelt_relations()):  # "other" is no typo
        relations.append(MISSPELT_RELATION)
    for pattern in relations:
        for match in _matches(pattern, text):
            if pattern is MISSPELT_RELATION and (match.group("relation").lower() not in _misspelt_relations()
                                                 or is_a_word(match.group("relation"), counting_frequent=False)):
                continue
            if match.group("name").lower() in DESCRIBING:
                continue  # "a 61-year-old Black deacon"
            if match.group("name")[0].islower() and "," in text[match.start():match.start("name")]:
                continue  # "lo de mi prima, calladitas": a name after a comma is written with its capital
            if pattern is NAME_THEN_RELATION and (not _namelike(match.group("name").split())
                                                  or match.group("name").lower() in AMBIGUOUS_GIVEN):
                continue  # "Yesterday, my son ...", "since Thanksgiving, my mother", "Dallas, my daughter's school"
            span = _accept(text, match.start("name"), match.end("name"), lower_ok=pattern is AFTER_RELATION)
            if span:
                yield span
                yield from _list_after(text, span[1], lower_ok=False, join_pattern=AND_JOIN)
    has_digit = any(c.isdigit() for c in text)
    signed = words & SIGN_OFF_WORDS or "—" in text or "–" in text or "~" in text or "-" in text
    patterns = [SIGNATURE] * bool(signed) + [NAMED] * bool(words & NAMED_WORDS) + [BEFORE_CONTACT, LAST_LINE] + [AFTER_CONTACT] * has_digit
    for pattern in patterns:
        for match in _matches(pattern, text) if pattern in (NAMED, SIGNATURE) else pattern.finditer(text):
            span = _accept(text, match.start("name"), match.end("name"), lower_ok=pattern is NAMED)
            # The whole line as written, not only what trimming kept: "Eastgate Tenants Union" is no person.
            # The words signed with the name, before any contact: "Westfield & Orchard Park Families".
            line = re.split(r"[\n,(|@\d—–]", text[match.start("name"):], maxsplit=1)[0]
            if span and not _ordinary_phrase(text[span[0]:span[1]].split(), counting_frequent=pattern is BEFORE_CONTACT) \
                    and not NOT_NAMES & set(re.findall(r"[\w.]+", line.lower())):
                yield span
                yield from _list_after(text, span[1], lower_ok=False, join_pattern=AND_JOIN)
    yield from _closing_and_introduced(text, words)
    for match in SELF_INTRODUCED.finditer(text) if "i" in words or "i'm" in words or "i've" in words else ():
        span = _accept(text, match.start("name"), match.end("name"), lower_ok=False)
        if span and _namelike(text[span[0]:span[1]].split()):
            yield span
    for match in TALKED_TO.finditer(text):
        word = match.group("name").lower()
        if _plain(word) in _lexicons()[0] and word not in AMBIGUOUS_GIVEN and not is_a_word(word, counting_frequent=False) \
                and not PLACE_NOUN_AFTER.match(text, match.end()):
            yield match.start("name"), match.end("name")
    for match in _matches(WITH_PERSON, text):
        span = _accept(text, match.start("name"), match.end("name"), lower_ok=True)
        # A full name: one word alone after "with" is seldom a person ("con alguien", "came to jummah").
        if span and " " in text[span[0]:span[1]] and (text[span[0]].islower() or _namelike(text[span[0]:span[1]].split())):
            yield span
    yield from _first_last(text)
    yield from _single_given(text)
    yield from _initial_and_surname(text)


def find(text: str, words: frozenset | None = None):
    """The names find() finds, and each later or earlier mention of one of their words: "Officer
    Brandt ... Most of them aren't Brandt though." A word must be no English or Spanish word ("Price")."""
    spans = list(_names(text, words))
    yield from spans
    if not spans:
        return
    for word in {w for start, end in spans for w in NAME_WORD.findall(text, start, end)}:
        if is_a_word(word, counting_frequent=False) or word.lower() in AMBIGUOUS_GIVEN:
            continue
        for start in _alone(text, word):
            if not any(s <= start < e for s, e in spans) and not PLACE_AFTER.match(text, start + len(word)) \
                    and not PLACE_BEFORE.search(text[max(0, start - 30):start]) \
                    and (span := _accept(text, start, start + len(word), lower_ok=False)):
                yield span


NAME_WORD = re.compile(rf"[{UPPER}][{LOWER}]{{2,}}(?:-[{UPPER}][{LOWER}]+)?")


def _alone(text: str, word: str):
    """Where the word stands as a word of its own, not within a longer name ("Pappas Shoe Repair",
    "Westside Congregations Together"): str.find, as the words differ from comment to comment."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        before, after = text[start - 1:start] if start else "", text[end:end + 1]
        joined = before and (before.isalnum() or before in "'-_") or after and (after.isalnum() or after in "-_")
        next_word = text[end:end + 40].lstrip(" \t")[:1]
        if not joined and not (after in (" ", "\t") and next_word.isupper()):
            yield start
        start = text.find(word, end)


def _matches(pattern: re.Pattern, text: str):
    """Each match of pattern, also one that starts inside the name of the one before: in "the school
    officer, Officer Dana Ruiz" the first match takes "Officer Dana Ruiz" for the name (and is refused),
    the next one starts at that "Officer"."""
    position = 0
    while match := pattern.search(text, position):
        yield match
        position = max(match.start() + 1, match.start("name"))


def _closing_and_introduced(text: str, words: frozenset):
    """Names in the closing lines, introduced ("I'm ..."), and families ("Familia Mendoza"): each word
    a name or no word of English or Spanish, as in a signature (_namelike)."""
    lower = text.lower()
    patterns = [CLOSING] * ("\n" in text) + [INTRODUCED] * any(cue in lower for cue in INTRODUCED_CUES) \
        + [FAMILY] * bool(words & FAMILY_WORDS)
    for pattern in patterns:
        for match in _matches(pattern, text) if pattern is INTRODUCED else pattern.finditer(text):
            group = next(g for g in ("surname", "full", "name") if g in match.re.groupindex and match.group(g))
            span = _accept(text, match.start(group), match.end(group), lower_ok=False)
            if span is None or not _signed_name(text[span[0]:span[1]].split(), surname=pattern is FAMILY):
                continue
            if pattern is FAMILY and text[span[0]:span[1]].lower() in DESCRIBING:
                continue
            line = re.split(r"[\n,(|@\d—–]", text[match.start(group):], maxsplit=1)[0]
            if NOT_NAMES & set(re.findall(r"[\w.]+", line.lower())):
                continue
            if pattern is CLOSING and re.match(r"[ \t]*,[ \t]*\n", text[span[1]:]):
                continue  # "Semper Fi,\nGus ...": a line ending in a comma is a sign-off, the name comes next
            if pattern is CLOSING and len(text) - text.find("\n", span[1]) > CLOSING_REST and "\n" in text[span[1]:]:
                continue  # a paragraph that begins with a name, not the closing lines
            yield span
            if pattern is not FAMILY:
                yield from _list_after(text, span[1], lower_ok=False, join_pattern=AND_JOIN)


def _single_given(text: str):
    """A capitalised word on the list of given names that is no word of English or Spanish in any
    form and not among the 20,000 most frequent English words ("Darnell", "Yesenia", not "Jordan"),
    unless it reads as a place ("on Delmar", "at Roosevelt", "Lincoln and 12th") or ends a longer name."""
    given, _, _ = _lexicons()
    for match in SINGLE_GIVEN.finditer(text):
        written = match.group("name").lower()
        word = _plain(written)
        before = text[max(0, match.start() - 30):match.start()]
        if (lead := SENTENCE_START.search(before)) and is_a_word(lead.group(1), counting_frequent=False) \
                and _plain(lead.group(1).lower()) not in given:
            before = before[:lead.start(1)]  # "Hoy Kevin está bien": the word before begins the sentence
        if word in given and word not in AMBIGUOUS_GIVEN and not is_a_word(word) and not is_a_word(written) \
                and not PLACE_BEFORE.search(before) and not PLACE_AFTER.match(text, match.end()) \
                and not PUBLIC_TITLES.search(before):
            span = _accept(text, match.start(), match.end(), lower_ok=False)
            if span:
                yield span


# An initial and a surname in running text: "the officer who took him down, R. Salcedo, reached up".
# Not N., S., E., W.: "on S. Halsted" is a street.
INITIAL_SURNAME = re.compile(rf"(?<![\w.])(?P<name>[A-DF-MO-RT-VX-Z]\.[ \t]?[{UPPER}][{LOWER}]{{2,}}(?:-[{UPPER}][{LOWER}]+)?)(?![\w'-]|[ \t][{UPPER}])")


def _initial_and_surname(text: str):
    _, surnames, _ = _lexicons()
    for match in INITIAL_SURNAME.finditer(text):
        surname = match.group("name").split(".")[-1].strip()
        if (_plain(surname.lower()) in surnames or not is_a_word(surname)) and surname.lower() not in STREET_WORDS:
            span = _accept(text, match.start("name"), match.end("name"), lower_ok=False)
            if span:
                yield span


def _first_last(text: str):
    """A given name from the list and a capitalised surname, where nothing else names the person."""
    given, surnames, common = _lexicons()
    for match in FIRST_LAST.finditer(text):
        words = match.group("name").split()
        written = words[-1].lower().rstrip(".")
        first, last = _plain(words[0].lower()), _plain(written.replace("'", ""))  # the lists spell "obrien", "maria"
        if first not in given or first in AMBIGUOUS_GIVEN or (last in common and last not in surnames):
            continue
        if last not in surnames and (is_a_word(last, counting_frequent=False) or is_a_word(written, counting_frequent=False)) \
                or last in STREET_WORDS:  # "Amber Alerts"
            continue
        if PUBLIC_TITLES.search(text[max(0, match.start() - 30):match.start()]) or PLACE_NOUN_AFTER.match(text, match.end()) \
                or words[-1].lower() in NOT_NAMES:  # "Mercy West", a hospital
            continue
        span = _accept(text, match.start("name"), match.end("name"), lower_ok=False)
        if span:
            yield span


# Common Korean, Chinese, Vietnamese and South Asian surnames missing from zxcvbn's list (which is American).
EXTRA_SURNAMES = set(
    "park kim jung cho jang lim han ahn yoon kwon hwang choi chen wang zhang liu zhao zhou xu zhu guo lin huang yang "
    "nguyen tran pham hoang phan vu dang bui ngo duong patel shah singh kaur khan ali".split())
# Words of organisations' and contact lines, which sign comments too ("Eastgate Tenants Union",
# "Comité de Familias del Barrio", "Tel. 555...").
NOT_NAMES = set(
    "comité comite familia familias family families tenants tenant union coalition committee project association "
    "council church iglesia parish chapter group network alliance clergy congregation congregations neighbors "
    "neighbours residents tel tel. phone cell email executive director footage grandparents south north east west "
    "text case question league coordinator volunteer advocate team center centre neighborhood neighbourhood watch "
    "refugio albergue shelter clinic clínica clinica fundación fundacion foundation ministries ministerio ministry "
    "mount greater temple tabernacle baptist methodist chapel cathedral mosque masjid synagogue zion sión sion".split()
)
STREET_WORDS = {"st", "street", "ave", "avenue", "rd", "road", "blvd", "boulevard", "ln", "lane", "dr", "drive", "ct",
                "court", "way", "pl", "place", "park", "school", "elementary", "high", "middle"}
# A single given name after these is a place: a street, a school, a park ("on Delmar", "at Roosevelt").
PLACE_BEFORE = re.compile(
    r"(?:\b(?:the|on|at|to|from|near|behind|off|down|up|past|in|by|of|across|along|outside|inside|en|del|por|"
    r"sobre|frente\s+a|la|calle|avenida|esquina|escuela|preparatoria|prepa|colegio|parque|st\.|ste\.|saint|san|santa|santo)"
    r"|(?-i:[A-Z][\w'-]*)|(?-i:[A-Z][\w'-]*)\s+(?:de|del)"
    r"|\b(?:corner\s+of|at|on|of|near|esquina\s+de|entre|en)\s+(?-i:[A-Z][\w'-]*)\s+(?:and|&|y|con))\s+$", re.IGNORECASE)  # a capitalised word, not a sentence's end
PLACE_NOUN_AFTER = re.compile(r"\s+(?:program|school|high|park|street|ave|st\b|county|city|block|watch|neighbou?rhood|area|"
                              r"district|community|association)\b", re.IGNORECASE)  # "the Maple Hill block watch"
PLACE_AFTER = re.compile(r"\s+(?:and|&|y|con)\s+(?:\d|[A-Z])|" + PLACE_NOUN_AFTER.pattern, re.IGNORECASE)
# Given names that are everyday words and start sentences ("Will Smith" aside, "Will someone...").
AMBIGUOUS_GIVEN = {"will", "grace", "hope", "may", "june", "rose", "major", "black", "white", "green", "brown", "young",
                   "king", "long", "bill", "mark", "park", "lane", "dean", "joy", "faith", "chase", "case", "art", "page",
                   "justice", "sunny", "summer", "april", "august", "star", "autumn", "dawn", "crystal", "angel",
                   "easter", "christmas", "lincoln", "roosevelt", "cleveland", "eugene", "jordan", "austin", "dallas",
                   "houston", "denver", "phoenix", "washington", "jefferson", "madison", "jackson", "franklin",
                   "hamilton", "monroe", "kennedy", "wilson", "paul", "peter", "chavez", "delmar", "christian"}
