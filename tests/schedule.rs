//! Rosters as a planner uses them: `staff --by team` and `schedule`, their
//! outputs, the emitted scenario, and bad rules or requirement files.

use crate::common::{stderr, stdout, wfmsim, write};
use serde_json::Value;

fn scratch(name: &str) -> std::path::PathBuf {
    crate::common::scratch("schedule", name)
}

/// One voice queue over two days of hourly intervals in UTC, busy from
/// 06:00 to 22:00; `TEAMS` follows.
const HEAD: &str = r#"
[scenario]
name = "roster test"
start = "2026-11-23"
days = 2
interval_minutes = 60
timezone = "UTC"
replications = 20
seed = 7

[[queue]]
name = "q"
handle_time = { distribution = "exponential", mean_s = 300 }
patience = { distribution = "exponential", mean_s = 200 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rates_per_hour = [0, 0, 0, 0, 0, 0, 60, 80, 100, 120, 120, 120, 120, 120, 120, 120, 100, 100, 80, 80, 60, 60, 0, 0] }
"#;

const RULED_TEAM: &str = r#"
[[team]]
name = "Day"
skills = ["q"]
cost_per_hour = 30

[[team.shift_rule]]
name = "day"
starts = { from = "05:00", to = "14:00", every_minutes = 60 }
hours = [8]
days_on = [7]
breaks = [{ minutes = 30, earliest_minutes = 180, latest_minutes = 300 }]
"#;

fn json(o: &std::process::Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON")
}

/// The requirement by team of a scenario: `[team][interval]`.
fn by_team(path: &str) -> Vec<Vec<u64>> {
    let doc = json(&wfmsim(&["staff", path, "--by", "team", "--format", "json"]));
    let rows = doc["intervals"].as_array().expect("intervals rows");
    let teams: Vec<String> = doc["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["team"].as_str().unwrap().to_string())
        .take_while({
            let mut seen = Vec::new();
            move |t: &String| {
                let new = !seen.contains(t);
                seen.push(t.clone());
                new
            }
        })
        .collect();
    let mut out = vec![Vec::new(); teams.len()];
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(r["team"].as_str().unwrap(), teams[k % teams.len()]);
        out[k % teams.len()].push(r["required"].as_u64().unwrap());
    }
    out
}

#[test]
fn two_teams_with_the_same_skills_and_cost_need_together_what_one_pooled_team_needs() {
    let dir = scratch("pooled");
    let one = HEAD.to_string() + "[[team]]\nname = \"A\"\nskills = [\"q\"]\nagents = 10\ncost_per_hour = 30\n";
    let two = one.clone() + "[[team]]\nname = \"B\"\nskills = [\"q\"]\nagents = 10\ncost_per_hour = 30\n";
    let pooled = by_team(&write(&dir, "one.toml", &one));
    let split = by_team(&write(&dir, "two.toml", &two));
    assert_eq!(split.len(), 2);
    let total: Vec<u64> = (0..pooled[0].len()).map(|i| split[0][i] + split[1][i]).collect();
    assert_eq!(total, pooled[0]);
    assert!(pooled[0].iter().sum::<u64>() > 100, "{pooled:?}");
}

#[test]
fn teams_that_share_no_queue_need_what_each_queue_needs_alone() {
    let dir = scratch("disjoint");
    let second_queue = HEAD.replace("name = \"q\"", "name = \"r\"").split("[[queue]]").nth(1).unwrap().to_string();
    let src = HEAD.to_string()
        + "[[queue]]"
        + &second_queue.replace("mean_s = 300", "mean_s = 240")
        + "[[team]]\nname = \"A\"\nskills = [\"q\"]\nagents = 10\n[[team]]\nname = \"B\"\nskills = [\"r\"]\nagents = 10\n";
    let path = write(&dir, "s.toml", &src);
    let teams = by_team(&path);
    let staff = json(&wfmsim(&["staff", &path, "--format", "json"]));
    for (t, queue) in staff["queues"].as_array().unwrap().iter().enumerate() {
        let alone: Vec<u64> =
            queue["intervals"].as_array().unwrap().iter().map(|r| r["achieved"]["agents"].as_u64().unwrap()).collect();
        assert_eq!(teams[t], alone, "team {t}");
    }
}

