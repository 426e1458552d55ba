"""Settings files: what they set, how the user's and the store's combine, and a sentence (with
its line) for everything that cannot be used, never an exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import build_parser
from tui.cli.opening import annotator
from tui.settings import Settings, load_settings, read_settings_file, user_settings_path


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(the user's glose config folder, the store) both empty."""
    config, store = tmp_path / "config" / "glose", tmp_path / "store"
    config.mkdir(parents=True)
    store.mkdir()
    return config, store


def write(folder: Path, text: str | bytes) -> Path:
    path = folder / "settings.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_no_files_are_the_defaults(dirs):
    config, store = dirs
    assert load_settings(store, config) == Settings()


def test_every_setting_is_read(dirs):
    config, store = dirs
    write(
        config,
        'annotator = "  alice  b "\ntheme = "nord"\nhighlight_color = "green"\n'
        '[keys]\n"tag.by_name" = "T"\n"reader.next" = "down, j,n"\n',
    )
    found = load_settings(store, config)
    assert found == Settings(
        annotator="alice b",
        theme="nord",
        highlight_color="green",
        keys={"tag.by_name": "T", "reader.next": "down,j,n"},
    )


def test_unquoted_dotted_ids_and_subtables_name_the_same_binding(dirs):
    config, store = dirs
    write(config, '[keys]\ntag.by_name = "T"\n[keys.reader]\nnext = "n"\n')
    assert load_settings(store, config).keys == {"tag.by_name": "T", "reader.next": "n"}


def test_the_store_overrides_the_user_setting_by_setting_and_key_by_key(dirs):
    config, store = dirs
    write(
        config,
        'annotator = "alice"\ntheme = "nord"\n[keys]\n"reader.next" = "n"\n"tag.by_name" = "T"\n',
    )
    write(store, 'annotator = "bob"\n[keys]\n"reader.next" = "l"\n')
    found = load_settings(store, config)
    assert found.annotator == "bob"
    assert found.theme == "nord"
    assert found.keys == {"reader.next": "l", "tag.by_name": "T"}
    assert found.problems == ()


