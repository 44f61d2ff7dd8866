//! `wfmsim man [--dir DIR]`: manual pages generated from the command
//! line's own definitions (clap_mangen), so they cannot drift from the
//! flags.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::{emit, say, AtomicFile};
use super::{Failure, Result};

#[derive(clap::Args)]
pub struct Args {
    /// Write wfmsim.1 and one page per command (wfmsim-run.1, ...) into
    /// DIR, each whole or not at all, instead of printing wfmsim(1).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// `wfmsim man`: wfmsim(1) of `command` on stdout, or every page into
/// `--dir`.
pub fn run(args: &Args, command: clap::Command) -> Result {
    let Some(dir) = &args.dir else {
        return emit(&page(command)?, None);
    };
    let mut pages = vec![("wfmsim.1".to_string(), page(command.clone())?)];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("wfmsim-{}", sub.get_name());
        let sub = sub.clone().display_name(name.clone()).bin_name(format!("wfmsim {}", sub.get_name()));
        pages.push((format!("{name}.1"), page(sub)?));
    }
    write_pages(dir, &pages)
        .with_context(|| format!("could not write the manual pages into '{}'", dir.display()))
        .map_err(Failure::run)?;
    say(&format!("{} manual pages in {} (try: man -l {})", pages.len(), dir.display(), dir.join("wfmsim.1").display()));
    Ok(())
}

/// The roff text of `command`'s page, section 1.
fn page(command: clap::Command) -> Result<String> {
    let mut out = Vec::new();
    let source = format!("wfmsim {}", env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(command)
        .source(source)
        .render(&mut out)
        .context("could not render a manual page")
        .map_err(Failure::run)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn write_pages(dir: &Path, pages: &[(String, String)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in pages {
        let mut file = AtomicFile::create(&dir.join(name))?;
        file.write_all(text.as_bytes())?;
        file.commit()?;
    }
    Ok(())
}
