//! The HTML report as a reader opens it: written by the binary, loaded in
//! headless Chromium (screenshot, console, charts measured in the page),
//! and the command-line rules around `--format html`.
//!
//! Chromium is found as `chromium` or `chromium-browser` on PATH (or at
//! `$WFMSIM_CHROMIUM`). Without it the browser tests print a line saying
//! they were skipped, unless `WFMSIM_REQUIRE_BROWSER=1` (as `.ci/run`
//! sets), which makes its absence a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::{stderr, stdout, wfmsim, Watchdog};

const SCENARIO: &str = "scenarios/single-queue-day.toml";

/// Charts of the single queue (service level, ASA, offered and abandoned,
/// occupancy, chance of missing each target) and the teams' cost.
const CHARTS: usize = 6;

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("html", name)
}

/// The Chromium to use, or `None` (after saying so) when there is none and
/// none is required.
fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("WFMSIM_CHROMIUM").map(PathBuf::from);
    let on_path = ["chromium", "chromium-browser"].into_iter().find_map(|name| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
    });
    match named.or(on_path) {
        Some(path) => Some(path),
        None if std::env::var("WFMSIM_REQUIRE_BROWSER").is_ok_and(|v| v == "1") => {
            panic!("WFMSIM_REQUIRE_BROWSER=1 but no chromium or chromium-browser on PATH (nor $WFMSIM_CHROMIUM)")
        }
        None => {
            // Straight to stderr: the test harness keeps what eprintln! says.
            let line = "SKIPPED: no chromium on PATH; install Debian's `chromium` to run the HTML browser tests\n";
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            None
        }
    }
}

/// Runs headless Chromium on `page` with `flags`, a fresh profile, no
/// network services and console messages on stderr; killed after a minute.
fn browse(chromium: &Path, dir: &Path, page: &Path, flags: &[&str]) -> Output {
    let profile = dir.join(format!("profile-{}", flags.len()));
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().expect("chromium starts");
    let watchdog = Watchdog::new(child.id(), Duration::from_secs(60));
    let output = child.wait_with_output().expect("chromium ends");
    assert!(!watchdog.disarm(), "chromium ran past a minute on {}", page.display());
    output
}

/// Console messages Chromium logged (`INFO:CONSOLE...] "text", source: URL (line)`).
fn console_lines(o: &Output) -> Vec<String> {
    stderr(o).lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect()
}

/// The run's report, written by the binary into `dir`.
fn write_report(dir: &Path) -> PathBuf {
    let report = dir.join("report.html");
    let o = wfmsim(&["run", SCENARIO, "--replications", "8", "--format", "html", "-o", report.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    report
}

/// The build's target directory (where the screenshot is kept).
fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_wfmsim"));
    bin.parent().and_then(Path::parent).expect("the binary lies in target/<profile>/").to_path_buf()
}

#[test]
fn the_report_loads_in_chromium_without_console_errors_and_a_screenshot_is_kept() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("screenshot");
    let report = write_report(&dir);
    let shot = target_dir().join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    let o = browse(
        &chromium,
        &dir,
        &report,
        &[&format!("--screenshot={}", shot.display()), "--window-size=1280,2400", "--virtual-time-budget=5000"],
    );
    assert!(o.status.success(), "chromium failed: {}", stderr(&o));
    assert_eq!(console_lines(&o), Vec::<String>::new(), "the report logs nothing to the console");
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk.
    let (w, h) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert_eq!((w, h), (1280, 2400));
    assert!(png.len() > 50_000, "a page of charts and tables, not a blank one: {} bytes", png.len());
}

/// A page (the test's own, not shipped) that loads `REPORT` in an
/// iframe and, once it has loaded, writes into `#probe` one line per chart
/// (`chart KIND WIDTH HEIGHT ATTR_WIDTH ATTR_HEIGHT MARKS DRAWN_WIDTH`),
/// the report's title, the elements that could fetch something and the
/// resources the report loaded; it logs `probe done` to the console.
const PROBE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>probe</title></head><body>
<iframe id="report" src="REPORT" style="width:1280px;height:3000px;border:0"></iframe>
<pre id="probe">pending</pre>
<script>
document.getElementById('report').addEventListener('load', function () {
  var lines = [];
  try {
    var doc = this.contentDocument, win = this.contentWindow;
    lines.push('title ' + doc.title);
    doc.querySelectorAll('svg.chart').forEach(function (svg) {
      var r = svg.getBoundingClientRect();
      var marks = svg.querySelectorAll('.series, .bar');
      var left = Infinity, right = -Infinity;
      marks.forEach(function (m) {
        var b = m.getBBox();
        if (b.width > 0 || b.height > 0) { left = Math.min(left, b.x); right = Math.max(right, b.x + b.width); }
      });
      lines.push(['chart', svg.dataset.chart, r.width, r.height, svg.getAttribute('width'),
                  svg.getAttribute('height'), marks.length, right > left ? right - left : 0].join(' '));
    });
    var fetching = doc.querySelectorAll('script, link, img, iframe, object, embed, [src]').length;
    doc.querySelectorAll('[href]').forEach(function (a) { if (a.getAttribute('href')[0] !== '#') fetching++; });
    lines.push('fetching ' + fetching);
    lines.push('resources ' + win.performance.getEntriesByType('resource').length);
  } catch (e) {
    lines.push('error ' + e);
  }
  document.getElementById('probe').textContent = lines.join('\n');
  console.log('probe done');
});
</script>
</body></html>
"#;

