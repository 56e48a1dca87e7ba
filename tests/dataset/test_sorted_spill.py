"""Sorting issues on disk: the same lines, in the same order, as sorting them in memory and
encoding each; nothing left behind."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dataset.export import issue_order
from pipeline.dataset.sorted_spill import SortedSpill
from pipeline.io import dumps
from pipeline.model import Issue

# tabs, line breaks and quotes in keys and lines: a spilled record is its key, a tab, its line
issues = st.builds(Issue, source=st.sampled_from(["a.txt:5-9", "a.txt:12-20", "b.txt",
                                                  "b.txt:3-4", "c\td.txt:1-2"]),
                   stage=st.sampled_from(["ingest", "segment", "extract", "export"]),
                   reason=st.sampled_from(["x", "y"]),
                   detail=st.sampled_from(["", "d", "é", "tab\there", "a\nb", '["q"]']))


@settings(max_examples=60, deadline=None)
@given(before=st.lists(issues, max_size=5), added=st.lists(issues, max_size=40),
       after=st.lists(issues, max_size=5), run=st.integers(1, 7))
def test_spill_merged_equals_stable_sort(tmp_path_factory, before, added, after, run):
    folder = tmp_path_factory.mktemp("spill")
    with SortedSpill(issue_order, dumps, folder, run=run) as spill:
        spill.extend(added)
        got = list(spill.merged(before=before, after=after))
    assert got == [dumps(i) for i in sorted(before + added + after, key=issue_order)]
    assert list(folder.iterdir()) == []
