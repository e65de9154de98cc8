"""natodata claims: each claim with its reports, and whether they disagree."""

import json

from typer.testing import CliRunner

from natodata.cli import app

from tests.helpers import ROOT

runner = CliRunner()

MISSION = """\
nato-mission-iraq-size-2020-02: 4 reports from 4 sources; they disagree
     source_id  wording                   value_low  value_best  value_high  owner_id
     src-001    about 500                       450         500         550  nato
  *  src-002    approximately 500-strong        450         500         550  global-coalition
     src-003    500-strong                      450         500         550  nato
  *  src-004    several hundred                 300         500         900  nato
"""


def test_the_shipped_package_shows_the_disagreement_on_the_size_of_the_mission():
    result = runner.invoke(app, ["claims", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert MISSION in result.output
    assert result.output.endswith(
        "2 claims with disagreeing reports (* differs from the claim's first report in a value or the owner)\n"
    )


def only_figures(pkg, ids):
    rows = pkg.rows("figures")
    pkg.write_rows("figures", [rows[0]] + [r for r in rows[1:] if r[0] in ids])


MISSION_IDS = {"f-001-mission-size", "f-002-training-force-size", "f-003-mission-size", "f-004-mission-size"}


def test_text_output_exactly(pkg):
    only_figures(pkg, MISSION_IDS | {"f-001-more-bases"})
    result = runner.invoke(app, ["claims", str(pkg.root)])
    assert (result.exit_code, result.output) == (
        0,
        """\
nato-iraq-more-bases-2020-02: 1 report from 1 source; one report
     source_id  wording  value_low  value_best  value_high  owner_id
     src-001    three            3           3           3

"""
        + MISSION
        + """
5 reports of 2 claims; 1 claim with disagreeing reports (* differs from the claim's first report in a value or the owner)
""",
    )


def test_agreeing_reports_and_a_changed_value(pkg):
    only_figures(pkg, {"f-001-mission-size", "f-003-mission-size"})
    assert "2 reports from 2 sources; they agree\n" in runner.invoke(app, ["claims", str(pkg.root)]).output
    pkg.set("figures", 3, "value_high", "600")  # f-003-mission-size
    out = runner.invoke(app, ["claims", str(pkg.root)]).output
    assert "2 reports from 2 sources; they disagree\n" in out and "  *  src-003    500-strong" in out


def test_json_and_csv_exactly(pkg):
    only_figures(pkg, {"f-001-mission-size", "f-002-training-force-size"})
    result = runner.invoke(app, ["claims", str(pkg.root), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "table": "figures",
        "claims": [
            {
                "claim_id": "nato-mission-iraq-size-2020-02",
                "disagree": True,
                "reports": [
                    {
                        "id": "f-001-mission-size",
                        "source_id": "src-001",
                        "wording": "about 500",
                        "value_low": 450,
                        "value_best": 500,
                        "value_high": 550,
                        "owner_id": "nato",
                        "differs": False,
                    },
                    {
                        "id": "f-002-training-force-size",
                        "source_id": "src-002",
                        "wording": "approximately 500-strong",
                        "value_low": 450,
                        "value_best": 500,
                        "value_high": 550,
                        "owner_id": "global-coalition",
                        "differs": True,
                    },
                ],
            }
        ],
    }
    result = runner.invoke(app, ["claims", str(pkg.root), "-f", "csv"])
    assert (result.exit_code, result.stdout) == (
        0,
        """\
claim_id,disagree,id,source_id,wording,value_low,value_best,value_high,owner_id,differs
nato-mission-iraq-size-2020-02,true,f-001-mission-size,src-001,about 500,450,500,550,nato,false
nato-mission-iraq-size-2020-02,true,f-002-training-force-size,src-002,approximately 500-strong,450,500,550,global-coalition,true
""",
    )


def test_a_package_with_errors_or_without_the_rule_is_refused(pkg):
    result = runner.invoke(app, ["claims", str(ROOT), "--release", "1.0.0"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: cannot list claims: no table declares the claim-disagreement rule (x-checks)\n",
    )
    pkg.set("figures", 2, "value_low", "abc")
    result = runner.invoke(app, ["claims", str(pkg.root)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: cannot list claims: the package has 1 errors; run natodata validate\n",
    )