/// Loads `page` (in `dir`) in the probe; what the probe wrote, after
/// checking that the page logged nothing to the console.
fn probe(chromium: &Path, dir: &Path, page: &str) -> String {
    let probe = dir.join(format!("probe-{page}"));
    std::fs::write(&probe, PROBE.replace("REPORT", page)).unwrap();
    // file:// pages are each their own origin unless files may read files.
    let o = browse(
        chromium,
        dir,
        &probe,
        &["--allow-file-access-from-files", "--virtual-time-budget=10000", "--window-size=1400,3200", "--dump-dom"],
    );
    assert!(o.status.success(), "chromium failed: {}", stderr(&o));
    let console = console_lines(&o);
    assert!(console.iter().any(|l| l.contains("\"probe done\"")), "the probe ran and its console is read: {console:?}");
    let from_page: Vec<&String> = console.iter().filter(|l| l.contains(&format!("/{page}"))).collect();
    assert!(from_page.is_empty(), "console messages from {page}: {from_page:?}");
    let dom = stdout(&o);
    let start = dom.find("<pre id=\"probe\">").expect("the probe's output") + "<pre id=\"probe\">".len();
    let probed = dom[start..start + dom[start..].find("</pre>").unwrap()].to_string();
    assert!(!probed.contains("error") && probed != "pending", "{probed}");
    probed
}

/// Checks what the probe found: the page's title, nothing fetched, and
/// `charts` charts each drawn at its declared size with marks spanning
/// the plot.
fn assert_drawn(probed: &str, title: &str, charts: usize) {
    let lines: Vec<&str> = probed.lines().collect();
    assert_eq!(lines[0], format!("title {title}"));
    assert!(lines.contains(&"fetching 0"), "{probed}");
    assert!(lines.contains(&"resources 0"), "{probed}");
    let found: Vec<Vec<&str>> =
        lines.iter().filter(|l| l.starts_with("chart ")).map(|l| l.split(' ').collect()).collect();
    assert_eq!(found.len(), charts, "{probed}");
    for c in &found {
        let n = |i: usize| c[i].parse::<f64>().unwrap_or_else(|_| panic!("{c:?}"));
        // Drawn at the size it declares (the page is wide enough).
        assert_eq!((n(4), n(5)), (600.0, 250.0), "{c:?}");
        assert!((n(2) - n(4)).abs() < 1.0 && (n(3) - n(5)).abs() < 1.0, "rendered size: {c:?}");
        assert!(n(6) >= 1.0, "marks drawn: {c:?}");
        // A line through the whole day spans most of the plot (522 px wide).
        if c[1] == "line" {
            assert!(n(7) > 450.0, "the line runs through the horizon: {c:?}");
        } else {
            assert!(n(7) > 10.0, "a bar has a width: {c:?}");
        }
    }
}