#[test]
fn cheaper_teams_take_the_work_first_and_a_partner_behind_an_overflow_delay_last() {
    let dir = scratch("cheaper");
    let src = HEAD.to_string()
        + "[[team]]\nname = \"Dear\"\nskills = [\"q\"]\nagents = 10\ncost_per_hour = 40\n"
        + "[[team]]\nname = \"Cheap\"\nskills = [\"q\"]\nagents = 10\ncost_per_hour = 20\n"
        + "[[team]]\nname = \"Overflow\"\nskills = [{ queue = \"q\", after_s = 30 }]\nagents = 10\ncost_per_hour = 5\n";
    let teams = by_team(&write(&dir, "s.toml", &src));
    assert_eq!(teams[0].iter().sum::<u64>(), 0, "{teams:?}");
    assert!(teams[1].iter().sum::<u64>() > 100, "{teams:?}");
    assert_eq!(teams[2].iter().sum::<u64>(), 0, "{teams:?}");
}

#[test]
fn schedule_covers_every_interval_meets_the_targets_and_its_scenario_runs_as_simulated() {
    let dir = scratch("emit");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + RULED_TEAM));
    let emitted = dir.join("rostered.toml");
    let o = wfmsim(&["schedule", &path, "--format", "json", "--emit-scenario", emitted.to_str().unwrap()]);
    let doc = json(&o);
    assert_eq!(doc["objective"], "paid_hours");
    assert_eq!(doc["targets_met"], true, "{}", doc["unmet"]);
    let intervals = doc["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 48);
    for r in intervals {
        assert!(r["scheduled"].as_f64().unwrap() + 1e-9 >= r["required"].as_f64().unwrap(), "{r}");
    }
    let paid: f64 = doc["shifts"].as_array().unwrap().iter().map(|s| s["paid_hours"].as_f64().unwrap()).sum();
    assert!((paid - doc["paid_hours"].as_f64().unwrap()).abs() < 0.05);
    let bound = doc["lower_bound_paid_hours"].as_f64().unwrap();
    assert!(bound <= doc["paid_hours"].as_f64().unwrap() + 1e-6);
    assert!((doc["cost"].as_f64().unwrap() - 30.0 * doc["paid_hours"].as_f64().unwrap()).abs() < 0.05);

    // The emitted scenario is the original with the roster; `run` accepts
    // it and its paid hours are the roster's.
    let run = json(&wfmsim(&["run", emitted.to_str().unwrap(), "--format", "json", "--detail", "interval"]));
    let team_paid = run["teams"][0]["horizon"]["paid_hours"].as_f64().unwrap();
    assert!((team_paid - doc["paid_hours"].as_f64().unwrap()).abs() < 0.05, "{team_paid}");
    for p in run["queues"][0]["intervals"].as_array().unwrap() {
        if let Some(sl) = p["service_level"]["mean"].as_f64() {
            assert!(sl >= 0.8 - 1e-9, "{p}");
        }
    }
}

