"""`glose sync`: a team's annotations and codebook shared through the corpus's git repository.

Each annotator writes only their own files (see `tui.sync.files`). A sync writes them from
the store, commits, fetches, merges (resolving what git cannot, annotation by annotation),
pushes, then brings every file into the store. The commit the files were last brought in
from is saved in the store with what came in, as one action: a sync stopped at any point
is finished by the next one, nothing lost and nothing deleted that was not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.store import Store, StoreError
from tui.store.index import passage_key
from tui.store.model import NoteError, TagNameError, now
from tui.sync import codebook
from tui.sync.files import (
    ANNOTATIONS,
    CODEBOOK,
    KINDS,
    TABLE_KINDS,
    DamagedFile,
    Entry,
    file_name,
    is_tombstone,
    merge_entries,
    read_annotations,
    read_codebook,
    stamp,
    write_annotations,
    write_codebook,
)
from tui.sync.git import Git, SyncError, find_top, run_git
from tui.sync.incoming import (
    Arrived,
    Brought,
    apply_to_store,
    everyones,
    from_entry,
    place,
    placed_keys,
    replayed,
    theirs_in,
    to_entry,
    wanted_records,
)
from tui.text import counted

STATE = "sync"
"""The store's state key of what the last sync brought in."""
MARKER = "glose-sync.json"
"""In the repository's git folder: what a running sync wrote, told apart from a person's edit."""
PUSH_TRIES = 4
RENAMING = ("renamed", "moved", "deleted")
"""The codebook changes that change the tags of records already brought in."""
TEMPORARY = ".glose-tmp"
"""What a shared file is written as before it takes its name."""


