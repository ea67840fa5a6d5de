"""Sources files: loading with clear errors, discovery per kind, the flow's and the CLI's options."""

import pytest

from tasks.fetch import HttpSettings, LocalFetcher
from tasks.sources import SourcesFileError, cron_problem, discover_spec, discover_specs, load_sources_file, read_sources_file
from tests.conftest import ROOT, SAMPLES

EXAMPLE = ROOT / "sources.example.toml"


def write(tmp_path, text, name="sources.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_loads_with_every_kind():
    loaded = read_sources_file(EXAMPLE)
    kinds = {s.name: s.kind for s in loaded.sources}
    assert kinds == {"rferl": "feed", "reuters-news-sitemap": "sitemap", "apnews-home": "site", "picked": "urls", "seed": "folder", "archive": "warc"}
    rferl = loaded.sources[0]
    assert (rferl.outlet, rferl.language, rferl.limit, rferl.schedule) == ("Radio Free Europe/Radio Liberty", "en", 100, "*/30 * * * *")
    assert loaded.fetch == {"user_agent": "wiredesk/0.2 (+mailto:newsroom-data@example.org)", "per_host": 2, "delay_seconds": 1.0}
    # Paths are relative to the sources file, not to where wiredesk runs.
    assert loaded.sources[-1].location == str((SAMPLES / "news.warc.gz").resolve())


def test_requests_carry_the_source_name_and_its_hints(tmp_path):
    (tmp_path / "urls.txt").write_text("# picked by hand\nhttps://example.org/a\n\nhttps://example.org/b\nnot a url\nhttps://example.org/c\n")
    path = write(tmp_path, '[[source]]\nname = "list"\nurl_file = "urls.txt"\noutlet = "Example"\nlanguage = "de"\nlimit = 3\n')
    [spec] = load_sources_file(path)
    requests = discover_spec(spec)
    assert [(r.kind, r.url) for r in requests] == [("url", "https://example.org/a"), ("url", "https://example.org/b"), ("invalid", "not a url")]
    assert {(r.source, r.hint_outlet, r.hint_language) for r in requests} == {("list", "Example", "de")}
    assert requests[2].error_class == "invalid_url"


def test_local_sources_are_renamed_and_readable():
    specs = [s for s in load_sources_file(EXAMPLE) if s.name in ("seed", "archive")]
    requests = discover_specs(specs)
    assert {r.source for r in requests} == {"seed", "archive"}
    pages = LocalFetcher().fetch(requests, "run")
    assert all(p.fetch.source in ("seed", "archive") for p in pages)
    assert sum(p.fetch.ok for p in pages) >= 7


def test_feed_limit_travels_with_the_request():
    [rferl] = [s for s in load_sources_file(EXAMPLE) if s.name == "rferl"]
    [request] = discover_spec(rferl)
    assert (request.kind, request.limit, request.source) == ("feed", 100, "rferl")


def test_missing_folder_is_a_recorded_failure(tmp_path):
    [spec] = load_sources_file(write(tmp_path, '[[source]]\nname = "gone"\nfolder = "nowhere"\n'))
    [request] = discover_spec(spec)
    assert (request.kind, request.error_class, request.source) == ("invalid", "not_found", "gone")


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[source]]\nname = "a"\nfeeds = "https://x.org/rss"\n', "source 'a': unknown key 'feeds'"),
        ('[[source]]\nname = "a"\n', "source 'a': needs exactly one of feed, sitemap"),
        ('[[source]]\nname = "a"\nfeed = "https://x.org/rss"\nurl = "https://x.org/"\n', "(found feed, url)"),
        ('[[source]]\nfeed = "https://x.org/rss"\n', "source #1: 'name' is required"),
        ('[[source]]\nname = "a"\nfeed = "ftp://x.org/rss"\n', "source 'a': 'feed': 'ftp://x.org/rss' is not an http(s) URL"),
        ('[[source]]\nname = "a"\nurl = "https://x.org/1"\n[[source]]\nname = "a"\nurl = "https://x.org/2"\n', "source 'a': name used twice"),
        ('[[source]]\nname = "a"\nurl = "https://x.org/1"\nlimit = 0\n', "source 'a': 'limit' must be a whole number >= 1"),
        ('[[source]]\nname = "a"\nurl = "https://x.org/1"\nschedule = "every hour"\n', "source 'a': 'schedule' 'every hour' is not a cron expression"),
        ('[[source]]\nname = "a"\nurl = "https://x.org/1"\nlanguage = "English"\n', "'language' must be an ISO 639 code"),
        ('[[source]]\nname = "a"\nurls = []\n', "'urls' must be a non-empty list"),
        ('[fetch]\nper_host = "two"\n[[source]]\nname = "a"\nurl = "https://x.org/1"\n', "[fetch]: per_host must be an integer"),
        ('[fetch]\nuseragent = "x"\n[[source]]\nname = "a"\nurl = "https://x.org/1"\n', "[fetch]: unknown key 'useragent'"),
        ('[sources]\nname = "a"\n', "unknown top-level key 'sources'"),
        ("[fetch]\n", "no [[source]] entries"),
        ('[[source]\nname = "a"\n', "not valid TOML"),
    ],
)
def test_errors_name_the_file_the_source_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourcesFileError) as caught:
        load_sources_file(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_only_selects_and_unknown_names_are_refused():
    loaded = read_sources_file(EXAMPLE)
    assert [s.name for s in loaded.select(["archive", "seed"])] == ["seed", "archive"]
    assert len(loaded.select(None)) == 6
    with pytest.raises(SourcesFileError, match="no source named 'nope'"):
        loaded.select(["nope"])


@pytest.mark.parametrize("expression, ok", [("*/30 * * * *", True), ("0 6,18 * * 1-5", True), ("0 0 1 jan *", True), ("61 * * * *", False), ("* * *", False), ("0 25 * * *", False)])
def test_cron_check(expression, ok):
    assert (cron_problem(expression) is None) == ok


def test_fetch_defaults_become_http_settings():
    from flows.ingest import _sources_file

    specs, http = _sources_file(str(EXAMPLE), ["seed"], None)
    assert [s.name for s in specs] == ["seed"]
    assert (http.user_agent, http.per_host, http.delay_seconds) == ("wiredesk/0.2 (+mailto:newsroom-data@example.org)", 2, 1.0)
    explicit = HttpSettings(per_host=5)
    assert _sources_file(str(EXAMPLE), None, explicit)[1] is explicit


def test_cli_refuses_a_bad_sources_file_before_running(tmp_path, capsys):
    from flows.cli import main

    path = write(tmp_path, '[[source]]\nname = "a"\nfeed = "nope"\n')
    assert main(["ingest", "--sources", str(path), "--data-dir", str(tmp_path / "d")]) == 2
    assert "source 'a': 'feed': 'nope' is not an http(s) URL" in capsys.readouterr().err
    assert main(["ingest", "--sources", str(EXAMPLE), "--only", "nothing", "--data-dir", str(tmp_path / "d")]) == 2
    assert "no source named 'nothing'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["ingest", "--data-dir", str(tmp_path / "d")])


@pytest.mark.harness
def test_flow_ingests_a_sources_file_with_names_limits_and_outlets(prefect_harness, site, tmp_path):
    from flows.ingest import ingest
    from tasks.fetch import RetryPolicy
    from tests.conftest import FILLER, article_html
    from warehouse.store import Warehouse

    items = "".join(f"<item><title>Story {i}</title><link>{site.base}/s/{i}</link></item>" for i in range(4))
    site.add("/rss", body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'.encode(), content_type="application/rss+xml")
    for i in range(4):
        # No og:site_name, no brand in the title, no registry entry: the sources file's outlet wins over the host name.
        site.add(f"/s/{i}", body=article_html(f"Story number {i}", FILLER).replace(b'<meta property="og:site_name" content="The Example Times">', b"").replace(b" | The Example Times", b""))
    path = write(tmp_path, f'[fetch]\nuser_agent = "wiredesk-test (+mailto:t@example.org)"\n\n[[source]]\nname = "wire"\nfeed = "{site.base}/rss"\noutlet = "Example Wire"\nlimit = 2\n\n[[source]]\nname = "other"\nurl = "{site.base}/s/3"\n')
    http = HttpSettings(allow_addresses=("127.0.0.1",), connect_timeout=2, read_timeout=2, total_timeout=5, retry=RetryPolicy(attempts=1))
    result = ingest(sources_file=str(path), only=["wire"], data_dir=str(tmp_path / "data"), http=http)
    assert result.run.status.startswith("completed") and result.run.sources == (f"{path}#wire",)
    store = Warehouse(tmp_path / "data")
    fetched = store.query("select source, kind, url from fetches order by url").to_pylist()
    assert [(f["source"], f["kind"]) for f in fetched] == [("wire", "feed"), ("wire", "feed_entry"), ("wire", "feed_entry")]
    articles = store.query("select source, outlet, outlet_source from articles").to_pylist()
    assert articles == [{"source": "wire", "outlet": "Example Wire", "outlet_source": "sources_file"}] * 2
