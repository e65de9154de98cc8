"""natodata view: the articles with their coded spans, as a static site."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.tools.view import build_site
from natodata.tools.view.layers import MENTION, PALETTE, UNCOVERED, tilde
from natodata.tools.view.spans import ROW, UNCOVERED as UNACCOUNTED, Span, render

from tests.helpers import ROOT
from tests.helpers.browser import WINDOW, chromium, needs_browser, tab_to
from tests.helpers.synthetic import SOURCE, screenshot, write_package

runner = CliRunner()

TINY = 'Tiny <script>alert("x")</script> & co\n"We train 40 <b>officers</b>," said Ann Lee.\n'
TINY_ROWS = {
    "sources": [
        {
            "id": "t-1",
            "headline": "Tiny <i>news</i>",
            "published": "2020",
            "published_precision": "year",
            "published_basis": "inferred",
            "language": "en",
            "corpus_file": "t-1.txt",
        }
    ],
    "actors": [{"id": "ann-lee", "name": "Ann Lee", "kind": "person", "description": "A made-up trainer."}],
    "actor_aliases": [{"actor_id": "ann-lee", "alias": "Ann Lee", "source_id": "t-1"}],
    "quotes": [
        {
            "id": "q-1",
            "statement_id": "st-1",
            "source_id": "t-1",
            "speaker_id": "ann-lee",
            "form": "full",
            "text": "We train 40 <b>officers</b>,",
        }
    ],
    "figures": [
        {
            "id": "f-1",
            "claim_id": "c-1",
            "source_id": "t-1",
            "wording": "40",
            "value_low": "40",
            "value_best": "40",
            "value_high": "40",
            "qualifier": "exact",
            "unit": "person",
            "counted": "Officers trained",
            "owner_id": "ann-lee",
            "as_of": "2020",
        }
    ],
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    pkg, corpus = write_package(d, {"t-1.txt": TINY}, TINY_ROWS)
    build_site(pkg, corpus, d / "site")
    return d


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    d = tmp_path_factory.mktemp("synthetic")
    pkg, corpus = write_package(d)
    build_site(pkg, corpus, d / "site")
    return d


def between(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i : html.index(end, i) + len(end)]


def test_the_article_is_escaped_and_its_spans_nested_exactly(tiny):
    page = (tiny / "site" / "t-1.html").read_text(encoding="utf-8")
    assert between(page, "<pre", "</pre>") == (
        '<pre class="text" id="text">\n'
        'Tiny &lt;script&gt;alert(<mark class="uncovered h0" data-row="f6" id="s7" tabindex="0" role="button" aria-describedby="f6">'
        '<span class="tag" aria-hidden="true">!</span>&#34;x&#34;</mark>)&lt;/script&gt; &amp; co\n'
        '&#34;<mark class="span t1 h1" data-row="r1" id="s2" tabindex="0" role="button" aria-describedby="r1">'
        '<span class="tag" aria-hidden="true">quo</span>We train '
        '<mark class="span t2 h0" data-row="r3" id="s4" tabindex="0" role="button" aria-describedby="r3">'
        '<span class="tag" aria-hidden="true">fig</span>40</mark> &lt;b&gt;officers&lt;/b&gt;,</mark>'
        '&#34; said <span class="mention m5 h0" data-row="r5">Ann Lee</span>.\n'
        "</pre>"
    )
    # the quotation no row accounts for is the finding at the top, linked to its mark
    assert between(page, '<ul class="findings">', "</ul>") == (
        '<ul class="findings">\n'
        '<li id="f6" class="finding error"><span class="sev">error</span> <code>uncoded-quotation</code> '
        '<span class="where">data/sources.csv:2 [corpus_file]</span>: <a href="#s7">quotation &#39;&#34;x&#34;&#39; at t-1 '
        "line 1, offset 19..22 is not coded: add a quotes row, or an uncoded row with its reason (scare quotes, "
        "docs/CODING.md 6.1), or mark its span as furniture</a></li>\n"
        "</ul>"
    )
    assert between(page, '<div class="row" id="r5">', "</div>") == (
        '<div class="row" id="r5">\n'
        '<p class="row-head"><span class="tag t5">ali</span> Actor aliases: <b>ann-lee, Ann Lee, t-1</b></p>\n'
        '<dl class="fields">\n'
        '<dt>actor_id</dt><dd>ann-lee <span class="label">(Ann Lee)</span></dd>\n'
        "<dt>alias</dt><dd>Ann Lee</dd>\n"
        '<dt>source_id</dt><dd>t-1 <span class="label">(Tiny &lt;i&gt;news&lt;/i&gt;)</span></dd>\n'
        "</dl>\n"
        "</div>"
    )
    assert "<script>" not in page.replace('<script src="view.js"></script>', "")
    assert "<i>news" not in page and "<b>officers" not in page


def test_the_index_lists_each_article_with_its_coverage_and_findings(tiny):
    index = (tiny / "site" / "index.html").read_text(encoding="utf-8")
    row = between(index, "<tbody>", "</tbody>")
    assert row == (
        "<tbody>\n"
        '<tr><th scope="row"><a href="t-1.html">Tiny &lt;i&gt;news&lt;/i&gt;</a> <span class="how">t-1</span></th>'
        '<td class="nowrap">2020</td>\n'
        '<td class="nowrap"><a href="t-1.html#findings-h">1 error, 0 warnings</a></td>\n'
        + "".join(f'<td class="num">{v}</td>' for v in (1, 0, 1, 1, 1, 1, 0, 0, 2, 1, 1, "66.7"))
        + "</tr>\n"
        "</tbody>"
    )
    assert '<a href="t-1.html#f6">quotation' in index
    assert sorted(p.name for p in (tiny / "site").iterdir()) == ["index.html", "t-1.html", "view.css", "view.js"]


def test_a_span_that_crosses_another_is_split_and_only_its_first_fragment_takes_the_focus():
    spans = [Span(0, 6, ROW, "r1", "t0", "a", "s1"), Span(3, 9, ROW, "r2", "t1", "b", "s2", order=1)]
    assert render("abc<ef>hij", spans) == (
        '<mark class="span t0 h1" data-row="r1" id="s1" tabindex="0" role="button" aria-describedby="r1">'
        '<span class="tag" aria-hidden="true">a</span>abc'
        '<mark class="span t1 h0" data-row="r2" id="s2" tabindex="0" role="button" aria-describedby="r2">'
        '<span class="tag" aria-hidden="true">b</span>&lt;ef</mark></mark>'
        '<mark class="span t1 h0 cont" data-row="r2">&gt;hi</mark>j'
    )


def test_identical_and_out_of_range_spans():
    spans = [
        Span(0, 2, ROW, "r1", "t0", "a", "s1"),
        Span(0, 2, UNACCOUNTED, "f1", tag="!", id="s2", order=1),
        Span(1, 99, ROW, "r3", "t0", "a", "s3"),
        Span(2, 2, ROW, "r4", "t0", "a", "s4"),
    ]
    assert render("xy", spans) == (
        '<mark class="span t0 h1" data-row="r1" id="s1" tabindex="0" role="button" aria-describedby="r1">'
        '<span class="tag" aria-hidden="true">a</span>'
        '<mark class="uncovered h0" data-row="f1" id="s2" tabindex="0" role="button" aria-describedby="f1">'
        '<span class="tag" aria-hidden="true">!</span>xy</mark></mark>'
    )


def test_deep_nesting_is_drawn_without_recursion_and_capped():
    n = 1500  # deeper than Python's recursion limit
    html = render("x" * (2 * n), [Span(i, 2 * n - i, ROW, f"r{i}", "t0", "", f"s{i}", order=i) for i in range(n)])
    assert html.count("<mark") == html.count("</mark>") == n
    assert html.startswith('<mark class="span t0 h6"') and 'class="span t0 h0"' in html


def test_findings_link_to_their_rows_and_the_package_keeps_its_own(tmp_path):
    rows = dict(
        TINY_ROWS,
        actors=TINY_ROWS["actors"]
        + [{"id": "nobody", "name": "Nobody", "kind": "person", "description": "Not in any article."}],
    )
    pkg, corpus = write_package(tmp_path, {"t-1.txt": TINY}, rows)
    quotes = pkg / "data" / "quotes.csv"
    table = list(csv.reader(io.StringIO(quotes.read_text(encoding="utf-8"))))
    table[1][table[0].index("prefix")] = "X"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    quotes.write_text(buf.getvalue(), encoding="utf-8")
    build_site(pkg, corpus, tmp_path / "site")
    page = (tmp_path / "site" / "t-1.html").read_text(encoding="utf-8")
    span = re.search(r'<mark class="span t1[^"]*" data-row="(r\d+)" id="(s\d+)"', page)
    finding = re.search(r'<li id="f\d+" class="finding error">.*?anchor-prefix-mismatch.*?<a href="#(s\d+)">', page)
    assert finding.group(1) == span.group(2)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    on_package = index[index.index("<h3>On the package</h3>") :]
    assert "unused-actor" in on_package and "data/actors.csv:3 [id]" in on_package


def test_a_hostile_source_id_gets_a_safe_page_name(tmp_path):
    rows = {"sources": [dict(TINY_ROWS["sources"][0], id="../../escape")], "actors": TINY_ROWS["actors"]}
    pkg, corpus = write_package(tmp_path, {"t-1.txt": TINY}, rows, anchor=False)
    written = build_site(pkg, corpus, tmp_path / "site")
    assert sorted(p.name for p in written) == ["index.html", "source-1.html", "view.css", "view.js"]
    assert all(p.parent == tmp_path / "site" for p in written)


def test_an_article_that_is_not_the_one_recorded_is_not_drawn(tiny, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "t-1.txt").write_text(TINY.replace("40", "41"), encoding="utf-8")
    build_site(tiny / "pkg", corpus, tmp_path / "site")
    page = (tmp_path / "site" / "t-1.html").read_text(encoding="utf-8")
    assert '<p class="missing" id="text">The article cannot be shown: see the findings above.</p>' in page
    assert "<code>corpus-hash-mismatch</code>" in page and "<pre" not in page
    assert page.count('<div class="row" id=') == 3  # its rows are still listed


def test_another_package_with_the_same_properties_gets_the_same_view(tmp_path):
    """Nothing is keyed to natodata's table names: quotes renamed to sayings are drawn the
    same, labelled by the new name; the index counts what stats --corpus counts, which
    follows the x- properties, not the tables' names."""
    pkg, corpus = write_package(tmp_path, {"t-1.txt": TINY}, TINY_ROWS)
    for name in ("datapackage.json", "schemas/actors.json"):
        path = pkg / name
        text = path.read_text(encoding="utf-8").replace('"name": "quotes"', '"name": "sayings"')
        path.write_text(
            text.replace('"resource": "quotes"', '"resource": "sayings"').replace('"Quotes"', '"Sayings"'),
            encoding="utf-8",
        )
    build_site(pkg, corpus, tmp_path / "site")
    page = (tmp_path / "site" / "t-1.html").read_text(encoding="utf-8")
    assert (
        '<mark class="span t1 h1" data-row="r1" id="s2" tabindex="0" role="button" aria-describedby="r1">'
        '<span class="tag" aria-hidden="true">say</span>We train '
    ) in page
    assert '<p class="row-head"><span class="tag t1">say</span> Sayings: <b>q-1</b></p>' in page
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert (
        "".join(
            f'<th scope="col">{t}</th>'
            for t in ("actors", "events", "sayings", "statements", "figures", "claims", "furniture", "uncoded")
        )
        in index
    )
    assert "".join(f'<td class="num">{n}</td>' for n in (1, 0, 1, 1, 1, 1, 0, 0)) in index