def test_the_user_file_is_found_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("GLOSE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_settings_path() == tmp_path / "glose" / "settings.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/is/ignored")
    assert user_settings_path() == Path.home() / ".config" / "glose" / "settings.toml"
    named = write(tmp_path, 'theme = "nord"\n')
    monkeypatch.setenv("GLOSE_CONFIG", str(named))
    assert user_settings_path() == named
    assert load_settings(tmp_path / "store").theme == "nord"


def test_a_named_file_that_does_not_exist_is_said(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSE_CONFIG", str(tmp_path / "missing.toml"))
    (problem,) = load_settings(tmp_path / "store").problems
    assert "missing.toml does not exist" in problem


def test_not_toml_names_the_file_line_and_column_and_keeps_the_other_file(dirs):
    config, store = dirs
    write(config, 'theme = "nord"\n')
    path = write(store, 'annotator = "bob"\n\nhighlight_color = green\n')
    found = load_settings(store, config)
    assert found.annotator is None, "the broken file is ignored as a whole"
    assert found.theme == "nord", "the other file still counts"
    (problem,) = found.problems
    assert str(path) in problem
    assert "line 3, column 19" in problem
    assert "not valid TOML (invalid value)" in problem


def test_an_error_at_the_end_of_the_file_names_its_last_line(dirs):
    config, store = dirs
    write(store, 'theme = "nord"\nkeys = [\n')
    (problem,) = load_settings(store, config).problems
    assert "line 2 (the end of the file)" in problem


@pytest.mark.parametrize(
    ("text", "said", "line"),
    [
        ('theme = "nord"\ncolour = "green"\n', ['"colour" is not a setting'], 2),
        ("\n\ntheme = 3\n", ["theme must be text in quotes (a number given)"], 3),
        ('annotator = ""\n', ['annotator "": An annotator needs a name'], 1),
        ('annotator = "a\\u0007b"\n', ['annotator "a\u2407b": An annotator\'s name'], 1),
        ('highlight_color = "red"\n', ['highlight_color "red" is not one of yellow, green'], 1),
        ("keys = 3\n", ["keys must be a table", "(a number given)"], 1),
        ('[keys]\n"reader.next" = ["j"]\n', ['"reader.next" must be text', "(a list given)"], 2),
        ('[keys]\n"reader.next" = "j,,k"\n', ['"reader.next" ("j,,k") name an empty key'], 2),
        ('theme = "  "\n', ["theme is empty"], 1),
        ("when = 2024-01-01\n", ['"when" is not a setting'], 1),
        (
            '\nfollow_links_outside = "yes"\n',
            ["follow_links_outside must be true or false (text given)"],
            2,
        ),
    ],
)
def test_each_bad_setting_is_one_sentence_with_its_line(dirs, text, said, line):
    config, store = dirs
    path = write(store, "# glose\n" + text)
    (problem,) = load_settings(store, config).problems
    assert problem.startswith(f"Settings file {path}, line {line + 1}: "), problem
    assert all(part in problem for part in said), problem
    assert problem.endswith("ignored.")


@pytest.mark.parametrize(
    ("user", "store", "problem"),
    [
        ('annotator = "*"\n', 'annotator = "bob"\n', None),
        (
            'annotator = "alice"\n',
            'annotator = "*"\n',
            'store/settings.toml, line 1: annotator "*"',
        ),
        ('annotator = "*"\n', 'theme = "nord"\n', 'glose/settings.toml, line 1: annotator "*"'),
        ('theme = "nord"\nannotator = 3\n', "", "line 2: annotator must be text in quotes"),
        ("annotator = [\n", "", "glose/settings.toml, line 1 (the end of the file): not valid"),
        ('theme = ""\n', 'colour = "green"\n', None),
    ],
)
def test_the_annotator_the_files_mean_is_known_or_said(dirs, user, store, problem):
    config, store_dir = dirs
    write(config, user)
    write(store_dir, store)
    found = load_settings(store_dir, config).annotator_problem
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and not found.endswith("ignored.")


def test_a_bad_setting_leaves_the_others(dirs):
    config, store = dirs
    write(
        store,
        'annotator = 7\ntheme = "nord"\nhighlight_color = "red"\n'
        '[keys]\n"reader.next" = 3\n"tag.by_name" = "T"\n',
    )
    found = load_settings(store, config)
    assert (found.annotator, found.theme, found.highlight_color) == (None, "nord", None)
    assert found.keys == {"tag.by_name": "T"}
    assert [problem.split(": ")[0][-6:] for problem in found.problems] == [
        "line 1",
        "line 3",
        "line 5",
    ]


def test_unreadable_files_are_one_sentence_each(dirs):
    config, store = dirs
    (config / "settings.toml").mkdir()
    write(store, b'theme = "nord"\n\xff\n')
    found = load_settings(store, config)
    assert found == Settings(problems=found.problems, annotator_problem=found.annotator_problem)
    assert len(found.problems) == 2
    assert "settings.toml is a folder, not a file" in found.problems[0]
    assert "is not UTF-8 text (line 2)" in found.problems[1]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_a_file_without_permission_is_said(dirs):
    config, store = dirs
    path = write(store, 'theme = "nord"\n')
    path.chmod(0)
    (problem,) = load_settings(store, config).problems
    assert "cannot be read" in problem


def test_text_from_the_file_is_printable_in_the_sentences(dirs):
    config, store = dirs
    write(store, '"\\u001b[31mred" = 1\n')
    (problem,) = load_settings(store, config).problems
    assert "\x1b" not in problem
    assert "\u241b[31mred" in problem


def test_a_byte_order_mark_is_allowed(dirs):
    config, store = dirs
    write(store, '\ufefftheme = "nord"\n'.encode())
    assert load_settings(store, config).theme == "nord"


def test_arrays_nested_very_deep_are_not_toml_not_a_crash(dirs):
    config, store = dirs
    write(store, "keys = " + "[" * 100_000)
    (problem,) = load_settings(store, config).problems
    assert "not valid TOML" in problem


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_give_settings_never_an_exception(tmp_path, data):
    path = tmp_path / "settings.toml"
    path.write_bytes(data)
    found, problems = read_settings_file(path)
    assert isinstance(found, dict) and all(isinstance(p, str) for p in problems)
    assert isinstance(load_settings(tmp_path, tmp_path / "none"), Settings)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    document=st.dictionaries(
        st.sampled_from(["annotator", "theme", "highlight_color", "keys", "other"]),
        st.one_of(
            st.text(max_size=20),
            st.integers(),
            st.booleans(),
            st.dictionaries(st.text(max_size=10), st.one_of(st.text(max_size=10), st.integers())),
        ),
    )
)
def test_any_toml_document_gives_settings_never_an_exception(tmp_path, document):
    import json

    # TOML's basic strings and inline tables read JSON's escapes and quoting.
    lines = []
    for key, value in document.items():
        if isinstance(value, dict):
            pairs = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
            lines.append(f"{key} = {{ {pairs} }}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    path = tmp_path / "settings.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    found = load_settings(tmp_path, tmp_path / "none")
    assert isinstance(found, Settings)
    assert all(isinstance(keys, str) for keys in found.keys.values())


def test_the_annotator_flag_then_the_variable_then_the_settings(tmp_path, monkeypatch):
    store = tmp_path / "store"
    store.mkdir()
    write(store, 'annotator = "from-settings"\n')
    parser = build_parser()
    assert annotator(parser.parse_args(["--store", str(store)])) == "from-settings"
    monkeypatch.setenv("GLOSE_ANNOTATOR", "from-variable")
    assert annotator(parser.parse_args(["--store", str(store)])) == "from-variable"
    args = parser.parse_args(["--store", str(store), "--annotator", "from-flag"])
    assert annotator(args) == "from-flag"
    monkeypatch.delenv("GLOSE_ANNOTATOR")
    assert annotator(parser.parse_args(["--store", str(tmp_path / "none")])) is None


def test_hostile_key_tables_are_said_in_a_few_sentences_and_never_raise(tmp_path):
    deep = "[keys" + ".a" * 3000 + ']\nb = "x"\n'
    many = "[keys]\n" + "".join(f'"nope.{i}" = 3\n' for i in range(20_000))
    escape = '[keys]\n"reader.next" = "\\u001b]0;PWNED\\u0007"\n'
    for name, text in (("deep", deep), ("many", many), ("escape", escape)):
        store = tmp_path / name
        store.mkdir()
        (store / "settings.toml").write_text(text, encoding="utf-8")
        found = load_settings(store, config_dir=tmp_path / "none")
        assert found.keys == {}, name
        assert 1 <= len(found.problems) <= 21, name
        assert all("\x1b" not in problem for problem in found.problems)


def test_links_out_of_the_corpus_are_followed_only_when_a_file_says_so(dirs):
    config, store = dirs
    assert load_settings(store, config).follow_links_outside is False
    write(config, "follow_links_outside = true\n")
    assert load_settings(store, config).follow_links_outside is True
    write(store, "follow_links_outside = false\n")  # the store's file has the last word
    assert load_settings(store, config).follow_links_outside is False