@dataclass(frozen=True)
class SyncReport:
    """What a sync brought in. `pushed` is False when the repository has no remote: the
    files were committed there only."""

    finished: datetime
    new_annotations: int
    annotators: tuple[str, ...]
    pushed: bool
    codebook: tuple[str, ...] = ()
    """The changes to the team's codebook that came in, each saying who made it."""

    def sentence(self) -> str:
        new = counted(self.new_annotations, "new annotation")
        coders = counted(len(self.annotators), "coder")
        said = f"Synced: {new} from {coders}."
        return said if self.pushed else f"{said} No remote: committed here only."

    def to_state(self) -> dict[str, Any]:
        return {
            "finished": self.finished.isoformat(),
            "new_annotations": self.new_annotations,
            "annotators": list(self.annotators),
            "pushed": self.pushed,
            "codebook": list(self.codebook),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SyncReport:
        return cls(
            datetime.fromisoformat(state["finished"]),
            int(state["new_annotations"]),
            tuple(state["annotators"]),
            bool(state["pushed"]),
            tuple(state.get("codebook", ())),
        )


def last_sync(store: Store) -> SyncReport | None:
    """The report of the last sync that finished for this store (kept in the store's folder)."""
    state = store.get_state(STATE)
    if not isinstance(state, dict) or not isinstance(state.get("report"), dict):
        return None
    try:
        return SyncReport.from_state(state["report"])
    except (KeyError, TypeError, ValueError):
        return None


def sync(store: Store, corpus_root: Path, repo: Path | None = None) -> SyncReport:
    """start + exchange + read_in + bring_in."""
    running = Sync.start(store, corpus_root, repo)
    running.exchange()
    return running.bring_in(store)


@dataclass
class Sync:
    """One sync: `start` where the store is used, `exchange` anywhere (a worker thread), then
    `bring_in` where the store is used."""

    top: Path
    prefix: str
    """The corpus's folder in the repository ('' at its top): ids become repository paths."""
    annotator: str
    base: str
    mine: dict[str, Entry]
    events: list[Entry]
    tags: codebook.Codebook
    """The store's codebook when the sync started: what the events were found from."""
    applied: tuple[str, ...] = ()
    """The codebook changes the store had had made to it when the sync started."""
    known: dict[str, str] = field(default_factory=dict)
    """The shared files as they were brought in last time, by git object id."""
    pushed: bool = False
    git_dir: Path | None = None
    brought: Brought | None = None
    """What `read_in` found to bring into the store."""
    marker: dict[str, Any] = field(
        default_factory=lambda: {"pid": os.getpid(), "files": {}, "merging": False}
    )

    @classmethod
    def start(cls, store: Store, corpus_root: Path, repo: Path | None = None) -> Sync:
        """Finds and checks the repository (SyncError) and takes a snapshot of this
        annotator's records and codebook choices. Fast; call it where the store is used."""
        if store.readonly:
            raise SyncError("the store is open read-only: sync needs to write to it")
        top = find_top(Path(repo) if repo is not None else Path(corpus_root)).resolve()
        try:
            inside = Path(corpus_root).resolve().relative_to(top)
            prefix = "" if inside == Path() else inside.as_posix()
        except ValueError:
            prefix = ""  # a corpus outside the repository: ids as they are
        state = _state(store)
        base = str(state.get("base", ""))
        mine = {}
        for table, kind in TABLE_KINDS.items():
            for record in store.records(table).values():
                if record.get("annotator") == store.annotator and record.get("uuid"):
                    mine[record["uuid"]] = to_entry(record, kind, prefix)
        before = state.get("codebook", {})
        tags = codebook_of(store)
        events = codebook.changes(before, tags, store.annotator, base, now())
        applied = tuple(str(event) for event in state.get("applied", ()))
        known = state.get("files", {})
        known = known if isinstance(known, dict) else {}
        return cls(top, prefix, store.annotator, base, mine, events, tags, applied, known)

    # Exchange: the files, the commit, the merge, the push

    def exchange(self) -> None:
        """Writes this annotator's files, commits, fetches, merges, pushes, with the `git`
        command. Slow; touches no Store (a reader runs it in a thread worker). SyncError."""
        git = Git(self.top)
        branch, dirty = self._ready(git)
        own = f"{ANNOTATIONS}/{file_name(self.annotator)}"
        log = f"{CODEBOOK}/{file_name(self.annotator)}"
        base_text = git.show(f"{self.base}:{own}") if self.base else None
        base = _annotations(base_text, own)[1] if base_text is not None else {}
        self.events = codebook.merges(self.events, base, self.mine, self.tags, self.base)
        held = _read_text(self.top / own)
        if held is None:
            entries: dict[str, Entry] = {}
        elif held == base_text:  # most often as the last sync committed it: parsed once
            entries = base
        else:
            entries = _annotations(held, own)[1]
        written = {own: self._annotations_file(entries, base), log: self._codebook_file(log)}
        changed = {p: text for p, text in written.items() if _read_text(self.top / p) != text}
        if changed:
            digests = {path: _digest(text) for path, text in written.items()}
            self._mark(git, files={**self.marker["files"], **digests})
            for path, text in changed.items():
                _write(self.top / path, text)
        if changed or dirty:  # dirty: written by a sync stopped before its commit
            git.run("add", "--", *written)
            staged = git.run("diff", "--cached", "--quiet", "--", *written, check=False)
            if not staged.ok:
                message = f"glose sync: {self.annotator}"
                git.run("commit", "--quiet", "-m", message, "--", *written)
        remote = _remote(git, branch)
        if remote is None:
            self.pushed = False
            self._unmark(git)
            return
        theirs = f"refs/remotes/{remote}/{branch}"
        for attempt in range(PUSH_TRIES):
            fetched = git.run("fetch", "--quiet", remote, check=False)
            if not fetched.ok:
                raise SyncError(f"cannot fetch from {remote}: {fetched.said()}")
            heads = git.run("rev-parse", "HEAD", theirs, check=False).out.split()
            if len(heads) == 2 and heads[0] == heads[1]:
                self.pushed = True  # the remote has every commit there is
                self._unmark(git)
                return
            if len(heads) == 2:
                self._merge(git, theirs)
            pushed = git.run("push", "--quiet", remote, f"HEAD:refs/heads/{branch}", check=False)
            if pushed.ok:
                self.pushed = True
                self._unmark(git)
                return
            # Someone pushed meanwhile: their commits are merged, and the push tried again.
            rejected = "(fetch first)" in pushed.err or "(non-fast-forward)" in pushed.err
            if not rejected or attempt == PUSH_TRIES - 1:
                raise SyncError(f"the push to {remote} failed: {pushed.said()}")

    def _ready(self, git: Git) -> tuple[str, bool]:
        """The branch checked out, once the repository is fit to sync (SyncError if not), and
        whether glose's files hold changes a stopped sync wrote."""
        git_dir = self._git_dir(git)
        marker = _read_marker(git_dir)
        if marker is not None and _alive(marker.get("pid")):
            raise SyncError(
                f"another glose sync is running in this repository (process {marker['pid']}): "
                "let it finish, then sync again"
            )
        merging = marker is not None and bool(marker.get("merging"))
        if marker is not None:
            _remove_locks(git_dir)  # left by the git commands of a sync that was killed
            # Its files, still to be committed, stay known as glose's if this one is killed too.
            self.marker["files"] = dict(marker.get("files", {}))
        # Written before any git command that may take a lock: whatever is left is known.
        self._mark(git, merging=merging)
        if (git_dir / "MERGE_HEAD").exists():
            if not merging:
                raise SyncError(
                    "a merge is under way in the repository: finish it (git commit) or give "
                    "it up (git merge --abort), then sync again"
                )
            git.run("merge", "--abort", check=False)
        elif merging:
            # A merge killed while it wrote files (a fast-forward has no MERGE_HEAD): glose's
            # own were committed before it began, so what differs is the merge's, half done.
            git.run("checkout", "HEAD", "--", ".glose", check=False)
            for path in git.run("ls-files", "--others", "-z", "--", ".glose").out.split("\0"):
                if path:
                    (self.top / path).unlink(missing_ok=True)
        self._mark(git, merging=False)
        found = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        if not found.ok:
            raise SyncError(
                "the repository is not on a branch (detached HEAD): check out the team's "
                "branch, then sync again"
            )
        return found.out.strip(), self._check_clean(git, self.marker)

    def _check_clean(self, git: Git, marker: dict[str, Any] | None) -> bool:
        """SyncError if a file of `.glose/` was changed by someone, not by a sync; whether
        a sync changed some."""
        status = git.run(
            "--no-optional-locks",
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            ".glose",
        ).out
        parts = status.split("\0")
        ours = marker.get("files", {}) if marker else {}
        index, dirty = 0, False
        while index < len(parts):
            item = parts[index]
            index += 1
            if len(item) < 4:
                continue
            code, path = item[:2], item[3:]
            if code[0] in "RC":
                index += 1  # the name it had
            name = path.rpartition("/")[2]
            if code == "??" and name.startswith(".") and name.endswith(TEMPORARY):
                (self.top / path).unlink(missing_ok=True)  # a write killed halfway
                continue
            if ours.get(path) == _digest(_read_text(self.top / path)):
                dirty = True  # written by a sync stopped before its commit
                continue
            raise SyncError(
                f"{path} has changes glose did not make: commit them, or undo them with "
                "git checkout -- .glose, then sync again"
            )
        return dirty

    def _git_dir(self, git: Git) -> Path:
        if self.git_dir is None:
            self.git_dir = Path(git.run("rev-parse", "--absolute-git-dir").out.strip())
        return self.git_dir

    def _mark(self, git: Git, **changes: Any) -> None:
        """Say in the git folder what this exchange is doing: its process, the files it
        wrote (by digest), whether it is merging."""
        self.marker.update(changes)
        _write(self._git_dir(git) / MARKER, json.dumps(self.marker))

    def _unmark(self, git: Git) -> None:
        with contextlib.suppress(OSError):
            (self._git_dir(git) / MARKER).unlink(missing_ok=True)

    def _annotations_file(self, held: dict[str, Entry], base: dict[str, Entry]) -> str:
        """This annotator's file: the one in the work tree (`held`) merged with the store's
        records, a tombstone for each record there at the last sync (`base`) that the store
        no longer holds."""
        entries = merge_entries(held, self.mine)
        deleted_at = now()
        for uuid, entry in base.items():
            current = entries.get(uuid)
            if is_tombstone(entry) or uuid in self.mine or current is None:
                continue
            if not is_tombstone(current):
                entries[uuid] = {"deleted": deleted_at, "uuid": uuid}
        return write_annotations(self.annotator, entries)

    def _codebook_file(self, log: str) -> str:
        held = _read_text(self.top / log)
        events = _codebook(held, log)[1] if held is not None else []
        known = {event["id"] for event in events}
        events += [event for event in self.events if event["id"] not in known]
        return write_codebook(self.annotator, events)

    def _merge(self, git: Git, theirs: str) -> None:
        """Merge the team's commits; conflicts in glose's files are resolved annotation by
        annotation. On any failure the merge is given up: never left half done."""
        self._mark(git, merging=True)
        result = git.run("merge", "--quiet", "--no-edit", theirs, check=False)
        if result.ok:
            self._mark(git, merging=False)
            return
        git_dir = self._git_dir(git)
        if not (git_dir / "MERGE_HEAD").exists():
            self._mark(git, merging=False)
            raise SyncError(f"git merge failed: {result.said()}")
        try:
            listed = git.run("diff", "--name-only", "-z", "--diff-filter=U").out
            conflicted = [path for path in listed.split("\0") if path]
            foreign = [path for path in conflicted if not _is_ours(path)]
            if foreign:
                raise SyncError(
                    f"the team's changes conflict with yours in {foreign[0]}, which is not "
                    "glose's: merge them with git (git pull), then sync again"
                )
            for path in conflicted:
                _write(self.top / path, _resolved(git, path))
            git.run("add", "--", *conflicted)
            git.run("commit", "--quiet", "--no-edit")
        except BaseException:
            git.run("merge", "--abort", check=False)
            raise
        finally:
            self._mark(git, merging=False)

    # Bringing in: every file into the store, as one action

    def read_in(self) -> Brought:
        """Reads the files changed since the last sync and makes their records, once the
        exchange is done. Slow for a big team; touches no Store (a reader runs it in a thread
        worker, after `exchange`). SyncError."""
        head = run_git(self.top, ("rev-parse", "--verify", "--quiet", "HEAD"))
        logs = _listed(self.top / CODEBOOK)
        events = [event for path, text in logs for event in _codebook(text, path)[1]]
        book, unapplied = replayed(events, {*self.applied, *(e["id"] for e in self.events)})
        # A tag renamed or deleted changes records already brought in: all read again.
        renamed = any(event["op"] in RENAMING for event, _ in unapplied)
        digests = _blobs(self.top, head.out.strip()) if head.ok else None
        if digests is None:  # no commit to tell the files by: each one read and hashed
            digests = {path: _digest(text) for path, text in _listed(self.top / ANNOTATIONS)}
        names = {self.annotator}
        arrived: list[Arrived] = []
        for path, digest in sorted(digests.items()):
            if not renamed and self.known.get(path) == digest:
                names.add(_annotations(_first_line(self.top / path), path)[0])
                continue  # as it was brought in last time: the store holds it
            text = _read_text(self.top / path)
            if text is None:
                continue
            annotator, entries = _annotations(text, path)
            names.add(annotator)
            if annotator == self.annotator:
                arrived.append(Arrived(annotator, entries, None))
            else:  # their lines are let go as soon as their records are made
                arrived.append(
                    Arrived(annotator, {}, wanted_records(entries, annotator, book, self.prefix))
                )
        self.brought = Brought(
            head.out.strip() if head.ok else "", events, book, unapplied, digests, names, arrived
        )
        return self.brought

    def bring_in(self, store: Store) -> SyncReport:
        """Brings what `read_in` found (read now if it was not) into the store, as one
        action. Call it where the store is used."""
        brought = self.brought if self.brought is not None else self.read_in()
        said: list[str] = []
        new = 0
        # Changes to the codebook made while the exchange ran are the next sync's to send.
        meanwhile = codebook.changes(self.tags, codebook_of(store), self.annotator, "", "")
        try:
            with store.action():
                for event, source in brought.unapplied:
                    with contextlib.suppress(TagNameError, NoteError, StoreError, ValueError):
                        if apply_to_store(store, event, source):
                            said.append(codebook.sentence(event))
                everyone = everyones(store, {arrived.annotator for arrived in brought.arrived})
                for arrived in brought.arrived:
                    held = everyone.get(arrived.annotator, {})
                    if arrived.wanted is None:
                        new += self._mine_in(store, arrived.entries, brought.book, held)
                    else:
                        new += theirs_in(store, arrived.wanted, held)
                report = SyncReport(
                    datetime.now(UTC),
                    new,
                    tuple(sorted(brought.names)),
                    self.pushed,
                    tuple(said),
                )
                store.set_state(
                    STATE,
                    {
                        "base": brought.head,
                        "codebook": codebook.without(codebook_of(store), meanwhile, self.tags),
                        "applied": sorted({event["id"] for event in brought.events}),
                        "files": brought.digests,
                        "report": report.to_state(),
                    },
                )
        except StoreError as error:
            raise SyncError(f"{error} The store was left as it was.") from error
        finally:
            self.brought = None  # brought in, or to be read again by the next try
        return report

    def _mine_in(
        self,
        store: Store,
        entries: dict[str, Entry],
        book: codebook.TeamCodebook,
        held: dict[str, tuple[str, str, dict[str, Any]]],
    ) -> int:
        """This annotator's records from another machine: each one the store lacks or holds
        older, and its deletions. A record deleted here while this sync ran stays deleted."""
        keys = placed_keys(store, self.annotator)
        changed = 0
        for uuid, entry in sorted(entries.items()):
            have = held.get(uuid)
            if is_tombstone(entry):
                if have is not None and stamp(entry) >= have[2].get("updated", ""):
                    store.put_record(have[0], have[1], None)
                    if have[0] == "passages":
                        keys.pop(passage_key(have[2]), None)
                continue
            if have is None and uuid in self.mine:
                continue  # deleted here since this sync started: the next one says so
            if have is not None and stamp(entry) <= have[2].get("updated", ""):
                continue
            record = from_entry(entry, self.annotator, self.prefix, book)
            if record is None:
                continue
            place(store, KINDS[entry["kind"]], record, have, keys)
            changed += 1
        return changed


def codebook_of(store: Store) -> codebook.Codebook:
    """The store's tags as a sync compares them: names, creation times, descriptions."""
    return {
        tag.name: {"created": tag.created, "description": tag.description} for tag in store.tags()
    }


def _state(store: Store) -> dict[str, Any]:
    state = store.get_state(STATE)
    return state if isinstance(state, dict) else {}


def _is_ours(path: str) -> bool:
    folder, _, name = path.rpartition("/")
    return folder in (ANNOTATIONS, CODEBOOK) and name.endswith(".jsonl")


def _resolved(git: Git, path: str) -> str:
    """A conflicted file of glose's, merged from both sides of the merge."""
    ours, theirs = git.show(f":2:{path}"), git.show(f":3:{path}")
    sides = [text for text in (ours, theirs) if text is not None]
    if path.startswith(ANNOTATIONS):
        read = [_annotations(text, path) for text in sides]
        return write_annotations(read[0][0], merge_entries(*(entries for _, entries in read)))
    logs = [_codebook(text, path) for text in sides]
    return write_codebook(logs[0][0], [event for _, events in logs for event in events])


def _annotations(text: str, where: str) -> tuple[str, dict[str, Entry]]:
    try:
        return read_annotations(text, where)
    except DamagedFile as error:
        raise SyncError(f"{error}: fix or remove it with git, then sync again") from error


def _codebook(text: str, where: str) -> tuple[str, list[Entry]]:
    try:
        return read_codebook(text, where)
    except DamagedFile as error:
        raise SyncError(f"{error}: fix or remove it with git, then sync again") from error


def _listed(folder: Path) -> list[tuple[str, str]]:
    """(repository path, text) of each shared file in `folder`, by name."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".jsonl"))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise SyncError(f"cannot read {folder}: {error.strerror or error}") from error
    found = []
    for name in names:
        text = _read_text(folder / name)
        if text is not None:
            found.append((f"{folder.parent.name}/{folder.name}/{name}", text))
    return found


def _blobs(top: Path, commit: str) -> dict[str, str] | None:
    """The annotations files of `commit` by repository path, each with its git object id:
    the work tree holds them as committed once the exchange is done, and a file whose id
    has not changed need not be read (None: git could not list them)."""
    listed = run_git(top, ("ls-tree", "-r", "-z", "--full-tree", commit, "--", ANNOTATIONS))
    if not listed.ok:
        return None
    blobs = {}
    for line in listed.out.split("\0"):
        about, _, path = line.partition("\t")
        parts = about.split()
        if len(parts) == 3 and parts[1] == "blob" and _is_ours(path):
            blobs[path] = parts[2]
    return blobs


def _first_line(path: Path) -> str:
    """The header of a shared file, read alone."""
    try:
        with open(path, encoding="utf-8") as held:
            return held.readline()
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, error) from error


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _unreadable(path, error) from error


def _unreadable(path: Path, error: OSError | UnicodeDecodeError) -> SyncError:
    return SyncError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}")


def _write(path: Path, text: str) -> None:
    """Write a file whole: a sync killed meanwhile leaves the old one or the new one."""
    temporary = path.with_name(f".{path.name}{TEMPORARY}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as error:
        raise SyncError(f"cannot write {path}: {error.strerror or error}") from error


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def _read_marker(git_dir: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads((git_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _remove_locks(git_dir: Path) -> None:
    """Remove the lock files the git commands of a killed sync left: git refuses to work
    while they are there."""
    for folder, folders, names in os.walk(git_dir):
        if Path(folder) == git_dir:
            folders[:] = [name for name in folders if name not in ("objects", "lfs", "modules")]
        for name in names:
            if name.endswith(".lock"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))


def _alive(pid: object) -> bool:
    """Whether the sync that wrote a marker may still be running."""
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remote(git: Git, branch: str) -> str | None:
    """The remote the branch follows, else `origin` or the only one (None: no remote)."""
    configured = git.run("config", "--get", f"branch.{branch}.remote", check=False)
    if configured.ok and configured.out.strip() and configured.out.strip() != ".":
        return configured.out.strip()
    remotes = git.run("remote").out.split()
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None