#[test]
fn a_requirement_file_is_rostered_as_given_without_simulating() {
    let dir = scratch("requirement");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + RULED_TEAM));
    let mut csv = String::from("start,team,agents\n");
    for h in 8..16 {
        csv += &format!("2026-11-23T{h:02}:00:00Z,Day,{}\n", 3 + h % 3);
    }
    let req = write(&dir, "req.csv", &csv);
    let doc = json(&wfmsim(&["schedule", &path, "--requirement", &req, "--format", "json"]));
    assert_eq!(doc["simulated"], false);
    assert_eq!(doc["iterations"].as_array().unwrap().len(), 1);
    for r in doc["intervals"].as_array().unwrap() {
        assert!(r["scheduled"].as_f64().unwrap() + 1e-9 >= r["required"].as_f64().unwrap(), "{r}");
    }
    let toml = stdout(&wfmsim(&["schedule", &path, "--requirement", &req, "--format", "toml"]));
    assert!(toml.starts_with("# team \"Day\": "), "{toml}");
    assert!(toml.contains("[[team.shift]]  # day\nstart = \""), "{toml}");
    let csv_out = stdout(&wfmsim(&["schedule", &path, "--requirement", &req, "--format", "csv"]));
    assert!(csv_out.starts_with("team,rule,start,hours,days,agents,breaks,paid_hours,what_ifs\nDay,day,"), "{csv_out}");
    // staff --by team --format csv writes what --requirement reads, its
    // what-ifs included (a quoted cell with commas).
    let set = ["--set", "queue.q.target={ service_level = 0.8, within_s = 20 }"];
    let staffed = wfmsim(&[&["staff", &path, "--by", "team", "--format", "csv"][..], &set].concat());
    assert!(
        stdout(&staffed)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",Day,0,\"'--set 'queue.q.target={ service_level = 0.8, within_s = 20 }'\""),
        "{}",
        stdout(&staffed)
    );
    let own = write(&dir, "own.csv", &stdout(&staffed));
    let first_three: String =
        stdout(&staffed).lines().map(|l| l.splitn(4, ',').take(3).collect::<Vec<_>>().join(",") + "\n").collect();
    let three = write(&dir, "three.csv", &first_three);
    let roster = |req: &str| stdout(&wfmsim(&["schedule", &path, "--requirement", req, "--format", "json"]));
    assert_eq!(roster(&own), roster(&three));
}

#[test]
fn the_emitted_scenario_holds_the_what_ifs_the_roster_was_made_for() {
    let dir = scratch("emit-what-ifs");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + RULED_TEAM));
    let emitted = dir.join("rostered.toml");
    let set = ["--set", "volume=*1.25", "--set", "team.Day.cost_per_hour=+6", "--aht-scale", "0.8"];
    let args =
        [&["schedule", &path, "--format", "json", "--emit-scenario", emitted.to_str().unwrap()][..], &set].concat();
    let roster = json(&wfmsim(&args));
    let text = std::fs::read_to_string(&emitted).unwrap();
    assert!(
        text.starts_with(&format!(
            "# {path} with the what-ifs --set volume=*1.25 --set team.Day.cost_per_hour=+6 --aht-scale 0.8 written"
        )),
        "{text}"
    );
    // The emitted file is the scenario as the roster was made for it: the
    // same arrivals and handle times as the what-ifs give, the new price,
    // and the roster's paid hours.
    let run =
        |args: &[&str]| json(&wfmsim(&[&["run"][..], args, &["--format", "json", "--detail", "horizon"]].concat()));
    let of_emitted = run(&[emitted.to_str().unwrap()]);
    let of_what_ifs = run(&[&[path.as_str()][..], &set].concat());
    let horizon = |doc: &Value, kpi: &str| doc["queues"][0]["horizon"][kpi]["mean"].as_f64().unwrap();
    assert_eq!(horizon(&of_emitted, "offered"), horizon(&of_what_ifs, "offered"));
    assert!(text.contains("[queue.handle_time]\ndistribution = \"exponential\"\nmean_s = 240.0\n"), "{text}");
    let team = &of_emitted["teams"][0]["horizon"];
    assert_eq!(team["paid_hours"], roster["paid_hours"]);
    assert_eq!(team["cost"].as_f64().unwrap(), team["paid_hours"].as_f64().unwrap() * 36.0);
}

#[test]
fn rules_that_cannot_cover_the_night_fail_naming_the_uncovered_intervals() {
    let dir = scratch("night");
    let night = HEAD.replace("60, 60, 0, 0] }", "60, 60, 30, 30] }");
    let path = write(&dir, "s.toml", &(night + RULED_TEAM));
    let o = wfmsim(&["schedule", &path]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("team \"Day\": no shift its rules allow covers 4 interval(s) that need agents: 2026-11-23T22:00:00+00:00, 2026-11-23T23:00:00+00:00, 2026-11-24T22:00:00+00:00, 2026-11-24T23:00:00+00:00"),
        "{err}"
    );
}

#[test]
fn objective_cost_needs_a_price_for_every_rostered_team() {
    let dir = scratch("price");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + &RULED_TEAM.replace("cost_per_hour = 30\n", "")));
    let o = wfmsim(&["schedule", &path, "--objective", "cost"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("team \"Day\" has no price per hour (no cost_per_hour"), "{}", stderr(&o));
}

