//! `wfmsim schedule` and `staff --by team`: the requirement by team, the
//! roster, its views and the scenario with it.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use wfmsim::input::Base;
use wfmsim::model::Model;
use wfmsim::results::Provenance;
use wfmsim::schedule::capped::{Goal, Heads};
use wfmsim::schedule::{self, Objective, Schedule, ScheduleError};
use wfmsim::staffing::{self, teams::ByTeam};
use wfmsim::{assign, budget, report};

use super::args::{share, SimulationArgs};
use super::output::{emit, progress_bar};
use super::scenario::{load, within_memory, Loaded};
use super::staff::staffing_plan;
use super::{Failure, Result};

/// What `schedule` minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    /// Paid hours.
    Hours,
    /// Paid hours × each team's cost per hour.
    Cost,
}

/// What a capped roster makes best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GoalArg {
    /// Least shortfall of the requirement (agents short × intervals, a
    /// proxy for least abandonment).
    Shortfall,
    /// Most periods meeting every target.
    Periods,
}

/// Output formats of `schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleFormat {
    /// A readable summary with the roster.
    Table,
    /// JSON: totals, bound, gap, rounds, shifts and every interval.
    Json,
    /// The roster as CSV.
    Csv,
    /// The roster as `[[team.shift]]` blocks.
    Toml,
    /// One HTML page: each team's requirement against the roster, with
    /// charts (and the people, with agents).
    Html,
    /// The people's shifts as one iCalendar file, an event per shift
    /// (agents only).
    Ics,
}

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML) whose teams carry [[team.shift_rule]].
    scenario: PathBuf,
    /// What to minimise: paid hours, or cost at the teams' rates.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Hours)]
    objective: ObjectiveArg,
    /// Judge each target in at least this share of replications too, in
    /// (0, 1], besides on average.
    #[arg(long, value_parser = share)]
    confidence: Option<f64>,
    /// Roster this requirement (CSV: start,team,agents) as given, without
    /// simulating (so without the flags of a simulation).
    #[arg(
        long,
        conflicts_with_all = ["confidence", "max_iterations", "trim_rounds", "replications", "seed", "max_memory"]
    )]
    requirement: Option<PathBuf>,
    /// Most rounds of rostering and simulating, 1 to 100.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=100))]
    max_iterations: u32,
    /// Most trim rounds once every target holds, 0 to 50: agents taken
    /// away where service is far above target, given back where that
    /// made a target miss (0: no trimming).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=50))]
    trim_rounds: u32,
    /// Also write the whole scenario with the roster's shifts to this file
    /// (`run` accepts it unchanged).
    #[arg(long)]
    emit_scenario: Option<PathBuf>,
    /// Agents to roster (CSV: id,team,... one per row), instead of the
    /// scenario's [[agent]] list.
    #[arg(long)]
    agents: Option<PathBuf>,
    /// Also write each agent's shifts as DIR/<id>.ics (iCalendar), one
    /// file per agent (agents only).
    #[arg(long, value_name = "DIR")]
    calendars: Option<PathBuf>,
    /// Output format: table, json, csv (the roster), toml ([[team.shift]]
    /// blocks), html (a page with charts) or ics (the people's shifts as
    /// iCalendar; agents only).
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Table)]
    format: ScheduleFormat,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit 0 even when the simulated roster still misses targets after
    /// its rounds (exploration); without it such a roster exits 1 once
    /// written.
    #[arg(long, conflicts_with = "requirement")]
    allow_miss: bool,
    /// Cap a team at N heads (repeatable; N at least 1): the roster that
    /// serves best with the heads, instead of the least-cost one that
    /// meets every target. With agents, teams not named are capped at
    /// their agents.
    #[arg(long, value_name = "TEAM=N", value_parser = heads_arg)]
    heads: Vec<(String, u32)>,
    /// With heads (--heads, or the agents of each team): what best service
    /// is, the least shortfall of the requirement or the most periods
    /// meeting every target (default shortfall).
    #[arg(long, value_enum)]
    capped_goal: Option<GoalArg>,
    #[command(flatten)]
    sim: SimulationArgs,
}

