"""The output folder: one run at a time, and the new dataset takes the old one's place whole."""

from __future__ import annotations

import pytest

from pipeline.dataset.staging import (
    LockedError,
    OutputError,
    check_dataset_folder,
    output_folder,
    swap,
)


def staging_folders(out):
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


def test_staging_failed_run_leaves_the_previous_dataset(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "facts.csv").write_text("old\n")
    with pytest.raises(RuntimeError):
        with output_folder(out) as stage:
            (stage / "facts.csv").write_text("half")
            raise RuntimeError("killed")
    assert (out / "facts.csv").read_text() == "old\n"
    assert not staging_folders(out)


def test_staging_new_dataset_replaces_the_old_whole_and_keeps_interim_files(tmp_path):
    out = tmp_path / "out"
    (out / "interim").mkdir(parents=True)
    (out / "interim" / "documents.jsonl").write_text("kept\n")
    (out / "facts.csv").write_text("old\n")
    (out / "texts").mkdir()
    (out / "texts" / "old.html.txt").write_text("old text")
    with output_folder(out) as stage:
        (stage / "facts.csv").write_text("new\n")
    assert (out / "facts.csv").read_text() == "new\n"
    assert (out / "interim" / "documents.jsonl").read_text() == "kept\n"
    assert not (out / "texts").exists()  # texts belong to the dataset they came with
    assert not staging_folders(out)


def test_staging_second_run_on_the_same_folder_is_refused(tmp_path):
    with output_folder(tmp_path / "out"):
        with pytest.raises(LockedError, match="another partners run"):
            with output_folder(tmp_path / "out"):
                pass


@pytest.mark.parametrize("name", ["notes.txt", "src", ".git"])
def test_staging_refuses_a_folder_that_is_not_a_dataset(tmp_path, name):
    (tmp_path / name).mkdir()
    with pytest.raises(OutputError, match="not a dataset folder"):
        check_dataset_folder(tmp_path)
    assert (tmp_path / name).exists()


def test_staging_refuses_dash_as_output(tmp_path):
    from pathlib import Path

    with pytest.raises(OutputError, match="not standard output"):
        check_dataset_folder(Path("-"))


def test_staging_swap_exchanges_two_folders(tmp_path):
    new, out = tmp_path / "new", tmp_path / "out"
    new.mkdir(), out.mkdir()
    (new / "a").write_text("new"), (out / "a").write_text("old")
    swap(new, out)
    assert (out / "a").read_text() == "new" and (new / "a").read_text() == "old"