#[test]
fn every_chart_is_drawn_at_its_size_and_nothing_is_fetched() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("probe");
    write_report(&dir);
    assert_drawn(&probe(&chromium, &dir, "report.html"), "wfmsim: Support EN, one weekday", CHARTS);
    let staff = dir.join("staff.html");
    let o = wfmsim(&["staff", SCENARIO, "--replications", "4", "--format", "html", "-o", staff.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_drawn(&probe(&chromium, &dir, "staff.html"), "wfmsim staff: Support EN, one weekday", 2);
}

#[test]
fn the_report_is_the_same_bytes_whatever_the_threads_and_merged_shards_give_them_too() {
    let dir = scratch("bytes");
    let run = |threads: &str| {
        let o = wfmsim(&["run", SCENARIO, "--replications", "6", "--format", "html", "--threads", threads]);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let single = run("1");
    assert_eq!(single, run("2"));
    let parts: Vec<String> = (1..=2)
        .map(|k| {
            let path = dir.join(format!("part-{k}.json")).to_str().unwrap().to_string();
            let spec = format!("{k}/2");
            let args = ["run", SCENARIO, "--replications", "6", "--format", "html", "--shard", &spec, "-o", &path];
            let o = wfmsim(&args);
            assert!(o.status.success(), "{}", stderr(&o));
            path
        })
        .collect();
    let merged = wfmsim(&["merge", "--format", "html", &parts[1], &parts[0]]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert!(merged.stdout == single, "merged shards give the single run's page");
    let page = String::from_utf8(single).unwrap();
    assert!(page.contains("Through the horizon, by interval"), "a day's report charts every interval");
    // Asked for by day, the charts run by day.
    let by_day = wfmsim(&["run", SCENARIO, "--replications", "6", "--format", "html", "--detail", "period"]);
    assert!(stdout(&by_day).contains("Through the horizon, by day"));
}

#[test]
fn staff_writes_the_requirement_against_the_roster_as_html() {
    let o = wfmsim(&["staff", SCENARIO, "--replications", "4", "--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script") && !page.contains("http"));
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 2, "required agents and the service level achieved");
    for legend in [">simulated<", ">Erlang C<", ">Erlang A<", ">scheduled (roster)<", ">target SL ≥ 80.0%<"] {
        assert!(page.contains(legend), "{legend}");
    }
    assert!(page.contains("<th>FTE</th>") && page.contains("<td>simulated</td>"));
}

#[test]
fn check_writes_its_verdict_as_html() {
    let o = wfmsim(&["check", SCENARIO, "--replications", "4", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script") && !page.contains("http"));
    assert!(page.contains("<h1>wfmsim check: passed</h1>") && page.contains("<td class=\"ok\">PASS</td>"));
    // Four targets, on the horizon and the day.
    assert_eq!(page.matches("<td class=\"ok\">met</td>").count(), 8);
}

/// A day of one queue and one team with a shift rule and no shifts, for
/// `schedule`.
const RULED: &str = r#"
[scenario]
name = "roster"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 300 }
arrivals = { rate_per_hour = 60 }

[[team]]
name = "Day & <night>"
skills = ["q"]

[[team.shift_rule]]
name = "day"
starts = { from = "05:00", to = "14:00", every_minutes = 60 }
hours = [8]
days_on = [7]
"#;

#[test]
fn schedule_writes_the_requirement_against_the_roster_as_html() {
    let dir = scratch("schedule");
    let scenario = dir.join("ruled.toml");
    std::fs::write(&scenario, RULED).unwrap();
    // Rostered as given, nothing simulated.
    let mut csv = String::from("start,team,agents\n");
    for h in 8..16 {
        csv += &format!("2026-11-23T{h:02}:00:00Z,Day & <night>,{}\n", 3 + h % 3);
    }
    let requirement = dir.join("requirement.csv");
    std::fs::write(&requirement, csv).unwrap();
    let (scenario, requirement) = (scenario.to_str().unwrap(), requirement.to_str().unwrap());
    let o = wfmsim(&["schedule", scenario, "--requirement", requirement, "--format", "html"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with("<!DOCTYPE html>") && !page.contains("<script") && !page.contains("http"));
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 1, "one chart per rostered team");
    assert!(page.contains(">Team Day &amp; &lt;night&gt;: agents<") && page.contains(">on duty (roster)<"));
    assert!(page.contains("Not simulated: the requirement was rostered as given."));
    assert!(page.contains("<td>Day &amp; &lt;night&gt;</td><td>day</td>"), "the shifts");
}

#[test]
fn a_command_without_an_html_view_refuses_it_with_exit_2() {
    let o = wfmsim(&["erlang", "--rate-per-hour", "100", "--aht", "180", "--agents", "10", "--format", "html"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value 'html' for '--format <FORMAT>'"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

/// A year's plan of one queue, a team and a partner, for `plan`'s page.
const PLANNED: &str = r#"
[scenario]
name = "plan page"
start = "2026-11-23"
days = 1
interval_minutes = 60
timezone = "UTC"

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 240 }
patience = { distribution = "exponential", mean_s = 120 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rate_per_hour = 60 }

[[team]]
name = "A"
skills = ["q"]
agents = 5

[[team]]
name = "P"
skills = ["q"]
agents = 2

[plan]
start = "2027-01"
months = 12
replications = 4
requirement_replications = 2

[[plan.queue]]
name = "q"
volume = { base = 40000, growth_per_month = 0.03 }
shares = { A = 0.8, P = 0.2 }

[[plan.team]]
name = "A"
headcount = 20
attrition_per_month = 0.05
hiring = { policy = "none" }
cost = { per_hour = 30 }

[[plan.team]]
name = "P"
partner = true
cost = { per_contact = 3 }
"#;

#[test]
fn the_plan_page_draws_its_cost_service_and_headcount_charts_at_their_size() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("plan");
    let scenario = dir.join("plan.toml");
    std::fs::write(&scenario, PLANNED).unwrap();
    let page = dir.join("plan.html");
    let o = wfmsim(&["plan", scenario.to_str().unwrap(), "--format", "html", "-o", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Cost by line and by team, the queue's service level, a headcount
    // chart per team.
    assert_drawn(&probe(&chromium, &dir, "plan.html"), "plan page: capacity plan", 5);
}
