"""A script runs what the command line runs: the public API of `import l10n`."""

from __future__ import annotations

import subprocess
import sys

import l10n

from conftest import REPO, start_project


def test_a_script_builds_the_project_as_l10n_build_does(project, engine_home):
    start_project(project, "# Border trade\n\nTrade grew in 2021.[^1]\n\n[^1]: Khan.\n")
    p = l10n.Project.open(project)
    report = l10n.build(p, formats=["md"])
    assert [e.doc_id for e in report.extracted] == ["brief"]
    assert {r.lang for r in report.drafted.languages} == {"ps", "fa_AF", "ur"}
    assert report.drafted.missing  # no model installed here: reported, not an error
    assert sorted(e.lang for e in report.published.editions) == ["fa_AF", "ps", "ur"]
    assert (project / "dist" / "ur" / "brief.md").read_text("utf-8").startswith("# Border trade")


def test_every_public_name_is_there_and_is_no_module():
    assert set(l10n.__all__) == {*l10n._API, "__version__"}
    for name in l10n.__all__:
        value = getattr(l10n, name)
        assert not isinstance(value, type(l10n)), name
    assert l10n.draft.__module__ == "l10n.drafting"
    assert l10n.publish.__module__ == "l10n.pipeline"


def test_importing_one_module_does_not_load_the_whole_tool():
    code = "import sys, l10n.errors; print('l10n.pipeline' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.strip() == "False", done.stderr