/// `wfmsim schedule`.
pub fn run(args: &Args) -> Result {
    let sim = &args.sim;
    let mut loaded = load(&args.scenario, sim)?;
    if let Some(path) = &args.agents {
        if !loaded.model.agents.is_empty() {
            return Err(Failure::bad_input(format!(
                "{}: the scenario lists [[agent]] and --agents names {}; give the agents in one place",
                args.scenario.display(),
                path.display()
            )));
        }
        loaded.model.agents = read_agents(&loaded.model, path)?;
    }
    let with_agents = !loaded.model.agents.is_empty();
    if !with_agents && (args.format == ScheduleFormat::Ics || args.calendars.is_some()) {
        let what = if args.calendars.is_some() { "--calendars" } else { "--format ics" };
        return Err(Failure::bad_input(format!(
            "{}: {what} writes the agents' shifts, and there are none: list [[agent]] in the scenario or give --agents FILE",
            args.scenario.display()
        )));
    }
    let model = &loaded.model;
    let weekly = model.days.len() <= 7;
    if with_agents && !weekly && (args.emit_scenario.is_some() || args.format == ScheduleFormat::Toml) {
        let what = if args.emit_scenario.is_some() { "--emit-scenario" } else { "--format toml" };
        return Err(Failure::bad_input(format!(
            "{}: {what} writes each agent's shifts as [[team.shift]] blocks, which repeat every week, and the horizon has {} days whose weeks differ; roster one week at a time",
            args.scenario.display(),
            model.days.len()
        )));
    }
    let estimate = match args.requirement {
        // Rostering a given requirement simulates nothing.
        Some(_) => None,
        None => Some(budget::for_staff(model, sim.threads(), None, report::Format::Json.bytes_per_period())),
    };
    if let Some(estimate) = estimate {
        within_memory(sim, &args.scenario, &estimate)?;
    }
    let provenance = loaded.provenance();
    if model.teams.iter().all(|t| t.rules.is_empty()) {
        return Err(Failure::from(ScheduleError::NoRules).at(args.scenario.display()));
    }
    let options = schedule::Options {
        objective: match args.objective {
            ObjectiveArg::Hours => Objective::PaidHours,
            ObjectiveArg::Cost => Objective::Cost,
        },
        confidence: args.confidence,
        max_iterations: args.max_iterations as usize,
        trim_rounds: args.trim_rounds as usize,
        simulate: args.requirement.is_none(),
        threads: sim.thread_option(),
    };
    let spinner = spinner();
    spinner.set_message(if args.requirement.is_some() { "cover" } else { "requirement by team" });
    let started = std::time::Instant::now();
    let required = match &args.requirement {
        Some(path) => read_requirement(model, path)?,
        None => {
            warn_uncoverable(&loaded);
            requirement_by_team(model, args.confidence, options.threads)?.required
        }
    };
    let heads = match args.heads.is_empty() && args.capped_goal.is_none() {
        true => None,
        false => Some(
            Heads::new(model, &args.heads, with_agents).map_err(|e| Failure::from(e).at(args.scenario.display()))?,
        ),
    };
    let step = |step: schedule::Step| spinner.set_message(step.to_string());
    let roster = match &heads {
        None => schedule::schedule_with_progress(model, required, &options, &step),
        Some(heads) => {
            let goal = match args.capped_goal {
                Some(GoalArg::Periods) => Goal::Periods,
                Some(GoalArg::Shortfall) | None => Goal::Shortfall,
            };
            schedule::capped::capped_with_progress(model, required, &options, heads, goal, &step)
        }
    }
    .map_err(|e| match e {
        ScheduleError::NoPrice(_) => Failure::from(e).at(args.scenario.display()),
        other => Failure::from(other),
    })?;
    spinner.finish_and_clear();
    if !spinner.is_hidden() {
        eprintln!("{}", time_per_phase(&roster, started.elapsed().as_secs_f64()));
    }
    let people = match with_agents {
        true => Some(assign_people(model, &roster, options.threads)?),
        false => None,
    };
    if let Some(path) = &args.emit_scenario {
        let source = scenario_with_what_ifs(&loaded, &provenance)?;
        let blocks = people.as_ref().map(|a| report::schedule::agents::blocks(model, a));
        let text = scenario_with_roster(&source, &roster, blocks.as_deref())
            .map_err(|e| Failure::run(anyhow::anyhow!("could not write the scenario with the roster: {e}")))?;
        emit(&text, Some(path))?;
    }
    if let (Some(dir), Some(people)) = (&args.calendars, &people) {
        write_calendars(model, &provenance, people, dir)?;
    }
    let text = match (args.format, &people) {
        (ScheduleFormat::Table, None) => report::schedule::table(model, &provenance, &roster),
        (ScheduleFormat::Table, Some(a)) => {
            report::schedule::table(model, &provenance, &roster)
                + "\n"
                + &report::schedule::agents::table(model, &provenance, a)
        }
        (ScheduleFormat::Json, a) => report::schedule::json_with(model, &provenance, &roster, a.as_ref()),
        (ScheduleFormat::Csv, None) => report::schedule::csv(model, &provenance, &roster),
        (ScheduleFormat::Csv, Some(a)) => {
            let capped = roster.capped.as_ref().map(|c| report::schedule::capped::csv(model, c));
            report::schedule::agents::csv(model, &provenance, a) + capped.as_deref().unwrap_or("")
        }
        (ScheduleFormat::Toml, None) => report::schedule::toml(model, &roster),
        (ScheduleFormat::Toml, Some(a)) => {
            report::schedule::agents::toml(model, &report::schedule::agents::blocks(model, a))
        }
        (ScheduleFormat::Html, a) => {
            report::schedule::html::render_schedule_with(model, &provenance, &roster, a.as_ref())
        }
        (ScheduleFormat::Ics, Some(a)) => report::schedule::ics::all(model, &provenance, a),
        (ScheduleFormat::Ics, None) => unreachable!("refused above"),
    };
    emit(&text, args.output.as_deref())?;
    match args.allow_miss {
        true => Ok(()),
        false => super::staff::still_missed(roster.unmet.len(), roster.iterations.len()),
    }
}