/// Bad rules: each refused with exit 2, its place and what is allowed.
#[test]
fn bad_shift_rules_are_refused_with_their_place() {
    let dir = scratch("bad-rules");
    let cases = [
        ("from = \"05:00\"", "from = \"25:00\"", "team[0].shift_rule[0].starts.from: \"25:00\" is not a start time; allowed: HH:MM from 00:00 to 23:59"),
        ("hours = [8]", "hours = [0]", "team[0].shift_rule[0].hours[0]: 0 is out of range; allowed: more than 0, at most 24 hours"),
        ("hours = [8]", "hours = [25]", "team[0].shift_rule[0].hours[0]: 25 is out of range; allowed: more than 0, at most 24 hours"),
        ("days_on = [7]", "days_on = []", "team[0].shift_rule[0].days_on: is empty (a work pattern with no day)"),
        ("days_on = [7]", "days_on = [8]", "team[0].shift_rule[0].days_on[0]: 8 is out of range; allowed: 1 to 7 consecutive days"),
        (
            "minutes = 30, earliest_minutes = 180, latest_minutes = 300",
            "minutes = 600, earliest_minutes = 0, latest_minutes = 0",
            "team[0].shift_rule[0].breaks[0]: ends up to 600 minutes into a shift, longer than the shortest allowed shift (480 minutes)",
        ),
        ("to = \"14:00\"", "to = \"04:00\"", "team[0].shift_rule[0].starts.to: 04:00 is before from 05:00"),
    ];
    for (from, to, expected) in cases {
        let src = HEAD.to_string() + &RULED_TEAM.replace(from, to);
        assert_ne!(src, HEAD.to_string() + RULED_TEAM, "{from}");
        let path = write(&dir, "bad.toml", &src);
        let o = wfmsim(&["validate", &path]);
        assert_eq!(o.status.code(), Some(2), "{to}");
        let err = stderr(&o);
        assert!(err.contains(expected), "{to}:\n{err}");
        assert!(err.contains(&format!("{path}:")), "{err}");
    }
}

/// Bad requirement files: exit 2 naming the file, line and field.
#[test]
fn bad_requirement_files_are_refused_with_line_and_field() {
    let dir = scratch("bad-requirement");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + RULED_TEAM));
    let cases = [
        (
            "start,team,agents\n2026-11-23T08:00:00Z,Night,3\n",
            ":2: team: \"Night\" is not a team of the scenario; allowed: Day",
        ),
        (
            "start,team,agents\n2026-11-23T09:00:00Z,Day,3\n2026-11-23T08:00:00Z,Day,3\n",
            ":3: start: 2026-11-23T08:00:00Z is before the row above",
        ),
        (
            "start,team,agents\n2026-11-23T08:30:00Z,Day,3\n",
            ":2: start: 2026-11-23T08:30:00Z is not the start of an interval (every 60 minutes from midnight)",
        ),
        (
            "start,team,agents\n2026-11-23T08:00:00Z,Day,-3\n",
            ":2: agents: \"-3\" is not allowed; a whole number of agents",
        ),
        (
            "start,team,agents\n2027-01-01T08:00:00Z,Day,3\n",
            ":2: start: 2027-01-01T08:00:00Z lies outside the scenario's horizon",
        ),
        ("when,who,n\n", ":1: header: the first line must be `start,team,agents`"),
    ];
    for (csv, expected) in cases {
        let req = write(&dir, "req.csv", csv);
        let o = wfmsim(&["schedule", &path, "--requirement", &req]);
        assert_eq!(o.status.code(), Some(2), "{csv}");
        assert!(stderr(&o).starts_with(&format!("{req}{expected}")), "{csv}:\n{}", stderr(&o));
    }
}

