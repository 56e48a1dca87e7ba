"""pipeline.segment.organisations: the entity layer finds organisations named in prose, once,
with every mention; rules/organisations.yaml both ways."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.segment.organisations import find_organisations, head_noun_names


def names(text: str, rules) -> list[tuple]:
    found = find_organisations(text, 0, len(text), rules.segment)
    return [(text[o.name[0]:o.name[1]] if o.name else None,
             text[o.acronym[0]:o.acronym[1]] if o.acronym else None) for o in found]


@pytest.mark.parametrize("text,expected", [
    # definitions both ways
    ("We joined the Nordic Council of Prosecutors (NCP) in 2001.",
     [("Nordic Council of Prosecutors", "NCP")]),
    ("The NCP (Nordic Council of Prosecutors) met.", [("Nordic Council of Prosecutors", "NCP")]),
    # an acronym with a qualifier word
    ("The Baltic Judicial Network in Civil Matters (BJN-Civil) met.",
     [("Baltic Judicial Network in Civil Matters", "BJN-Civil")]),
    # a head noun with inner function words, "and" inside a name
    ("It works with the Council of Notaries and Law Societies of Ruritania on training.",
     [("Council of Notaries and Law Societies of Ruritania", None)]),
    # "and" between two names splits them; a leading article is not the name
    ("The Alpine Judges Association and the Danube Audit Office met.",
     [("Alpine Judges Association", None), ("Danube Audit Office", None)]),
    # a sentence opener before "the" is not part of the name
    ("Within the Council of Ruritania, the work goes on.", [("Council of Ruritania", None)]),
    # an acronym the page uses as a name, twice
    ("RUPOL trains officers. RUPOL was set up by the ministries.", [("RUPOL", None)]),
])
def test_organisations_found_in_prose(rules, text, expected):
    assert names(text, rules) == expected


@pytest.mark.parametrize("text", [
    "A Memorandum of Understanding (MoU) was signed.",           # an instrument, not a body
    "The Convention on Judicial Ethics (CJE) entered into force.",
    "Several International Non-Governmental Organisations (INGOs) attended.",  # a plural tag
    "The Commission met. The Association agreed.",                # a head noun alone: a reference
    "The Annual Conference of Judges took place in May.",         # an event (not_prose_heads)
    "NGO staff and NGO members met.",                             # a common acronym
    "ON 1 MAY THE BOARD OF THE LEGAL SOCIETY MET IN PARIS.",      # capitals are no evidence
    "RUPOL trains officers.",                                     # an acronym used once
])
def test_organisations_not_found(rules, text):
    assert names(text, rules) == []


def test_organisations_mentions_are_exact_and_longest_first(rules):
    text = ("The High Commissioner for Justice (HCJ) visited. The Commissioner for Justice "
            "spoke. The HCJ left.")
    found = find_organisations(text, 0, len(text), rules.segment)
    by_name = {text[o.name[0]:o.name[1]]: o for o in found}
    assert [text[s:e] for s, e in by_name["High Commissioner for Justice"].mentions] == [
        "High Commissioner for Justice", "HCJ", "HCJ"]
    assert [text[s:e] for s, e in by_name["Commissioner for Justice"].mentions] == [
        "Commissioner for Justice"]


def test_organisations_head_noun_names_cut_trailing_acronym_and_possessive(rules):
    text = "the Ruritanian Police Academy RPA trains. The Union’s Legal Service Office helps."
    spans = [text[s:e] for s, e in head_noun_names(text, 0, len(text), rules.segment)]
    assert spans == ["Ruritanian Police Academy", "Legal Service Office"]


def test_organisations_rules_file_loads_and_names_real_sources(rules, tmp_path):
    import shutil

    from pipeline.extract.rules import RuleError, load_rules

    assert {"founded", "member", "partner", "established"} <= rules.segment.fact_words
    assert {"the", "in", "of", "also"}.isdisjoint(rules.segment.fact_words)  # grammar, no fact
    assert "partner" in rules.segment.relation_words and \
        "partner" not in rules.segment.host_fact_words
    folder = tmp_path / "rules"
    shutil.copytree(rules.folder, folder)
    path = folder / "organisations.yaml"
    path.write_text(path.read_text().replace("[founded, headquarters, host_relationship",
                                             "[founded, nowhere, host_relationship"))
    with pytest.raises(RuleError, match="organisations.yaml.*nowhere"):
        load_rules(folder)


@pytest.mark.parametrize("text", [
    "The Egmont Club is an International Organization formed in 1995.",
    "The Lake Law Club is the regional Bar Association of East Ruritania.",
])
def test_organisations_a_description_is_no_name(rules, text):
    assert [n for n, _ in names(text, rules)] == [text.split(" is ")[0][4:]]


def test_organisations_an_acronym_in_brackets_after_a_name_is_its_own(rules):
    from pipeline.segment.organisations import find_organisations

    text = ("The Council of Bars and Law Societies of Europe (CCBE), founded in 1960, is an "
            "association. The Nordic Police Academy (GB) trains officers.")
    found = [(text[o.name[0]:o.name[1]], o.acronym and text[o.acronym[0]:o.acronym[1]])
             for o in find_organisations(text, 0, len(text), rules.segment)]
    assert ("Council of Bars and Law Societies of Europe", "CCBE") in found
    assert ("Nordic Police Academy", None) in found    # a country code is no acronym


def word_by_word(text: str, rules) -> list[tuple[int, int]]:
    """head_noun_names as first written: a run tried from every word, read forward."""
    from pipeline.segment.organisations import NAME_WORD, _names_in

    words, i, out = list(NAME_WORD.finditer(text)), 0, []
    while i < len(words):
        run = run_forward(text, words, i, rules)
        if run:
            out += _names_in(text, words, run, rules)
            i = run[-1] + 1
        else:
            i += 1
    return out


def run_forward(text: str, words, i: int, rules) -> list[int]:
    """The run of capitalised words (function words inside) starting at word i, as first
    written: on while only spaces separate the words and each is capitalised, or a function
    word followed by only spaces; a trailing function word is no part of it."""
    if not words[i].group()[0].isupper():
        return []
    run, j = [i], i + 1
    while j < len(words):
        gap = text[words[j - 1].end():words[j].start()]
        if gap.strip() or "\n" in gap:
            break
        w = words[j].group()
        if w[0].isupper():
            run.append(j)
        elif w.lower() in rules.function_words and j + 1 < len(words) and not \
                text[words[j].end():words[j + 1].start()].strip():
            run.append(j)
        else:
            break
        j += 1
    while run and not words[run[-1]].group()[0].isupper():
        run.pop()
    return run


PIECES = ["Council", "Union’s", "Association", "Bar", "European", "Nordic", "ICC", "of", "the",
          "and", "for", "met", "in", "Vienna", "The", "is", ",", ".", "\n", "(NCP)", "law"]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_head_noun_names_read_from_capitals_as_from_every_word(rules, pieces):
    text = " ".join(pieces)
    assert list(head_noun_names(text, 0, len(text), rules.segment)) == \
        word_by_word(text, rules.segment)


@given(st.lists(st.tuples(st.sampled_from(PIECES + ["Court", "on", "de", "3", "x"]),
                          st.sampled_from([" ", "  ", "\t", "\u00a0", "-", ", ", " \n", ""])),
                max_size=40), st.integers(0, 12))
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_head_noun_names_read_back_from_each_head_noun_as_from_every_word(rules, parts, cut):
    """Each run is found from its head noun back to its start: the same names as reading a
    run from every word, whatever the gaps between words, and in a span starting anywhere."""
    text = "".join(word + gap for word, gap in parts)
    start = min(cut, len(text))
    found = list(head_noun_names(text, start, len(text), rules.segment))
    assert found == [(s + start, e + start)
                     for s, e in word_by_word(text[start:], rules.segment)]


MENTION_FORMS = ["Council of Europe", "Europe", "ICC", "CC", "High Court", "Court"]


def mentions_as_first_written(text: str, start: int, orgs) -> list:
    """assign_mentions' pattern with its look-behind as the first step, read by finditer."""
    import re

    from pipeline.segment.organisations import forms_of

    owner = {}
    for org in orgs:
        for form in forms_of(text, org):
            owner.setdefault(" ".join(form.split()), org)
    pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(
        r"\s+".join(map(re.escape, form.split())) for form in sorted(owner, key=len, reverse=True))
        + r")(?![\w\-])")
    return [(owner[" ".join(m.group().split())].name, m.span())
            for m in pattern.finditer(text, start, len(text))]


@given(st.lists(st.tuples(st.sampled_from(MENTION_FORMS + ["x", "Councils", "of", "_", "9"]),
                          st.sampled_from(["", " ", "  ", "-", "\n", ", ", "\t"])),
                max_size=30), st.one_of(st.just(0), st.integers(0, 120)))
@example(parts=[("x", ""), ("ICC", " ")], cut=0)    # glued to a word at the text's start
@settings(max_examples=300, deadline=None)
def test_mentions_found_as_by_a_look_behind_pattern(parts, cut):
    """Every whole-word mention, longest form first, where the text is cut anywhere: the same
    spans as the pattern that tests the character before each position first."""
    from pipeline.segment.organisations import Organisation, assign_mentions

    body = "".join(word + gap for word, gap in parts)
    text = body + "\n" + " | ".join(MENTION_FORMS)
    orgs, pos = [], len(body) + 1
    for form in MENTION_FORMS:
        orgs.append(Organisation((pos, pos + len(form)), None, "test"))
        pos += len(form) + 3
    start = min(cut, len(text))
    assign_mentions(text, start, len(text), orgs)
    found = sorted((o.name, span) for o in orgs for span in o.mentions)
    assert found == sorted(mentions_as_first_written(text, start, orgs))
