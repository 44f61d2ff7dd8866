//! `wfmsim completions SHELL`: a completion script generated from the
//! command line's own definitions.

use super::output::emit;
use super::Result;

#[derive(clap::Args)]
pub struct Args {
    /// The shell.
    shell: clap_complete::Shell,
}

/// `wfmsim completions`: the script for `args.shell` of `command` on
/// stdout.
pub fn run(args: &Args, mut command: clap::Command) -> Result {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "wfmsim", &mut out);
    emit(&String::from_utf8_lossy(&out), None)
}