def test_served_pages_link_each_span_to_its_row_in_datasette(tiny, tmp_path):
    build_site(tiny / "pkg", tiny / "corpus", tmp_path / "site", datasette="../natodata")
    page = (tmp_path / "site" / "t-1.html").read_text(encoding="utf-8")
    assert 'data-href="../natodata/quotes/q-1" id="s2" tabindex="0" role="link"' in page
    assert '<a href="../natodata/actor_aliases/ann-lee,Ann+Lee,t-1">open in Datasette</a>' in page
    assert "open the row in Datasette" in page
    assert '<a class="db" href="../natodata">the tables in Datasette</a>' in page
    assert tilde("a.b/c~d é") == "a~2Eb~2Fc~7Ed+~C3~A9"


def relative_luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("style", [*PALETTE, UNCOVERED])
def test_colours_meet_wcag_aa(style):
    assert contrast("#ffffff", style.colour) >= 4.5  # the labels' white text
    assert contrast("#1a1a1a", style.tint) >= 4.5  # the article's text on the span
    assert contrast(style.colour, style.tint) >= 3  # the underline, a graphical object
    assert contrast(MENTION.colour, "#ffffff") >= 3


def test_cli_writes_the_site_and_reports_it(tiny, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["view", str(tiny / "pkg"), "--corpus", str(tiny / "corpus"), "-o", str(out)])
    assert (result.exit_code, result.output) == (0, f"wrote {out / 'index.html'} and 1 article page\n")
    css = (out / "view.css").read_text(encoding="utf-8")
    assert all(f"--c: {s.colour};" in css for s in PALETTE)
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["view", str(tiny / "pkg"), "--corpus", str(missing), "-o", str(out)])
    assert (result.exit_code, result.output) == (2, f"Error: corpus directory not found: {missing}\n")