/// The rounds tell a progress display each step as it starts: solving
/// (the first round) or extending the roster (the raised ones) and
/// simulating each round, the periods a round missed before the next,
/// and the proof of the last round's bound, in that order.
#[test]
fn schedule_tells_each_round_s_steps_in_order() {
    use wfmsim::schedule::{Objective, Options, Step};
    let model = wfmsim::input::compile(&(HEAD.to_string() + RULED_TEAM), "s.toml").unwrap().model;
    let threads = Some(1);
    let plan =
        wfmsim::staffing::staff(&model, &wfmsim::staffing::Options { confidence: None, max_agents: None, threads })
            .unwrap();
    let by_team = wfmsim::staffing::teams::by_team(&model, &plan, None, threads, &|| {}).unwrap();
    let options = Options {
        objective: Objective::PaidHours,
        confidence: None,
        max_iterations: 12,
        trim_rounds: 0,
        simulate: true,
        threads,
    };
    let heard = std::sync::Mutex::new(Vec::new());
    let s = wfmsim::schedule::schedule_with_progress(&model, by_team.required, &options, &|step| {
        heard.lock().unwrap().push(step)
    })
    .unwrap();
    // The requirement by team misses once rostered: raised rounds follow.
    assert!(s.iterations.len() >= 2, "{} round(s)", s.iterations.len());
    let mut expected = Vec::new();
    for (k, iteration) in s.iterations.iter().enumerate() {
        let round = k + 1;
        expected.push(match round {
            1 => Step::Solving { round, of: 12 },
            _ => Step::Extending { round, of: 12 },
        });
        expected.push(Step::Simulating { round, of: 12 });
        if round < s.iterations.len() {
            expected.push(Step::Missed { round, of: 12, unmet: iteration.unmet });
        } else {
            expected.push(Step::Proving);
        }
    }
    assert_eq!(heard.into_inner().unwrap(), expected);
    assert_eq!(
        Step::Missed { round: 2, of: 12, unmet: 3 }.to_string(),
        "round 2 of at most 12: 3 period(s) missed, raising the requirement"
    );
    assert_eq!(
        Step::Extending { round: 3, of: 12 }.to_string(),
        "round 3 of at most 12: extending the roster where the requirement rose"
    );
    assert_eq!(
        Step::Trimming { round: 11, of: 16, agents: 4 }.to_string(),
        "round 11 of at most 16: simulating the roster less 4 agent(s) far above target"
    );
}

