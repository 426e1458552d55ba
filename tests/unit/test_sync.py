"""`glose sync`'s model: the shared files, their merge, the codebook's history, and two or
three clones of one bare repository exchanging annotations through git (no network)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.teams import Team, git, git_identity
from tui.store import Store
from tui.sync import Sync, SyncError, last_sync, sync
from tui.sync.codebook import changes, replay
from tui.sync.files import (
    file_name,
    merge_entries,
    read_annotations,
    write_annotations,
)


@pytest.fixture
def team(tmp_path, monkeypatch) -> Team:
    git_identity(monkeypatch, tmp_path)
    return Team(tmp_path)


# The shared files and their merge

times = st.sampled_from([f"2026-01-0{day}T00:00:00.000Z" for day in range(1, 5)])
uuids = st.sampled_from(["a", "b", "c"])
entries = st.one_of(
    st.builds(
        lambda u, t, n: {"uuid": u, "updated": t, "kind": "passage", "note": n},
        uuids,
        times,
        st.text(max_size=3),
    ),
    st.builds(lambda u, t: {"uuid": u, "deleted": t}, uuids, times),
)
sides = st.lists(entries, max_size=6).map(lambda found: {e["uuid"]: e for e in found})


@given(sides, sides, sides)
def test_merging_files_is_commutative_associative_and_idempotent(a, b, c) -> None:
    assert merge_entries(a, b) == merge_entries(b, a)
    assert merge_entries(merge_entries(a, b), c) == merge_entries(a, merge_entries(b, c))
    assert merge_entries(a, a) == a
    for uuid, entry in merge_entries(a, b).items():
        # The later change wins; a deletion at the same time as a change wins.
        assert entry in (a.get(uuid), b.get(uuid))
        for other in (a.get(uuid), b.get(uuid)):
            if other is not None:
                mine = entry.get("deleted") or entry["updated"]
                theirs = other.get("deleted") or other["updated"]
                assert mine >= theirs
                if mine == theirs and "deleted" in other:
                    assert "deleted" in entry


@given(st.text(min_size=1, max_size=60))
def test_any_annotator_name_is_a_safe_file_name_of_its_own(name) -> None:
    found = file_name(name)
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{12}\.jsonl", found)
    assert found != file_name(name.swapcase()) or name == name.swapcase()
    assert file_name(name + "x") != found


@pytest.mark.parametrize("name", ["../../etc/passwd", "Alice", "alice", "élodie", "李", "a/b"])
def test_a_name_is_kept_whole_inside_its_file(name) -> None:
    text = write_annotations(name, {"u": {"uuid": "u", "deleted": "t"}})
    assert read_annotations(text, "f")[0] == name
    assert "/" not in file_name(name) and ".." not in file_name(name)
    assert file_name("Alice") != file_name("alice")  # one file each on a case-blind disk


def test_lines_are_sorted_with_sorted_keys_so_they_diff_well() -> None:
    text = write_annotations("a", {"b": {"uuid": "b", "z": 1, "a": 2}, "a": {"uuid": "a"}})
    lines = text.splitlines()
    assert lines[1] == '{"uuid":"a"}' and lines[2] == '{"a":2,"uuid":"b","z":1}'


names = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=2)


@given(st.dictionaries(names, names, max_size=4), st.dictionaries(names, names, max_size=4))
@settings(max_examples=60)
def test_the_codebook_changes_found_replay_into_the_codebook_now(before, after) -> None:
    def book(tags):
        return {name: {"created": f"c-{name}", "description": d} for name, d in tags.items()}

    start = [
        {"at": "0", "by": "x", "id": f"0{n}", "op": "created", "tag": n, "description": d}
        for n, d in before.items()
    ]
    events = changes(book(before), book(after), "x", "base", "1")
    assert replay(start + events).tags == after


def test_a_rename_is_told_by_the_creation_time_it_keeps() -> None:
    before = {"x": {"created": "t1", "description": ""}}
    after = {"y": {"created": "t1", "description": ""}}
    (event,) = changes(before, after, "alice", "base", "now")
    assert (event["op"], event["tag"], event["to"]) == ("renamed", "x", "y")
    assert changes(before, after, "alice", "base", "later")[0]["id"] == event["id"]


# Two and three clones of one bare repository


@pytest.mark.parametrize("first", ["alice", "bob"])
def test_two_coders_in_either_order_end_with_the_same_store(team, first) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "politique")
    bob.tag(2, "économie")
    bob.tag(1, "politique")
    order = [alice, bob] if first == "alice" else [bob, alice]
    for machine in [*order, *order]:
        machine.sync()
    assert alice.content() == bob.content()
    assert {(row[0], row[6]) for row in alice.content()} == {
        ("alice", ("politique",)),
        ("bob", ("économie",)),
        ("bob", ("politique",)),
    }
    with alice.store() as store:
        assert {tag.name for tag in store.tags()} == {"politique", "économie"}


@pytest.mark.slow
def test_three_coders_see_everyone_after_two_rounds(team) -> None:
    machines = [team.machine(name, name) for name in ("a", "b", "c")]
    for index, machine in enumerate(machines):
        machine.tag(index + 1, f"code{index}")
    for machine in machines * 2:
        machine.sync()
    contents = [machine.content() for machine in machines]
    assert contents[0] == contents[1] == contents[2]
    assert {row[0] for row in contents[0]} == {"a", "b", "c"}


@pytest.mark.slow
def test_the_same_annotator_on_two_machines_merges_by_annotation(team) -> None:
    home, office = team.machine("home", "alice"), team.machine("office", "alice")
    home.tag(1, "politique")
    home.tag(2, "économie")
    home.sync()
    office.sync()
    assert office.content() == home.content()
    # Both sides change and delete: office deletes passage 2's, home tags passage 1 again and
    # adds a passage; office adds another (the same file changed on both sides: git conflicts).
    document = office.document()
    with office.store() as store:
        store.delete(store.annotation(document, document.passages[2]))
    office.tag(3, "entreprises")
    home.tag(1, "climat")
    home.tag(3, "marché")
    home.sync()
    office.sync()  # merges home's commit with its own
    home.sync()
    assert home.content() == office.content()
    found = {(row[4], row[6]) for row in home.content()}
    start = {p.index: p.start for p in document.passages}
    assert found == {
        (start[1], ("climat", "politique")),
        (start[3], ("entreprises", "marché")),
    }
    assert (
        "<<<<<<<"
        not in (home.root / ".glose/annotations")
        .joinpath(next(p.name for p in (home.root / ".glose/annotations").iterdir()))
        .read_text()
    )


def test_the_later_change_wins_and_a_later_deletion_wins(team) -> None:
    home, office = team.machine("home", "alice"), team.machine("office", "alice")
    home.tag(1, "politique")
    home.sync()
    office.sync()
    office.tag(1, "climat")  # later than home's tag
    office.sync()
    home.sync()
    assert {row[6] for row in home.content()} == {("climat", "politique")}
    document = home.document()
    with home.store() as store:
        store.delete(store.annotation(document, document.passages[1]))
    home.sync()
    office.sync()
    assert office.content() == home.content() == set()


@pytest.mark.slow
def test_a_renamed_tag_reaches_the_records_that_still_use_the_old_name(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "eco")
    alice.sync()
    bob.sync()
    with alice.store() as store:
        store.rename_tag("eco", "économie")
    bob.tag(2, "eco")  # bob still codes with the old name
    alice.sync()
    report = bob.sync()
    assert 'alice renamed "eco" to "économie"' in report.codebook
    alice.sync()
    for machine in (alice, bob):
        with machine.store() as store:
            assert [tag.name for tag in store.tags()] == ["économie"]
        assert {row[6] for row in machine.content()} == {("économie",)}
    assert alice.content() == bob.content()


def test_descriptions_and_levels_are_shared_but_colours_and_keys_are_not(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "climat")
    with alice.store() as store:
        store.describe_tag("climat", "Ce qui touche au climat.")
        store.recolor_tag("climat", "#123456")
        store.rename_tag("climat", "nature/climat")
    alice.sync()
    report = bob.sync()
    with bob.store() as store:
        (tag,) = store.tags()
    assert (tag.name, tag.description) == ("nature/climat", "Ce qui touche au climat.")
    assert tag.color != "#123456"
    assert 'alice created "nature/climat"' in report.codebook
    text = "".join(p.read_text() for p in (alice.root / ".glose").rglob("*.jsonl"))
    assert "#123456" not in text and '"key"' not in text


def test_deletions_on_both_sides_travel(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    bob.tag(2, "y")
    for machine in (alice, bob, alice):
        machine.sync()
    for machine in (alice, bob):
        document = machine.document()
        with machine.store() as store:
            own = store.annotations_on(document)
            (annotation,) = own.values()
            store.delete(annotation)
    for machine in (alice, bob, alice):
        machine.sync()
    assert alice.content() == bob.content() == set()


@pytest.mark.slow
def test_another_coders_deleted_tag_leaves_every_store(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    alice.tag(2, "garde")
    alice.sync()
    bob.sync()
    bob.tag(3, "x")
    with alice.store() as store:
        store.delete_tag("x")
    alice.sync()
    report = bob.sync()
    assert 'alice deleted "x"' in report.codebook
    alice.sync()
    assert alice.content() == bob.content()
    assert {row[6] for row in bob.content()} == {("garde",)}


def test_a_sync_stopped_before_bringing_in_is_finished_by_the_next(team) -> None:
    home, office = team.machine("home", "alice"), team.machine("office", "alice")
    home.tag(1, "politique")
    home.tag(2, "économie")
    home.sync()
    office.sync()
    document = office.document()
    with office.store() as store:
        store.delete(store.annotation(document, document.passages[2]))
        Sync.start(store, office.corpus_dir).exchange()  # stopped here: nothing brought in
    office.tag(3, "entreprises")
    office.sync()
    home.sync()
    assert home.content() == office.content()
    assert {row[6] for row in home.content()} == {("politique",), ("entreprises",)}


def test_the_report_is_kept_with_the_store(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "x")
    bob.tag(2, "y")
    bob.sync()
    report = alice.sync()
    assert report.sentence() == "Synced: 2 new annotations from 2 coders."
    assert report.pushed
    with alice.store() as store:
        assert last_sync(store) == report
    assert alice.sync().new_annotations == 0


def test_agreement_after_sync_equals_agreement_from_a_merged_export(team, tmp_path) -> None:
    from tui.analysis.agreement import measure
    from tui.corpus import Corpus
    from tui.interchange import json_format
    from tui.interchange.export import select
    from tui.interchange.reading import Parsed

    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    alice.tag(2, "y")
    bob.tag(1, "x")
    bob.tag(3, "y")
    corpus = Corpus.open(alice.corpus_dir)
    with Store(tmp_path / "merged", annotator="alice") as merged:
        for machine in (alice, bob):
            with Store(machine.store_dir, readonly=True, annotator=machine.annotator) as store:
                data = json_format.build(select(corpus, store), corpus)
            parsed: Parsed = json_format.read(data)
            documents = {document.id: document for document in corpus}
            merged.import_annotations(parsed.annotations, documents, parsed.tags)
        expected = measure(corpus, merged)
    for machine in (alice, bob, alice):
        machine.sync()
    with Store(alice.store_dir, readonly=True, annotator="alice") as store:
        assert measure(corpus, store) == expected


# Errors, each one sentence


def test_a_corpus_outside_git_is_refused(tmp_path, monkeypatch) -> None:
    git_identity(monkeypatch, tmp_path)
    (tmp_path / "corpus").mkdir()
    with Store(tmp_path / "store") as store, pytest.raises(SyncError, match="not in a git"):
        sync(store, tmp_path / "corpus")


def test_without_a_remote_the_files_are_committed_here_only(tmp_path, monkeypatch) -> None:
    git_identity(monkeypatch, tmp_path)
    (tmp_path / "corpus").mkdir()
    git(tmp_path / "corpus", "init", "--quiet")
    with Store(tmp_path / "store", annotator="alice") as store:
        report = sync(store, tmp_path / "corpus")
    assert not report.pushed
    assert report.sentence().endswith("No remote: committed here only.")
    assert "glose sync: alice" in git(tmp_path / "corpus", "log", "--oneline")


def test_a_dirty_shared_file_is_refused_not_overwritten(team) -> None:
    alice = team.machine("a", "alice")
    alice.tag(1, "x")
    alice.sync()
    (own,) = (alice.root / ".glose/annotations").iterdir()
    own.write_text(own.read_text() + "\n", encoding="utf-8")
    with pytest.raises(SyncError, match=r"has changes glose did not make"):
        alice.sync()
    assert own.read_text().endswith("\n\n")


def test_a_rejected_push_says_gits_own_sentence(team) -> None:
    alice = team.machine("a", "alice")
    hook = team.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the team is frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    alice.tag(1, "x")
    with pytest.raises(SyncError, match=r"^the push to origin failed: .*pre-receive hook"):
        alice.sync()
    assert alice.content()  # nothing lost: the store keeps the annotation


def test_a_conflict_outside_glose_files_is_left_to_git(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    for machine, words in ((alice, "A"), (bob, "B")):
        (machine.root / "notes.md").write_text(words)
        git(machine.root, "add", "notes.md")
        git(machine.root, "commit", "--quiet", "-m", "notes")
    alice.sync()
    with pytest.raises(SyncError, match="conflict with yours in notes.md, which is not glose's"):
        bob.sync()
    assert not (bob.root / ".git" / "MERGE_HEAD").exists()  # never left mid-merge


def test_without_git_the_sentence_says_so(team, monkeypatch) -> None:
    alice = team.machine("a", "alice")
    monkeypatch.setenv("PATH", str(team.folder / "nowhere"))
    with pytest.raises(SyncError, match="git is not installed"):
        alice.sync()


def test_a_rename_made_here_is_not_counted_as_news_from_others(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "x")
    bob.sync()
    assert alice.sync().new_annotations == 1
    with alice.store() as store:
        store.rename_tag("x", "y")  # reaches bob's annotation in alice's store
    assert alice.sync().new_annotations == 0
    assert {row[6] for row in alice.content()} == {("y",)}


def test_a_codebook_change_made_while_the_exchange_runs_is_sent_next_time(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    alice.sync()
    with alice.store() as store:
        running = Sync.start(store, alice.corpus_dir)
        running.exchange()  # in the reader, a worker: the coder renames meanwhile
        store.rename_tag("x", "y")
        running.bring_in(store)
    alice.sync()
    report = bob.sync()
    assert 'alice renamed "x" to "y"' in report.codebook
    with bob.store() as store:
        assert [tag.name for tag in store.tags()] == ["y"]


def test_a_tag_merged_into_another_is_a_rename_not_a_deletion(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    alice.tag(2, "y")
    alice.sync()
    bob.sync()
    bob.tag(3, "x")  # bob codes with x, which alice is merging into y
    with alice.store() as store:
        store.rename_tag("x", "y")
    alice.sync()
    report = bob.sync()
    assert 'alice renamed "x" to "y"' in report.codebook
    assert {(row[0], row[6]) for row in bob.content()} == {
        ("alice", ("y",)),
        ("bob", ("y",)),
    }


@given(
    st.sampled_from(["", "corpus", "a/b"]),
    st.builds(
        lambda up, names: "../" * up + "/".join(names),
        st.integers(0, 2),
        st.lists(st.sampled_from(["a", "b", "corpus"]), min_size=1, max_size=3),
    ),
)
def test_a_document_id_goes_to_the_repository_and_back_unchanged(prefix, document) -> None:
    from tui.sync.incoming import from_repository, to_repository

    there = to_repository(document, prefix)
    if not prefix:
        assert there == document
        return
    back = from_repository(there, prefix)
    if not document.startswith("../"):  # every id the corpus gives
        assert back == document
    # An id from elsewhere (an import's) is written the same each time.
    assert to_repository(back, prefix) == there


def test_clones_whose_corpus_is_another_folder_find_the_same_article(team) -> None:
    from tui.corpus import Corpus

    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.tag(1, "x")
    alice.sync()
    # bob opens the whole repository as his corpus: the article is corpus/un there.
    article = Corpus.open(bob.root).get("corpus/un")
    assert article is not None
    with bob.store() as store:
        sync(store, bob.root)
        (found,) = store.annotations()
        assert found.document == "corpus/un"
        store.tag_passage(article, article.passages[2], "y")
        sync(store, bob.root)
    alice.sync()
    assert {(row[0], row[3]) for row in alice.content()} == {("alice", "un"), ("bob", "un")}


def test_git_without_a_name_to_sign_with_says_how_to_give_one(team, monkeypatch) -> None:
    alice = team.machine("a", "alice")
    empty = team.folder / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("EMAIL", "")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "")
    git(alice.root, "config", "user.useConfigOnly", "true")
    alice.tag(1, "x")
    with pytest.raises(SyncError, match="^git does not know who you are"):
        alice.sync()


def test_a_damaged_shared_file_is_named_and_the_store_left_as_it_was(team) -> None:
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "x")
    bob.sync()
    alice.tag(2, "y")
    alice.sync()
    before = alice.content()
    (theirs,) = [p for p in (bob.root / ".glose/annotations").iterdir() if "bob" in p.name]
    git(bob.root, "pull", "--quiet", "--no-rebase")
    theirs.write_text(theirs.read_text() + "{not json\n")
    git(bob.root, "commit", "--quiet", "-am", "by hand")
    git(bob.root, "push", "--quiet")
    with pytest.raises(SyncError, match=rf"^\.glose/annotations/{theirs.name}, line \d+: not JSON"):
        alice.sync()
    assert alice.content() == before


@given(
    st.dictionaries(names, st.tuples(names, names), max_size=4),
    st.dictionaries(names, st.tuples(names, names), max_size=4),
)
@settings(max_examples=60)
def test_changes_made_meanwhile_are_left_out_of_what_a_sync_remembers(before, after) -> None:
    from tui.sync.codebook import without

    # (created, description): a tag of `after` created as one of `before` is that one renamed.
    def book(tags):
        return {name: {"created": c, "description": d} for name, (c, d) in tags.items()}

    def shared(codebook):  # what the team sees of a codebook
        return {name: tag["description"] for name, tag in codebook.items()}

    start, now = book(before), book(after)
    assert shared(without(now, changes(start, now, "x", "", ""), start)) == shared(start)


def test_a_sync_killed_in_a_fast_forward_or_a_write_is_finished_by_the_next(team) -> None:
    import json
    import subprocess

    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    bob.tag(1, "x")
    bob.sync()
    alice.tag(2, "y")
    # alice's last sync was killed while git wrote bob's file (a fast-forward: no MERGE_HEAD)
    # and while glose wrote its own file under a temporary name.
    git(alice.root, "fetch", "--quiet")
    (theirs,) = git(
        alice.root, "ls-tree", "--name-only", "origin/main", ".glose/annotations/"
    ).split()
    theirs_path = alice.root / theirs
    theirs_path.parent.mkdir(parents=True)
    theirs_path.write_text(git(alice.root, "show", f"origin/main:{theirs}")[:40])
    (theirs_path.parent / ".alice.jsonl.glose-tmp").write_text("{half")
    dead = subprocess.Popen(["true"])  # a process that has ended: the killed sync
    dead.wait()
    marker = {"pid": dead.pid, "files": {}, "merging": True}
    (alice.root / ".git" / "glose-sync.json").write_text(json.dumps(marker))
    alice.sync()
    assert {(row[0], row[6]) for row in alice.content()} == {("alice", ("y",)), ("bob", ("x",))}
    assert git(alice.root, "status", "--porcelain", "--", ".glose") == ""


def test_locks_left_by_a_killed_sync_are_removed_and_a_running_one_is_waited_for(team) -> None:
    import json
    import subprocess

    alice = team.machine("a", "alice")
    alice.tag(1, "x")
    marker = alice.root / ".git" / "glose-sync.json"
    running = subprocess.Popen(["cat"], stdin=subprocess.PIPE)  # another sync, still at work
    try:
        marker.write_text(json.dumps({"pid": running.pid, "files": {}, "merging": False}))
        with pytest.raises(SyncError, match=rf"^another glose sync is running .*{running.pid}"):
            alice.sync()
    finally:
        running.communicate()
    # Now it has ended, killed in the middle of git commands that held their locks.
    for lock in ("index.lock", "HEAD.lock", "refs/heads/main.lock"):
        (alice.root / ".git" / lock).write_text("")
    alice.sync()
    assert {row[6] for row in alice.content()} == {("x",)}
    assert not marker.exists()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_a_line_is_written_as_the_standard_json_writer_would(entry) -> None:
    """Lines are written by orjson for speed: byte for byte what json.dumps gives with sorted
    keys, so that a file's lines never change for how they were written."""
    import json

    from tui.sync.files import _line

    assert _line(entry) == json.dumps(
        entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def test_a_sync_with_the_network_gone_says_why_and_the_next_one_finishes(team) -> None:
    """The remote out of reach mid-project (here moved away): git's reason in one sentence,
    this coder's annotations committed and kept; back in reach, the next sync sends them."""
    alice, bob = team.machine("a", "alice"), team.machine("b", "bob")
    alice.sync()
    alice.tag(1, "politique")
    away = team.bare.with_name("away.git")
    team.bare.rename(away)
    with pytest.raises(SyncError, match="cannot fetch from origin: .*"):
        alice.sync()
    assert "politique" in git(
        alice.root, "show", "HEAD:" + git(alice.root, "ls-files", ".glose/annotations").split()[0]
    )
    assert [row[6] for row in alice.content()] == [("politique",)]
    away.rename(team.bare)
    alice.sync()
    bob.sync()
    assert bob.content() == alice.content()


def test_only_the_files_changed_since_the_last_sync_are_read_whole(team, monkeypatch) -> None:
    import tui.sync.syncing as syncing

    alice, bob, carol = (team.machine(n, n) for n in ("alice", "bob", "carol"))
    for number, machine in enumerate((alice, bob, carol), start=1):
        machine.tag(number, "politique")
        machine.sync()
    alice.sync()  # alice has everyone's files now
    bob.tag(3, "économie")
    bob.sync()
    read: list[str] = []
    whole = syncing._read_text
    monkeypatch.setattr(
        syncing, "_read_text", lambda path: read.append(path.relative_to(alice.root)) or whole(path)
    )
    report = alice.sync()
    assert report.new_annotations == 1
    assert report.annotators == ("alice", "bob", "carol")
    annotations = Path(".glose", "annotations")
    assert annotations / syncing.file_name("bob") in read
    assert (alice.root / annotations / syncing.file_name("carol")).is_file()
    assert annotations / syncing.file_name("carol") not in read