def test_the_default_output_directory_is_ignored_by_git():
    assert "/site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("version", [None, "1.1.0"])
def test_the_shipped_package_or_a_release_over_its_corpus(tmp_path, version):
    """Over a synthetic corpus laid out from its own excerpts (tests.helpers.corpus), with
    a copy of the package or release recording its articles' sha256."""
    from tests.helpers.corpus import write

    syn = write(tmp_path / "synthetic", ROOT if version is None else ROOT / "releases" / version)
    out = tmp_path / "site"
    result = runner.invoke(app, ["view", str(syn.package), "--corpus", str(syn.corpus), "-o", str(out)])
    assert (result.exit_code, result.output) == (0, f"wrote {out / 'index.html'} and 5 article pages\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        *(f"src-00{i}.html" for i in range(5)),
        "view.css",
        "view.js",
    ]
    page = (out / "src-003.html").read_text(encoding="utf-8")
    assert (
        page.count('<mark class="span t') > 20
        and '<span class="mention' in page
        and '<mark class="uncovered' not in page
    )


@pytest.mark.slow
def test_a_release_that_does_not_say_which_file_is_which_article_is_refused(corpus, tmp_path):
    result = runner.invoke(
        app, ["view", str(ROOT), "--release", "1.0.0", "--corpus", str(corpus), "-o", str(tmp_path / "site")]
    )
    assert (result.exit_code, result.output) == (
        1,
        "Error: nothing to view: the package has no readable table listing "
        "its articles (x-corpus); run natodata validate for details\n",
    )
    assert not (tmp_path / "site").exists()