/// `TEAM=N` of `--heads`: a team's name (up to the last `=`) and a whole
/// number of heads, at least 1.
fn heads_arg(s: &str) -> std::result::Result<(String, u32), String> {
    let allowed = "allowed: TEAM=N, a team's name and a whole number of heads, at least 1 (such as Dublin=40)";
    let Some((team, n)) = s.rsplit_once('=') else {
        return Err(format!("{s:?} has no '='; {allowed}"));
    };
    if team.is_empty() {
        return Err(format!("{s:?} names no team; {allowed}"));
    }
    match n.trim().parse::<u32>() {
        Ok(heads) if heads >= 1 => Ok((team.to_string(), heads)),
        _ => Err(format!("{s:?}: {n:?} is not a number of heads; {allowed}")),
    }
}

/// Warns, before any round is simulated, of the intervals with arrivals
/// in which no team serving the queue can work (no fixed shift, no start
/// its rules allow): no round can mend them.
pub fn warn_uncoverable(loaded: &Loaded) {
    let model = &loaded.model;
    let holes = model.holes_where(&staffing::teams::availability(model));
    super::scenario::warn_holes(
        &loaded.source,
        model,
        &holes,
        "no shift of a team serving it (fixed or allowed by its rules) on duty",
    );
}

/// Where the time went, for a terminal (times are not results: the
/// reports leave them out, so that a scenario and seed give the same
/// bytes): the requirement, then the rounds' solving (the bound's proof
/// included) and simulating.
fn time_per_phase(roster: &Schedule, total_s: f64) -> String {
    let solving: f64 = roster.iterations.iter().map(|i| i.solve_seconds).sum();
    let simulating: f64 = roster.iterations.iter().map(|i| i.simulate_seconds).sum();
    let rounds = roster.iterations.len();
    let requirement = (total_s - solving - simulating).max(0.0);
    format!(
        "{total_s:.1} s: requirement {requirement:.1} s, {rounds} round(s) solving {solving:.1} s (the bound's proof \
         included) and simulating {simulating:.1} s"
    )
}

/// A spinner naming the step under way, on a terminal only.
fn spinner() -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"));
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The cover given to the model's agents, a progress bar per phase.
fn assign_people(model: &Model, roster: &Schedule, threads: Option<usize>) -> Result<assign::Assignment> {
    let steps = assign::steps(model, roster);
    let bar = progress_bar(steps, "assigning agents");
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} assigning agents: {msg} {pos}/{len} [{bar:40}] {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let options = assign::Options { threads, ..assign::Options::default() };
    let people = assign::assign(model, roster, &options, &|phase| {
        bar.set_message(phase.name());
        bar.inc(1);
    })
    .map_err(Failure::from)?;
    bar.finish_and_clear();
    Ok(people)
}

/// Reads and checks the agents CSV at `path`.
fn read_agents(model: &Model, path: &Path) -> Result<Vec<wfmsim::model::agents::Agent>> {
    let name = path.display().to_string();
    let text = super::input::read_text(path, "agents file")?;
    Ok(wfmsim::input::agents::read_csv(&text, &name, model)?)
}

/// Each agent's calendar as `dir/<id>.ics`.
fn write_calendars(model: &Model, provenance: &Provenance, people: &assign::Assignment, dir: &Path) -> Result {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::run(anyhow::anyhow!("could not create the calendars' directory '{}': {e}", dir.display()))
    })?;
    for (x, agent) in model.agents.iter().enumerate() {
        let text = report::schedule::ics::agent(model, provenance, people, x);
        emit(&text, Some(&dir.join(format!("{}.ics", agent.id))))?;
    }
    Ok(())
}

fn read_requirement(model: &Model, path: &Path) -> Result<staffing::teams::TeamLevels> {
    let name = path.display().to_string();
    let text = super::input::read_text(path, "requirement")?;
    Ok(schedule::requirement_file::parse(model, &text, &name)?)
}