/// Trim rounds never keep a roster that costs more than the one before
/// them, nor one that misses a target (the emitted roster meets every
/// target in `run`); the rounds say what each did; and the service reported against the target is what
/// `run` measures on the emitted scenario (same seed, same random
/// numbers): the horizon's value, the intervals meeting it, the worst.
#[test]
fn trim_rounds_keep_the_targets_and_the_service_is_what_run_measures() {
    let dir = scratch("trim");
    let path = write(&dir, "s.toml", &(HEAD.to_string() + RULED_TEAM));
    let untrimmed = json(&wfmsim(&["schedule", &path, "--format", "json", "--trim-rounds", "0"]));
    assert!(untrimmed["iterations"].as_array().unwrap().iter().all(|r| r["change"] != "trimmed"));
    let emitted = dir.join("rostered.toml");
    let doc = json(&wfmsim(&["schedule", &path, "--format", "json", "--emit-scenario", emitted.to_str().unwrap()]));
    assert_eq!(doc["targets_met"], true);
    let paid = |d: &Value| d["paid_hours"].as_f64().unwrap();
    assert!(paid(&doc) <= paid(&untrimmed) + 1e-9, "{} > {}", paid(&doc), paid(&untrimmed));

    let rounds = doc["iterations"].as_array().unwrap();
    assert_eq!(rounds[0]["change"], "first");
    let kept = doc["kept_round"].as_u64().unwrap() as usize;
    assert_eq!(rounds.iter().filter(|r| r["kept"] == true).count(), 1);
    assert_eq!(rounds[kept - 1]["kept"], true);
    assert_eq!(rounds[kept - 1]["unmet"], 0);
    assert_eq!(rounds[kept - 1]["paid_hours"], doc["paid_hours"]);
    let trims = rounds.iter().filter(|r| r["change"] == "trimmed").count();
    assert!(trims <= 4, "{rounds:?}");
    for pair in rounds.windows(2) {
        // A trim after a trim that missed takes at most half as many
        // agents (the repairs are over: only trims follow).
        if pair[0]["unmet"] != 0 && pair[0]["change"] == "trimmed" {
            assert_eq!(pair[1]["change"], "trimmed", "{pair:?}");
            let n = |r: &Value| r["changed"].as_u64().unwrap();
            assert!(n(&pair[1]) <= n(&pair[0]) / 2, "{pair:?}");
        }
    }
    for r in rounds.iter().filter(|r| r["unmet"] == 0) {
        assert!(paid(&doc) <= r["paid_hours"].as_f64().unwrap() + 1e-9, "a cheaper round met every target: {r}");
    }
    // The gap to the first round's bound is signed: a trim may take the
    // roster below what the requirement first asked needs.
    let o = &doc["overshoot"];
    let bound = o["original_bound"].as_f64().unwrap();
    assert_eq!(bound, rounds[0]["lower_bound"].as_f64().unwrap());
    let signed = (paid(&doc) - bound) / paid(&doc);
    assert!((o["original_gap"].as_f64().unwrap() - signed).abs() < 1e-4, "{o} vs {signed}");

    let run = json(&wfmsim(&["run", emitted.to_str().unwrap(), "--format", "json", "--detail", "interval"]));
    let queue = &run["queues"][0];
    let sls: Vec<f64> =
        queue["intervals"].as_array().unwrap().iter().filter_map(|p| p["service_level"]["mean"].as_f64()).collect();
    assert!(sls.iter().all(|&sl| sl >= 0.8 - 1e-9), "{sls:?}");
    let service = doc["service"].as_array().unwrap();
    assert_eq!(service.len(), 1, "{service:?}");
    let s = &service[0];
    assert_eq!(
        (s["queue"].as_str(), s["target"].as_str(), s["judged_per"].as_str()),
        (Some("q"), Some("service_level"), Some("intervals"))
    );
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
    let horizon = queue["horizon"]["service_level"]["mean"].as_f64().unwrap();
    assert!(close(s["horizon"].as_f64().unwrap(), horizon), "{s} vs {horizon}");
    assert!(close(s["margin"].as_f64().unwrap(), horizon - 0.8), "{s}");
    assert_eq!(s["target_value"].as_f64(), Some(0.8));
    assert_eq!(s["periods"].as_u64(), Some(sls.len() as u64));
    assert_eq!(s["periods_met"].as_u64(), Some(sls.iter().filter(|&&v| v >= 0.8).count() as u64));
    assert!(close(s["worst"].as_f64().unwrap(), sls.iter().copied().fold(1.0, f64::min)), "{s}");
}

/// One team answering calls and, at a lower priority, email due within 24
/// hours, over three days of hourly intervals; its rule starts shifts
/// around the clock.
const CALLS_AND_EMAIL: &str = r#"
[scenario]
name = "calls and email"
start = "2026-11-23"
days = 3
interval_minutes = 60
timezone = "UTC"
replications = 20
seed = 11

[[queue]]
name = "calls"
handle_time = { distribution = "exponential", mean_s = 300 }
patience = { distribution = "exponential", mean_s = 200 }
target = { service_level = 0.8, within_s = 20 }
arrivals = { rates_per_hour = [20, 20, 20, 20, 20, 20, 60, 80, 100, 120, 120, 120, 120, 120, 120, 120, 100, 100, 80, 80, 60, 60, 30, 20] }

[[queue]]
name = "email"
channel = "email"
handle_time = { distribution = "exponential", mean_s = 600 }
target = { service_level = 0.9, within_hours = 24 }
arrivals = { rate_per_hour = 24 }

[[team]]
name = "Care"
skills = [{ queue = "calls", priority = 1 }, { queue = "email", priority = 2 }]

[[team.shift_rule]]
name = "8h"
starts = { from = "00:00", to = "23:00", every_minutes = 60 }
hours = [8]
days_on = [7]
"#;