@pytest.mark.slow
@needs_browser
def test_in_a_browser_focusing_a_quote_shows_its_row(synthetic):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with chromium() as browser:
        browser.get((synthetic / "site" / f"{SOURCE}.html").as_uri())
        tip = browser.find_element(By.ID, "tip")
        assert not tip.is_displayed()
        quote = tab_to(browser, "mark.span.t1")
        assert quote.text.startswith("quo")
        assert tip.is_displayed()
        shown = tip.text
        assert "Quotes: q-s01-stoltenberg-what-is-needed" in shown and "jens-stoltenberg (Jens Stoltenberg)" in shown
        assert "Ministers agree to send more trainers" in shown and "NATO (decision-maker)" in shown
        quote.send_keys(Keys.ENTER)  # pinned in the panel
        assert "q-s01-stoltenberg-what-is-needed" in browser.find_element(By.ID, "pinned").text
        quote.send_keys(Keys.ESCAPE)
        assert not tip.is_displayed()
        figure = browser.find_element(By.CSS_SELECTOR, "mark.span.t2")  # the pointer too shows the row
        ActionChains(browser).move_to_element(figure).perform()
        assert tip.is_displayed() and "Figures: f-s01-extra-trainers" in tip.text
        link = browser.find_element(By.CSS_SELECTOR, ".findings a")
        ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h1")).perform()  # the row goes
        assert not tip.is_displayed()
        link.click()  # a finding leads to its mark
        active = browser.switch_to.active_element
        assert active.get_attribute("class").startswith("uncovered") and active.text == "!two"
        assert "uncoded-number" in tip.text


@pytest.mark.slow
@needs_browser
def test_the_screenshot_has_the_readmes_size_and_every_tables_colour(synthetic, tmp_path):
    from PIL import Image

    png = tmp_path / "view.png"
    screenshot(synthetic / "site" / f"{SOURCE}.html", png)
    image = Image.open(png).convert("RGB")
    assert image.size == WINDOW == Image.open(ROOT / "docs" / "view.png").size
    counts = {colour: n for n, colour in image.getcolors(maxcolors=1 << 20)}
    for style in [*PALETTE[:5], UNCOVERED]:  # the five tables with spans, and what no row accounts for
        rgb = tuple(int(style.colour[i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) >= 50, style


@pytest.mark.slow
def test_serve_with_a_corpus_serves_the_view_and_its_links_reach_the_rows(tiny, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    import socket

    pytest.importorskip("datasette")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    natodata = Path(sys.executable).parent / "natodata"
    proc = subprocess.Popen(
        [
            str(natodata),
            "serve",
            str(tiny / "pkg"),
            "--corpus",
            str(tiny / "corpus"),
            "--port",
            str(port),
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                page = urllib.request.urlopen(url + "/view/t-1.html", timeout=1).read().decode()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.1)
        else:
            pytest.fail("natodata serve --corpus did not answer within 30 s")
        hrefs = re.findall(r'data-href="\.\./([^"]+)"', page)
        assert hrefs and "natodata/quotes/q-1" in hrefs
        for href in hrefs:
            assert urllib.request.urlopen(f"{url}/{href}", timeout=5).status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()


@pytest.mark.slow
def test_the_wheel_ships_the_stylesheet_script_and_templates(tmp_path):
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    view = Path(__file__).resolve().parents[2] / "src" / "natodata" / "tools" / "view"
    shipped = sorted(
        str(p.relative_to(view.parents[2])) for p in view.rglob("*") if p.suffix in (".css", ".js", ".html")
    )
    assert len(shipped) == 6 and all(name in names for name in shipped)
