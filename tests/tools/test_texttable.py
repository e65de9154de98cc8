"""The text tables of stats, agree and claims."""

from natodata.tools.texttable import text_table


def test_columns_are_two_spaces_apart_as_wide_as_their_widest_cell():
    assert text_table(["source", "quotes"], [["src-000", "12"], ["total", "7"]], right=[1]) == [
        "source   quotes",
        "src-000      12",
        "total         7",
    ]


def test_left_aligned_by_default_and_no_line_ends_in_a_blank():
    assert text_table(["a", "bb"], [["ccc", ""], ["d", "e"]]) == ["a    bb", "ccc", "d    e"]


def test_a_cell_is_one_line_and_keeps_its_blanks():
    assert text_table([" ", "x"], [["", " a\nb"], ["*", "c"]]) == ["   x", "    a\\nb", "*  c"]


def test_a_numeric_looking_cell_stays_as_written():
    assert text_table(["n"], [["0.500"], ["1e3"], ["007"]], right=[0]) == ["    n", "0.500", "  1e3", "  007"]