#[test]
fn deferred_work_fills_the_time_live_work_leaves_idle_and_its_target_still_holds() {
    use wfmsim::staffing::{self, teams};
    let model = wfmsim::input::compile(CALLS_AND_EMAIL, "calls-and-email.toml").expect("compiles").model;
    let options = staffing::Options { confidence: None, max_agents: None, threads: Some(2) };
    let plan = staffing::staff(&model, &options).expect("staffed");
    let alone = |q: usize| -> u64 { plan.queues[q].intervals.iter().map(|r| u64::from(r.achieved.agents)).sum() };
    let (calls, email) = (alone(0), alone(1));
    // The email's own level: about 4 agents' work (24 an hour × 600 s)
    // through each day.
    assert!(email >= 100, "email alone {email}");
    let given = teams::allocate(&model, &plan, &teams::availability(&model));
    let team: u64 = given.levels[0].iter().map(|&n| u64::from(n)).sum();
    // What the calls leave idle takes part of the email: the team is given
    // less than the two levels apart, and never less than the calls'.
    assert!(team >= calls, "team {team} < calls alone {calls}");
    assert!(team + email / 10 <= calls + email, "team {team}, calls {calls} + email {email}");
    // Simulated, the rounds meet every target, the email's response
    // within 24 hours included.
    let verified = teams::by_team(&model, &plan, None, Some(2), &|| {}).expect("simulated");
    assert!(verified.unmet.is_empty(), "{:?}", verified.unmet);
}

/// A dear in-house team and a partner paid per contact on duty from 08:00
/// to 18:00, taking calls that have waited 5 s (`PRICE` follows).
fn with_partner(price: &str) -> String {
    HEAD.to_string()
        + "[[team]]\nname = \"In-house\"\nskills = [\"q\"]\nagents = 10\ncost_per_hour = 60\n"
        + "[[team]]\nname = \"Partner\"\nskills = [{ queue = \"q\", after_s = 5 }]\ncost_per_contact = "
        + price
        + "\n[[team.shift]]\nstart = \"08:00\"\nhours = 10\nagents = 6\n"
}

#[test]
fn a_partner_cheaper_per_contact_takes_work_from_a_dearer_team_where_it_is_on_duty() {
    use wfmsim::staffing::{self, teams};
    let required = |price: &str| {
        let model = wfmsim::input::compile(&with_partner(price), "partner.toml").expect("compiles").model;
        let options = staffing::Options { confidence: None, max_agents: None, threads: Some(2) };
        let plan = staffing::staff(&model, &options).expect("staffed");
        let by = teams::by_team(&model, &plan, None, Some(2), &|| {}).expect("simulated");
        assert!(by.unmet.is_empty(), "{price}: {:?}", by.unmet);
        by.required.levels
    };
    // In-house costs at least 60 × 300 s = 5 per contact: a partner at 1
    // is cheaper, one at 20 is not.
    let (cheap, dear) = (required("1.0"), required("20.0"));
    let partner_hours = |i: usize| (8..18).contains(&(i % 24));
    let sum = |levels: &[Vec<u32>], within: bool| -> u32 {
        levels[0].iter().enumerate().filter(|(i, _)| partner_hours(*i) == within).map(|(_, &n)| n).sum()
    };
    assert!(sum(&cheap, true) < sum(&dear, true), "cheap {cheap:?}\ndear {dear:?}");
    assert_eq!(sum(&cheap, false), sum(&dear, false), "outside the partner's hours nothing changes");
    // The partner is given no requirement: its own agents answer.
    assert!(cheap[1].iter().chain(&dear[1]).all(|&n| n == 0));
}

#[test]
fn rounds_stop_once_only_misses_no_rostered_team_can_mend_are_left() {
    // Queue `r` has one fixed agent for 100 calls an hour: it misses every
    // busy hour whatever the Day team's roster, and no round can raise it.
    let second = HEAD.split("[[queue]]").nth(1).unwrap().replace("name = \"q\"", "name = \"r\"");
    let src = HEAD.to_string()
        + "[[queue]]"
        + &second
        + RULED_TEAM
        + "[[team]]\nname = \"Fixed\"\nskills = [\"r\"]\nagents = 1\n";
    let dir = scratch("unraisable");
    let path = write(&dir, "s.toml", &src);
    let o = wfmsim(&["schedule", &path, "--allow-miss", "--trim-rounds", "0", "--format", "json"]);
    let doc = json(&o);
    let rounds = doc["iterations"].as_array().unwrap().len();
    let unmet = doc["unmet"].as_array().unwrap();
    assert!(!unmet.is_empty() && unmet.iter().all(|m| m["queue"] == "r"), "{unmet:?}");
    assert!(rounds < 12, "{rounds} rounds");
}