/// Each queue staffed, then the requirement by team verified by
/// simulating the whole operation.
pub fn requirement_by_team(model: &Model, confidence: Option<f64>, threads: Option<usize>) -> Result<ByTeam> {
    let plan = staffing_plan(model, &staffing::Options { confidence, max_agents: None, threads })?;
    Ok(staffing::teams::by_team(model, &plan, confidence, threads, &|| {})?)
}

/// The scenario's text as the roster was made for it: the file as written
/// when no what-if applies, else the file with the what-ifs (`--set` and
/// the scale flags) written into its values, under a comment naming them.
fn scenario_with_what_ifs(loaded: &Loaded, provenance: &Provenance) -> Result<String> {
    let source = &loaded.source;
    if loaded.what_ifs.is_empty() {
        return Ok(source.text.clone());
    }
    let name = &source.name;
    let (base, _) = Base::new(&source.text, name)?;
    let document = base.document(&loaded.what_ifs)?;
    Ok(format!(
        "# {name} with the what-ifs {} written into its values by wfmsim schedule\n# (the file's comments are not kept)\n\n{document}",
        report::kit::text::what_ifs(&provenance.what_ifs)
    ))
}

/// `source` (the scenario's text) with each rostered team's blocks added
/// to that team's shifts — the cover's, or with agents each agent's
/// (`people`) —, written through a TOML editor (the file's
/// comments and layout kept; a name can only ever be a string, whatever
/// it holds); checked by compiling it again. Teams written as
/// `[[team]]` tables get `[[team.shift]]` tables; teams or shifts written
/// inline get inline tables.
pub fn scenario_with_roster(
    source: &str,
    roster: &Schedule,
    people: Option<&[schedule::RosterShift]>,
) -> std::result::Result<String, String> {
    use toml_edit::{DocumentMut, Item, Table, Value};
    let mut doc: DocumentMut = source.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    let objective = report::schedule::objective_name(roster.objective).replace('_', " ");
    let whose = if people.is_some() { ", one block per agent and shift" } else { "" };
    for &t in &roster.teams {
        let blocks: Vec<_> = people.unwrap_or(&roster.shifts).iter().filter(|s| s.team == t).collect();
        // The blocks as the schedule's TOML writes them, read back as tables.
        let written: DocumentMut = report::schedule::team_blocks(&blocks)
            .parse()
            .map_err(|e: toml_edit::TomlError| format!("the roster's TOML does not read back: {e}"))?;
        let tables = written
            .get("team")
            .and_then(|team| team.get("shift"))
            .and_then(Item::as_array_of_tables)
            .map_or_else(Vec::new, |a| a.iter().cloned().collect::<Vec<Table>>());
        let fresh = |k: usize, table: &Table| {
            let mut t = Table::new();
            for (key, item) in table.iter() {
                t.insert(key, item.clone());
            }
            let rule = table.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
            let head = if k == 0 {
                format!("\n# Rostered by wfmsim schedule ({objective} objective{whose})\n")
            } else {
                "\n".into()
            };
            t.decor_mut().set_prefix(head);
            t.decor_mut().set_suffix(rule.to_string());
            t
        };
        let (team, inline) = match doc.get_mut("team") {
            Some(Item::ArrayOfTables(teams)) => {
                (teams.get_mut(t).map(|team| team as &mut dyn toml_edit::TableLike), false)
            }
            Some(Item::Value(Value::Array(teams))) => (
                teams.get_mut(t).and_then(Value::as_inline_table_mut).map(|team| team as &mut dyn toml_edit::TableLike),
                true,
            ),
            _ => (None, false),
        };
        let team = team.ok_or("the scenario changed while it was read")?;
        match team.get_mut("shift") {
            None if !inline => {
                let mut shifts = toml_edit::ArrayOfTables::new();
                tables.iter().enumerate().for_each(|(k, table)| shifts.push(fresh(k, table)));
                team.insert("shift", Item::ArrayOfTables(shifts));
            }
            Some(Item::ArrayOfTables(shifts)) => {
                tables.iter().enumerate().for_each(|(k, table)| shifts.push(fresh(k, table)));
            }
            None => {
                let mut shifts = toml_edit::Array::new();
                tables.iter().for_each(|table| shifts.push(fresh(1, table).into_inline_table()));
                team.insert("shift", Item::Value(Value::Array(shifts)));
            }
            Some(Item::Value(Value::Array(shifts))) => {
                tables.iter().for_each(|table| shifts.push(fresh(1, table).into_inline_table()));
            }
            Some(_) => return Err("the team's shift is neither a table array nor a list".into()),
        }
    }
    let out = doc.to_string();
    wfmsim::input::compile(&out, "the emitted scenario").map_err(|e| e.to_string())?;
    Ok(out)
}
