//! `wfmsim merge`: the partials of `run --shard K/N` into the report one
//! run over all replications gives (the same bytes).

use std::path::PathBuf;

use wfmsim::results::Detail;

use super::args::{OutputArgs, ReportArgs, ReportFormat};
use super::output::emit;
use super::Result;

#[derive(clap::Args)]
pub struct Args {
    /// Partial results written by `run --shard K/N --output FILE`, every
    /// shard of one run exactly once, in any order.
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    #[command(flatten)]
    out: OutputArgs<ReportFormat>,
    #[command(flatten)]
    report: ReportArgs,
}

/// `wfmsim merge`.
pub fn run(args: &Args) -> Result {
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let name = path.display().to_string();
        let text = super::input::read_text(path, "partial")?;
        parts.push((name, text));
    }
    // An HTML report charts what the shards carry, as `run` would.
    let format = args.out.format.format();
    let detail = args.report.asked().or((args.out.format != ReportFormat::Html).then_some(Detail::Period));
    let merged = wfmsim::merge::merge(&parts, detail, args.report.period.kind())?;
    emit(&wfmsim::report::run::render(&merged, format), args.out.output.as_deref())
}
