"""pipeline.segment.host_refs: 'it' refers back to the host after a sentence about the host."""

from __future__ import annotations

from pipeline.segment.host_refs import host_references
from pipeline.segment.prose import host_spans
from pipeline.segment.sentences import sentences
from pipeline.settings import Host

HOST = Host("Ruritanian Bar Council", "RBC", ("the Council",))


def refs(text: str, rules, others=()):
    spans = [(text.index(o), text.index(o) + len(o)) for o in others]
    found = host_references(text, sentences(text, 0, len(text)), host_spans(text, HOST), spans,
                            rules.segment)
    return [(s, text[s:e]) for s, e in found]


def test_host_refs_a_pronoun_after_a_sentence_about_the_host(rules):
    text = ("The Council is a member of several networks. At the regional level, it is a "
            "member of the Baltic Bar Network (BBN). It also works with the Nordic Law Union.")
    assert refs(text, rules) == [(text.index("it is"), "it"), (text.index("It also"), "It")]


def test_host_refs_another_subject_breaks_the_chain(rules):
    text = ("The Council is a member of several networks. The Baltic Bar Network has 12 "
            "members. It is a member of the Nordic Law Union.")
    assert refs(text, rules, others=["Baltic Bar Network"]) == []


def test_host_refs_nothing_without_a_sentence_about_the_host(rules):
    text = "Lawyers meet every year. It is a member of the Nordic Law Union."
    assert refs(text, rules) == []
    # "its" is no subject; "IT" is a word of its own
    text = "The Council meets. Its members are lawyers. IT is a sector of law."
    assert refs(text, rules) == []


def test_host_refs_carry_the_relation_to_the_entry(extract_text):
    text = ("Our networks\n\nThe Council is a member of several networks. At the regional "
            "level, it is a member of the Baltic Bar Network (BBN), which unites bars.\n")
    _, xs, _ = extract_text(text, host=HOST)
    found = {f.org_id: (f.value, f.evidence) for x in xs for f in x.facts
             if f.field == "host_relationship"}
    assert found["bbn-baltic-bar-network"][0] == "host_member_of"
    assert found["bbn-baltic-bar-network"][1].startswith("At the regional level, it is")
